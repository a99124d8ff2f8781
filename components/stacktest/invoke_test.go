package stacktest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
)

const rulesToken = "aws:vpc/getSecurityGroupRules:getSecurityGroupRules"

func groupRules(ctx *pulumi.Context, group string) (*vpc.GetSecurityGroupRulesResult, error) {
	return vpc.GetSecurityGroupRules(ctx, &vpc.GetSecurityGroupRulesArgs{
		Filters: []vpc.GetSecurityGroupRulesFilter{{Name: "group-id", Values: []string{group}}},
	})
}

// An existing security group has the rules of an internet-facing load
// balancer's group, and each rule listed can be read.
func TestExistingSecurityGroupRules(t *testing.T) {
	var ingressV4, ingressV6, egress int
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		rules, err := groupRules(ctx, "sg-0123456789abcdef0")
		if err != nil {
			return err
		}
		for _, id := range rules.Ids {
			r, err := vpc.GetSecurityGroupRule(ctx, &vpc.GetSecurityGroupRuleArgs{SecurityGroupRuleId: pulumi.StringRef(id)})
			if err != nil {
				return err
			}
			switch {
			case r.SecurityGroupId != "sg-0123456789abcdef0" || !strings.HasPrefix(r.SecurityGroupRuleId, "sgr-"):
				t.Errorf("rule %+v", r)
			case r.IsEgress:
				egress++
			case r.CidrIpv6 != "":
				ingressV6++
			default:
				ingressV4++
			}
		}
		_, err = vpc.GetSecurityGroupRule(ctx, &vpc.GetSecurityGroupRuleArgs{SecurityGroupRuleId: pulumi.StringRef("sgr-00000000000000000")})
		if err == nil {
			t.Error("a rule never listed was found")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ingressV4 != 1 || ingressV6 != 1 || egress != 1 {
		t.Errorf("rules: %d IPv4 in, %d IPv6 in, %d out; want one of each", ingressV4, ingressV6, egress)
	}
}

// Invoke replaces the mocks' answer, and its error is the invoke's error.
func TestInvokeOverridesTheAnswer(t *testing.T) {
	var ids []string
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		rules, err := groupRules(ctx, "sg-1")
		if err != nil {
			return err
		}
		ids = rules.Ids
		return nil
	}, stacktest.Invoke(rulesToken, func(in map[string]any) (map[string]any, error) {
		return map[string]any{"id": "x", "ids": []any{"sgr-a", "sgr-b"}}, nil
	}))
	if err != nil || strings.Join(ids, ",") != "sgr-a,sgr-b" {
		t.Fatalf("ids %v, err %v", ids, err)
	}
	_, err = stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := groupRules(ctx, "sg-1")
		return err
	}, stacktest.Invoke(rulesToken, func(map[string]any) (map[string]any, error) {
		return nil, errors.New("UnauthorizedOperation")
	}))
	if err == nil || !strings.Contains(err.Error(), "UnauthorizedOperation") {
		t.Fatalf("err %v, want the answer's error", err)
	}
}
