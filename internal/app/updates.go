package app

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/gopherstack/serverless-arch/components/updateoffload"
	"github.com/gopherstack/serverless-arch/internal/config"
)

// deployUpdates deploys the software-update offload: an UpdateOffloadCDN in
// front of the existing ALB named in config (prod) or a demo origin (dev).
func deployUpdates(ctx *pulumi.Context, cfg *config.Config, _ *shared, opts ...pulumi.ResourceOption) error {
	u := cfg.Updates
	// The secret must be stored encrypted in the stack, not just present:
	// a plain value would sit in Pulumi.<stack>.yaml for anyone to read.
	secretKey := ctx.Project() + ":" + config.UpdatesSecretKey
	if !ctx.IsConfigSecret(secretKey) {
		return config.Errors{&config.Error{
			Key: secretKey, Value: "[stored in plain text]",
			Allowed: "an encrypted value: pulumi config set --secret " + config.UpdatesSecretKey + ` "$(openssl rand -hex 32)"`,
		}}
	}

	// CloudFront delivers access logs in us-east-1, whatever the home region.
	east, err := regionalProvider(ctx, cfg, "updates-us-east-1", "us-east-1", opts...)
	if err != nil {
		return err
	}
	args := updateoffload.Args{
		Origin:                 u.Origin,
		RulePriority:           u.AlbRulePriority,
		DemoDomainName:         u.DemoDomainName,
		DemoHostedZone:         u.DemoHostedZone,
		Paths:                  u.Paths,
		VersionQueryParam:      u.VersionQueryParam,
		CacheDays:              u.CacheDays,
		PriceClass:             u.PriceClass,
		OriginReadTimeout:      u.OriginReadTimeout,
		OriginKeepaliveTimeout: u.OriginKeepaliveTimeout,
		SecretHeaderName:       u.SecretHeader,
		OriginSecret:           pulumiconfig.RequireSecret(ctx, config.UpdatesSecretKey),
		DomainName:             u.DomainName,
		USEast1:                east,
		LogRetentionDays:       cfg.LogRetentionDays,
		Protect:                cfg.Protect,
	}
	if u.OriginShield {
		args.OriginShieldRegion = cfg.Region
	}
	if u.CertificateArn != "" {
		args.CertificateArn = pulumi.String(u.CertificateArn)
	}
	switch u.Origin {
	case config.UpdatesOriginExisting:
		args.AlbDNSName = pulumi.String(u.AlbDNSName)
		args.AlbArn = pulumi.String(u.AlbArn)
		args.AlbSecurityGroupID = pulumi.String(u.AlbSecurityGroupID)
		args.AlbListenerArn = pulumi.String(u.AlbListenerArn)
		args.AlbTargetGroupArn = pulumi.String(u.AlbTargetGroupArn)
		args.AlbSecurityGroupRuleQuota = u.AlbSecurityGroupRuleQuota
	case config.UpdatesOriginDemo:
		args.DemoVpcID = pulumi.String(u.DemoVpcID)
		args.DemoSubnetIDs = pulumi.ToStringArray(u.DemoSubnetIDs)
	}
	cdn, err := updateoffload.New(ctx, "updates", args, opts...)
	if err != nil {
		return err
	}
	ctx.Export("updatesDistributionDomain", cdn.DistributionDomainName)
	ctx.Export("updatesCachedPaths", cdn.CachedPaths)
	ctx.Export("updatesOriginLockdown", cdn.LockdownMode)
	return nil
}
