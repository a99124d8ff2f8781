package staticsite

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// contentKey creates the customer managed key of the content bucket when
// Args.CustomerManagedKey asks for one; nil otherwise.
func (s *StaticSite) contentKey(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) (*kms.Key, error) {
	if !args.CustomerManagedKey {
		return nil, nil
	}
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Encrypts the content of static site %s", name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(args.KeyDeletionWindowDays),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("creating key of site %s: %w", name, err)
	}
	return key, nil
}

// admitDistribution sets the key's policy once the distribution exists:
// the account's IAM policies decide as with the default policy (deploys
// upload with the deployer's credentials), and this distribution may
// decrypt the objects it reads.
func (s *StaticSite) admitDistribution(ctx *pulumi.Context, name string, key *kms.Key, child []pulumi.ResourceOption) error {
	if key == nil {
		return nil
	}
	caller, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{}, pulumi.Parent(s))
	if err != nil {
		return fmt.Errorf("looking up the account of site %s: %w", name, err)
	}
	if _, err := kms.NewKeyPolicy(ctx, name+"-key-policy", &kms.KeyPolicyArgs{
		KeyId: key.ID(),
		Policy: blocks.PolicyJSON(blocks.AccountKeyAdmin(pulumi.String(caller.AccountId)),
			blocks.AllowCloudFrontDecrypt(s.Distribution.Arn)),
	}, child...); err != nil {
		return fmt.Errorf("setting the key policy of site %s: %w", name, err)
	}
	return nil
}
