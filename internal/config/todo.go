package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/userauth"
)

// TodoConfig configures the todo architecture (MyTodoList). Every key is
// prefixed "todo" so the architectures' keys never collide.
type TodoConfig struct {
	// APICacheSizeGB is the stage cache size, "" for no cache.
	APICacheSizeGB string
	// APICacheTTLSeconds is how long the stage caches reads, and how long
	// the function lets clients cache them when there is a cache.
	APICacheTTLSeconds int
	// ThrottleRateLimit (requests per second) and ThrottleBurstLimit apply
	// to every method of the API.
	ThrottleRateLimit, ThrottleBurstLimit int
	// CORSOrigins are the https origins of web clients.
	CORSOrigins []string
	// MFA is OFF, OPTIONAL or ON; ThreatProtection OFF, AUDIT or ENFORCED.
	MFA, ThreatProtection string
	// DAX turns on the DAX cluster in DAXSubnetIDs of DAXVpcID.
	DAX          bool
	DAXVpcID     string
	DAXSubnetIDs []string
	DAXNodeType  string
	DAXNodes     int
	// DomainName, if set, serves the API there; HostedZone is its Route 53
	// zone (default: DomainName without its first label).
	DomainName, HostedZone string
}

var (
	daxNodePattern = regexp.MustCompile(`^dax\.[a-z0-9]+\.[a-z0-9]+$`)
)

func (t *TodoConfig) load(r *reader, c *Config) {
	t.APICacheSizeGB = r.String("todoApiCacheSizeGb", "")
	if t.APICacheSizeGB != "" && !slices.Contains(serverlessapi.CacheSizesGB, t.APICacheSizeGB) {
		r.fail("todoApiCacheSizeGb", t.APICacheSizeGB, `"" (no cache) or a size API Gateway offers: `+strings.Join(serverlessapi.CacheSizesGB, ", "))
		t.APICacheSizeGB = ""
	}
	t.APICacheTTLSeconds = r.Int("todoApiCacheTtlSeconds", 300, 0, 3600)
	t.ThrottleRateLimit = r.Int("todoThrottleRateLimit", 100, 1, 10000)
	t.ThrottleBurstLimit = r.Int("todoThrottleBurstLimit", 200, 1, 5000)

	t.CORSOrigins = r.Strings("todoCorsOrigins", nil)
	for _, o := range t.CORSOrigins {
		if !blocks.IsOrigin(o) {
			r.fail("todoCorsOrigins", o, "a list of https origins in lower case such as https://app.example.com (no path, no wildcard)")
		}
	}
	t.MFA = r.OneOf("todoMfa", userauth.MFAOptional, userauth.MFAOff, userauth.MFAOptional, userauth.MFAOn)
	t.ThreatProtection = r.OneOf("todoThreatProtection", userauth.ThreatProtectionOff,
		userauth.ThreatProtectionOff, userauth.ThreatProtectionAudit, userauth.ThreatProtectionEnforced)

	t.DAX = r.Bool("todoDax", false)
	t.DAXVpcID = r.String("todoDaxVpcId", "")
	t.DAXSubnetIDs = r.Strings("todoDaxSubnetIds", nil)
	t.DAXNodeType = r.String("todoDaxNodeType", "dax.t3.small")
	t.DAXNodes = r.Int("todoDaxNodes", 3, 1, 11)
	switch {
	case t.DAX && t.DAXVpcID == "":
		r.fail("todoDaxVpcId", "", "the ID of the VPC of the DAX subnets (vpc-...), as todoDax is true")
	case t.DAXVpcID != "" && !vpcIDPattern.MatchString(t.DAXVpcID):
		r.fail("todoDaxVpcId", t.DAXVpcID, "a VPC ID such as vpc-0123456789abcdef0")
	}
	if t.DAX && len(t.DAXSubnetIDs) == 0 {
		r.fail("todoDaxSubnetIds", "", "a list of private subnet IDs (subnet-...) in the DAX VPC, as todoDax is true")
	}
	for _, s := range t.DAXSubnetIDs {
		if !subnetIDPattern.MatchString(s) {
			r.fail("todoDaxSubnetIds", s, "a list of subnet IDs such as subnet-0123456789abcdef0")
		}
	}
	if !daxNodePattern.MatchString(t.DAXNodeType) {
		r.fail("todoDaxNodeType", t.DAXNodeType, "a DAX node type such as dax.t3.small or dax.r5.large")
	}

	t.DomainName = r.String("todoDomainName", "")
	t.HostedZone = r.String("todoHostedZone", "")
	if t.DomainName != "" && !blocks.IsHostname(t.DomainName) {
		r.fail("todoDomainName", t.DomainName, "a lower-case DNS name such as api.example.com, or unset")
	}
	if t.HostedZone != "" {
		switch {
		case t.DomainName == "":
			r.fail("todoHostedZone", t.HostedZone, "unset, as todoDomainName is unset")
		case !blocks.InZone(t.DomainName, t.HostedZone):
			r.fail("todoHostedZone", t.HostedZone, fmt.Sprintf("a Route 53 zone that %s is in, such as %s", t.DomainName, parentDomain(t.DomainName)))
		}
	}
}

// parentDomain is name without its first label.
func parentDomain(name string) string {
	return name[strings.Index(name, ".")+1:]
}
