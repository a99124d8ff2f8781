package updateoffload

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// Token is the component's type token.
const Token = "serverless-arch:cdn:UpdateOffloadCDN"

// Origins the CDN can sit in front of.
const (
	// OriginExisting is an ALB that already serves the application.
	OriginExisting = "existing"
	// OriginDemo is a demo ALB + Auto Scaling group created here.
	OriginDemo = "demo"
)

// Lock-down modes, as the LockdownMode output reports them.
const (
	// LockdownExclusive: the ALB's security group admits only CloudFront's
	// origin-facing prefix list (the component owns the group), and the
	// listener forwards only requests carrying the secret header; anything
	// else gets 403.
	LockdownExclusive = "prefix-list-only+secret-header"
	// LockdownAdded: the prefix-list rule was added to the existing ALB's
	// security group, whose other ingress rules the component does not own
	// and cannot see (remove any that admit the internet), and listener
	// rules forward only requests carrying the secret header; anything else
	// gets 403.
	LockdownAdded = "prefix-list-added+secret-header"
)

// CloudFrontPrefixList is the AWS-managed prefix list of CloudFront's
// origin-facing addresses.
const CloudFrontPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

const originID = "alb"

// UpdateOffloadCDN is a CloudFront distribution that caches software update
// files in front of an ALB that only CloudFront can reach.
type UpdateOffloadCDN struct {
	pulumi.ResourceState

	// DistributionDomainName is the CDN's cloudfront.net name; point the
	// update clients (or DomainName's CNAME) at it.
	DistributionDomainName pulumi.StringOutput `pulumi:"distributionDomainName"`
	DistributionArn        pulumi.StringOutput `pulumi:"distributionArn"`
	DistributionID         pulumi.StringOutput `pulumi:"distributionId"`
	// CachedPaths are the path patterns served from the edge cache.
	CachedPaths pulumi.StringArrayOutput `pulumi:"cachedPaths"`
	// LockdownMode says how the origin is kept from everyone but CloudFront
	// (LockdownExclusive or LockdownAdded).
	LockdownMode pulumi.StringOutput `pulumi:"lockdownMode"`
	// OriginDomainName is the name CloudFront connects to.
	OriginDomainName pulumi.StringOutput `pulumi:"originDomainName"`
	// OriginProtocol is "https" or, for a demo origin without a domain,
	// "http".
	OriginProtocol pulumi.StringOutput `pulumi:"originProtocol"`
	// SecretHeaderName is the header CloudFront adds; its value stays
	// secret and is not an output.
	SecretHeaderName pulumi.StringOutput `pulumi:"secretHeaderName"`
	// AccessLogGroup is the log group receiving the access logs (us-east-1).
	AccessLogGroup pulumi.StringOutput `pulumi:"accessLogGroup"`

	// The children, for callers (and tests) that need more than outputs.
	Distribution                *cloudfront.Distribution
	UpdatesPolicy               *cloudfront.CachePolicy
	HeadersPolicy               *cloudfront.ResponseHeadersPolicy
	Origin                      *Origin
	PrefixListID                string
	CachingDisabledPolicyID     string
	AllViewerExceptHostPolicyID string
}

// New creates an UpdateOffloadCDN named name.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*UpdateOffloadCDN, error) {
	args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("update offload CDN %s: %w", name, err)
	}
	c := &UpdateOffloadCDN{}
	if err := ctx.RegisterComponentResource(Token, name, c, opts...); err != nil {
		return nil, fmt.Errorf("registering update offload CDN %s: %w", name, err)
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c)}
	usEast1, err := blocks.EnsureProvider(ctx, args.USEast1, name+"-us-east-1", "us-east-1", child...)
	if err != nil {
		return nil, err
	}
	east := blocks.With(child, pulumi.Provider(usEast1))
	// Whatever the caller passed, the secret travels as a secret.
	secret := pulumi.ToSecret(args.OriginSecret.ToStringOutput()).(pulumi.StringOutput)

	// The prefix list ID differs per region: look it up, never hard-code it.
	pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(CloudFrontPrefixList)}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("looking up the prefix list %s for %s: %w", CloudFrontPrefixList, name, err)
	}
	c.PrefixListID = pl.Id

	var origin *Origin
	if args.Origin == OriginDemo {
		origin, err = demoOrigin(ctx, name, &args, pl.Id, secret, child, pulumi.Parent(c))
	} else {
		origin, err = existingOrigin(ctx, name, &args, prefixList{id: pl.Id, weight: pl.MaxEntries}, secret, child, pulumi.Parent(c))
	}
	if err != nil {
		return nil, err
	}
	c.Origin = origin

	dist, err := c.distribution(ctx, name, &args, secret, child)
	if err != nil {
		return nil, err
	}
	logs, err := accessLogs(ctx, name, &args, dist, east)
	if err != nil {
		return nil, err
	}

	c.DistributionDomainName = dist.DomainName
	c.DistributionArn = dist.Arn
	c.DistributionID = dist.ID().ToStringOutput()
	c.CachedPaths = pulumi.ToStringArray(args.Paths).ToStringArrayOutput()
	c.LockdownMode = pulumi.String(origin.lockdown).ToStringOutput()
	c.OriginDomainName = origin.DomainName
	c.OriginProtocol = pulumi.String(origin.protocol).ToStringOutput()
	c.SecretHeaderName = pulumi.String(args.SecretHeaderName).ToStringOutput()
	c.AccessLogGroup = logs
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"distributionDomainName": c.DistributionDomainName,
		"distributionArn":        c.DistributionArn,
		"distributionId":         c.DistributionID,
		"cachedPaths":            c.CachedPaths,
		"lockdownMode":           c.LockdownMode,
		"originDomainName":       c.OriginDomainName,
		"originProtocol":         c.OriginProtocol,
		"secretHeaderName":       c.SecretHeaderName,
		"accessLogGroup":         c.AccessLogGroup,
	}); err != nil {
		return nil, fmt.Errorf("registering outputs of %s: %w", name, err)
	}
	return c, nil
}

