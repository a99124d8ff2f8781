package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

var identityPolicyTypes = []string{typeRole, typeRolePolicy, typePolicy, typeUserPolicy, typeGroupPolicy}

var iamRules = []Rule{
	{
		ID:          "IAM-WILDCARD-ACTION",
		Mirrors:     []string{"AwsSolutions-IAM5", "Serverless-IAMNoWildcardPermissions", "CKV_AWS_62", "CKV_AWS_63"},
		Description: `No identity policy allows every action ("*") or every action of a service ("s3:*"), or allows with NotAction.`,
		Types:       identityPolicyTypes,
		Check:       checkWildcardActions,
	},
	{
		ID:          "IAM-WILDCARD-RESOURCE",
		Mirrors:     []string{"AwsSolutions-IAM5", "CKV_AWS_355"},
		Description: `No identity policy allows actions on Resource "*" (or with NotResource), except actions that AWS cannot restrict to a resource (xray:PutTraceSegments, cloudwatch:PutMetricData, ...). Any other wildcard needs a suppression giving the reason.`,
		Types:       identityPolicyTypes,
		Check:       checkWildcardResources,
	},
	{
		ID:          "IAM-MANAGED-POLICY",
		Mirrors:     []string{"AwsSolutions-IAM4"},
		Description: "No role, user or group is given an AWS managed policy (arn:aws:iam::aws:policy/...), whose permissions are broad and change under you, without a suppression giving the reason.",
		Types: []string{typeRole, typeRolePolicyAttach, typeUserPolicyAttach, typeGroupPolicyAttach,
			typePolicyAttachment, typeRoleAttachExclusive},
		Check: checkManagedPolicies,
	},
}

// identityDocuments returns the permission policies r carries, labelled for
// messages: a role's inline policies, or a policy resource's document.
func identityDocuments(r recording.Resource) (labels []string, docs []any) {
	if r.Type == typeRole {
		for _, p := range list(r.Inputs, "inlinePolicies") {
			labels = append(labels, fmt.Sprintf("inline policy %q", str(p, "name")))
			docs = append(docs, at(p, "policy"))
		}
		return labels, docs
	}
	return []string{"the policy"}, []any{at(r.Inputs, "policy")}
}

// eachAllow calls fn for every Allow statement of r's policies and returns
// the problems it reports, plus any document that cannot be read.
func eachAllow(r recording.Resource, fn func(label string, st statement) []string) []string {
	var problems []string
	labels, docs := identityDocuments(r)
	for i, raw := range docs {
		if raw == nil || raw == "" {
			continue
		}
		doc, err := parseDocument(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s cannot be read: %v", labels[i], err))
			continue
		}
		for _, st := range doc.Statements {
			if st.allows() {
				problems = append(problems, fn(labels[i], st)...)
			}
		}
	}
	return problems
}

func statementLabel(label string, st statement) string {
	if st.Sid != "" {
		return fmt.Sprintf("%s statement %q", label, st.Sid)
	}
	return label
}

func checkWildcardActions(_ *Stack, r recording.Resource) []string {
	return eachAllow(r, func(label string, st statement) []string {
		var problems []string
		if len(st.NotActions) > 0 {
			problems = append(problems, fmt.Sprintf("%s allows every action except %v (NotAction)", statementLabel(label, st), st.NotActions))
		}
		for _, a := range st.Actions {
			if a == "*" || strings.HasSuffix(a, ":*") {
				problems = append(problems, fmt.Sprintf("%s allows wildcard action %q; list the actions needed", statementLabel(label, st), a))
			}
		}
		return problems
	})
}

// unrestrictableActions take no resource-level permissions: IAM requires
// Resource "*" for them.
var unrestrictableActions = []string{
	"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
	"xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
	"cloudwatch:PutMetricData", "ec2:DescribeNetworkInterfaces",
	"s3:ListAllMyBuckets", "ssm:DescribeParameters", "kms:ListAliases",
	"sts:GetCallerIdentity",
}

func checkWildcardResources(_ *Stack, r recording.Resource) []string {
	return eachAllow(r, func(label string, st statement) []string {
		if len(st.NotResources) > 0 {
			return []string{fmt.Sprintf("%s allows every resource except %v (NotResource)", statementLabel(label, st), st.NotResources)}
		}
		if !containsFold(st.Resources, "*") {
			return nil
		}
		var restrictable []string
		for _, a := range slices.Concat(st.Actions, st.NotActions) {
			if !containsFold(unrestrictableActions, a) {
				restrictable = append(restrictable, a)
			}
		}
		if len(restrictable) == 0 {
			return nil
		}
		return []string{fmt.Sprintf("%s allows %s on Resource \"*\"; scope it to ARNs or suppress with the reason", statementLabel(label, st), strings.Join(restrictable, ", "))}
	})
}

var awsManagedPolicy = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/`)

func checkManagedPolicies(_ *Stack, r recording.Resource) []string {
	var arns []string
	switch r.Type {
	case typeRole:
		arns = strs(r.Inputs, "managedPolicyArns")
	case typeRoleAttachExclusive:
		arns = strs(r.Inputs, "policyArns")
	default:
		arns = strs(r.Inputs, "policyArn")
	}
	var problems []string
	for _, arn := range arns {
		if awsManagedPolicy.MatchString(arn) {
			problems = append(problems, fmt.Sprintf("attaches AWS managed policy %s; write a policy scoped to this workload or suppress with the reason", arn))
		}
	}
	return problems
}
