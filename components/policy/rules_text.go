package policy

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// EC2 takes a security group rule's description with one of two character
// sets, depending on what the rule admits:
//
//   - an IPv4 or IPv6 range (API_IpRange, API_Ipv6Range): "Up to 255
//     characters in length. Allowed characters are a-z, A-Z, 0-9, spaces,
//     and ._-:/()#,@[]+=&;{}!$*";
//   - a prefix list or another security group (API_PrefixListId,
//     API_UserIdGroupPair): the same without "&".
//
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html
var (
	// ec2Description is ec2TextChars in the words of EC2's descriptions.
	ec2Description     = &charset{char: ec2TextChars.char, text: "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*"}
	sgRangeDescription = textSpec{max: 255, chars: ec2Description,
		source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html"}
	sgRefDescription = textSpec{max: 255, chars: newCharset(`[a-zA-Z0-9 ._\-:/()#,@\[\]+=;{}!$*]`, "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$*"),
		source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrefixListId.html"}
)

// textSpec is what a service accepts in one free-text input.
type textSpec struct {
	path   string
	max    int
	chars  *charset // nil allows any
	source string
}

// problems reports what the service refuses in s.
func (t textSpec) problems(field, s string) []string {
	var out []string
	if n := utf8.RuneCountInString(s); t.max > 0 && n > t.max {
		out = append(out, fmt.Sprintf("%s is %d characters; at most %d are allowed (%s)", field, n, t.max, t.source))
	}
	if t.chars != nil {
		if bad := outside(s, t.chars.char); bad != "" {
			out = append(out, fmt.Sprintf("%s %q has %q; allowed are %s (%s)", field, s, bad, t.chars.text, t.source))
		}
	}
	return out
}

// iamText is IAM's description character set, [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*.
var iamText = newCharset("[\t\n\r\u0020-\u007E\u00A1-\u00FF]", "tab, newline and the printable characters of Latin-1")

// textSpecs holds, per resource type, the limits of its descriptions and
// comments, each citing the API reference parameter it copies.
var textSpecs = map[string][]textSpec{
	// API_CreateSecurityGroup GroupDescription: "Up to 255 characters in
	// length. Valid characters: a-z, A-Z, 0-9, spaces, and
	// ._-:/()#,@[]+=&;{}!$*".
	typeSecurityGroup: {{path: "description", max: 255, chars: ec2Description,
		source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"}},
	// API_CreateLaunchTemplate VersionDescription: maximum length 255.
	typeLaunchTemplate: {{path: "description", max: 255, source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"}},
	// API_CreateFunction Description: length 0-256.
	typeFunction: {{path: "description", max: 256, source: lambdaCreateFunction}},
	// API_CreateRole / API_CreatePolicy Description: length 0-1000, pattern
	// [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*.
	typeRole: {{path: "description", max: 1000, chars: iamText,
		source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"}},
	typePolicy: {{path: "description", max: 1000, chars: iamText,
		source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"}},
	// API_DistributionConfig Comment: "The comment cannot be longer than 128
	// characters."
	typeDistribution: {{path: "comment", max: 128, source: cfDistributionConfig}},
	// API_CachePolicyConfig and API_ResponseHeadersPolicyConfig Comment:
	// "The comment cannot be longer than 128 characters."
	typeCachePolicy:           {{path: "comment", max: 128, source: cfCachePolicyConfig}},
	typeResponseHeadersPolicy: {{path: "comment", max: 128, source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicyConfig.html"}},
	// API_FunctionConfig Comment: maximum length 128.
	typeCFFunction: {{path: "comment", max: 128, source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionConfig.html"}},
	// API_CreateKey and API_ReplicateKey Description: length 0-8192.
	typeKMSKey:     {{path: "description", max: 8192, source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html"}},
	typeKMSReplica: {{path: "description", max: 8192, source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html"}},
	// API_FixedResponseActionConfig MessageBody: maximum length 1024.
	typeListener:     {{path: "defaultActions.fixedResponse.messageBody", max: 1024, source: elbFixedResponse}},
	typeListenerRule: {{path: "actions.fixedResponse.messageBody", max: 1024, source: elbFixedResponse}},
}

var textRules = []Rule{
	{
		ID:          "AWS-SG-RULE-DESCRIPTION",
		Description: "Security group rule descriptions (inline, SecurityGroupRule, VPC ingress and egress rules) stay within 255 characters of EC2's description character set; no apostrophes, quotes or accents.",
		Types:       []string{typeSecurityGroup, typeSGRule, typeSGIngressRule, typeSGEgressRule},
		Source:      sgRangeDescription.source,
		NoSuppress:  true,
		Check:       checkSGRuleDescriptions,
	},
	{
		ID:          "AWS-DESCRIPTION",
		Description: "Descriptions and comments stay within each service's length and character set (security groups, launch templates, Lambda, IAM, CloudFront, KMS, fixed responses).",
		Types:       slices.Sorted(maps.Keys(textSpecs)),
		Source:      lambdaCreateFunction + " (one page per input, cited in textSpecs)",
		NoSuppress:  true,
		Check:       checkTexts,
	},
}

func checkTexts(_ *Stack, r recording.Resource) []string {
	var problems []string
	for _, spec := range textSpecs[r.Type] {
		for _, v := range values(r.Inputs, spec.path) {
			if s, ok := v.(string); ok {
				problems = append(problems, spec.problems(spec.path, s)...)
			}
		}
	}
	return problems
}

func checkSGRuleDescriptions(_ *Stack, r recording.Resource) []string {
	switch r.Type {
	case typeSGIngressRule, typeSGEgressRule:
		return ruleDescription(r.Inputs, "description", "cidrIpv4", "cidrIpv6")
	case typeSGRule:
		return ruleDescription(r.Inputs, "description", "cidrBlocks", "ipv6CidrBlocks")
	}
	var problems []string
	for _, dir := range []string{"ingress", "egress"} {
		for i, rule := range list(r.Inputs, dir) {
			problems = append(problems, ruleDescription(rule, fmt.Sprintf("%s[%d].description", dir, i), "cidrBlocks", "ipv6CidrBlocks")...)
		}
	}
	return problems
}

// sgRefKeys are the inputs by which a rule admits a prefix list or a
// security group rather than an address range.
var sgRefKeys = []string{"prefixListId", "prefixListIds", "referencedSecurityGroupId", "sourceSecurityGroupId", "securityGroups"}

// ruleDescription checks one rule's description against the character set
// of what it admits: address ranges only take "&"; a rule that also (or
// only) admits a prefix list or group takes the stricter set.
func ruleDescription(rule any, field string, cidrKeys ...string) []string {
	desc := str(rule, "description")
	if desc == "" {
		return nil
	}
	cidr, ref := false, isTrue(rule, "self")
	for _, k := range cidrKeys {
		cidr = cidr || len(strs(rule, k)) > 0
	}
	for _, k := range sgRefKeys {
		ref = ref || len(strs(rule, k)) > 0
	}
	spec := sgRefDescription
	if cidr && !ref {
		spec = sgRangeDescription
	}
	return spec.problems(field, desc)
}
