package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const tableARN = "arn:aws:dynamodb:us-east-1:123456789012:table/todos"

func rolePolicy(statements ...obj) []recording.Resource {
	return []recording.Resource{res(typeRolePolicy, "todo-policy", obj{"role": "todo-role", "policy": doc(statements...)})}
}

func iamCases() []ruleCase {
	scoped := rolePolicy(
		allow(arr{"dynamodb:GetItem", "dynamodb:PutItem"}, arr{tableARN, tableARN + "/index/*"}),
		allow(arr{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "*"),
	)
	inlineRole := func(statements ...obj) []recording.Resource {
		return []recording.Resource{res(typeRole, "todo-role", obj{
			"assumeRolePolicy": doc(obj{"Effect": "Allow", "Principal": obj{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}),
			"inlinePolicies":   arr{obj{"name": "data", "policy": doc(statements...)}},
		})}
	}
	return []ruleCase{
		{name: "listed actions", rule: "IAM-WILDCARD-ACTION", stack: scoped},
		{name: "deny may use wildcards", rule: "IAM-WILDCARD-ACTION", stack: rolePolicy(obj{"Effect": "Deny", "Action": "s3:*", "Resource": "*"})},
		{name: "service wildcard", rule: "IAM-WILDCARD-ACTION", stack: rolePolicy(allow("dynamodb:*", tableARN)), want: `allows wildcard action "dynamodb:*"`},
		{name: "every action in a role's inline policy", rule: "IAM-WILDCARD-ACTION", stack: inlineRole(allow("*", tableARN)),
			want: `inline policy "data" allows wildcard action "*"`},
		{name: "NotAction", rule: "IAM-WILDCARD-ACTION", stack: rolePolicy(obj{"Effect": "Allow", "NotAction": "iam:*", "Resource": tableARN}),
			want: "allows every action except [iam:*]"},
		{name: "unreadable document", rule: "IAM-WILDCARD-ACTION", stack: []recording.Resource{res(typePolicy, "broken", obj{"policy": "{"})},
			want: "the policy cannot be read"},

		{name: "resources scoped, X-Ray on *", rule: "IAM-WILDCARD-RESOURCE", stack: scoped},
		{name: "resource wildcard", rule: "IAM-WILDCARD-RESOURCE", stack: rolePolicy(obj{"Sid": "Logs", "Effect": "Allow",
			"Action": arr{"logs:CreateLogStream", "xray:PutTraceSegments"}, "Resource": "*"}),
			want: `the policy statement "Logs" allows logs:CreateLogStream on Resource "*"`},
		{name: "NotResource", rule: "IAM-WILDCARD-RESOURCE", stack: inlineRole(obj{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}),
			want: "allows every resource except"},

		{name: "customer managed policy", rule: "IAM-MANAGED-POLICY", stack: []recording.Resource{res(typeRolePolicyAttach, "todo-attach", obj{
			"role": "todo-role", "policyArn": "arn:aws:iam::123456789012:policy/todo-data"})}},
		{name: "AWS managed policy attached", rule: "IAM-MANAGED-POLICY", stack: []recording.Resource{res(typeRolePolicyAttach, "todo-basic", obj{
			"role": "todo-role", "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})},
			want: "attaches AWS managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
		{name: "AWS managed policy on the role", rule: "IAM-MANAGED-POLICY", stack: []recording.Resource{res(typeRole, "todo-role", obj{
			"managedPolicyArns": arr{"arn:aws-us-gov:iam::aws:policy/AdministratorAccess"}})},
			want: "AdministratorAccess"},
	}
}

func TestIAMRules(t *testing.T) { runRuleCases(t, iamCases()) }
