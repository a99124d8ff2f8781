package policy

import (
	"fmt"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const (
	vpcQuotas      = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"
	prefixWeights  = "https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html"
	elbRuleCreate  = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html"
	sgRulesDefault = 60
)

// prefixListWeights are the weights of AWS-managed prefix lists that count
// as more than one rule ("AWS-managed prefix list weight" in
// working-with-aws-managed-prefix-lists.html): the CloudFront origin-facing
// list, com.amazonaws.global.cloudfront.origin-facing, counts as 55 rules.
// Its ID differs per region; listed are the IDs known here (us-east-1).
// Any other prefix list counts as 1, a lower bound: a customer-managed
// list counts as its maximum entries, which a recording does not show.
var prefixListWeights = map[string]int{
	"pl-3b927c52": 55,
}

var networkConstraintRules = []Rule{
	{
		ID:          "AWS-SG-RULE-QUOTA",
		Description: "Each security group stays within the default quota of 60 inbound and 60 outbound rules per address family, a referenced prefix list counting as its weight (the CloudFront origin-facing list as 55).",
		Types:       []string{typeSecurityGroup, typeSGRule, typeSGIngressRule, typeSGEgressRule},
		// amazon-vpc-limits.html, "Inbound or outbound rules per security
		// group: 60 ... enforced separately for IPv4 rules and IPv6
		// rules"; "When you reference a prefix list in a security group
		// rule, the maximum number of entries for the prefix lists counts
		// against the quota".
		Source:     vpcQuotas,
		NoSuppress: true,
		Check:      checkSGRuleQuota,
	},
	{
		ID:          "AWS-LISTENER-RULE-PRIORITY",
		Description: "Listener rules of one listener have distinct priorities; ELB refuses a priority in use (PriorityInUse).",
		Types:       []string{typeListenerRule},
		Source:      elbRuleCreate,
		NoSuppress:  true,
		Check:       checkListenerPriorities,
	},
}

// ruleCount is the weight of a group's rules, per direction and family.
type ruleCount map[string]int // "ingress/IPv4", "egress/IPv6", ...

// add counts one rule: address ranges in their family, references (groups,
// prefix lists) as one rule in both, and a weighted prefix list's further
// weight in IPv4, the family of the weighted lists known here.
func (c ruleCount) add(dir string, v4, v6, refs, extraV4 int) {
	c[dir+"/IPv4"] += v4 + refs + extraV4
	c[dir+"/IPv6"] += v6 + refs
}

// prefixLists returns how many prefix lists ids names and the weight they
// add beyond one rule each.
func prefixLists(ids []string) (n, extra int) {
	for _, id := range ids {
		extra += max(prefixListWeights[id], 1) - 1
	}
	return len(ids), extra
}

// countInline counts a rule block of a SecurityGroup or a SecurityGroupRule.
func countInline(c ruleCount, dir string, rule any) {
	lists, extra := prefixLists(strs(rule, "prefixListIds"))
	refs := lists + len(strs(rule, "securityGroups")) + len(strs(rule, "sourceSecurityGroupId"))
	if isTrue(rule, "self") {
		refs++
	}
	c.add(dir, len(strs(rule, "cidrBlocks")), len(strs(rule, "ipv6CidrBlocks")), refs, extra)
}

// groupRules counts the rules the stack gives the security group that
// target is (an in-stack group) or names (an existing group's ID).
func groupRules(s *Stack, target func(value any) bool, group *recording.Resource) ruleCount {
	c := ruleCount{}
	if group != nil {
		for _, dir := range []string{"ingress", "egress"} {
			for _, rule := range list(group.Inputs, dir) {
				countInline(c, dir, rule)
			}
		}
	}
	for _, r := range s.OfType(typeSGRule, typeSGIngressRule, typeSGEgressRule) {
		if !target(at(r.Inputs, "securityGroupId")) {
			continue
		}
		switch r.Type {
		case typeSGRule:
			countInline(c, str(r.Inputs, "type"), r.Inputs)
		default:
			dir := "ingress"
			if r.Type == typeSGEgressRule {
				dir = "egress"
			}
			lists, extra := prefixLists(strs(r.Inputs, "prefixListId"))
			refs := lists + len(strs(r.Inputs, "referencedSecurityGroupId"))
			c.add(dir, len(strs(r.Inputs, "cidrIpv4")), len(strs(r.Inputs, "cidrIpv6")), refs, extra)
		}
	}
	return c
}

func checkSGRuleQuota(s *Stack, r recording.Resource) []string {
	var c ruleCount
	switch r.Type {
	case typeSecurityGroup:
		c = groupRules(s, func(v any) bool { return s.RefersTo(v, r) }, &r)
	default:
		// A rule on a group outside the stack (an existing group) reports
		// for the group, once: on the group's rule with the lowest URN.
		id := str(r.Inputs, "securityGroupId")
		if id == "" || len(s.Referenced(id, typeSecurityGroup)) > 0 {
			return nil
		}
		for _, other := range s.OfType(typeSGRule, typeSGIngressRule, typeSGEgressRule) {
			if str(other.Inputs, "securityGroupId") == id && other.URN < r.URN {
				return nil
			}
		}
		c = groupRules(s, func(v any) bool { return text(v) == id }, nil)
	}
	var problems []string
	for _, k := range []string{"ingress/IPv4", "ingress/IPv6", "egress/IPv4", "egress/IPv6"} {
		if c[k] > sgRulesDefault {
			problems = append(problems, fmt.Sprintf("the group's %s rules weigh %d (a prefix list counts as its entries: %s); the default quota is %d (%s)", k, c[k], prefixWeights, sgRulesDefault, vpcQuotas))
		}
	}
	return problems
}

func checkListenerPriorities(s *Stack, r recording.Resource) []string {
	p, ok := number(r.Inputs, "priority")
	if !ok {
		return nil
	}
	for _, other := range s.OfType(typeListenerRule) {
		if other.URN == r.URN || str(other.Inputs, "listenerArn") != str(r.Inputs, "listenerArn") {
			continue
		}
		if q, ok := number(other.Inputs, "priority"); ok && q == p {
			return []string{fmt.Sprintf("priority %s is also taken by listener rule %s on the same listener (%s)", num(p), other.Name, elbRuleCreate)}
		}
	}
	return nil
}
