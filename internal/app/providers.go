package app

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/internal/config"
)

// regionalProvider creates an AWS provider for region that deploys with
// the same account and identity as the stack's default provider (see
// blocks.AWSSettings), from the settings config has already validated.
func regionalProvider(ctx *pulumi.Context, cfg *config.Config, name, region string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	p, err := aws.NewProvider(ctx, name, cfg.AWS.ProviderArgs(region), opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the %s provider: %w", region, err)
	}
	return p, nil
}
