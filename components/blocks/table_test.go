package blocks_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

func TestTableDefaultsAndOptions(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		if _, err := blocks.NewTable(ctx, "plain", blocks.TableArgs{PartitionKey: blocks.Key{Name: "pk"}}); err != nil {
			return err
		}
		_, err := blocks.NewTable(ctx, "kept", blocks.TableArgs{
			PartitionKey: blocks.Key{Name: "owner"}, SortKey: &blocks.Key{Name: "at", Type: "N"},
			TTLAttribute: "expires", ReadCapacity: 5, WriteCapacity: 2, StreamViewType: "NEW_IMAGE", Protect: true,
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	plain := rec.Must(t, "aws:dynamodb/table:Table", "plain")
	in := plain.Inputs
	if in["billingMode"] != "PAY_PER_REQUEST" || in["hashKey"] != "pk" || in["rangeKey"] != nil {
		t.Errorf("plain table %v", in)
	}
	if in["pointInTimeRecovery"].(map[string]any)["enabled"] != true || in["serverSideEncryption"].(map[string]any)["enabled"] != true {
		t.Errorf("plain table lacks PITR or SSE: %v", in)
	}
	if in["deletionProtectionEnabled"] != false || plain.Protect || in["ttl"] != nil || in["streamEnabled"] != nil {
		t.Errorf("plain table has options it was not given: %v", in)
	}
	if attrs := in["attributes"].([]any); len(attrs) != 1 || attrs[0].(map[string]any)["type"] != "S" {
		t.Errorf("attributes %v, want the partition key as a string", attrs)
	}

	kept := rec.Must(t, "aws:dynamodb/table:Table", "kept")
	in = kept.Inputs
	if !kept.Protect || in["deletionProtectionEnabled"] != true {
		t.Error("a protected table is not protected")
	}
	if in["billingMode"] != "PROVISIONED" || in["readCapacity"] != 5.0 || in["writeCapacity"] != 2.0 {
		t.Errorf("capacity %v %v %v", in["billingMode"], in["readCapacity"], in["writeCapacity"])
	}
	if ttl := in["ttl"].(map[string]any); ttl["attributeName"] != "expires" || ttl["enabled"] != true {
		t.Errorf("ttl %v", ttl)
	}
	if in["rangeKey"] != "at" || in["streamViewType"] != "NEW_IMAGE" || in["streamEnabled"] != true {
		t.Errorf("sort key or stream %v", in)
	}

	if _, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewTable(ctx, "keyless", blocks.TableArgs{})
		return err
	}); err == nil {
		t.Error("a table without a partition key was accepted")
	}
}
