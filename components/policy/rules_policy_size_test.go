package policy

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// sized is a policy document of about n characters without white space.
func sized(n int) string {
	return doc(allow("s3:GetObject", "arn:aws:s3:::"+strings.Repeat("b", n-80)+"/*"))
}

func policySizeCases() []ruleCase {
	role := func(trust string, inline ...string) []recording.Resource {
		stack := []recording.Resource{res(typeRole, "fn-role", obj{"assumeRolePolicy": trust})}
		for i, p := range inline {
			stack = append(stack, res(typeRolePolicy, "fn-policy-"+string(rune('a'+i)), obj{"role": "fn-role", "policy": p}))
		}
		return stack
	}
	trust := doc(obj{"Effect": "Allow", "Principal": obj{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})
	return []ruleCase{
		{name: "small role", rule: "AWS-POLICY-SIZE", stack: role(trust, sized(3000))},
		{name: "white space is not counted", rule: "AWS-POLICY-SIZE", stack: role(trust, sized(9000)+strings.Repeat(" ", 5000))},
		{name: "inline policies over 10,240 together", rule: "AWS-POLICY-SIZE", stack: role(trust, sized(6000), sized(6000)),
			want: "the role's inline policies (fn-policy-a, fn-policy-b) together is"},
		{name: "trust policy over 2,048", rule: "AWS-POLICY-SIZE", stack: role(sized(2100)),
			want: "trust policy (assumeRolePolicy) is"},
		{name: "bucket policy over 20 KB", rule: "AWS-POLICY-SIZE", stack: []recording.Resource{res(typeBucketPolicy, "p", obj{"bucket": "b", "policy": sized(21000)})},
			want: "bucket policy is"},
	}
}

func moreValueCases() []ruleCase {
	one := func(typ string, in obj) []recording.Resource { return []recording.Resource{res(typ, "subject", in)} }
	return []ruleCase{
		{name: "gateway response type", rule: "AWS-ALLOWED-VALUES", stack: one(typeGatewayResponse, obj{"responseType": "DEFAULT_4XX"})},
		{name: "gateway response type 404", rule: "AWS-ALLOWED-VALUES", stack: one(typeGatewayResponse, obj{"responseType": "NOT_FOUND"}),
			want: `responseType "NOT_FOUND" is not one of`},
		{name: "usage plan key type", rule: "AWS-ALLOWED-VALUES", stack: one(typeUsagePlanKey, obj{"keyType": "api_key"}),
			want: `keyType "api_key" is not one of API_KEY`},
		{name: "object key of 1024 bytes", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeBucketObject, obj{"key": strings.Repeat("k", 1024)})},
		{name: "object key over 1024 bytes", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeBucketObject, obj{"key": strings.Repeat("é", 513)}),
			want: "key is 1026 bytes"},
		{name: "identity pool roles", rule: "AWS-FIELD-COMBINATIONS", stack: one(typePoolRoles, obj{"roles": obj{"authenticated": "arn:aws:iam::1:role/a"}})},
		{name: "identity pool role for guests", rule: "AWS-FIELD-COMBINATIONS", stack: one(typePoolRoles, obj{"roles": obj{"guest": "arn:aws:iam::1:role/a"}}),
			want: `roles key "guest" is not authenticated or unauthenticated`},
	}
}

func TestPolicySizeAndMoreValues(t *testing.T) {
	runRuleCases(t, policySizeCases())
	runRuleCases(t, moreValueCases())
}
