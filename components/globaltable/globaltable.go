// Package globaltable provides GlobalTable, a DynamoDB global table (version
// 2019.11.21) with the settings a production table needs, in one place:
//
//   - replicas in the regions you list, each with point-in-time recovery (the
//     table's own PITR setting does not reach its replicas);
//   - on-demand billing, so a quiet replica costs nothing but storage;
//   - a stream with NEW_AND_OLD_IMAGES, through which global tables replicate;
//   - encryption at rest with an AWS owned key, the aws/dynamodb managed key,
//     or a customer managed key: a multi-Region KMS key in the home region and
//     a replica of it in every replica region (DynamoDB needs a key in each
//     replica's region), or keys you pass in;
//   - deletion protection, Pulumi protect and retain-on-delete when Protect is
//     set (production);
//   - an optional TTL attribute and global secondary indexes.
//
// A bad replica list (the home region, a region listed twice, a name that is
// not an AWS region) is refused with an error naming the region, before any
// table or key is created.
//
// Every replica has its own stream, which also carries the writes replicated
// into it. Consume the home region's stream (StreamArn) only, or each write
// is processed once per region. When Aurora Global Database is the better
// choice is in [README: Choosing the blog's database].
//
// [README: Choosing the blog's database]: https://github.com/gopherstack/serverless-arch#choosing-the-blogs-database-global-table-or-aurora-global-database
package globaltable

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// Token is the type token of GlobalTable.
const Token = "serverless-arch:table:GlobalTable"

// Encryption selects the key that encrypts the table at rest.
type Encryption string

const (
	// AWSOwned is DynamoDB's default key, owned by AWS: free, but its use is
	// not visible in CloudTrail.
	AWSOwned Encryption = "aws-owned"
	// AWSManaged is each region's aws/dynamodb key: its use is logged in
	// CloudTrail; AWS manages the key policy and rotation.
	AWSManaged Encryption = "aws-managed"
	// CustomerManaged is a key you control (policy, rotation, revocation):
	// one per region, created here as a multi-Region key and its replicas
	// unless Args.KMSKeyARN and every Replica.KMSKeyARN are given.
	CustomerManaged Encryption = "customer"
)

// Index is a global secondary index.
type Index struct {
	// Name is the index's name.
	Name string
	// PartitionKey is the index's partition key.
	PartitionKey blocks.Key
	// SortKey is optional.
	SortKey *blocks.Key
	// Projection is "ALL" (default), "KEYS_ONLY" or "INCLUDE" (with
	// NonKeyAttributes).
	Projection       string
	NonKeyAttributes []string
}

// Replica is one region, beside the home region, that holds a copy of the
// table.
type Replica struct {
	// Region is the AWS region, e.g. "eu-west-1".
	Region string
	// Provider is an AWS provider for Region, used only to create the
	// region's replica KMS key (CustomerManaged encryption without
	// KMSKeyARN). Nil creates one with the stack's aws: identity settings
	// (see blocks.RegionalProvider).
	Provider pulumi.ProviderResource
	// KMSKeyARN is the customer managed key in Region to encrypt this
	// replica with, when Args.KMSKeyARN is given.
	KMSKeyARN pulumi.StringInput
}

// Args configures a GlobalTable.
type Args struct {
	// Name is the physical table name; nil lets Pulumi generate one.
	Name pulumi.StringInput
	// PartitionKey is required; SortKey is optional. Key types default to
	// "S".
	PartitionKey blocks.Key
	SortKey      *blocks.Key
	// Indexes are the table's global secondary indexes.
	Indexes []Index
	// TTLAttribute names the attribute holding an item's expiry time (Unix
	// epoch seconds); "" turns TTL off.
	TTLAttribute string
	// HomeRegion is the region of the table itself; "" asks the provider
	// the component uses.
	HomeRegion string
	// Replicas are the other regions the table is replicated to.
	Replicas []Replica
	// Encryption defaults to AWSManaged.
	Encryption Encryption
	// KMSKeyARN is the home-region customer managed key, for
	// CustomerManaged encryption with keys you manage yourself.
	KMSKeyARN pulumi.StringInput
	// KeyDeletionWindowDays is the waiting period before a created KMS key
	// is deleted (7 to 30; default 30).
	KeyDeletionWindowDays int
	// Protect turns on deletion protection and protects and retains the
	// table and its keys (see blocks.Stateful).
	Protect bool
	// Tags are applied to the table and propagated to every replica.
	Tags pulumi.StringMapInput
}

// GlobalTable is a DynamoDB global table.
type GlobalTable struct {
	pulumi.ResourceState

	// Table is the underlying table resource.
	Table *dynamodb.Table
	// Keys are the KMS keys the component created (home key first), if any.
	Keys []pulumi.Resource

	// Name and Arn identify the table in its home region.
	Name pulumi.StringOutput `pulumi:"name"`
	Arn  pulumi.StringOutput `pulumi:"arn"`
	// StreamArn is the home region's stream: what a stream consumer (an
	// event source mapping) needs.
	StreamArn pulumi.StringOutput `pulumi:"streamArn"`
	// KMSKeyArn is the home region's customer managed key ("" unless
	// CustomerManaged).
	KMSKeyArn pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// HomeRegion and ReplicaRegions are where the table lives.
	HomeRegion     string
	ReplicaRegions []string

	homeKey pulumi.StringInput
}

// Ref is the table in its home region as its users need it: a function
// that uses it (blocks.TableRef.Use) or reads its stream (ReadStream) also
// gets the key actions its customer managed key needs.
func (t *GlobalTable) Ref() blocks.TableRef {
	return blocks.TableRef{Name: t.Name, Arn: t.Arn, StreamArn: t.StreamArn, KMSKeyArn: t.homeKey}
}

