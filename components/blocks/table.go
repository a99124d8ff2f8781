package blocks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Key is one attribute of a table's primary key.
type Key struct {
	// Name is the attribute's name.
	Name string
	// Type is "S" (string, the default), "N" (number) or "B" (binary).
	Type string
}

// TableArgs configures NewTable. The zero value of every field but
// PartitionKey is the secure, on-demand default.
type TableArgs struct {
	// PartitionKey is required; SortKey is optional.
	PartitionKey Key
	SortKey      *Key
	// TTLAttribute, if set, names the number attribute holding each item's
	// expiry time (epoch seconds); DynamoDB deletes expired items for free.
	TTLAttribute string
	// ReadCapacity and WriteCapacity switch the table to provisioned
	// capacity when both are set; otherwise it is on-demand, which suits
	// spiky or unknown traffic and never throttles on a forgotten limit.
	ReadCapacity, WriteCapacity int
	// KMSKeyARN encrypts with this customer managed key; nil uses the AWS
	// managed key alias/aws/dynamodb (SSE is always on).
	KMSKeyARN pulumi.StringInput
	// StreamViewType turns on a stream ("NEW_IMAGE", "NEW_AND_OLD_IMAGES",
	// ...); empty means no stream.
	StreamViewType string
	// Protect turns on deletion protection and marks the table stateful
	// (see Stateful).
	Protect bool
}

// NewTable creates a DynamoDB table with point-in-time recovery and
// server-side encryption with KMS, on-demand unless capacities are given,
// and with deletion protection when args.Protect is set.
//
// Tables replicated to other regions are the GlobalTable component's job;
// NewTable is for single-region tables.
func NewTable(ctx *pulumi.Context, name string, args TableArgs, opts ...pulumi.ResourceOption) (*dynamodb.Table, error) {
	if args.PartitionKey.Name == "" {
		return nil, fmt.Errorf("table %s: a partition key is required", name)
	}
	attrs := dynamodb.TableAttributeArray{keyAttribute(args.PartitionKey)}
	var rangeKey pulumi.StringPtrInput
	if args.SortKey != nil {
		attrs = append(attrs, keyAttribute(*args.SortKey))
		rangeKey = pulumi.String(args.SortKey.Name)
	}
	tableArgs := &dynamodb.TableArgs{
		Attributes:                attrs,
		HashKey:                   pulumi.String(args.PartitionKey.Name),
		RangeKey:                  rangeKey,
		BillingMode:               pulumi.String("PAY_PER_REQUEST"),
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true), KmsKeyArn: args.KMSKeyARN},
		DeletionProtectionEnabled: pulumi.Bool(args.Protect),
	}
	if args.ReadCapacity > 0 && args.WriteCapacity > 0 {
		tableArgs.BillingMode = pulumi.String("PROVISIONED")
		tableArgs.ReadCapacity = pulumi.Int(args.ReadCapacity)
		tableArgs.WriteCapacity = pulumi.Int(args.WriteCapacity)
	}
	if args.TTLAttribute != "" {
		tableArgs.Ttl = &dynamodb.TableTtlArgs{AttributeName: pulumi.String(args.TTLAttribute), Enabled: pulumi.Bool(true)}
	}
	if args.StreamViewType != "" {
		tableArgs.StreamEnabled = pulumi.Bool(true)
		tableArgs.StreamViewType = pulumi.String(args.StreamViewType)
	}
	t, err := dynamodb.NewTable(ctx, name, tableArgs, With(opts, Stateful(args.Protect)...)...)
	if err != nil {
		return nil, fmt.Errorf("creating table %s: %w", name, err)
	}
	return t, nil
}

func keyAttribute(k Key) dynamodb.TableAttributeInput {
	typ := k.Type
	if typ == "" {
		typ = "S"
	}
	return dynamodb.TableAttributeArgs{Name: pulumi.String(k.Name), Type: pulumi.String(typ)}
}

// TableOf is a table made with NewTable (or any dynamodb.Table) as its
// users need it; kmsKeyArn is the customer managed key it was given, nil
// for none.
func TableOf(t *dynamodb.Table, kmsKeyArn pulumi.StringInput) TableRef {
	return TableRef{Name: t.Name, Arn: t.Arn, StreamArn: t.StreamArn, KMSKeyArn: kmsKeyArn}
}
