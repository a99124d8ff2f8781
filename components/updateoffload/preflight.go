package updateoffload

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultSecurityGroupRuleQuota is the default quota of inbound (and of
// outbound) rules per security group, counted per address family
// (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html,
// "Inbound or outbound rules per security group").
const DefaultSecurityGroupRuleQuota = 60

// prefixList is the managed prefix list the ALB admits and its weight: a
// rule referencing it counts as its maximum entries against the quota
// (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html,
// "AWS-managed prefix list weight": 55 for CloudFront's origin-facing list).
type prefixList struct {
	id     string
	weight int
}

// withRoomForPrefixList returns the existing ALB security group's ID once it
// has checked, at preview time, that the group's inbound IPv4 rules leave
// room for the rule admitting the prefix list. The check reads the group's
// rules with read-only data sources (getSecurityGroupRules,
// getSecurityGroupRule, getManagedPrefixList for other lists); the ingress
// rule takes the returned ID, so a full group stops the preview with the
// count instead of failing `pulumi up` with RulesPerSecurityGroupLimitExceeded.
// A rule already referencing the list (this component's own, from an
// earlier deployment) is not counted twice.
func withRoomForPrefixList(ctx *pulumi.Context, name string, args *Args, pl prefixList, invoke pulumi.InvokeOption) pulumi.StringOutput {
	return args.AlbSecurityGroupID.ToStringOutput().ApplyT(func(group string) (string, error) {
		used, err := inboundIPv4Weight(ctx, group, pl.id, invoke)
		if err != nil {
			return "", fmt.Errorf("update offload CDN %s: reading the rules of security group %s: %w", name, group, err)
		}
		if used+pl.weight > args.AlbSecurityGroupRuleQuota {
			return "", fmt.Errorf("update offload CDN %s: security group %s already has inbound IPv4 rules weighing %d; the rule admitting CloudFront's prefix list %s weighs %d, over the quota of %d rules per group: "+
				"remove rules the lock-down makes unneeded (those admitting the internet), or raise the quota (Service Quotas L-0EA8095F) and set AlbSecurityGroupRuleQuota",
				name, group, used, pl.id, pl.weight, args.AlbSecurityGroupRuleQuota)
		}
		return group, nil
	}).(pulumi.StringOutput)
}

// inboundIPv4Weight sums what the group's inbound rules count against the
// IPv4 quota: one per IPv4 range or referenced group, a prefix list's
// weight per referenced list, skipping the list being added.
func inboundIPv4Weight(ctx *pulumi.Context, group, adding string, invoke pulumi.InvokeOption) (int, error) {
	rules, err := vpc.GetSecurityGroupRules(ctx, &vpc.GetSecurityGroupRulesArgs{
		Filters: []vpc.GetSecurityGroupRulesFilter{{Name: "group-id", Values: []string{group}}},
	}, invoke)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range rules.Ids {
		r, err := vpc.GetSecurityGroupRule(ctx, &vpc.GetSecurityGroupRuleArgs{SecurityGroupRuleId: pulumi.StringRef(id)}, invoke)
		if err != nil {
			return 0, fmt.Errorf("rule %s: %w", id, err)
		}
		switch {
		case r.IsEgress, r.CidrIpv6 != "", r.PrefixListId == adding:
		case r.PrefixListId != "":
			w, err := listWeight(ctx, r.PrefixListId, invoke)
			if err != nil {
				return 0, fmt.Errorf("rule %s: %w", id, err)
			}
			total += w
		default:
			total++
		}
	}
	return total, nil
}

// listWeight is a referenced prefix list's weight: its maximum entries, or
// 1 for the AWS-managed S3 and DynamoDB lists.
func listWeight(ctx *pulumi.Context, id string, invoke pulumi.InvokeOption) (int, error) {
	pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Id: pulumi.StringRef(id)}, invoke)
	if err != nil {
		return 0, fmt.Errorf("looking up prefix list %s: %w", id, err)
	}
	if pl.OwnerId == "AWS" && (strings.HasSuffix(pl.Name, ".s3") || strings.HasSuffix(pl.Name, ".dynamodb")) {
		return 1, nil
	}
	return max(pl.MaxEntries, 1), nil
}