// distribution creates the cache and response headers policies and the
// distribution.
func (c *UpdateOffloadCDN) distribution(ctx *pulumi.Context, name string, args *Args, secret pulumi.StringOutput, child []pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	disabled, err := cloudfront.LookupCachePolicy(ctx, &cloudfront.LookupCachePolicyArgs{Name: pulumi.StringRef("Managed-CachingDisabled")}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("looking up Managed-CachingDisabled for %s: %w", name, err)
	}
	allViewer, err := cloudfront.LookupOriginRequestPolicy(ctx, &cloudfront.LookupOriginRequestPolicyArgs{Name: pulumi.StringRef("Managed-AllViewerExceptHostHeader")}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("looking up Managed-AllViewerExceptHostHeader for %s: %w", name, err)
	}
	c.CachingDisabledPolicyID = *disabled.Id
	c.AllViewerExceptHostPolicyID = *allViewer.Id

	queryStrings := &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs{
		QueryStringBehavior: pulumi.String("none"),
	}
	if args.VersionQueryParam != "" {
		queryStrings = &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs{
			QueryStringBehavior: pulumi.String("whitelist"),
			QueryStrings: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigQueryStringsArgs{
				Items: pulumi.StringArray{pulumi.String(args.VersionQueryParam)},
			},
		}
	}
	const day, year = 86400, 365 * 86400
	updates, err := cloudfront.NewCachePolicy(ctx, name+"-updates-cache", &cloudfront.CachePolicyArgs{
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-updates", 128)),
		Comment: pulumi.String("Update files: long TTLs, nothing but the path (and a version parameter, if any) in the key"),
		// MinTtl 0 honours an origin that marks a file (a manifest, say)
		// short-lived; files without Cache-Control stay CacheDays.
		MinTtl:     pulumi.Int(0),
		DefaultTtl: pulumi.Int(args.CacheDays * day),
		MaxTtl:     pulumi.Int(year),
		ParametersInCacheKeyAndForwardedToOrigin: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs{
			CookiesConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs{CookieBehavior: pulumi.String("none")},
			HeadersConfig:              &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs{HeaderBehavior: pulumi.String("none")},
			QueryStringsConfig:         queryStrings,
			EnableAcceptEncodingGzip:   pulumi.Bool(true),
			EnableAcceptEncodingBrotli: pulumi.Bool(true),
		},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating update cache policy of %s: %w", name, err)
	}
	c.UpdatesPolicy = updates

	// Security headers are added where the application sets none
	// (Override false), so the application keeps the last word.
	headers, err := cloudfront.NewResponseHeadersPolicy(ctx, name+"-headers", &cloudfront.ResponseHeadersPolicyArgs{
		Name:    pulumi.String(blocks.PhysicalName(ctx, name+"-headers", 128)),
		Comment: pulumi.String("Security headers the application does not set itself"),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(year), IncludeSubdomains: pulumi.Bool(true), Override: pulumi.Bool(false),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{Override: pulumi.Bool(false)},
			FrameOptions:       &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{FrameOption: pulumi.String("DENY"), Override: pulumi.Bool(false)},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"), Override: pulumi.Bool(false),
			},
		},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating response headers policy of %s: %w", name, err)
	}
	c.HeadersPolicy = headers

	originConfig := &cloudfront.DistributionOriginCustomOriginConfigArgs{
		HttpPort:               pulumi.Int(80),
		HttpsPort:              pulumi.Int(443),
		OriginProtocolPolicy:   pulumi.String(c.Origin.protocol + "-only"),
		OriginSslProtocols:     pulumi.StringArray{pulumi.String("TLSv1.2")},
		OriginReadTimeout:      pulumi.Int(args.OriginReadTimeout),
		OriginKeepaliveTimeout: pulumi.Int(args.OriginKeepaliveTimeout),
	}
	origin := &cloudfront.DistributionOriginArgs{
		OriginId:           pulumi.String(originID),
		DomainName:         c.Origin.DomainName,
		CustomOriginConfig: originConfig,
		CustomHeaders: cloudfront.DistributionOriginCustomHeaderArray{
			&cloudfront.DistributionOriginCustomHeaderArgs{Name: pulumi.String(args.SecretHeaderName), Value: secret},
		},
		ConnectionAttempts: pulumi.Int(3),
		ConnectionTimeout:  pulumi.Int(10),
	}
	if args.OriginShieldRegion != "" {
		origin.OriginShield = &cloudfront.DistributionOriginOriginShieldArgs{
			Enabled: pulumi.Bool(true), OriginShieldRegion: pulumi.String(args.OriginShieldRegion),
		}
	}

	getHead := pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")}
	var behaviours cloudfront.DistributionOrderedCacheBehaviorArray
	for _, p := range args.Paths {
		behaviours = append(behaviours, &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(p),
			TargetOriginId:          pulumi.String(originID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          getHead,
			CachedMethods:           getHead,
			CachePolicyId:           updates.ID(),
			ResponseHeadersPolicyId: headers.ID(),
			Compress:                pulumi.Bool(true),
		})
	}

	viewerCert := &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	var aliases pulumi.StringArray
	if args.DomainName != "" {
		aliases = pulumi.StringArray{pulumi.String(args.DomainName)}
		viewerCert = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      args.CertificateArn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
	}

	dist, err := cloudfront.NewDistribution(ctx, name+"-cdn", &cloudfront.DistributionArgs{
		Enabled:               pulumi.Bool(true),
		Comment:               pulumi.String("Software update offload for " + name),
		Aliases:               aliases,
		HttpVersion:           pulumi.String("http2and3"),
		IsIpv6Enabled:         pulumi.Bool(true),
		PriceClass:            pulumi.String(args.PriceClass),
		Origins:               cloudfront.DistributionOriginArray{origin},
		OrderedCacheBehaviors: behaviours,
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:       pulumi.String(originID),
			ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
			AllowedMethods: pulumi.StringArray{
				pulumi.String("DELETE"), pulumi.String("GET"), pulumi.String("HEAD"), pulumi.String("OPTIONS"),
				pulumi.String("PATCH"), pulumi.String("POST"), pulumi.String("PUT"),
			},
			CachedMethods:           getHead,
			CachePolicyId:           pulumi.String(c.CachingDisabledPolicyID),
			OriginRequestPolicyId:   pulumi.String(c.AllViewerExceptHostPolicyID),
			ResponseHeadersPolicyId: headers.ID(),
			Compress:                pulumi.Bool(true),
		},
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: viewerCert,
	}, blocks.With(child, pulumi.DependsOn(c.Origin.ready))...)
	if err != nil {
		return nil, fmt.Errorf("creating distribution of %s: %w", name, err)
	}
	c.Distribution = dist
	if args.DomainName == "" {
		policy.Suppress(ctx, dist, "no custom domain is configured for this stack (updatesDomainName); the cloudfront.net name can only use CloudFront's default certificate", "CF-TLS-CERTIFICATE")
	}
	if c.Origin.protocol == "http" {
		policy.Suppress(ctx, dist, "demo origin without a domain: an ALB's *.elb.amazonaws.com name cannot carry a certificate, so CloudFront could not validate HTTPS; set updatesDemoDomainName, and existing ALBs are always reached https-only", "CF-ORIGIN-HTTPS")
	}
	return dist, nil
}

