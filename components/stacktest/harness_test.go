package stacktest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/gopherstack/serverless-arch/components/stacktest"
)

type group struct{ pulumi.ResourceState }

func TestRecordsResourcesWithRealisticOutputs(t *testing.T) {
	var fnArn, invokeArn, streamArn, account string
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		g := &group{}
		if err := ctx.RegisterComponentResource("proj:test:Group", "g", g); err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		tbl, err := dynamodb.NewTable(ctx, "g-table", &dynamodb.TableArgs{
			Name: pulumi.String("items"), StreamEnabled: pulumi.Bool(true), StreamViewType: pulumi.String("NEW_IMAGE"),
			HashKey:    pulumi.String("pk"),
			Attributes: dynamodb.TableAttributeArray{&dynamodb.TableAttributeArgs{Name: pulumi.String("pk"), Type: pulumi.String("S")}},
		}, pulumi.Parent(g), pulumi.Provider(west))
		if err != nil {
			return err
		}
		fn, err := lambda.NewFunction(ctx, "g-fn", &lambda.FunctionArgs{Role: pulumi.String("r"), Code: pulumi.NewAssetArchive(map[string]any{"bootstrap": pulumi.NewStringAsset("x")})}, pulumi.Parent(g))
		if err != nil {
			return err
		}
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		account = id.AccountId
		pulumi.All(fn.Arn, fn.InvokeArn, tbl.StreamArn).ApplyT(func(v []any) error {
			fnArn, invokeArn, streamArn = v[0].(string), v[1].(string), v[2].(string)
			return nil
		})
		ctx.Export("tableName", tbl.Name)
		ctx.Export("password", config.RequireSecret(ctx, "password"))
		return nil
	}, stacktest.Project("proj"), stacktest.Stack("dev"), stacktest.Config("aws:region", "us-east-2"), stacktest.Secret("password", "hunter2"))
	if err != nil {
		t.Fatal(err)
	}
	if account != stacktest.Account {
		t.Errorf("getCallerIdentity account %q", account)
	}
	if fnArn != "arn:aws:lambda:us-east-2:123456789012:function:g-fn" {
		t.Errorf("function ARN %q: want the default provider's region", fnArn)
	}
	if invokeArn != "arn:aws:apigateway:us-east-2:lambda:path/2015-03-31/functions/"+fnArn+"/invocations" {
		t.Errorf("invoke ARN %q", invokeArn)
	}
	if !strings.HasPrefix(streamArn, "arn:aws:dynamodb:eu-west-1:123456789012:table/items/stream/") {
		t.Errorf("stream ARN %q: want the explicit provider's region and the table's name", streamArn)
	}
	tbl := rec.Must(t, "aws:dynamodb/table:Table", "g-table")
	if tbl.Parent != "urn:pulumi:dev::proj::proj:test:Group::g" {
		t.Errorf("table parent %q", tbl.Parent)
	}
	if tbl.URN != "urn:pulumi:dev::proj::proj:test:Group$aws:dynamodb/table:Table::g-table" {
		t.Errorf("table URN %q", tbl.URN)
	}
	if tbl.Provider != "urn:pulumi:dev::proj::pulumi:providers:aws::west" {
		t.Errorf("table provider %q", tbl.Provider)
	}
	code := rec.Must(t, "aws:lambda/function:Function", "g-fn").Inputs["code"].(map[string]any)
	if len(code["sha256"].(string)) != 64 {
		t.Errorf("archive recorded as %v, want its content hash", code)
	}
	if rec.Outputs["tableName"] != "items" || rec.Outputs["password"] != "[secret]" {
		t.Errorf("outputs %v: want the table name and the password hidden", rec.Outputs)
	}
	snap, err := rec.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(snap), "hunter2") {
		t.Error("snapshot leaks a secret")
	}
}

func TestUnknownInvokeIsAnError(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := iam.LookupRole(ctx, &iam.LookupRoleArgs{Name: "x"})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "no mock answer for invoke aws:iam/getRole:getRole") {
		t.Fatalf("err = %v, want a clear error naming the invoke", err)
	}
}