func (a *Args) withDefaults() {
	if a.Encryption == "" {
		a.Encryption = AWSManaged
	}
	if a.KeyDeletionWindowDays == 0 {
		a.KeyDeletionWindowDays = 30
	}
	for i := range a.Indexes {
		if a.Indexes[i].Projection == "" {
			a.Indexes[i].Projection = "ALL"
		}
	}
}

// validate reports every problem with args at once.
func (a *Args) validate() error {
	var errs []error
	if a.PartitionKey.Name == "" {
		errs = append(errs, errors.New("a partition key is required"))
	}
	regions := make([]string, len(a.Replicas))
	for i, r := range a.Replicas {
		regions[i] = r.Region
	}
	if problem := ReplicaProblem(a.HomeRegion, regions); problem != "" {
		errs = append(errs, fmt.Errorf("replica regions %q are not distinct AWS regions other than the home region %s: %s", regions, a.HomeRegion, problem))
	}
	switch a.Encryption {
	case AWSOwned, AWSManaged:
		if a.KMSKeyARN != nil {
			errs = append(errs, fmt.Errorf("KMSKeyARN is set but Encryption is %q; use %q", a.Encryption, CustomerManaged))
		}
	case CustomerManaged:
		for _, r := range a.Replicas {
			switch {
			case a.KMSKeyARN != nil && r.KMSKeyARN == nil:
				errs = append(errs, fmt.Errorf("replica %s has no KMSKeyARN: with Args.KMSKeyARN given, every replica needs its own key in its region", r.Region))
			}
		}
	default:
		errs = append(errs, fmt.Errorf("encryption %q is not one of %q, %q, %q", a.Encryption, AWSOwned, AWSManaged, CustomerManaged))
	}
	types := map[string]string{}
	for _, k := range a.keys() {
		if k.Type != "S" && k.Type != "N" && k.Type != "B" {
			errs = append(errs, fmt.Errorf("key attribute %s has type %q, want S, N or B", k.Name, k.Type))
		}
		if t, ok := types[k.Name]; ok && t != k.Type {
			errs = append(errs, fmt.Errorf("key attribute %s is declared as both %s and %s", k.Name, t, k.Type))
		}
		types[k.Name] = k.Type
	}
	if a.KeyDeletionWindowDays < 7 || a.KeyDeletionWindowDays > 30 {
		errs = append(errs, fmt.Errorf("KeyDeletionWindowDays %d is not within 7 to 30", a.KeyDeletionWindowDays))
	}
	return errors.Join(errs...)
}

// New creates a global table named name: the arguments with their defaults
// (the home region from the provider if not given), then the children (the
// customer managed keys if it creates them, and the table, name-table),
// then the outputs. Created keys are name-key and name-key-<region>.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*GlobalTable, error) {
	args.withDefaults()
	t := &GlobalTable{}
	if err := ctx.RegisterComponentResource(Token, name, t, opts...); err != nil {
		return nil, fmt.Errorf("registering global table %s: %w", name, err)
	}
	if err := args.lookUpHomeRegion(ctx, t); err != nil {
		return nil, fmt.Errorf("looking up the home region of table %s: %w", name, err)
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("global table %s: %w", name, err)
	}
	stateful := blocks.With([]pulumi.ResourceOption{pulumi.Parent(t)}, blocks.Stateful(args.Protect)...)
	homeKey, replicaKeys, err := t.keys(ctx, name, &args, stateful)
	if err != nil {
		return nil, err
	}
	if err := t.table(ctx, name, &args, homeKey, replicaKeys, stateful); err != nil {
		return nil, err
	}
	if err := t.outputs(ctx, &args, homeKey); err != nil {
		return nil, fmt.Errorf("registering outputs of table %s: %w", name, err)
	}
	return t, nil
}

// lookUpHomeRegion sets HomeRegion, if it is not set, to the region of the
// provider the component t uses.
func (a *Args) lookUpHomeRegion(ctx *pulumi.Context, t *GlobalTable) error {
	if a.HomeRegion != "" {
		return nil
	}
	region, err := aws.GetRegion(ctx, nil, pulumi.Parent(t))
	if err != nil {
		return err
	}
	a.HomeRegion = region.Name
	return nil
}

// outputs sets the component's outputs from its table and registers them,
// with the plain fields HomeRegion and ReplicaRegions.
func (t *GlobalTable) outputs(ctx *pulumi.Context, args *Args, homeKey pulumi.StringInput) error {
	t.Name = t.Table.Name
	t.Arn = t.Table.Arn
	t.StreamArn = t.Table.StreamArn
	t.KMSKeyArn = pulumi.String("").ToStringOutput()
	if homeKey != nil {
		t.KMSKeyArn = homeKey.ToStringOutput()
		t.homeKey = homeKey
	}
	t.HomeRegion = args.HomeRegion
	for _, r := range args.Replicas {
		t.ReplicaRegions = append(t.ReplicaRegions, r.Region)
	}
	outputs, err := blocks.Outputs(t)
	if err != nil {
		return err
	}
	outputs["homeRegion"] = pulumi.String(t.HomeRegion)
	outputs["replicaRegions"] = pulumi.ToStringArray(t.ReplicaRegions)
	return ctx.RegisterResourceOutputs(t, outputs)
}

// IndexArn is the ARN of the table's index named index, for IAM statements
// that allow Query on it.
func (t *GlobalTable) IndexArn(index string) pulumi.StringOutput {
	return pulumi.Sprintf("%s/index/%s", t.Arn, index)
}
