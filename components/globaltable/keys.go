package globaltable

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// keys returns the customer managed keys for the home region and each
// replica (in Args.Replicas order), creating them if they were not passed
// in; both are nil unless encryption is CustomerManaged.
func (t *GlobalTable) keys(ctx *pulumi.Context, name string, args *Args, opts []pulumi.ResourceOption) (pulumi.StringInput, []pulumi.StringInput, error) {
	if args.Encryption != CustomerManaged {
		return nil, nil, nil
	}
	replicaKeys := make([]pulumi.StringInput, len(args.Replicas))
	if args.KMSKeyARN != nil {
		for i, r := range args.Replicas {
			replicaKeys[i] = r.KMSKeyARN
		}
		return args.KMSKeyARN, replicaKeys, nil
	}
	// A multi-Region key shares its key material with its replicas, so
	// every region's copy of the table is encrypted under "the same" key,
	// administered and rotated in one place.
	home, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Encrypts DynamoDB table %s and its replicas", name),
		MultiRegion:          pulumi.Bool(true),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(args.KeyDeletionWindowDays),
		Tags:                 args.Tags,
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating key of table %s: %w", name, err)
	}
	t.Keys = append(t.Keys, home)
	for i, r := range args.Replicas {
		if r.Provider, err = blocks.EnsureProvider(ctx, r.Provider, name+"-"+r.Region, r.Region, opts...); err != nil {
			return nil, nil, err
		}
		rk, err := kms.NewReplicaKey(ctx, name+"-key-"+r.Region, &kms.ReplicaKeyArgs{
			Description:          pulumi.Sprintf("Encrypts the %s replica of DynamoDB table %s", r.Region, name),
			PrimaryKeyArn:        home.Arn,
			DeletionWindowInDays: pulumi.Int(args.KeyDeletionWindowDays),
			Tags:                 args.Tags,
		}, blocks.With(opts, pulumi.Provider(r.Provider))...)
		if err != nil {
			return nil, nil, fmt.Errorf("creating %s replica key of table %s: %w", r.Region, name, err)
		}
		t.Keys = append(t.Keys, rk)
		replicaKeys[i] = rk.Arn
	}
	return home.Arn, replicaKeys, nil
}
