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
	args := cfg.Updates.CDN
	args.OriginSecret = pulumiconfig.RequireSecret(ctx, config.UpdatesSecretKey)
	args.USEast1 = east
	args.LogRetentionDays = cfg.LogRetentionDays
	args.Protect = cfg.Protect
	if cfg.Updates.OriginShield {
		args.OriginShieldRegion = cfg.Region
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
