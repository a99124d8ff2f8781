package updateoffload

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

const day, year = 86400, 365 * 86400

// distribution creates the policies and the distribution: the update paths
// cached at the edge, everything else passed through to the application.
func (c *UpdateOffloadCDN) distribution(ctx *pulumi.Context, name string, args *Args, secret pulumi.StringOutput, child []pulumi.ResourceOption) error {
	if err := c.policies(ctx, name, args, child); err != nil {
		return err
	}
	dist, err := blocks.NewDistribution(ctx, name+"-cdn", blocks.CustomDomain{Name: args.DomainName, CertificateArn: args.CertificateArn}, &cloudfront.DistributionArgs{
		Comment:               pulumi.String("Software update offload for " + name),
		PriceClass:            pulumi.String(args.PriceClass),
		Origins:               cloudfront.DistributionOriginArray{c.distributionOrigin(args, secret)},
		OrderedCacheBehaviors: c.updateBehaviours(args),
		DefaultCacheBehavior: blocks.Behavior{
			OriginID:                originID,
			AllowWrites:             true,
			CachePolicyID:           pulumi.String(c.CachingDisabledPolicyID),
			OriginRequestPolicyID:   pulumi.String(c.AllViewerExceptHostPolicyID),
			ResponseHeadersPolicyID: c.HeadersPolicy.ID(),
		}.Default(),
	}, blocks.With(child, pulumi.DependsOn(c.Origin.ready))...)
	if err != nil {
		return err
	}
	c.Distribution = dist
	if args.DomainName == "" {
		policy.Suppress(ctx, dist, "no custom domain is configured for this stack (updatesDomainName); the cloudfront.net name can only use CloudFront's default certificate", "CF-TLS-CERTIFICATE")
	}
	if c.Origin.protocol == "http" {
		policy.Suppress(ctx, dist, "demo origin without a domain: an ALB's *.elb.amazonaws.com name cannot carry a certificate, so CloudFront could not validate HTTPS; set updatesDemoDomainName, and existing ALBs are always reached https-only", "CF-ORIGIN-HTTPS")
	}
	return nil
}

// policies looks up the managed policies of the application's default
// behaviour and creates the update files' cache policy and the security
// headers policy.
func (c *UpdateOffloadCDN) policies(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	managed := blocks.NewManagedPolicies(ctx, c)
	var err error
	if c.CachingDisabledPolicyID, err = managed.CachePolicy(blocks.ManagedCachingDisabled); err != nil {
		return err
	}
	if c.AllViewerExceptHostPolicyID, err = managed.OriginRequestPolicy(blocks.ManagedAllViewerExceptHostHeader); err != nil {
		return err
	}
	key := blocks.CacheKey("none")
	if args.VersionQueryParam != "" {
		key = blocks.CacheKey("whitelist", args.VersionQueryParam)
	}
	// Files without Cache-Control stay CacheDays; an origin that marks one
	// (a manifest, say) short-lived is obeyed.
	c.UpdatesPolicy, err = blocks.NewCachePolicy(ctx, name+"-updates",
		pulumi.String("Update files: long TTLs, nothing but the path (and a version parameter, if any) in the key"),
		args.CacheDays*day, year, key, child...)
	if err != nil {
		return err
	}
	// The application keeps the last word on its security headers; the
	// policy adds those it does not set.
	c.HeadersPolicy, err = blocks.NewSecurityHeadersPolicy(ctx, name+"-headers", blocks.SecurityHeadersArgs{
		Comment:           "Security headers the application does not set itself",
		Precedence:        blocks.OriginWins,
		HSTSMaxAgeSeconds: year,
	}, child...)
	return err
}

// distributionOrigin is the ALB as the distribution reaches it: with the
// secret header, the configured timeouts and optional Origin Shield.
func (c *UpdateOffloadCDN) distributionOrigin(args *Args, secret pulumi.StringOutput) *cloudfront.DistributionOriginArgs {
	config := blocks.CustomOrigin(c.Origin.protocol)
	config.OriginReadTimeout = pulumi.Int(args.OriginReadTimeout)
	config.OriginKeepaliveTimeout = pulumi.Int(args.OriginKeepaliveTimeout)
	origin := &cloudfront.DistributionOriginArgs{
		OriginId:           pulumi.String(originID),
		DomainName:         c.Origin.DomainName,
		CustomOriginConfig: config,
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
	return origin
}

// updateBehaviours are the cached behaviours, one per update path.
func (c *UpdateOffloadCDN) updateBehaviours(args *Args) cloudfront.DistributionOrderedCacheBehaviorArray {
	var out cloudfront.DistributionOrderedCacheBehaviorArray
	for _, p := range args.Paths {
		out = append(out, blocks.Behavior{
			PathPattern:             p,
			OriginID:                originID,
			CachePolicyID:           c.UpdatesPolicy.ID(),
			ResponseHeadersPolicyID: c.HeadersPolicy.ID(),
		}.Ordered())
	}
	return out
}

// accessLogs turns on standard logging v2: a delivery source for the
// distribution, a log group with retention as destination, and the delivery,
// all in us-east-1 where CloudFront delivers them.
func accessLogs(ctx *pulumi.Context, name string, args *Args, dist *cloudfront.Distribution, east []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	group, err := blocks.NewAccessLogGroup(ctx, name+"-access-logs", name, args.LogRetentionDays, east...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	source, err := blocks.NewAccessLogSource(ctx, name, dist, east...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if err := blocks.DeliverAccessLogs(ctx, name, source, group.Arn, nil, east...); err != nil {
		return pulumi.StringOutput{}, err
	}
	return group.Name, nil
}
