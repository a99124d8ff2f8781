package updateoffload

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
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
	// DistributionArn and DistributionID identify the distribution.
	DistributionArn pulumi.StringOutput `pulumi:"distributionArn"`
	DistributionID  pulumi.StringOutput `pulumi:"distributionId"`
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

// New creates an UpdateOffloadCDN named name: its arguments with defaults
// applied and checked, then its children, then its outputs.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*UpdateOffloadCDN, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, Token, name, opts, args.validate, func(c *UpdateOffloadCDN, _ pulumi.ResourceOption) error {
		if err := c.build(ctx, name, &args); err != nil {
			return err
		}
		c.outputs(&args)
		return nil
	})
}

// build creates the children: the locked-down origin, the distribution in
// front of it and the distribution's access logs.
func (c *UpdateOffloadCDN) build(ctx *pulumi.Context, name string, args *Args) error {
	child := []pulumi.ResourceOption{pulumi.Parent(c)}
	east, err := blocks.InUSEast1(ctx, args.USEast1, name, child)
	if err != nil {
		return err
	}
	// Whatever the caller passed, the secret travels as a secret.
	secret := pulumi.ToSecret(args.OriginSecret.ToStringOutput()).(pulumi.StringOutput)
	if err := c.lockedOrigin(ctx, name, args, secret, child); err != nil {
		return err
	}
	if err := c.distribution(ctx, name, args, secret, child); err != nil {
		return err
	}
	c.AccessLogGroup, err = accessLogs(ctx, name, args, c.Distribution, east)
	return err
}

// lockedOrigin looks up CloudFront's origin-facing prefix list and creates
// the demo origin or locks the existing ALB down.
func (c *UpdateOffloadCDN) lockedOrigin(ctx *pulumi.Context, name string, args *Args, secret pulumi.StringOutput, child []pulumi.ResourceOption) error {
	// The prefix list ID differs per region: look it up, never hard-code it.
	pl, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{Name: pulumi.StringRef(CloudFrontPrefixList)}, pulumi.Parent(c))
	if err != nil {
		return fmt.Errorf("looking up the prefix list %s for %s: %w", CloudFrontPrefixList, name, err)
	}
	c.PrefixListID = pl.Id
	if args.Origin == OriginDemo {
		c.Origin, err = demoOrigin(ctx, name, args, pl.Id, secret, child, pulumi.Parent(c))
	} else {
		c.Origin, err = existingOrigin(ctx, name, args, prefixList{id: pl.Id, weight: pl.MaxEntries}, secret, child, pulumi.Parent(c))
	}
	return err
}

// outputs sets the output fields.
func (c *UpdateOffloadCDN) outputs(args *Args) {
	c.DistributionDomainName = c.Distribution.DomainName
	c.DistributionArn = c.Distribution.Arn
	c.DistributionID = c.Distribution.ID().ToStringOutput()
	c.CachedPaths = pulumi.ToStringArray(args.Paths).ToStringArrayOutput()
	c.LockdownMode = pulumi.String(c.Origin.lockdown).ToStringOutput()
	c.OriginDomainName = c.Origin.DomainName
	c.OriginProtocol = pulumi.String(c.Origin.protocol).ToStringOutput()
	c.SecretHeaderName = pulumi.String(args.SecretHeaderName).ToStringOutput()
}
