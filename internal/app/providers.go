package app

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/internal/config"
)

// regionalProvider creates an AWS provider for region that deploys with
// the same account and identity as the stack's default provider: Pulumi
// passes the stack's aws: settings to the default provider only.
func regionalProvider(ctx *pulumi.Context, cfg *config.Config, name, region string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	p, err := aws.NewProvider(ctx, name, providerArgs(cfg.AWS, region), opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the %s provider: %w", region, err)
	}
	return p, nil
}

func providerArgs(s config.AWSSettings, region string) *aws.ProviderArgs {
	args := &aws.ProviderArgs{Region: pulumi.String(region)}
	optional := func(v string) pulumi.StringPtrInput {
		if v == "" {
			return nil
		}
		return pulumi.String(v)
	}
	secret := func(v string) pulumi.StringPtrInput {
		if v == "" {
			return nil
		}
		return pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput)
	}
	list := func(vs []string) pulumi.StringArrayInput {
		if len(vs) == 0 {
			return nil
		}
		return pulumi.ToStringArray(vs)
	}
	args.Profile = optional(s.Profile)
	args.SharedConfigFiles = list(s.SharedConfigFiles)
	args.SharedCredentialsFiles = list(s.SharedCredentialsFiles)
	args.AllowedAccountIds = list(s.AllowedAccountIDs)
	args.ForbiddenAccountIds = list(s.ForbiddenAccountIDs)
	args.AccessKey = secret(s.AccessKey)
	args.SecretKey = secret(s.SecretKey)
	args.Token = secret(s.Token)
	if r := s.AssumeRole; r != nil {
		role := &aws.ProviderAssumeRoleArgs{
			RoleArn:           pulumi.String(r.RoleARN),
			SessionName:       optional(r.SessionName),
			ExternalId:        optional(r.ExternalID),
			Duration:          optional(r.Duration),
			Policy:            optional(r.Policy),
			PolicyArns:        list(r.PolicyARNs),
			SourceIdentity:    optional(r.SourceIdentity),
			TransitiveTagKeys: list(r.TransitiveTagKeys),
		}
		if len(r.Tags) > 0 {
			role.Tags = pulumi.ToStringMap(r.Tags)
		}
		args.AssumeRole = role
	}
	if len(s.DefaultTags) > 0 {
		args.DefaultTags = &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(s.DefaultTags)}
	}
	return args
}
