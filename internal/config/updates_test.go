package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// updates returns a valid updates configuration with the demo origin, plus
// changes ("<unset>" removes a key).
func updates(changes map[string]string) map[string]string {
	set := map[string]string{
		"serverless-arch:deploy":               `["updates"]`,
		"serverless-arch:updatesDemoOrigin":    "true",
		"serverless-arch:updatesDemoVpcId":     "vpc-0123456789abcdef0",
		"serverless-arch:updatesDemoSubnetIds": `["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]`,
		"serverless-arch:updatesOriginSecret":  testSecret,
	}
	for k, v := range changes {
		set[k] = v
	}
	return set
}

// existing is the keys of an existing ALB in us-east-1.
var existing = map[string]string{
	"serverless-arch:updatesDemoOrigin":         "<unset>",
	"serverless-arch:updatesDemoVpcId":          "<unset>",
	"serverless-arch:updatesDemoSubnetIds":      "<unset>",
	"serverless-arch:updatesAlbDnsName":         "origin.example.com",
	"serverless-arch:updatesAlbArn":             "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188",
	"serverless-arch:updatesAlbSecurityGroupId": "sg-0123456789abcdef0",
	"serverless-arch:updatesAlbListenerArn":     "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2",
	"serverless-arch:updatesAlbTargetGroupArn":  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067",
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func parseUpdates(t *testing.T, set map[string]string) (*Config, error) {
	t.Helper()
	vals := valid()
	for k, v := range set {
		if v == "<unset>" {
			delete(vals, k)
			continue
		}
		vals[k] = v
	}
	return Parse("serverless-arch", "test", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
}

func TestUpdatesDefaultsAndOrigins(t *testing.T) {
	c, err := parseUpdates(t, updates(nil))
	if err != nil {
		t.Fatal(err)
	}
	u := c.Updates.CDN
	if u.Origin != updateoffload.OriginDemo || !slices.Equal(u.Paths, []string{"/updates/*"}) || u.CacheDays != 30 ||
		u.PriceClass != "PriceClass_100" || u.SecretHeaderName != "X-Origin-Verify" || u.OriginReadTimeout != 30 || u.OriginKeepaliveTimeout != 5 {
		t.Errorf("demo defaults %+v", u)
	}
	if u.DemoVpcID != pulumi.String("vpc-0123456789abcdef0") || u.AlbDNSName != nil {
		t.Errorf("demo origin VPC %v, existing ALB %v", u.DemoVpcID, u.AlbDNSName)
	}
	c, err = parseUpdates(t, updates(existing))
	if err != nil {
		t.Fatal(err)
	}
	u = c.Updates.CDN
	if u.Origin != updateoffload.OriginExisting || u.AlbDNSName != pulumi.String("origin.example.com") || u.RulePriority != 1 ||
		u.AlbSecurityGroupRuleQuota != 60 || u.DemoVpcID != nil {
		t.Errorf("existing ALB %+v", u)
	}
}

func TestUpdatesSecretIsNeverKeptOrEchoed(t *testing.T) {
	c, err := parseUpdates(t, updates(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sprint(c), testSecret) {
		t.Error("the parsed configuration holds the secret")
	}
	_, err = parseUpdates(t, updates(map[string]string{"serverless-arch:updatesOriginSecret": "short*secret?"}))
	if err == nil || strings.Contains(err.Error(), "short*secret?") || !strings.Contains(err.Error(), `updatesOriginSecret = "[secret]" is not allowed`) {
		t.Errorf("bad secret error %v: want it refused without echoing the value", err)
	}
}

func TestUpdatesRejectBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"neither origin", updates(map[string]string{"serverless-arch:updatesDemoOrigin": "<unset>"}),
			`config serverless-arch:updatesAlbDnsName is missing: want an origin for the update CDN: an existing ALB (updatesAlbDnsName, updatesAlbArn, updatesAlbSecurityGroupId, updatesAlbListenerArn, updatesAlbTargetGroupArn) or a demo origin (updatesDemoOrigin: true`},
		{"both origins", updates(merge(existing, map[string]string{"serverless-arch:updatesDemoOrigin": "true"})),
			`config serverless-arch:updatesDemoOrigin = "true" is not allowed: want false while an existing ALB is configured (updatesAlbDnsName = "origin.example.com"): choose one origin`},
		{"path without leading slash", updates(map[string]string{"serverless-arch:updatesPaths": `["/updates/*","downloads/*"]`}),
			`config serverless-arch:updatesPaths = "downloads/*" is not allowed: want path patterns that start with /`},
		{"missing secret", updates(map[string]string{"serverless-arch:updatesOriginSecret": "<unset>"}),
			`config serverless-arch:updatesOriginSecret is missing: want a secret of 32 to 128 printable ASCII characters other than space, * and ? (wildcards in ALB rules), set with: pulumi config set --secret updatesOriginSecret`},
		{"whole site cached", updates(map[string]string{"serverless-arch:updatesPaths": `["/*"]`}),
			`updatesPaths = "/*" is not allowed: want patterns narrower than the whole site`},
		{"partial existing ALB", updates(merge(existing, map[string]string{"serverless-arch:updatesAlbTargetGroupArn": "<unset>"})),
			`config serverless-arch:updatesAlbTargetGroupArn is missing: want a value: an existing ALB needs all of`},
		{"listener of another ALB", updates(merge(existing, map[string]string{"serverless-arch:updatesAlbListenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/other/1111111111111111/f2f7dc8efc522ab2"})),
			`want a listener of the load balancer updatesAlbArn`},
		{"ALB in another region", updates(merge(existing, map[string]string{"serverless-arch:updatesAlbArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188"})),
			`want a load balancer in the stack's region us-east-1`},
		{"one demo subnet", updates(map[string]string{"serverless-arch:updatesDemoSubnetIds": `["subnet-0123456789abcdef0"]`}),
			`updatesDemoSubnetIds = "[\"subnet-0123456789abcdef0\"]" is not allowed: want two or more distinct public subnet IDs`},
		{"demo VPC ID of 10 digits", updates(map[string]string{"serverless-arch:updatesDemoVpcId": "vpc-0123456789"}),
			`updatesDemoVpcId = "vpc-0123456789" is not allowed: want the VPC of the demo origin`},
		{"demo domain without zone", updates(map[string]string{"serverless-arch:updatesDemoDomainName": "origin.example.com"}),
			`config serverless-arch:updatesDemoHostedZone is missing`},
		{"reserved header", updates(map[string]string{"serverless-arch:updatesOriginSecretHeader": "X-Amz-Secret"}),
			`updatesOriginSecretHeader = "X-Amz-Secret" is not allowed`},
		{"rule quota below the default", updates(merge(existing, map[string]string{"serverless-arch:updatesAlbSecurityGroupRuleQuota": "55"})),
			`updatesAlbSecurityGroupRuleQuota = "55" is not allowed: want a whole number from 60 to 1000`},
		{"domain without certificate", updates(map[string]string{"serverless-arch:updatesDomainName": "updates.example.com"}),
			`config serverless-arch:updatesCertificateArn is missing: want the ARN of an ACM certificate in us-east-1 for the CDN's domain name updates.example.com`},
		{"demo name outside its zone", updates(map[string]string{"serverless-arch:updatesDemoDomainName": "origin.example.org", "serverless-arch:updatesDemoHostedZone": "example.com"}),
			`updatesDemoDomainName = "origin.example.org" is not allowed: want a name inside the demo origin's zone example.com`},
		{"bad version parameter", updates(map[string]string{"serverless-arch:updatesVersionQueryParam": "v&w"}),
			`updatesVersionQueryParam = "v&w" is not allowed: want "" (no query string in the cache key) or a query parameter name`},
		{"no paths", updates(map[string]string{"serverless-arch:updatesPaths": `[]`}),
			`updatesPaths = "[]" is not allowed: want at least one path pattern`},
		{"cache days over a year", updates(map[string]string{"serverless-arch:updatesCacheDays": "366"}),
			`updatesCacheDays = "366" is not allowed: want a whole number from 1 to 365`},
		{"certificate outside us-east-1", updates(map[string]string{"serverless-arch:updatesDomainName": "updates.example.com", "serverless-arch:updatesCertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}),
			`updatesCertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc" is not allowed: want an ACM certificate ARN in us-east-1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseUpdates(t, tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

func TestUpdatesKeysAreReadOnlyWhenDeployed(t *testing.T) {
	keys := KeysRead("serverless-arch", "test", func(k string) (string, bool) {
		v, ok := merge(valid(), map[string]string{"serverless-arch:deploy": `["todo"]`})[k]
		return v, ok
	})
	for _, k := range keys {
		if strings.HasPrefix(k, "serverless-arch:updates") {
			t.Errorf("%s read although updates is not deployed", k)
		}
	}
}

func sprint(c *Config) string { return fmt.Sprintf("%+v", *c) }

func TestUpdatesKeyRefusesAFieldWithoutKey(t *testing.T) {
	if got := updatesKey("AlbDNSName"); got != "updatesAlbDnsName" {
		t.Errorf("updatesKey(AlbDNSName) = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("updatesKey(NoSuchField) returned instead of panicking")
		}
	}()
	updatesKey("NoSuchField")
}

func TestComponentProblemsAreReportedNotDropped(t *testing.T) {
	r := &reader{project: "serverless-arch"}
	reportComponentProblems(r, []*updateoffload.ArgError{
		{Field: "CacheDays", Value: "0", Want: "a whole number from 1 to 365"},
		{Field: "Origin", Value: "cloud", Want: "checked by the configuration itself"},
		{Field: "OriginSecret", Want: "checked by the configuration itself"},
		{Field: "DemoInstanceType", Value: "t2.huge", Want: "an instance type"},
	})
	var got []string
	for _, e := range r.errs {
		got = append(got, e.Key+"="+e.Value)
	}
	want := []string{"serverless-arch:updatesCacheDays=0", "updateoffload.Args.DemoInstanceType=t2.huge"}
	if !slices.Equal(got, want) {
		t.Errorf("reported %v, want %v", got, want)
	}
}