func TestPolicyDocumentInvoke(t *testing.T) {
	var doc string
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		d, err := iam.GetPolicyDocument(ctx, &iam.GetPolicyDocumentArgs{Statements: []iam.GetPolicyDocumentStatement{{
			Actions:    []string{"s3:GetObject"},
			Resources:  []string{"arn:aws:s3:::b/*"},
			Principals: []iam.GetPolicyDocumentStatementPrincipal{{Type: "Service", Identifiers: []string{"cloudfront.amazonaws.com"}}},
			Conditions: []iam.GetPolicyDocumentStatementCondition{{Test: "StringEquals", Variable: "AWS:SourceArn", Values: []string{"arn:x"}}},
		}}})
		if err != nil {
			return err
		}
		doc = d.Json
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Statement":[{"Action":"s3:GetObject","Condition":{"StringEquals":{"AWS:SourceArn":"arn:x"}},"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Resource":"arn:aws:s3:::b/*"}],"Version":"2012-10-17"}`
	if doc != want {
		t.Errorf("policy document\n got %s\nwant %s", doc, want)
	}
}

// Resources registered from many goroutines are all recorded; run with -race.
func TestConcurrentRegistration(t *testing.T) {
	const n = 64
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, err := s3.NewBucketV2(ctx, fmt.Sprintf("b%02d", i), nil)
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rec.OfType("aws:s3/bucketV2:BucketV2")); got != n {
		t.Fatalf("recorded %d buckets, want %d", got, n)
	}
}

func TestDuplicateURNFails(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		if _, err := s3.NewBucketV2(ctx, "same", nil); err != nil {
			return err
		}
		_, err := s3.NewBucketV2(ctx, "same", nil)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "same") {
		t.Fatalf("err = %v, want a duplicate URN error", err)
	}
}

func TestStackConfigAppliesDefaultsThenStackValues(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Pulumi.yaml", "name: proj\nruntime: go\nconfig:\n  size:\n    type: integer\n    default: 3\n  tags:\n    type: array\n    default: [a, b]\n  mode:\n    type: string\n    default: slow\n  apiKey:\n    type: string\n    secret: true\n")
	write("Pulumi.st.yaml", "config:\n  proj:mode: fast\n  proj:token:\n    secure: v1:abc\n")
	got := map[string]string{}
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		for _, k := range []string{"size", "tags", "mode", "apiKey"} {
			got[k] = config.Get(ctx, k)
		}
		got["token"] = config.Get(ctx, "token")
		ctx.Export("token", config.RequireSecret(ctx, "token"))
		return nil
	}, stacktest.StackConfig(dir, "st"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outputs["token"] != "[secret]" {
		t.Errorf("an encrypted stack value is not secret: %v", rec.Outputs["token"])
	}
	want := map[string]string{"size": "3", "tags": `["a","b"]`, "mode": "fast", "token": "offline-secret-proj:token", "apiKey": "offline-secret-proj:apiKey"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestGoldenDiffShowsChangedLines(t *testing.T) {
	d := stacktest.Diff("a\nb\nc\nd\n", "a\nb\nX\nd\n")
	if !strings.Contains(d, "- c") || !strings.Contains(d, "+ X") || strings.Contains(d, "- a") {
		t.Errorf("diff:\n%s", d)
	}
}

func TestGoldenDiffShowsOnlyTheChangedHunks(t *testing.T) {
	var want, got []string
	for i := range 200 {
		want = append(want, fmt.Sprintf("line %d", i))
		got = append(got, fmt.Sprintf("line %d", i))
	}
	got[10], got[150] = "changed 10", "changed 150"
	got = append(got[:100], got[101:]...) // line 100 removed
	d := stacktest.Diff(strings.Join(want, "\n"), strings.Join(got, "\n"))
	for _, w := range []string{"- line 10\n+ changed 10", "- line 100\n", "- line 150\n+ changed 150"} {
		if !strings.Contains(d, w) {
			t.Errorf("diff lacks %q:\n%s", w, d)
		}
	}
	if strings.Contains(d, "line 50\n") || strings.Count(d, "@@") != 6 {
		t.Errorf("diff shows more than the three changes with context:\n%s", d)
	}
}

// A renamed resource that carries pulumi.Aliases is recorded with the URN
// it had before, so a test can tell a deployed stack would keep it.
func TestRecordsAliasesAsURNs(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		g := &group{}
		if err := ctx.RegisterComponentResource("proj:test:Group", "g", g); err != nil {
			return err
		}
		_, err := sqs.NewQueue(ctx, "new-name", &sqs.QueueArgs{}, pulumi.Parent(g),
			pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String("old-name")}, {NoParent: pulumi.Bool(true)}}))
		return err
	}, stacktest.Project("proj"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	b := rec.Must(t, "aws:sqs/queue:Queue", "new-name")
	want := []string{
		"urn:pulumi:dev::proj::aws:sqs/queue:Queue::new-name",
		"urn:pulumi:dev::proj::proj:test:Group$aws:sqs/queue:Queue::old-name",
	}
	if strings.Join(b.Aliases, " ") != strings.Join(want, " ") {
		t.Errorf("aliases %q, want %q", b.Aliases, want)
	}
}
