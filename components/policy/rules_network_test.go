package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func networkCases() []ruleCase {
	lb := func(in obj) []recording.Resource { return []recording.Resource{res(typeLoadBalancer, "web", in)} }
	sg := func(ingress ...obj) []recording.Resource {
		rules := arr{}
		for _, in := range ingress {
			rules = append(rules, in)
		}
		return []recording.Resource{res(typeSecurityGroup, "web", obj{"vpcId": "vpc-1", "ingress": rules})}
	}
	return []ruleCase{
		{name: "IMDSv2 required", rule: "EC2-IMDSV2", stack: []recording.Resource{res(typeLaunchTemplate, "app", obj{
			"metadataOptions": obj{"httpEndpoint": "enabled", "httpTokens": "required"}})}},
		{name: "metadata off", rule: "EC2-IMDSV2", stack: []recording.Resource{res(typeInstance, "bastion", obj{
			"metadataOptions": obj{"httpEndpoint": "disabled"}})}},
		{name: "IMDSv1 allowed", rule: "EC2-IMDSV2", stack: []recording.Resource{res(typeLaunchTemplate, "app", obj{
			"metadataOptions": obj{"httpTokens": "optional"}})}, want: "IMDSv1 is allowed"},
		{name: "no metadata options", rule: "EC2-IMDSV2", stack: []recording.Resource{res(typeInstance, "bastion", obj{})}, want: "IMDSv1 is allowed"},

		{name: "drops invalid headers", rule: "ELB-DROP-INVALID-HEADERS", stack: lb(obj{"dropInvalidHeaderFields": true})},
		{name: "network load balancer", rule: "ELB-DROP-INVALID-HEADERS", stack: lb(obj{"loadBalancerType": "network"})},
		{name: "keeps invalid headers", rule: "ELB-DROP-INVALID-HEADERS", stack: []recording.Resource{res(typeALBLoadBalancer, "web", obj{
			"loadBalancerType": "application"})}, want: "dropInvalidHeaderFields is off"},

		{name: "protected in production", rule: "ELB-DELETION-PROTECTION", prod: true, stack: lb(obj{"enableDeletionProtection": true})},
		{name: "not checked outside production", rule: "ELB-DELETION-PROTECTION", stack: lb(obj{})},
		{name: "unprotected in production", rule: "ELB-DELETION-PROTECTION", prod: true, stack: lb(obj{}), want: "enableDeletionProtection is off"},

		{name: "ingress from the VPC", rule: "EC2-OPEN-INGRESS", stack: sg(obj{"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrBlocks": arr{"10.0.0.0/16"}})},
		{name: "egress to anywhere is fine", rule: "EC2-OPEN-INGRESS", stack: []recording.Resource{res(typeSGRule, "out", obj{
			"type": "egress", "protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "cidrBlocks": arr{"0.0.0.0/0"}, "securityGroupId": "web"})}},
		{name: "inline ingress from anywhere", rule: "EC2-OPEN-INGRESS", stack: sg(obj{"protocol": "tcp", "fromPort": 22.0, "toPort": 22.0, "cidrBlocks": arr{"0.0.0.0/0"}}),
			want: "admits [0.0.0.0/0] on port 22"},
		{name: "rule open over IPv6 on all ports", rule: "EC2-OPEN-INGRESS", stack: []recording.Resource{res(typeSGRule, "in", obj{
			"type": "ingress", "protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "ipv6CidrBlocks": arr{"::/0"}, "securityGroupId": "web"})},
			want: "admits [::/0] on all ports"},
		{name: "VPC ingress rule", rule: "EC2-OPEN-INGRESS", stack: []recording.Resource{res(typeSGIngressRule, "https", obj{
			"securityGroupId": "web", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv4": "0.0.0.0/0"})},
			want: "admits [0.0.0.0/0] on port 443"},
	}
}

func TestNetworkRules(t *testing.T) { runRuleCases(t, networkCases()) }
