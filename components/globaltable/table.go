package globaltable

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// table creates the table, encrypted under homeKey and its replicas under
// replicaKeys when those are set, once the keys exist.
func (t *GlobalTable) table(ctx *pulumi.Context, name string, args *Args, homeKey pulumi.StringInput, replicaKeys []pulumi.StringInput, opts []pulumi.ResourceOption) error {
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
		Attributes:                attributes(args),
		GlobalSecondaryIndexes:    indexes(args.Indexes),
		StreamEnabled:             pulumi.Bool(true),
		StreamViewType:            pulumi.String("NEW_AND_OLD_IMAGES"),
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(true)},
		ServerSideEncryption:      sse,
		DeletionProtectionEnabled: pulumi.Bool(args.Protect),
		Ttl:                       ttl,
		Replicas:                  replicas(args.Replicas, replicaKeys),
		Tags:                      args.Tags,
	}, blocks.With(opts, pulumi.DependsOn(t.Keys))...)
	if err != nil {
		return fmt.Errorf("creating table %s: %w", name, err)
	}
	t.Table = table
	return nil
}

// replicas are the table's replicas, each with point-in-time recovery (the
// table's own setting does not reach them) and its key if keys is not nil.
func replicas(list []Replica, keys []pulumi.StringInput) dynamodb.TableReplicaTypeArray {
	out := make(dynamodb.TableReplicaTypeArray, len(list))
	for i, r := range list {
		rep := &dynamodb.TableReplicaTypeArgs{
			RegionName:          pulumi.String(r.Region),
			PointInTimeRecovery: pulumi.Bool(true),
			PropagateTags:       pulumi.Bool(true),
		}
		if keys != nil {
			rep.KmsKeyArn = keys[i]
		}
		out[i] = rep
	}
	return out
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
