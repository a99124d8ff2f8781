package blocks_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

const hello = "github.com/gopherstack/serverless-arch/components/fnbuild/testdata/hello"

// linked runs a function with uses and returns its role policy and
// environment.
func linked(t *testing.T, uses func(ctx *pulumi.Context) ([]blocks.Use, error), env pulumi.StringMapInput) (blocks.Document, map[string]any, error) {
	t.Helper()
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		u, err := uses(ctx)
		if err != nil {
			return err
		}
		_, err = blocks.NewFunction(ctx, "fn", blocks.FunctionArgs{Package: hello, Uses: u, Environment: env})
		return err
	}, stacktest.Config("aws:region", "eu-west-1"))
	if err != nil {
		return blocks.Document{}, nil, err
	}
	doc, err := blocks.ParseDocument(rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "fn-policy").Inputs["policy"].(string))
	if err != nil {
		t.Fatal(err)
	}
	vars, _ := rec.Must(t, "aws:lambda/function:Function", "fn").Inputs["environment"].(map[string]any)
	v, _ := vars["variables"].(map[string]any)
	return doc, v, nil
}

const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// A table under a customer managed key: the function gets the table
// actions and, only through DynamoDB in the key's region, the key actions
// those table actions need; reads need decrypting only.
func TestUseOfAnEncryptedTableGrantsItsKey(t *testing.T) {
	table := blocks.TableRef{Name: pulumi.String("orders"), Arn: pulumi.String("arn:aws:dynamodb:eu-west-1:123456789012:table/orders"),
		KMSKeyArn: pulumi.String(key)}
	doc, env, err := linked(t, func(*pulumi.Context) ([]blocks.Use, error) {
		return []blocks.Use{
			table.Use("Write", "ORDERS", []string{"dynamodb:PutItem"}),
			table.Use("Read", "", []string{"dynamodb:Query"}, "byDate"),
		}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for sid, want := range map[string][]string{"WriteKey": {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"}, "ReadKey": {"kms:Decrypt"}} {
		st, ok := doc.Find(sid)
		if !ok || !reflect.DeepEqual([]string(st.Action), want) || !reflect.DeepEqual([]string(st.Resource), []string{key}) {
			t.Errorf("%s = %+v, want %v on the key", sid, st, want)
			continue
		}
		if via := st.Condition["StringEquals"]["kms:ViaService"]; !reflect.DeepEqual([]string(via), []string{"dynamodb.eu-west-1.amazonaws.com"}) {
			t.Errorf("%s kms:ViaService %v", sid, via)
		}
	}
	read, _ := doc.Find("Read")
	if want := []string{"arn:aws:dynamodb:eu-west-1:123456789012:table/orders", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/byDate"}; !reflect.DeepEqual([]string(read.Resource), want) {
		t.Errorf("Read on %v, want %v", read.Resource, want)
	}
	if env["ORDERS"] != "orders" || len(env) != 1 {
		t.Errorf("environment %v, want ORDERS=orders only", env)
	}
}

// Resources under AWS keys, and actions that touch no encrypted data, get
// no key statement.
func TestNoKeyNoKeyGrant(t *testing.T) {
	doc, _, err := linked(t, func(ctx *pulumi.Context) ([]blocks.Use, error) {
		b, err := blocks.NewBucket(ctx, "pics", blocks.BucketArgs{})
		if err != nil {
			return nil, err
		}
		enc := blocks.BucketRef{Name: pulumi.String("x"), Arn: pulumi.String("arn:aws:s3:::x"), KMSKeyArn: pulumi.String(key)}
		return []blocks.Use{b.Ref().Use("Pics", "", "", "s3:GetObject"), enc.Use("Delete", "", "tmp/", "s3:DeleteObject"), enc.List("List", "tmp/")}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range doc.Statement {
		for _, a := range st.Action {
			if strings.HasPrefix(a, "kms:") {
				t.Errorf("statement %s grants %s", st.Sid, a)
			}
		}
	}
	if list, _ := doc.Find("List"); !reflect.DeepEqual([]string(list.Condition["StringLike"]["s3:prefix"]), []string{"tmp/", "tmp/*"}) {
		t.Errorf("List condition %v", list.Condition)
	}
}

// Two uses cannot set one variable: one value would be lost.
func TestUsesMustNotShareAVariable(t *testing.T) {
	q := blocks.QueueRef{Arn: pulumi.String("arn:aws:sqs:eu-west-1:123456789012:q"), URL: pulumi.String("https://sqs/q")}
	_, _, err := linked(t, func(*pulumi.Context) ([]blocks.Use, error) {
		return []blocks.Use{q.Use("A", "QUEUE", "sqs:SendMessage")}, nil
	}, pulumi.StringMap{"QUEUE": pulumi.String("other")})
	if err == nil || !strings.Contains(err.Error(), "environment variable QUEUE is set by Environment and by a use") {
		t.Fatalf("err = %v", err)
	}
}

// A key given by alias cannot scope a grant: refused, naming the value.
func TestViaServiceRefusesAnAlias(t *testing.T) {
	table := blocks.TableRef{Arn: pulumi.String("arn:aws:dynamodb:eu-west-1:123456789012:table/t"), KMSKeyArn: pulumi.String("alias/orders")}
	_, _, err := linked(t, func(*pulumi.Context) ([]blocks.Use, error) {
		return []blocks.Use{table.Use("T", "", []string{"dynamodb:GetItem"})}, nil
	}, nil)
	if err == nil || !strings.Contains(err.Error(), `"alias/orders" is not a KMS key ARN`) {
		t.Fatalf("err = %v", err)
	}
}
