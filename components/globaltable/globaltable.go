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
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
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
	Name         string
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

// keys returns every key attribute of the table and its indexes, with
// types defaulted, in declaration order.
func (a *Args) keys() []blocks.Key {
	out := []blocks.Key{a.PartitionKey}
	if a.SortKey != nil {
		out = append(out, *a.SortKey)
	}
	for _, ix := range a.Indexes {
		out = append(out, ix.PartitionKey)
		if ix.SortKey != nil {
			out = append(out, *ix.SortKey)
		}
	}
	for i := range out {
		out[i].Type = cmp.Or(out[i].Type, "S")
	}
	return out
}

// regionForm is the shape of an AWS region name: partition prefix, area,
// number ("eu-west-1", "us-gov-west-1", "cn-north-1"). Whether a region
// exists, or is enabled in an account, is AWS's to say.
var regionForm = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// ReplicaProblem says what is wrong with replicas as the replica regions of
// a table whose home region is home, or returns "" when nothing is: each
// must have the form of a region name, none may be the home region, and
// none may appear twice.
func ReplicaProblem(home string, replicas []string) string {
	var problems []string
	seen := map[string]bool{}
	for _, r := range replicas {
		switch {
		case r == home:
			problems = append(problems, fmt.Sprintf("%q is the home region", r))
		case !regionForm.MatchString(r):
			problems = append(problems, fmt.Sprintf("%q is not an AWS region name", r))
		case seen[r]:
			problems = append(problems, fmt.Sprintf("%q is listed twice", r))
		}
		seen[r] = true
	}
	return strings.Join(problems, ", ")
}

// New creates a global table named name. Children: name-table, and with
// created customer managed keys name-key and name-key-<region>.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*GlobalTable, error) {
	args.withDefaults()
	t := &GlobalTable{}
	if err := ctx.RegisterComponentResource(Token, name, t, opts...); err != nil {
		return nil, fmt.Errorf("registering global table %s: %w", name, err)
	}
	if args.HomeRegion == "" {
		region, err := aws.GetRegion(ctx, nil, pulumi.Parent(t))
		if err != nil {
			return nil, fmt.Errorf("looking up the home region of table %s: %w", name, err)
		}
		args.HomeRegion = region.Name
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("global table %s: %w", name, err)
	}
	child := []pulumi.ResourceOption{pulumi.Parent(t)}
	stateful := blocks.With(child, blocks.Stateful(args.Protect)...)

	homeKey, replicaKeys, err := t.keys(ctx, name, &args, stateful)
	if err != nil {
		return nil, err
	}

	replicas := make(dynamodb.TableReplicaTypeArray, len(args.Replicas))
	for i, r := range args.Replicas {
		rep := &dynamodb.TableReplicaTypeArgs{
			RegionName:          pulumi.String(r.Region),
			PointInTimeRecovery: pulumi.Bool(true),
			PropagateTags:       pulumi.Bool(true),
		}
		if replicaKeys != nil {
			rep.KmsKeyArn = replicaKeys[i]
		}
		replicas[i] = rep
	}

	sse := &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(args.Encryption != AWSOwned)}
	if homeKey != nil {
		sse.KmsKeyArn = homeKey
	}
	var ttl dynamodb.TableTtlPtrInput
	if args.TTLAttribute != "" {
		ttl = &dynamodb.TableTtlArgs{AttributeName: pulumi.String(args.TTLAttribute), Enabled: pulumi.Bool(true)}
	}
	var rangeKey pulumi.StringPtrInput
	if args.SortKey != nil {
		rangeKey = pulumi.String(args.SortKey.Name)
	}
	table, err := dynamodb.NewTable(ctx, name+"-table", &dynamodb.TableArgs{
		Name:                      args.Name,
		BillingMode:               pulumi.String("PAY_PER_REQUEST"),
		HashKey:                   pulumi.String(args.PartitionKey.Name),
		RangeKey:                  rangeKey,
		Attributes:                attributes(&args),
		GlobalSecondaryIndexes:    indexes(args.Indexes),
		StreamEnabled:             pulumi.Bool(true),
		StreamViewType:            pulumi.String("NEW_AND_OLD_IMAGES"),
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      sse,
		DeletionProtectionEnabled: pulumi.Bool(args.Protect),
		Ttl:                       ttl,
		Replicas:                  replicas,
		Tags:                      args.Tags,
	}, blocks.With(stateful, pulumi.DependsOn(t.Keys))...)
	if err != nil {
		return nil, fmt.Errorf("creating table %s: %w", name, err)
	}

	t.Table = table
	t.Name = table.Name
	t.Arn = table.Arn
	t.StreamArn = table.StreamArn
	t.KMSKeyArn = pulumi.String("").ToStringOutput()
	if homeKey != nil {
		t.KMSKeyArn = homeKey.ToStringOutput()
		t.homeKey = homeKey
	}
	t.HomeRegion = args.HomeRegion
	for _, r := range args.Replicas {
		t.ReplicaRegions = append(t.ReplicaRegions, r.Region)
	}
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{
		"name":           t.Name,
		"arn":            t.Arn,
		"streamArn":      t.StreamArn,
		"kmsKeyArn":      t.KMSKeyArn,
		"homeRegion":     pulumi.String(t.HomeRegion),
		"replicaRegions": pulumi.ToStringArray(t.ReplicaRegions),
	}); err != nil {
		return nil, fmt.Errorf("registering outputs of table %s: %w", name, err)
	}
	return t, nil
}

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
		if r.Provider == nil {
			if r.Provider, err = blocks.RegionalProvider(ctx, name+"-"+r.Region, r.Region, opts...); err != nil {
				return nil, nil, err
			}
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

// attributes declares each key attribute of the table and its indexes once.
func attributes(args *Args) dynamodb.TableAttributeArray {
	var out dynamodb.TableAttributeArray
	seen := map[string]bool{}
	for _, a := range args.keys() {
		if seen[a.Name] {
			continue
		}
		seen[a.Name] = true
		out = append(out, &dynamodb.TableAttributeArgs{Name: pulumi.String(a.Name), Type: pulumi.String(a.Type)})
	}
	return out
}

func indexes(list []Index) dynamodb.TableGlobalSecondaryIndexArray {
	var out dynamodb.TableGlobalSecondaryIndexArray
	for _, ix := range list {
		gsi := &dynamodb.TableGlobalSecondaryIndexArgs{
			Name:           pulumi.String(ix.Name),
			HashKey:        pulumi.String(ix.PartitionKey.Name),
			ProjectionType: pulumi.String(ix.Projection),
		}
		if ix.SortKey != nil {
			gsi.RangeKey = pulumi.String(ix.SortKey.Name)
		}
		if len(ix.NonKeyAttributes) > 0 {
			gsi.NonKeyAttributes = pulumi.ToStringArray(ix.NonKeyAttributes)
		}
		out = append(out, gsi)
	}
	return out
}

// IndexArn is the ARN of the table's index named index, for IAM statements
// that allow Query on it.
func (t *GlobalTable) IndexArn(index string) pulumi.StringOutput {
	return pulumi.Sprintf("%s/index/%s", t.Arn, index)
}
