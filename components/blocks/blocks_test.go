package blocks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

func TestBucketIsPrivateEncryptedAndTLSOnly(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		b, err := blocks.NewBucket(ctx, "data", blocks.BucketArgs{Protect: true})
		if err != nil {
			return err
		}
		_, err = b.AttachPolicy(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bucket := rec.Must(t, "aws:s3/bucketV2:BucketV2", "data")
	if !bucket.Protect {
		t.Error("a bucket with Protect set is not protected")
	}
	pab := rec.Must(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access-block")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab.Inputs[k] != true {
			t.Errorf("public access block %s = %v, want true", k, pab.Inputs[k])
		}
	}
	if pab.Inputs["bucket"] != "data" {
		t.Errorf("public access block names bucket %v, want data", pab.Inputs["bucket"])
	}
	pol := rec.Must(t, "aws:s3/bucketPolicy:BucketPolicy", "data-policy")
	var doc struct {
		Statement []struct {
			Effect    string
			Resource  []string
			Condition map[string]map[string][]string
		}
	}
	if err := json.Unmarshal([]byte(pol.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Statement[0]
	if st.Effect != "Deny" || st.Condition["Bool"]["aws:SecureTransport"][0] != "false" {
		t.Errorf("first statement is not the TLS-only deny: %+v", st)
	}
	if strings.Join(st.Resource, ",") != "arn:aws:s3:::data,arn:aws:s3:::data/*" {
		t.Errorf("TLS-only deny covers %v, want the bucket and its objects", st.Resource)
	}
	own := rec.Must(t, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership")
	if got := own.Inputs["rule"].(map[string]any)["objectOwnership"]; got != "BucketOwnerEnforced" {
		t.Errorf("ownership %v, want BucketOwnerEnforced", got)
	}
}

func TestFunctionHasRoleLogsAndTracing(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewFunction(ctx, "hello", blocks.FunctionArgs{
			Package:          "github.com/gopherstack/serverless-arch/components/fnbuild/testdata/hello",
			LogRetentionDays: 7,
		})
		return err
	}, stacktest.Project("proj"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	fn := rec.Must(t, "aws:lambda/function:Function", "hello")
	lg := rec.Must(t, "aws:cloudwatch/logGroup:LogGroup", "hello-logs")
	if lg.Inputs["retentionInDays"] != 7.0 || lg.Inputs["name"] != "/aws/lambda/proj/dev/hello" {
		t.Errorf("log group inputs %v", lg.Inputs)
	}
	if got := fn.Inputs["loggingConfig"].(map[string]any)["logGroup"]; got != lg.Inputs["name"] {
		t.Errorf("function logs to %v, want its log group %v", got, lg.Inputs["name"])
	}
	if fn.Inputs["role"] != "arn:aws:iam::123456789012:role/hello-role" {
		t.Errorf("function role %v", fn.Inputs["role"])
	}
	if fn.Inputs["tracingConfig"].(map[string]any)["mode"] != "Active" {
		t.Error("X-Ray tracing is not active")
	}
	code, ok := fn.Inputs["code"].(map[string]any)
	if !ok || len(code["sha256"].(string)) != 64 {
		t.Errorf("code = %v, want an archive hash", fn.Inputs["code"])
	}
	pol := rec.Must(t, "aws:iam/rolePolicy:RolePolicy", "hello-policy")
	if !strings.Contains(pol.Inputs["policy"].(string), "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/proj/dev/hello:log-stream:*") {
		t.Errorf("role may not write to exactly its own log group: %s", pol.Inputs["policy"])
	}
}

func TestBucketExpiresObjectsOnlyWhenAsked(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		if _, err := blocks.NewBucket(ctx, "logs", blocks.BucketArgs{Unversioned: true, ExpireAfterDays: 30}); err != nil {
			return err
		}
		_, err := blocks.NewBucket(ctx, "data", blocks.BucketArgs{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	expiry := func(bucket string) any {
		lc := rec.Must(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", bucket+"-lifecycle")
		for _, r := range lc.Inputs["rules"].([]any) {
			rule := r.(map[string]any)
			if rule["id"] == "expire-objects" {
				return rule["expiration"].(map[string]any)["days"]
			}
		}
		return nil
	}
	if got := expiry("logs"); got != 30.0 {
		t.Errorf("log bucket expires objects after %v days, want 30", got)
	}
	if got := expiry("data"); got != nil {
		t.Errorf("a data bucket expires objects after %v days, want never", got)
	}
}
