package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func table(edit func(in obj)) []recording.Resource {
	in := obj{
		"name": "todos", "billingMode": "PAY_PER_REQUEST", "hashKey": "pk",
		"attributes":                arr{obj{"name": "pk", "type": "S"}},
		"pointInTimeRecovery":       obj{"enabled": true},
		"serverSideEncryption":      obj{"enabled": true},
		"deletionProtectionEnabled": true,
		"replicas":                  arr{obj{"regionName": "eu-west-1", "pointInTimeRecovery": true}},
	}
	if edit != nil {
		edit(in)
	}
	return []recording.Resource{res(typeTable, "todos", in)}
}

func queueWith(edit func(in obj)) []recording.Resource {
	in := obj{"name": "jobs", "sqsManagedSseEnabled": true,
		"policy": doc(denyInsecure("sqs:*", "arn:aws:sqs:us-east-1:123456789012:jobs"))}
	if edit != nil {
		edit(in)
	}
	return []recording.Resource{res(typeQueue, "jobs", in)}
}

func dataCases() []ruleCase {
	passwords := func(edit func(pp obj)) []recording.Resource {
		pp := obj{"minimumLength": 12.0, "requireUppercase": true, "requireLowercase": true, "requireNumbers": true, "requireSymbols": true}
		if edit != nil {
			edit(pp)
		}
		return []recording.Resource{res(typeUserPool, "users", obj{"name": "users", "passwordPolicy": pp})}
	}
	separatePolicy := plus(queueWith(func(in obj) { delete(in, "policy") }),
		res(typeQueuePolicy, "jobs-policy", obj{"queueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
			"policy": doc(denyInsecure("*", "arn:aws:sqs:us-east-1:123456789012:jobs"))}))
	return []ruleCase{
		{name: "PITR on table and replica", rule: "DDB-PITR", stack: table(nil)},
		{name: "replica resource with PITR", rule: "DDB-PITR", stack: []recording.Resource{res(typeTableReplica, "todos-eu", obj{
			"globalTableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/todos", "pointInTimeRecovery": true})}},
		{name: "no PITR", rule: "DDB-PITR", stack: table(func(in obj) { delete(in, "pointInTimeRecovery") }), want: "point-in-time recovery is off; set"},
		{name: "replica without PITR", rule: "DDB-PITR", stack: table(func(in obj) { in["replicas"] = arr{obj{"regionName": "eu-west-1"}} }),
			want: "off for the replica in eu-west-1"},
		{name: "replica resource without PITR", rule: "DDB-PITR", stack: []recording.Resource{res(typeTableReplica, "todos-eu", obj{
			"globalTableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/todos"})}, want: "off for this replica"},

		{name: "KMS encryption", rule: "DDB-ENCRYPTION", stack: table(nil)},
		{name: "AWS owned key", rule: "DDB-ENCRYPTION", stack: table(func(in obj) { delete(in, "serverSideEncryption") }), want: "serverSideEncryption is not enabled"},

		{name: "protected in production", rule: "DDB-DELETION-PROTECTION", prod: true, stack: table(nil)},
		{name: "not checked outside production", rule: "DDB-DELETION-PROTECTION", stack: table(func(in obj) { delete(in, "deletionProtectionEnabled") })},
		{name: "unprotected in production", rule: "DDB-DELETION-PROTECTION", prod: true, stack: table(func(in obj) { delete(in, "deletionProtectionEnabled") }),
			want: "deletionProtectionEnabled is off in production"},

		{name: "strong policy", rule: "COGNITO-PASSWORD-POLICY", stack: passwords(nil)},
		{name: "no policy", rule: "COGNITO-PASSWORD-POLICY", stack: []recording.Resource{res(typeUserPool, "users", obj{"name": "users"})}, want: "no passwordPolicy declared"},
		{name: "short", rule: "COGNITO-PASSWORD-POLICY", stack: passwords(func(pp obj) { pp["minimumLength"] = 6.0 }), want: "minimumLength is below 8"},
		{name: "no symbols", rule: "COGNITO-PASSWORD-POLICY", stack: passwords(func(pp obj) { delete(pp, "requireSymbols") }), want: "does not set requireSymbols"},

		{name: "no guests", rule: "COGNITO-UNAUTHENTICATED", stack: []recording.Resource{res(typeIdentityPool, "ids", obj{
			"identityPoolName": "ids", "allowUnauthenticatedIdentities": false})}},
		{name: "guests", rule: "COGNITO-UNAUTHENTICATED", stack: []recording.Resource{res(typeIdentityPool, "ids", obj{
			"identityPoolName": "ids", "allowUnauthenticatedIdentities": true})}, want: "allows unauthenticated identities"},

		{name: "SSE-SQS", rule: "SQS-ENCRYPTION", stack: queueWith(nil)},
		{name: "KMS", rule: "SQS-ENCRYPTION", stack: queueWith(func(in obj) {
			delete(in, "sqsManagedSseEnabled")
			in["kmsMasterKeyId"] = "alias/aws/sqs"
		})},
		{name: "not declared", rule: "SQS-ENCRYPTION", stack: queueWith(func(in obj) { delete(in, "sqsManagedSseEnabled") }), want: "encryption at rest is not declared"},

		{name: "inline TLS-only policy", rule: "SQS-TLS-ONLY", stack: queueWith(nil)},
		{name: "QueuePolicy found by URL", rule: "SQS-TLS-ONLY", stack: separatePolicy},
		{name: "no policy", rule: "SQS-TLS-ONLY", stack: queueWith(func(in obj) { delete(in, "policy") }), want: "no queue policy"},
		{name: "policy of another queue", rule: "SQS-TLS-ONLY", stack: with(separatePolicy, "jobs-policy", func(in obj) {
			in["queueUrl"] = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq"
		}), want: "no queue policy"},
		{name: "deny without the TLS condition", rule: "SQS-TLS-ONLY", stack: queueWith(func(in obj) {
			in["policy"] = doc(obj{"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"})
		}), want: "does not deny requests without TLS"},
	}
}

func TestDataRules(t *testing.T) { runRuleCases(t, dataCases()) }
