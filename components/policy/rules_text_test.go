package policy

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func textCases() []ruleCase {
	one := func(typ string, in obj) []recording.Resource { return []recording.Resource{res(typ, "subject", in)} }
	fromPrefixList := func(desc string) []recording.Resource {
		return one(typeSGIngressRule, obj{"securityGroupId": "sg-1", "prefixListId": "pl-3b927c52", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "description": desc})
	}
	return []ruleCase{
		{name: "plain description", rule: "AWS-SG-RULE-DESCRIPTION", stack: fromPrefixList("HTTPS from CloudFront origin-facing servers only")},
		{name: "apostrophe (the shipped rule)", rule: "AWS-SG-RULE-DESCRIPTION", stack: fromPrefixList("HTTPS from CloudFront's origin-facing servers only"),
			want: `has "'"`},
		{name: "ampersand on a prefix-list rule", rule: "AWS-SG-RULE-DESCRIPTION", stack: fromPrefixList("CloudFront & friends"),
			want: `has "&"`},
		{name: "ampersand on a CIDR rule", rule: "AWS-SG-RULE-DESCRIPTION", stack: one(typeSGEgressRule, obj{
			"securityGroupId": "sg-1", "cidrIpv4": "10.0.0.0/8", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "description": "APIs & services"})},
		{name: "inline rule with quotes", rule: "AWS-SG-RULE-DESCRIPTION", stack: one(typeSecurityGroup, obj{"ingress": arr{obj{
			"protocol": "tcp", "fromPort": 80.0, "toPort": 80.0, "cidrBlocks": arr{"10.0.0.0/8"}, "description": `the "internal" network`}}}),
			want: `ingress[0].description "the \"internal\" network" has "\""`},
		{name: "rule description over 255", rule: "AWS-SG-RULE-DESCRIPTION", stack: one(typeSGRule, obj{
			"type": "ingress", "protocol": "tcp", "fromPort": 80.0, "toPort": 80.0, "cidrBlocks": arr{"10.0.0.0/8"}, "description": strings.Repeat("d", 256)}),
			want: "is 256 characters; at most 255"},

		{name: "Lambda description of 256", rule: "AWS-DESCRIPTION", stack: one(typeFunction, obj{"description": strings.Repeat("d", 256)})},
		{name: "Lambda description over 256", rule: "AWS-DESCRIPTION", stack: one(typeFunction, obj{"description": strings.Repeat("d", 257)}),
			want: "description is 257 characters; at most 256"},
		{name: "distribution comment over 128", rule: "AWS-DESCRIPTION", stack: one(typeDistribution, obj{"comment": strings.Repeat("c", 129)}),
			want: "comment is 129 characters; at most 128"},
		{name: "security group description with an accent", rule: "AWS-DESCRIPTION", stack: one(typeSecurityGroup, obj{"description": "Clients du café"}),
			want: `has "é"`},
		{name: "IAM description with an ASCII apostrophe", rule: "AWS-DESCRIPTION", stack: one(typeRole, obj{"description": "the function's role"})},
		{name: "IAM description with a typographic apostrophe", rule: "AWS-DESCRIPTION", stack: one(typeRole, obj{"description": "the function’s role"}),
			want: `has "’"`},
	}
}

func TestTextRules(t *testing.T) { runRuleCases(t, textCases()) }
