package updateoffload_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

// existingGroup answers the security group rule lookups as if the existing
// ALB's group held rules (each a map of getSecurityGroupRule's fields).
func existingGroup(rules ...map[string]any) []stacktest.Option {
	byID := map[string]map[string]any{}
	var ids []any
	for i, r := range rules {
		id := fmt.Sprintf("sgr-%017d", i)
		byID[id], ids = r, append(ids, id)
	}
	return []stacktest.Option{
		stacktest.Invoke("aws:vpc/getSecurityGroupRules:getSecurityGroupRules", func(map[string]any) (map[string]any, error) {
			return map[string]any{"id": "us-east-1", "ids": ids}, nil
		}),
		stacktest.Invoke("aws:vpc/getSecurityGroupRule:getSecurityGroupRule", func(in map[string]any) (map[string]any, error) {
			r, ok := byID[in["securityGroupRuleId"].(string)]
			if !ok {
				return nil, fmt.Errorf("no rule %v", in["securityGroupRuleId"])
			}
			return r, nil
		}),
	}
}

func cidrRules(n int) []map[string]any {
	var out []map[string]any
	for i := range n {
		out = append(out, map[string]any{"isEgress": false, "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv4": fmt.Sprintf("198.51.100.%d/32", i)})
	}
	return out
}

// preview runs the component over an existing ALB under mocks and returns
// the run's error, as `pulumi preview` would report it.
func preview(args updateoffload.Args, opts ...stacktest.Option) error {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := updateoffload.New(ctx, "updates", args)
		return err
	}, append([]stacktest.Option{stacktest.Project("serverless-arch"), stacktest.Stack("test")}, opts...)...)
	return err
}

// At preview the existing ALB's security group must have room for the
// prefix-list rule, which counts as the list's 55 entries against the
// quota of 60 inbound IPv4 rules.
func TestExistingGroupNeedsRoomForThePrefixList(t *testing.T) {
	raised := existingArgs()
	raised.AlbSecurityGroupRuleQuota = 120
	own := append(cidrRules(5), map[string]any{"isEgress": false, "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "prefixListId": cloudFrontList})
	ipv6 := append(cidrRules(5), map[string]any{"isEgress": false, "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv6": "::/0"},
		map[string]any{"isEgress": true, "ipProtocol": "-1", "fromPort": -1.0, "toPort": -1.0, "cidrIpv4": "0.0.0.0/0"})
	for _, tc := range []struct {
		name string
		args updateoffload.Args
		opts []stacktest.Option
		want string // "" when the preview passes
	}{
		{"the mocks' internet-facing group", existingArgs(), nil, ""},
		{"five ranges", existingArgs(), existingGroup(cidrRules(5)...), ""},
		{"six ranges", existingArgs(), existingGroup(cidrRules(6)...),
			"security group sg-0123456789abcdef0 already has inbound IPv4 rules weighing 6; the rule admitting CloudFront's prefix list pl-3b927c52 weighs 55, over the quota of 60"},
		{"six ranges under a raised quota", raised, existingGroup(cidrRules(6)...), ""},
		{"its own rule from an earlier deployment", existingArgs(), existingGroup(own...), ""},
		{"IPv6 and egress rules count apart", existingArgs(), existingGroup(ipv6...), ""},
		{"no permission to read the rules", existingArgs(), []stacktest.Option{stacktest.Invoke("aws:vpc/getSecurityGroupRules:getSecurityGroupRules",
			func(map[string]any) (map[string]any, error) {
				return nil, errors.New("UnauthorizedOperation: not authorized to perform ec2:DescribeSecurityGroupRules")
			})}, "reading the rules of security group sg-0123456789abcdef0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := preview(tc.args, tc.opts...)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("preview failed: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("preview error %v, want one containing %q", err, tc.want)
			case err != nil:
				t.Log(err)
			}
		})
	}
}

// The demo origin owns its group, which holds only the prefix-list rule:
// nothing to read at preview.
func TestDemoGroupIsNotLookedUp(t *testing.T) {
	fail := stacktest.Invoke("aws:vpc/getSecurityGroupRules:getSecurityGroupRules", func(map[string]any) (map[string]any, error) {
		return nil, errors.New("the demo origin must not read security group rules")
	})
	if err := preview(demoArgs(), fail); err != nil {
		t.Fatal(err)
	}
}
