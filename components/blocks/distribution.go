package blocks

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CloudFront's managed policies the components use, by name (their IDs are
// looked up, see ManagedPolicies).
const (
	// ManagedCachingOptimized caches for a day unless the origin says
	// otherwise, keyed by path only.
	ManagedCachingOptimized = "Managed-CachingOptimized"
	// ManagedCachingDisabled sends every request to the origin.
	ManagedCachingDisabled = "Managed-CachingDisabled"
	// ManagedAllViewerExceptHostHeader forwards every viewer header, cookie
	// and query string but Host, which an API Gateway or ALB origin must
	// receive as its own name.
	ManagedAllViewerExceptHostHeader = "Managed-AllViewerExceptHostHeader"
)

// PriceClasses are the price classes CloudFront offers a distribution,
// from the fewest edge locations (and lowest prices) to all of them.
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

// DefaultPriceClass is the price class of the components' distributions
// unless their arguments choose another: North America and Europe only.
const DefaultPriceClass = "PriceClass_100"

// InUSEast1 returns child with a provider for us-east-1 added, where
// CloudFront takes its certificates from and delivers its standard logs:
// provider when it is set, otherwise one created as name+"-us-east-1" with
// the stack's aws: identity settings (see EnsureProvider).
func InUSEast1(ctx *pulumi.Context, provider pulumi.ProviderResource, name string, child []pulumi.ResourceOption) ([]pulumi.ResourceOption, error) {
	east, err := EnsureProvider(ctx, provider, name+"-us-east-1", "us-east-1", child...)
	if err != nil {
		return nil, err
	}
	return With(child, pulumi.Provider(east)), nil
}

// ManagedPolicies looks up the IDs of CloudFront's managed cache and origin
// request policies by name, each once.
type ManagedPolicies struct {
	ctx    *pulumi.Context
	parent pulumi.Resource
	ids    map[managedPolicy]string
}

// managedPolicy is a managed policy's kind ("cache policy", "origin request
// policy") and name: a cache policy and an origin request policy may share
// a name.
type managedPolicy struct{ kind, name string }

// NewManagedPolicies looks up managed policies for the component parent.
func NewManagedPolicies(ctx *pulumi.Context, parent pulumi.Resource) *ManagedPolicies {
	return &ManagedPolicies{ctx: ctx, parent: parent, ids: map[managedPolicy]string{}}
}

// CachePolicy returns the ID of the managed cache policy name, such as
// ManagedCachingOptimized.
func (m *ManagedPolicies) CachePolicy(name string) (string, error) {
	return lookupID(m, "cache policy", name, cloudfront.LookupCachePolicy, &cloudfront.LookupCachePolicyArgs{Name: &name},
		func(p *cloudfront.LookupCachePolicyResult) *string { return p.Id })
}

// OriginRequestPolicy returns the ID of the managed origin request policy
// name, such as ManagedAllViewerExceptHostHeader.
func (m *ManagedPolicies) OriginRequestPolicy(name string) (string, error) {
	return lookupID(m, "origin request policy", name, cloudfront.LookupOriginRequestPolicy, &cloudfront.LookupOriginRequestPolicyArgs{Name: &name},
		func(p *cloudfront.LookupOriginRequestPolicyResult) *string { return p.Id })
}

// lookupID returns the ID of the policy name of kind, looked up with
// lookup(args) the first time.
func lookupID[A, R any](m *ManagedPolicies, kind, name string, lookup func(*pulumi.Context, *A, ...pulumi.InvokeOption) (*R, error), args *A, id func(*R) *string) (string, error) {
	key := managedPolicy{kind, name}
	if known, ok := m.ids[key]; ok {
		return known, nil
	}
	found, err := lookup(m.ctx, args, pulumi.Parent(m.parent))
	if err == nil && id(found) == nil {
		err = errors.New("no ID returned")
	}
	if err != nil {
		return "", fmt.Errorf("looking up %s %s: %w", kind, name, err)
	}
	m.ids[key] = *id(found)
	return m.ids[key], nil
}

// CacheKey is what a cache policy keys on and forwards: the path and the
// query strings queryStrings says ("none", "all", or "whitelist" of names),
// never cookies or headers; and, so that CloudFront caches and serves
// compressed copies, whether viewers accept gzip and Brotli.
func CacheKey(queryStrings string, names ...string) *cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs {
	query := &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs{
		QueryStringBehavior: pulumi.String(queryStrings),
	}
	if len(names) > 0 {
		query.QueryStrings = &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigQueryStringsArgs{
			Items: pulumi.ToStringArray(names),
		}
	}
	return &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs{
		CookiesConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs{CookieBehavior: pulumi.String("none")},
		HeadersConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs{HeaderBehavior: pulumi.String("none")},
		QueryStringsConfig:         query,
		EnableAcceptEncodingGzip:   pulumi.Bool(true),
		EnableAcceptEncodingBrotli: pulumi.Bool(true),
	}
}

