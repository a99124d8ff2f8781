package policy

import (
	"fmt"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// albGroup is a security group admitting CloudFront's origin-facing prefix
// list plus cidrs more IPv4 ranges, as separate ingress rules.
func albGroup(cidrs int) []recording.Resource {
	sg := res(typeSecurityGroup, "alb-sg", obj{"vpcId": "vpc-1"})
	sg.ID = "sg-0alb"
	stack := []recording.Resource{sg, res(typeSGIngressRule, "from-cloudfront", obj{
		"securityGroupId": "sg-0alb", "prefixListId": "pl-3b927c52", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0})}
	for i := range cidrs {
		stack = append(stack, res(typeSGIngressRule, fmt.Sprintf("office-%d", i), obj{
			"securityGroupId": "sg-0alb", "cidrIpv4": fmt.Sprintf("203.0.113.%d/32", i), "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0}))
	}
	return stack
}

func networkConstraintCases() []ruleCase {
	existing := func(cidrs int) []recording.Resource {
		stack := albGroup(cidrs)[1:]
		for i := range stack {
			stack[i].Inputs["securityGroupId"] = "sg-0123456789abcdef0"
		}
		return stack
	}
	rule := func(name, listener string, priority float64) recording.Resource {
		return res(typeListenerRule, name, obj{"listenerArn": listener, "priority": priority})
	}
	return []ruleCase{
		{name: "prefix list and five ranges", rule: "AWS-SG-RULE-QUOTA", stack: albGroup(5)},
		{name: "prefix list and six ranges", rule: "AWS-SG-RULE-QUOTA", stack: albGroup(6),
			want: "the group's ingress/IPv4 rules weigh 61"},
		{name: "existing group, reported on its first rule", rule: "AWS-SG-RULE-QUOTA", stack: existing(6),
			want: "ingress/IPv4 rules weigh 61"},
		{name: "existing group, other rules quiet", rule: "AWS-SG-RULE-QUOTA", stack: first(existing(6), "office-0")},
		{name: "IPv6 ranges count apart", rule: "AWS-SG-RULE-QUOTA", stack: with(albGroup(0), "alb-sg", func(in obj) {
			rules := arr{}
			for i := range 59 {
				rules = append(rules, obj{"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "ipv6CidrBlocks": arr{fmt.Sprintf("2001:db8::%x/128", i)}})
			}
			in["ingress"] = rules
		})},

		{name: "forward then deny", rule: "AWS-LISTENER-RULE-PRIORITY", stack: []recording.Resource{rule("forward", "l1", 1), rule("deny", "l1", 2), rule("other", "l2", 1)}},
		{name: "priority taken twice", rule: "AWS-LISTENER-RULE-PRIORITY", stack: []recording.Resource{rule("forward", "l1", 1), rule("deny", "l1", 1)},
			want: "priority 1 is also taken by listener rule deny"},
	}
}

func TestNetworkConstraintRules(t *testing.T) { runRuleCases(t, networkConstraintCases()) }
