package updateoffload

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args configures an UpdateOffloadCDN. Plain Go values decide which
// resources exist (origin, paths, domain); the rest are inputs.
type Args struct {
	// Origin is OriginExisting or OriginDemo.
	Origin string

	// AlbDNSName (existing origin) is the name CloudFront connects to over
	// HTTPS: a name the ALB's HTTPS listener has a certificate for, usually
	// a CNAME or alias of the ALB (no certificate can cover the ALB's own
	// *.elb.amazonaws.com name).
	AlbDNSName pulumi.StringInput
	// AlbArn, AlbSecurityGroupID, AlbListenerArn (its HTTPS listener) and
	// AlbTargetGroupArn (the application's target group) name the rest of
	// the existing ALB.
	AlbArn             pulumi.StringInput
	AlbSecurityGroupID pulumi.StringInput
	AlbListenerArn     pulumi.StringInput
	AlbTargetGroupArn  pulumi.StringInput
	// RulePriority is the first of the two listener rule priorities taken
	// on the existing listener (default 1): the secret-header forward at
	// RulePriority and the catch-all 403 at RulePriority+1.
	RulePriority int
	// AlbSecurityGroupRuleQuota is the account's quota of inbound rules per
	// security group (Service Quotas code L-0EA8095F; default 60). At
	// preview the component reads the existing group's rules and fails when
	// the prefix-list rule, which counts as the list's maximum entries (55),
	// would not fit; set this when the quota was raised.
	AlbSecurityGroupRuleQuota int

	// DemoVpcID and DemoSubnetIDs (public, two or more zones) place the
	// demo origin.
	DemoVpcID     pulumi.StringInput
	DemoSubnetIDs pulumi.StringArrayInput
	// DemoDomainName and DemoHostedZone (a Route 53 public zone name) give
	// the demo ALB a name and an ACM certificate, so that CloudFront reaches
	// it over HTTPS. Without them the demo origin is reached over HTTP.
	DemoDomainName string
	DemoHostedZone string
	// DemoInstanceType of the demo servers (default t4g.nano, arm64).
	DemoInstanceType string

	// Paths are the cached path patterns (default ["/updates/*"]); each
	// starts with /.
	Paths []string
	// VersionQueryParam, when set, is the one query string in the cache key
	// of the update paths; otherwise no cookie, header or query string is.
	VersionQueryParam string
	// CacheDays is the TTL of update files whose origin response sets no
	// Cache-Control (default 30); the maximum is a year.
	CacheDays int
	// PriceClass is PriceClass_100 (default), PriceClass_200 or
	// PriceClass_All.
	PriceClass string
	// OriginReadTimeout (default 30) and OriginKeepaliveTimeout (default 5)
	// in seconds; above 60 needs a CloudFront quota increase.
	OriginReadTimeout      int
	OriginKeepaliveTimeout int
	// OriginShieldRegion turns Origin Shield on in that region (the ALB's);
	// "" leaves it off.
	OriginShieldRegion string

	// SecretHeaderName (default X-Origin-Verify) carries OriginSecret from
	// CloudFront to the ALB. OriginSecret is required; it is treated as a
	// secret wherever it appears.
	SecretHeaderName string
	OriginSecret     pulumi.StringInput

	// DomainName and CertificateArn (ACM, us-east-1) serve the CDN on a
	// custom domain; empty serves it on its cloudfront.net name.
	DomainName     string
	CertificateArn pulumi.StringInput

	// USEast1 is an AWS provider for us-east-1, where CloudFront delivers
	// its access logs (standard logging v2); nil creates one with the
	// stack's aws: identity settings (see blocks.RegionalProvider).
	USEast1 pulumi.ProviderResource
	// LogRetentionDays of the access log group (default 30).
	LogRetentionDays int
	// Protect turns on the demo ALB's deletion protection.
	Protect bool
}

