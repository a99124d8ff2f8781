package config

import (
	"slices"
	"strings"
	"testing"
)

// parseTodo parses a configuration that deploys only MyTodoList, with the
// given project keys (short names) set.
func parseTodo(set map[string]string) (*Config, error) {
	vals := map[string]string{"aws:region": "us-east-1", "serverless-arch:deploy": `["todo"]`}
	for k, v := range set {
		vals["serverless-arch:"+k] = v
	}
	return Parse("serverless-arch", "test", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
}

func TestTodoKeysRejectBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"cache size API Gateway does not offer", map[string]string{"todoApiCacheSizeGb": "1"},
			`config serverless-arch:todoApiCacheSizeGb = "1" is not allowed: want "" (no cache) or a size API Gateway offers: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237`},
		{"cache TTL over an hour", map[string]string{"todoApiCacheTtlSeconds": "3601"},
			`config serverless-arch:todoApiCacheTtlSeconds = "3601" is not allowed: want a whole number from 0 to 3600`},
		{"negative rate", map[string]string{"todoThrottleRateLimit": "-5"},
			`config serverless-arch:todoThrottleRateLimit = "-5" is not allowed: want a whole number from 1 to 10000`},
		{"burst over the account limit", map[string]string{"todoThrottleBurstLimit": "9000"},
			`config serverless-arch:todoThrottleBurstLimit = "9000" is not allowed: want a whole number from 1 to 5000`},
		{"plain-http origin", map[string]string{"todoCorsOrigins": `["http://app.example.com"]`},
			`config serverless-arch:todoCorsOrigins = "http://app.example.com" is not allowed: want a list of https origins`},
		{"wildcard origin", map[string]string{"todoCorsOrigins": `["*"]`},
			`config serverless-arch:todoCorsOrigins = "*" is not allowed`},
		{"origin with a path", map[string]string{"todoCorsOrigins": `["https://app.example.com/"]`},
			`config serverless-arch:todoCorsOrigins = "https://app.example.com/" is not allowed`},
		{"SMS MFA", map[string]string{"todoMfa": "SMS"},
			`config serverless-arch:todoMfa = "SMS" is not allowed: want one of "OFF", "OPTIONAL", "ON"`},
		{"threat protection mode", map[string]string{"todoThreatProtection": "BLOCK"},
			`config serverless-arch:todoThreatProtection = "BLOCK" is not allowed: want one of "OFF", "AUDIT", "ENFORCED"`},
		{"DAX without VPC", map[string]string{"todoDax": "true", "todoDaxSubnetIds": `["subnet-0123456789abcdef0"]`},
			`config serverless-arch:todoDaxVpcId is missing: want the ID of the VPC of the DAX subnets (vpc-...), as todoDax is true`},
		{"DAX without subnets", map[string]string{"todoDax": "true", "todoDaxVpcId": "vpc-0123456789abcdef0"},
			`config serverless-arch:todoDaxSubnetIds is missing: want a list of private subnet IDs`},
		{"malformed VPC", map[string]string{"todoDaxVpcId": "vpc-123"},
			`config serverless-arch:todoDaxVpcId = "vpc-123" is not allowed: want a VPC ID such as vpc-0123456789abcdef0`},
		{"malformed subnet", map[string]string{"todoDaxSubnetIds": `["sn-1"]`},
			`config serverless-arch:todoDaxSubnetIds = "sn-1" is not allowed: want a list of subnet IDs`},
		{"node type", map[string]string{"todoDaxNodeType": "t3.small"},
			`config serverless-arch:todoDaxNodeType = "t3.small" is not allowed: want a DAX node type`},
		{"too many nodes", map[string]string{"todoDaxNodes": "12"},
			`config serverless-arch:todoDaxNodes = "12" is not allowed: want a whole number from 1 to 11`},
		{"domain", map[string]string{"todoDomainName": "API.example"},
			`config serverless-arch:todoDomainName = "API.example" is not allowed: want a lower-case DNS name`},
		{"zone not holding the domain", map[string]string{"todoDomainName": "api.example.com", "todoHostedZone": "example.org"},
			`config serverless-arch:todoHostedZone = "example.org" is not allowed: want a Route 53 zone that api.example.com is in, such as example.com`},
		{"zone without domain", map[string]string{"todoHostedZone": "example.com"},
			`config serverless-arch:todoHostedZone = "example.com" is not allowed: want unset, as todoDomainName is unset`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTodo(tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

func TestTodoDefaultsAndValues(t *testing.T) {
	c, err := parseTodo(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Todo
	if d.APICacheSizeGB != "" || d.APICacheTTLSeconds != 300 || d.ThrottleRateLimit != 100 || d.ThrottleBurstLimit != 200 ||
		d.MFA != "OPTIONAL" || d.ThreatProtection != "OFF" || d.DAX || d.DAXNodeType != "dax.t3.small" || d.DAXNodes != 3 || d.DomainName != "" {
		t.Errorf("defaults %+v", d)
	}

	c, err = parseTodo(map[string]string{
		"todoApiCacheSizeGb": "6.1", "todoCorsOrigins": `["https://a.example.com","https://b.example.com:8443"]`,
		"todoDax": "true", "todoDaxVpcId": "vpc-0123456789abcdef0", "todoDaxSubnetIds": `["subnet-01234567"]`,
		"todoDomainName": "api.todo.example.com", "todoHostedZone": "example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Todo
	if v.APICacheSizeGB != "6.1" || !slices.Equal(v.CORSOrigins, []string{"https://a.example.com", "https://b.example.com:8443"}) ||
		!v.DAX || !slices.Equal(v.DAXSubnetIDs, []string{"subnet-01234567"}) || v.HostedZone != "example.com" {
		t.Errorf("values %+v", v)
	}
}

func TestTodoKeysAreReadOnlyWhenTodoIsDeployed(t *testing.T) {
	keys := KeysRead("serverless-arch", "test", func(k string) (string, bool) {
		if k == "serverless-arch:deploy" {
			return `["todo"]`, true
		}
		return "", false
	})
	for _, k := range []string{"todoApiCacheSizeGb", "todoDax", "todoDaxSubnetIds", "todoDomainName", "todoHostedZone"} {
		if !slices.Contains(keys, "serverless-arch:"+k) {
			t.Errorf("%s is not read", k)
		}
	}
	_, err := Parse("serverless-arch", "test", func(k string) (string, bool) {
		switch k {
		case "aws:region":
			return "us-east-1", true
		case "serverless-arch:deploy":
			return `[]`, true
		case "serverless-arch:todoMfa":
			return "SMS", true
		}
		return "", false
	})
	if err != nil {
		t.Errorf("a stack without MyTodoList rejects its keys: %v", err)
	}
}
