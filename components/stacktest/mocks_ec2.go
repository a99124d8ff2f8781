package stacktest

import (
	"fmt"
	"slices"
)

// existingGroupRules are the rules the mocks give a security group that
// exists before the program runs (one it names by ID, not one it creates):
// those of an internet-facing load balancer's group, HTTPS in from anywhere
// over IPv4 and IPv6 and everything out. A test that needs another state
// answers the invokes itself (see Invoke).
var existingGroupRules = []map[string]any{
	{"isEgress": false, "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv4": "0.0.0.0/0", "description": "HTTPS from anywhere"},
	{"isEgress": false, "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrIpv6": "::/0", "description": "HTTPS from anywhere (IPv6)"},
	{"isEgress": true, "ipProtocol": "-1", "fromPort": -1.0, "toPort": -1.0, "cidrIpv4": "0.0.0.0/0"},
}

// securityGroupRules answers aws:vpc/getSecurityGroupRules for a group-id
// filter: the IDs of the group's rules (existingGroupRules, whose details
// getSecurityGroupRule then describes).
func (m *Mocks) securityGroupRules(in map[string]any, region string) (map[string]any, error) {
	var groups []string
	filters, _ := in["filters"].([]any)
	for _, f := range filters {
		fm, _ := f.(map[string]any)
		if fm["name"] != "group-id" {
			return nil, fmt.Errorf("stacktest: getSecurityGroupRules answers a group-id filter only, not %v", fm["name"])
		}
		for _, v := range fm["values"].([]any) {
			groups = append(groups, fmt.Sprint(v))
		}
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("stacktest: getSecurityGroupRules without a group-id filter would list every rule of the account")
	}
	ids := []any{}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range groups {
		for i, r := range existingGroupRules {
			id := "sgr-" + sha256Hex([]byte(fmt.Sprintf("%s/%d", g, i)))[:17]
			rule := map[string]any{
				"id": id, "securityGroupRuleId": id, "securityGroupId": g,
				"arn": "arn:aws:ec2:" + region + ":" + Account + ":security-group-rule/" + id,
			}
			for k, v := range r {
				rule[k] = v
			}
			m.sgRules[id] = rule
			ids = append(ids, id)
		}
	}
	return map[string]any{"id": region, "ids": ids, "filters": filters}, nil
}

// securityGroupRule answers aws:vpc/getSecurityGroupRule for a rule ID that
// getSecurityGroupRules listed; any other is not found, as in AWS.
func (m *Mocks) securityGroupRule(in map[string]any) (map[string]any, error) {
	id, _ := in["securityGroupRuleId"].(string)
	m.mu.Lock()
	defer m.mu.Unlock()
	rule, ok := m.sgRules[id]
	if !ok {
		known := make([]string, 0, len(m.sgRules))
		for k := range m.sgRules {
			known = append(known, k)
		}
		slices.Sort(known)
		return nil, fmt.Errorf("stacktest: no security group rule %q (listed so far: %v)", id, known)
	}
	return rule, nil
}
