package updateoffload

import (
	"cmp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
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

// Defaults New applies to the fields of Args left zero.
const (
	DefaultRulePriority           = 1
	DefaultDemoInstanceType       = "t4g.nano"
	DefaultCacheDays              = 30
	DefaultPriceClass             = blocks.DefaultPriceClass
	DefaultOriginReadTimeout      = 30
	DefaultOriginKeepaliveTimeout = 5
	DefaultSecretHeaderName       = "X-Origin-Verify"
	DefaultLogRetentionDays       = blocks.DefaultLogRetentionDays
)

// DefaultPaths are the cached path patterns when Args.Paths is empty.
func DefaultPaths() []string { return []string{"/updates/*"} }

func (a *Args) withDefaults() {
	a.RulePriority = cmp.Or(a.RulePriority, DefaultRulePriority)
	a.AlbSecurityGroupRuleQuota = cmp.Or(a.AlbSecurityGroupRuleQuota, DefaultSecurityGroupRuleQuota)
	a.DemoInstanceType = cmp.Or(a.DemoInstanceType, DefaultDemoInstanceType)
	if len(a.Paths) == 0 {
		a.Paths = DefaultPaths()
	}
	a.CacheDays = cmp.Or(a.CacheDays, DefaultCacheDays)
	a.PriceClass = cmp.Or(a.PriceClass, DefaultPriceClass)
	a.OriginReadTimeout = cmp.Or(a.OriginReadTimeout, DefaultOriginReadTimeout)
	a.OriginKeepaliveTimeout = cmp.Or(a.OriginKeepaliveTimeout, DefaultOriginKeepaliveTimeout)
	a.SecretHeaderName = cmp.Or(a.SecretHeaderName, DefaultSecretHeaderName)
	a.LogRetentionDays = cmp.Or(a.LogRetentionDays, DefaultLogRetentionDays)
}
