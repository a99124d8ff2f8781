package globaltable_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

const (
	typeTable      = "aws:dynamodb/table:Table"
	typeKey        = "aws:kms/key:Key"
	typeReplicaKey = "aws:kms/replicaKey:ReplicaKey"
	typeProvider   = "pulumi:providers:aws"
)

// blogSchema is the schema the blog API's handler relies on.
func blogSchema() globaltable.Args {
	return globaltable.Args{
		PartitionKey: blocks.Key{Name: "pk"},
		SortKey:      &blocks.Key{Name: "sk"},
		Indexes: []globaltable.Index{{
			Name:         "byEntity",
			PartitionKey: blocks.Key{Name: "entity"},
			SortKey:      &blocks.Key{Name: "publishedAt"},
		}},
	}
}

// runTable runs a program that creates providers for regions and one table
// whose replicas are those regions, exporting the table's outputs.
func runTable(t *testing.T, regions []string, edit func(*globaltable.Args)) (*stacktest.Recording, error) {
	t.Helper()
	return stacktest.Run(func(ctx *pulumi.Context) error {
		args := blogSchema()
		providers := map[string]pulumi.ProviderResource{}
		for _, r := range regions {
			if providers[r] == nil {
				p, err := aws.NewProvider(ctx, "aws-"+r, &aws.ProviderArgs{Region: pulumi.String(r)})
				if err != nil {
					return err
				}
				providers[r] = p
			}
			args.Replicas = append(args.Replicas, globaltable.Replica{Region: r, Provider: providers[r]})
		}
		if edit != nil {
			edit(&args)
		}
		tbl, err := globaltable.New(ctx, "posts", args)
		if err != nil {
			return err
		}
		ctx.Export("streamArn", tbl.StreamArn)
		ctx.Export("name", tbl.Name)
		ctx.Export("arn", tbl.Arn)
		ctx.Export("kmsKeyArn", tbl.KMSKeyArn)
		ctx.Export("indexArn", tbl.IndexArn("byEntity"))
		return nil
	})
}

func TestProductionTableReplicatesWithPITRAndRegionalKeys(t *testing.T) {
	regions := []string{"eu-west-1", "ap-southeast-2"}
	rec, err := runTable(t, regions, func(a *globaltable.Args) {
		a.Encryption = globaltable.CustomerManaged
		a.Protect = true
		a.TTLAttribute = "expiresAt"
	})
	if err != nil {
		t.Fatal(err)
	}
	table := rec.Must(t, typeTable, "posts-table")
	in := table.Inputs

	for key, want := range map[string]any{
		"billingMode":               "PAY_PER_REQUEST",
		"streamEnabled":             true,
		"streamViewType":            "NEW_AND_OLD_IMAGES",
		"deletionProtectionEnabled": true,
		"hashKey":                   "pk",
		"rangeKey":                  "sk",
	} {
		if in[key] != want {
			t.Errorf("table %s = %v, want %v", key, in[key], want)
		}
	}
	if pitr := in["pointInTimeRecovery"].(map[string]any); pitr["enabled"] != true {
		t.Errorf("table PITR = %v, want enabled", pitr)
	}
	if ttl := in["ttl"].(map[string]any); ttl["attributeName"] != "expiresAt" || ttl["enabled"] != true {
		t.Errorf("ttl = %v, want expiresAt enabled", ttl)
	}
	if !table.Protect {
		t.Error("production table is not protected")
	}

	homeKey := rec.Must(t, typeKey, "posts-key")
	if homeKey.Inputs["multiRegion"] != true || homeKey.Inputs["enableKeyRotation"] != true {
		t.Errorf("home key inputs %v, want a rotating multi-Region key", homeKey.Inputs)
	}
	homeKeyArn := "arn:aws:kms:us-east-1:123456789012:key/"
	if sse := in["serverSideEncryption"].(map[string]any); sse["enabled"] != true || !strings.HasPrefix(sse["kmsKeyArn"].(string), homeKeyArn) {
		t.Errorf("table encryption %v, want the home-region key", sse)
	}

	replicas := in["replicas"].([]any)
	if len(replicas) != len(regions) {
		t.Fatalf("table has %d replicas, want %d: %v", len(replicas), len(regions), replicas)
	}
	for i, raw := range replicas {
		rep := raw.(map[string]any)
		region := regions[i]
		if rep["regionName"] != region {
			t.Errorf("replica %d is in %v, want %s", i, rep["regionName"], region)
		}
		if rep["pointInTimeRecovery"] != true {
			t.Errorf("replica %s has pointInTimeRecovery %v, want true", region, rep["pointInTimeRecovery"])
		}
		key := rec.Must(t, typeReplicaKey, "posts-key-"+region)
		provider, ok := rec.ByURN(key.Provider)
		if !ok || provider.Type != typeProvider || provider.Inputs["region"] != region {
			t.Errorf("replica key for %s uses provider %q (%v), want the %s provider", region, key.Provider, provider.Inputs, region)
		}
		if !strings.HasPrefix(key.Inputs["primaryKeyArn"].(string), homeKeyArn) {
			t.Errorf("replica key for %s replicates %v, want the home key", region, key.Inputs["primaryKeyArn"])
		}
		wantKey := "arn:aws:kms:" + region + ":123456789012:key/"
		if got, _ := rep["kmsKeyArn"].(string); !strings.HasPrefix(got, wantKey) {
			t.Errorf("replica %s is encrypted with %q, want its region's replica key", region, got)
		}
		if !key.Protect || !homeKey.Protect {
			t.Errorf("keys of a protected table are not protected (home %v, %s %v)", homeKey.Protect, region, key.Protect)
		}
	}

	if got, want := rec.Outputs["streamArn"], "arn:aws:dynamodb:us-east-1:123456789012:table/posts-table/stream/2026-01-01T00:00:00.000"; got != want {
		t.Errorf("streamArn output = %v, want the home region's stream %v", got, want)
	}
	if got, want := rec.Outputs["indexArn"], "arn:aws:dynamodb:us-east-1:123456789012:table/posts-table/index/byEntity"; got != want {
		t.Errorf("IndexArn = %v, want %v", got, want)
	}
}

