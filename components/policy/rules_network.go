package policy

import (
	"fmt"
	"slices"

	"github.com/gopherstack/serverless-arch/components/recording"
)

var loadBalancerTypes = []string{typeLoadBalancer, typeALBLoadBalancer}

var networkRules = []Rule{
	{
		ID:          "EC2-IMDSV2",
		Mirrors:     []string{"CKV_AWS_79"},
		Description: "Launch templates and instances require IMDSv2 (metadataOptions.httpTokens required) or turn the metadata endpoint off.",
		Types:       []string{typeLaunchTemplate, typeInstance},
		Check:       checkIMDSv2,
	},
	{
		ID:          "ELB-DROP-INVALID-HEADERS",
		Mirrors:     []string{"CKV_AWS_131"},
		Description: "Application load balancers set dropInvalidHeaderFields, closing a request-smuggling vector.",
		Types:       loadBalancerTypes,
		Check:       checkDropInvalidHeaders,
	},
	{
		ID:             "ELB-DELETION-PROTECTION",
		Mirrors:        []string{"CKV_AWS_150"},
		Description:    "In production, load balancers set enableDeletionProtection.",
		Types:          loadBalancerTypes,
		ProductionOnly: true,
		Check:          requireTrue("enableDeletionProtection", "enableDeletionProtection is off in production"),
	},
	{
		ID:          "EC2-OPEN-INGRESS",
		Mirrors:     []string{"AwsSolutions-EC23"},
		Description: "No security group admits 0.0.0.0/0 or ::/0 (inline ingress, SecurityGroupRule or SecurityGroupIngressRule). An internet-facing load balancer's listener port is the usual exception, declared with a suppression.",
		Types:       []string{typeSecurityGroup, typeSGRule, typeSGIngressRule},
		Check:       checkOpenIngress,
	},
}

func checkIMDSv2(_ *Stack, r recording.Resource) []string {
	if str(r.Inputs, "metadataOptions.httpTokens") == "required" || str(r.Inputs, "metadataOptions.httpEndpoint") == "disabled" {
		return nil
	}
	return []string{"IMDSv1 is allowed; set metadataOptions.httpTokens required"}
}

func isApplicationLB(lb recording.Resource) bool {
	t := str(lb.Inputs, "loadBalancerType")
	return t == "" || t == "application"
}

func checkDropInvalidHeaders(_ *Stack, lb recording.Resource) []string {
	if isApplicationLB(lb) && !isTrue(lb.Inputs, "dropInvalidHeaderFields") {
		return []string{"dropInvalidHeaderFields is off"}
	}
	return nil
}

var anywhere = []string{"0.0.0.0/0", "::/0"}

// openRanges returns the world-open CIDRs of one rule.
func openRanges(rule any, keys ...string) []string {
	var open []string
	for _, k := range keys {
		for _, cidr := range strs(rule, k) {
			if slices.Contains(anywhere, cidr) {
				open = append(open, cidr)
			}
		}
	}
	return open
}

func portRange(rule any) string {
	for _, k := range []string{"protocol", "ipProtocol"} {
		if p := str(rule, k); p == "-1" || p == "all" {
			return "all ports"
		}
	}
	from, okFrom := number(rule, "fromPort")
	to, okTo := number(rule, "toPort")
	switch {
	case !okFrom && !okTo, from == -1 || to == -1, from == 0 && to == 65535:
		return "all ports"
	case from == to:
		return fmt.Sprintf("port %v", from)
	default:
		return fmt.Sprintf("ports %v-%v", from, to)
	}
}

func checkOpenIngress(_ *Stack, r recording.Resource) []string {
	var problems []string
	report := func(open []string, ports string) {
		if len(open) > 0 {
			problems = append(problems, fmt.Sprintf("admits %v on %s", open, ports))
		}
	}
	switch r.Type {
	case typeSecurityGroup:
		for _, in := range list(r.Inputs, "ingress") {
			report(openRanges(in, "cidrBlocks", "ipv6CidrBlocks"), portRange(in))
		}
	case typeSGRule:
		if str(r.Inputs, "type") == "ingress" {
			report(openRanges(r.Inputs, "cidrBlocks", "ipv6CidrBlocks"), portRange(r.Inputs))
		}
	case typeSGIngressRule:
		report(openRanges(r.Inputs, "cidrIpv4", "cidrIpv6"), portRange(r.Inputs))
	}
	return problems
}
