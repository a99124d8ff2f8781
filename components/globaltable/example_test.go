package globaltable_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// A table in us-east-1 replicated to Ireland and Sydney, encrypted in each
// region with a replica of one multi-Region customer managed key. A stream
// consumer reads the home region's stream.
func Example() {
	program := func(ctx *pulumi.Context) error {
		// Each replica's KMS key is created in its region with a provider
		// the component makes from the stack's aws: settings.
		replicas := []globaltable.Replica{{Region: "eu-west-1"}, {Region: "ap-southeast-2"}}
		posts, err := globaltable.New(ctx, "posts", globaltable.Args{
			PartitionKey: blocks.Key{Name: "pk"},
			SortKey:      &blocks.Key{Name: "sk"},
			Indexes: []globaltable.Index{{
				Name:         "byEntity",
				PartitionKey: blocks.Key{Name: "entity"},
				SortKey:      &blocks.Key{Name: "publishedAt"},
			}},
			Replicas:   replicas,
			Encryption: globaltable.CustomerManaged,
			Protect:    true,
		})
		if err != nil {
			return err
		}
		ctx.Export("streamArn", posts.StreamArn)
		return nil
	}

	rec, err := stacktest.Run(program)
	if err != nil {
		fmt.Println(err)
		return
	}
	table, _ := rec.Get("aws:dynamodb/table:Table", "posts-table")
	for _, r := range table.Inputs["replicas"].([]any) {
		rep := r.(map[string]any)
		fmt.Println("replica", rep["regionName"], "pitr:", rep["pointInTimeRecovery"])
	}
	fmt.Println("stream:", rec.Outputs["streamArn"])
	// Output:
	// replica eu-west-1 pitr: true
	// replica ap-southeast-2 pitr: true
	// stream: arn:aws:dynamodb:us-east-1:123456789012:table/posts-table/stream/2026-01-01T00:00:00.000
}