// accessLogs turns on standard logging v2: a delivery source for the
// distribution, a log group with retention as destination, and the delivery,
// all in us-east-1 where CloudFront delivers them.
func accessLogs(ctx *pulumi.Context, name string, args *Args, dist *cloudfront.Distribution, east []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-access-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.Sprintf("/aws/cloudfront/%s/%s/%s", ctx.Project(), ctx.Stack(), name),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
	}, east...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating access log group of %s: %w", name, err)
	}
	source, err := cloudwatch.NewLogDeliverySource(ctx, name+"-logs-source", &cloudwatch.LogDeliverySourceArgs{
		Name:        pulumi.String(blocks.PhysicalName(ctx, name+"-access", 60)),
		LogType:     pulumi.String("ACCESS_LOGS"),
		ResourceArn: dist.Arn,
	}, east...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating log delivery source of %s: %w", name, err)
	}
	dest, err := cloudwatch.NewLogDeliveryDestination(ctx, name+"-logs-destination", &cloudwatch.LogDeliveryDestinationArgs{
		Name:         pulumi.String(blocks.PhysicalName(ctx, name+"-access", 60)),
		OutputFormat: pulumi.String("json"),
		DeliveryDestinationConfiguration: &cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs{
			DestinationResourceArn: group.Arn,
		},
	}, east...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating log delivery destination of %s: %w", name, err)
	}
	if _, err := cloudwatch.NewLogDelivery(ctx, name+"-logs-delivery", &cloudwatch.LogDeliveryArgs{
		DeliverySourceName:     source.Name,
		DeliveryDestinationArn: dest.Arn,
	}, east...); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating log delivery of %s: %w", name, err)
	}
	return group.Name, nil
}