func (a *Args) withDefaults() {
	if a.RulePriority == 0 {
		a.RulePriority = 1
	}
	if a.AlbSecurityGroupRuleQuota == 0 {
		a.AlbSecurityGroupRuleQuota = DefaultSecurityGroupRuleQuota
	}
	if a.DemoInstanceType == "" {
		a.DemoInstanceType = "t4g.nano"
	}
	if len(a.Paths) == 0 {
		a.Paths = []string{"/updates/*"}
	}
	if a.CacheDays == 0 {
		a.CacheDays = 30
	}
	if a.PriceClass == "" {
		a.PriceClass = "PriceClass_100"
	}
	if a.OriginReadTimeout == 0 {
		a.OriginReadTimeout = 30
	}
	if a.OriginKeepaliveTimeout == 0 {
		a.OriginKeepaliveTimeout = 5
	}
	if a.SecretHeaderName == "" {
		a.SecretHeaderName = "X-Origin-Verify"
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = 30
	}
}

// validate reports every problem with the arguments at once.
func (a *Args) validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	existing := a.AlbDNSName != nil || a.AlbArn != nil || a.AlbSecurityGroupID != nil || a.AlbListenerArn != nil || a.AlbTargetGroupArn != nil
	demo := a.DemoVpcID != nil || a.DemoSubnetIDs != nil
	switch a.Origin {
	case OriginExisting:
		if a.AlbDNSName == nil || a.AlbArn == nil || a.AlbSecurityGroupID == nil || a.AlbListenerArn == nil || a.AlbTargetGroupArn == nil {
			fail("an existing ALB needs AlbDNSName, AlbArn, AlbSecurityGroupID, AlbListenerArn and AlbTargetGroupArn")
		}
		if demo {
			fail("Origin %q takes no demo settings (DemoVpcID, DemoSubnetIDs): choose one origin", a.Origin)
		}
	case OriginDemo:
		if a.DemoVpcID == nil || a.DemoSubnetIDs == nil {
			fail("a demo origin needs DemoVpcID and DemoSubnetIDs")
		}
		if existing {
			fail("Origin %q takes no existing ALB (AlbDNSName, ...): choose one origin", a.Origin)
		}
		if (a.DemoDomainName == "") != (a.DemoHostedZone == "") {
			fail("DemoDomainName %q and DemoHostedZone %q go together", a.DemoDomainName, a.DemoHostedZone)
		}
	default:
		fail("Origin %q: want %q (an existing ALB) or %q (a demo origin)", a.Origin, OriginExisting, OriginDemo)
	}
	seen := map[string]bool{}
	for _, p := range a.Paths {
		switch {
		case !strings.HasPrefix(p, "/"):
			fail("path pattern %q must start with /", p)
		case p == "/*" || p == "/":
			fail("path pattern %q would cache the whole application; the default behaviour must stay uncached", p)
		case seen[p]:
			fail("path pattern %q appears twice", p)
		}
		seen[p] = true
	}
	if a.OriginSecret == nil {
		fail("OriginSecret is required: the secret header value that proves a request came through CloudFront")
	}
	if (a.DomainName == "") != (a.CertificateArn == nil) {
		fail("DomainName and CertificateArn go together")
	}
	if !slices.Contains([]string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}, a.PriceClass) {
		fail("PriceClass %q: want PriceClass_100, PriceClass_200 or PriceClass_All", a.PriceClass)
	}
	if a.CacheDays < 1 || a.CacheDays > 365 {
		fail("CacheDays %d: want 1 to 365", a.CacheDays)
	}
	if a.OriginReadTimeout < 1 || a.OriginReadTimeout > 180 || a.OriginKeepaliveTimeout < 1 || a.OriginKeepaliveTimeout > 180 {
		fail("origin timeouts %d/%d s: want 1 to 180", a.OriginReadTimeout, a.OriginKeepaliveTimeout)
	}
	return errors.Join(errs...)
}