func TestDevelopmentTableIsUnreplicatedAndUnprotected(t *testing.T) {
	rec, err := runTable(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	table := rec.Must(t, typeTable, "posts-table")
	if reps, _ := table.Inputs["replicas"].([]any); len(reps) != 0 {
		t.Errorf("replicas = %v, want none", reps)
	}
	if table.Protect || table.Inputs["deletionProtectionEnabled"] != false {
		t.Errorf("dev table protect=%v deletionProtection=%v, want both off", table.Protect, table.Inputs["deletionProtectionEnabled"])
	}
	sse := table.Inputs["serverSideEncryption"].(map[string]any)
	if sse["enabled"] != true || sse["kmsKeyArn"] != nil {
		t.Errorf("encryption = %v, want the aws/dynamodb managed key", sse)
	}
	if n := len(rec.OfType(typeKey)) + len(rec.OfType(typeReplicaKey)); n != 0 {
		t.Errorf("%d KMS keys created without customer managed encryption", n)
	}
	attrs := map[string]string{}
	for _, a := range table.Inputs["attributes"].([]any) {
		m := a.(map[string]any)
		attrs[m["name"].(string)] = m["type"].(string)
	}
	if len(attrs) != 4 || attrs["pk"] != "S" || attrs["sk"] != "S" || attrs["entity"] != "S" || attrs["publishedAt"] != "S" {
		t.Errorf("attributes = %v, want pk, sk, entity, publishedAt (all S), each once", attrs)
	}
	gsi := table.Inputs["globalSecondaryIndexes"].([]any)[0].(map[string]any)
	if gsi["name"] != "byEntity" || gsi["hashKey"] != "entity" || gsi["rangeKey"] != "publishedAt" || gsi["projectionType"] != "ALL" {
		t.Errorf("index = %v, want byEntity(entity, publishedAt) projecting ALL", gsi)
	}
	if rec.Outputs["kmsKeyArn"] != "" {
		t.Errorf("kmsKeyArn output = %v, want empty", rec.Outputs["kmsKeyArn"])
	}
}

func TestKeysPassedInAreUsedPerRegion(t *testing.T) {
	const home = "arn:aws:kms:us-east-1:123456789012:key/mrk-home"
	const replica = "arn:aws:kms:eu-west-1:123456789012:key/mrk-replica"
	rec, err := runTable(t, []string{"eu-west-1"}, func(a *globaltable.Args) {
		a.Encryption = globaltable.CustomerManaged
		a.KMSKeyARN = pulumi.String(home)
		a.Replicas[0].KMSKeyARN = pulumi.String(replica)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rec.OfType(typeKey)) + len(rec.OfType(typeReplicaKey)); n != 0 {
		t.Errorf("%d KMS keys created although keys were passed in", n)
	}
	in := rec.Must(t, typeTable, "posts-table").Inputs
	if got := in["serverSideEncryption"].(map[string]any)["kmsKeyArn"]; got != home {
		t.Errorf("table key = %v, want %s", got, home)
	}
	if got := in["replicas"].([]any)[0].(map[string]any)["kmsKeyArn"]; got != replica {
		t.Errorf("replica key = %v, want %s", got, replica)
	}
}

func TestBadArgsAreRefusedBeforeAnyTableExists(t *testing.T) {
	for _, tc := range []struct {
		name    string
		regions []string
		edit    func(*globaltable.Args)
		want    string
	}{
		{"home region as replica", []string{"eu-west-1", "us-east-1"}, nil, `"us-east-1" is the home region`},
		{"duplicate replica", []string{"eu-west-1", "eu-west-1"}, nil, `"eu-west-1" is listed twice`},
		{"not a region name", []string{"Ireland"}, nil, `"Ireland" is not an AWS region name`},
		{"region name with a typo", []string{"eu-west1"}, nil, `"eu-west1" is not an AWS region name`},
		{"explicit home region", []string{"eu-west-1"}, func(a *globaltable.Args) { a.HomeRegion = "eu-west-1" }, `"eu-west-1" is the home region`},
		{"replica without its key", []string{"eu-west-1"}, func(a *globaltable.Args) {
			a.Encryption = globaltable.CustomerManaged
			a.KMSKeyARN = pulumi.String("arn:aws:kms:us-east-1:123456789012:key/k")
		}, "replica eu-west-1 has no KMSKeyARN"},
		{"bad key type", nil, func(a *globaltable.Args) { a.SortKey.Type = "string" }, `key attribute sk has type "string"`},
		{"missing partition key", nil, func(a *globaltable.Args) { a.PartitionKey = blocks.Key{} }, "a partition key is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := runTable(t, tc.regions, tc.edit)
			if err == nil {
				t.Fatalf("accepted; table %v", rec.OfType(typeTable))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestTablePassesThePolicyRules(t *testing.T) {
	for _, tc := range []struct {
		name       string
		regions    []string
		production bool
		edit       func(*globaltable.Args)
	}{
		{"dev", nil, false, nil},
		{"prod", []string{"eu-west-1", "ap-southeast-2"}, true, func(a *globaltable.Args) {
			a.Encryption = globaltable.CustomerManaged
			a.Protect = true
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := runTable(t, tc.regions, tc.edit)
			if err != nil {
				t.Fatal(err)
			}
			report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(tc.production), policy.WithConstraints())
			if err := report.Err(); err != nil {
				t.Error(err)
			}
		})
	}
	// The rules would catch a production table left unprotected.
	rec, err := runTable(t, []string{"eu-west-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if policy.Check(rec.Resources, nil, policy.Production(true)).Err() == nil {
		t.Error("an unprotected table passes the production rules")
	}
}

// A replica without a Provider gets one the component creates, carrying
// the stack's aws: identity settings: without them the replica key would
// be created with whatever credentials the environment holds, possibly in
// another account.
func TestReplicaProviderIsCreatedWithTheStacksIdentity(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		args := blogSchema()
		args.Encryption = globaltable.CustomerManaged
		args.Replicas = []globaltable.Replica{{Region: "eu-west-1"}}
		_, err := globaltable.New(ctx, "posts", args)
		return err
	}, stacktest.Config("aws:profile", "deployer"), stacktest.Config("aws:allowedAccountIds", []string{"123456789012"}))
	if err != nil {
		t.Fatal(err)
	}
	key := rec.Must(t, typeReplicaKey, "posts-key-eu-west-1")
	p, ok := rec.ByURN(key.Provider)
	if !ok {
		t.Fatalf("replica key uses provider %q, which the stack does not hold", key.Provider)
	}
	if p.Inputs["region"] != "eu-west-1" || p.Inputs["profile"] != "deployer" {
		t.Errorf("provider inputs %v, want region eu-west-1 and the stack's profile", p.Inputs)
	}
	if got := p.Inputs["allowedAccountIds"]; len(got.([]any)) != 1 {
		t.Errorf("allowedAccountIds = %v, want the stack's", got)
	}
}