// NewCachePolicy creates the cache policy name+"-cache", called name in
// CloudFront: a response stays defaultTTL seconds when its origin says
// nothing, up to maxTTL when the origin's Cache-Control asks for longer,
// and no minimum, so a response the origin marks short-lived or
// uncacheable is not kept; key is what the cache is keyed on (see
// CacheKey).
func NewCachePolicy(ctx *pulumi.Context, name string, comment pulumi.StringInput, defaultTTL, maxTTL int, key *cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs, opts ...pulumi.ResourceOption) (*cloudfront.CachePolicy, error) {
	policy, err := cloudfront.NewCachePolicy(ctx, name+"-cache", &cloudfront.CachePolicyArgs{
		Name:                                     pulumi.String(PhysicalName(ctx, name, 128)),
		Comment:                                  comment,
		MinTtl:                                   pulumi.Int(0),
		DefaultTtl:                               pulumi.Int(defaultTTL),
		MaxTtl:                                   pulumi.Int(maxTTL),
		ParametersInCacheKeyAndForwardedToOrigin: key,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating cache policy %s: %w", name, err)
	}
	return policy, nil
}

// CustomOrigin is how CloudFront reaches an origin that is not a bucket:
// over protocol only ("https", or "http" where no certificate can be had),
// with TLSv1.2 at least.
func CustomOrigin(protocol string) *cloudfront.DistributionOriginCustomOriginConfigArgs {
	return &cloudfront.DistributionOriginCustomOriginConfigArgs{
		HttpPort:             pulumi.Int(80),
		HttpsPort:            pulumi.Int(443),
		OriginProtocolPolicy: pulumi.String(protocol + "-only"),
		OriginSslProtocols:   pulumi.StringArray{pulumi.String("TLSv1.2")},
	}
}

// Behavior is a cache behaviour with what every behaviour of the components
// shares: viewers are redirected to HTTPS, responses are compressed, and
// GET and HEAD are cached.
type Behavior struct {
	// PathPattern selects the requests of an ordered behaviour; the default
	// behaviour has none.
	PathPattern string
	// OriginID is the origin the requests go to.
	OriginID string
	// AllowWrites allows every method, for an API or an application;
	// otherwise GET and HEAD only.
	AllowWrites bool
	// CachePolicyID, OriginRequestPolicyID and ResponseHeadersPolicyID are
	// the behaviour's policies; a nil one is not set.
	CachePolicyID, OriginRequestPolicyID, ResponseHeadersPolicyID pulumi.StringInput
	// ViewerRequest is the ARN of a CloudFront Function that sees every
	// viewer request first; nil for none.
	ViewerRequest pulumi.StringInput
}

// Ordered is b as an ordered cache behaviour.
func (b Behavior) Ordered() *cloudfront.DistributionOrderedCacheBehaviorArgs {
	read := pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")}
	allowed := read
	if b.AllowWrites {
		allowed = pulumi.StringArray{
			pulumi.String("DELETE"), pulumi.String("GET"), pulumi.String("HEAD"), pulumi.String("OPTIONS"),
			pulumi.String("PATCH"), pulumi.String("POST"), pulumi.String("PUT"),
		}
	}
	out := &cloudfront.DistributionOrderedCacheBehaviorArgs{
		PathPattern:             pulumi.String(b.PathPattern),
		TargetOriginId:          pulumi.String(b.OriginID),
		ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
		AllowedMethods:          allowed,
		CachedMethods:           read,
		Compress:                pulumi.Bool(true),
		CachePolicyId:           b.CachePolicyID,
		OriginRequestPolicyId:   b.OriginRequestPolicyID,
		ResponseHeadersPolicyId: b.ResponseHeadersPolicyID,
	}
	if b.ViewerRequest != nil {
		out.FunctionAssociations = cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArray{
			&cloudfront.DistributionOrderedCacheBehaviorFunctionAssociationArgs{EventType: pulumi.String("viewer-request"), FunctionArn: b.ViewerRequest},
		}
	}
	return out
}

// Default is b as the default cache behaviour (PathPattern is ignored).
func (b Behavior) Default() *cloudfront.DistributionDefaultCacheBehaviorArgs {
	o := b.Ordered()
	out := &cloudfront.DistributionDefaultCacheBehaviorArgs{
		TargetOriginId: o.TargetOriginId, ViewerProtocolPolicy: o.ViewerProtocolPolicy,
		AllowedMethods: o.AllowedMethods, CachedMethods: o.CachedMethods, Compress: o.Compress,
		CachePolicyId: o.CachePolicyId, OriginRequestPolicyId: o.OriginRequestPolicyId, ResponseHeadersPolicyId: o.ResponseHeadersPolicyId,
	}
	if b.ViewerRequest != nil {
		out.FunctionAssociations = cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArray{
			&cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs{EventType: pulumi.String("viewer-request"), FunctionArn: b.ViewerRequest},
		}
	}
	return out
}

// CustomDomain is a name a distribution serves besides its *.cloudfront.net
// one, with an ACM certificate for it in us-east-1. The zero value is none.
type CustomDomain struct {
	Name           string
	CertificateArn pulumi.StringInput
}

// NewDistribution creates the distribution args describes, with what every
// distribution of the components shares set: enabled, HTTP/2 and HTTP/3,
// IPv6, no geographic restriction, and the viewer certificate. With a
// custom domain, that is the domain's certificate, SNI only and
// TLSv1.2_2021 at least, and the domain is the one alias; without, it is
// CloudFront's default certificate of the *.cloudfront.net name.
func NewDistribution(ctx *pulumi.Context, name string, domain CustomDomain, args *cloudfront.DistributionArgs, opts ...pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	args.Enabled = pulumi.Bool(true)
	args.HttpVersion = pulumi.String("http2and3")
	args.IsIpv6Enabled = pulumi.Bool(true)
	args.Restrictions = &cloudfront.DistributionRestrictionsArgs{
		GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
	}
	args.ViewerCertificate = &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	if domain.Name != "" {
		args.Aliases = pulumi.StringArray{pulumi.String(domain.Name)}
		args.ViewerCertificate = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      domain.CertificateArn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
	}
	dist, err := cloudfront.NewDistribution(ctx, name, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating distribution %s: %w", name, err)
	}
	return dist, nil
}
