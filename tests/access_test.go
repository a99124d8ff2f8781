package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/recording"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/userauth"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
	"github.com/gopherstack/serverless-arch/dev/access"
	"github.com/gopherstack/serverless-arch/dev/local"
)

// recordedCalls are the functions' calls of the end-to-end run.
func recordedCalls(t *testing.T) []local.RecordedCall {
	t.Helper()
	calls, err := access.LoadRecordedCalls("testdata/access/calls.json")
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

// prove runs the access proof over resources.
func prove(t *testing.T, resources []recording.Resource, sups []policy.Suppression) *access.Report {
	t.Helper()
	m, err := access.NewModel(resources, "us-east-1", stacktest.Account)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := access.ProveStack(m, recordedCalls(t), sups)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestStacksAllowEveryCallAndNothingElse is the access proof of the shipped
// stacks: every recorded and wired call allowed, every negative denied,
// every unused grant removed or justified.
func TestStacksAllowEveryCallAndNothingElse(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := record(t, stack)
			rep := prove(t, rec.Resources, policy.Suppressions(rec.Context))
			for _, f := range rep.Failures() {
				t.Error(f)
			}
			logFigures(t, rep)
		})
	}
}

func logFigures(t *testing.T, rep *access.Report) {
	who, deny := map[string]bool{}, 0
	for _, r := range rep.Results {
		who[r.Call.Who] = true
		if r.Call.Deny {
			deny++
		}
	}
	t.Logf("%d calls (%d must be denied), %d principals, %d unused grants", len(rep.Results), deny, len(who), len(rep.Unused))
}

// mutate returns a copy of resources with the policy document of the named
// role policy changed by edit.
func mutate(t *testing.T, resources []recording.Resource, name string, edit func(doc map[string]any)) []recording.Resource {
	t.Helper()
	out := make([]recording.Resource, len(resources))
	copy(out, resources)
	for i, r := range out {
		if r.Type != "aws:iam/rolePolicy:RolePolicy" || r.Name != name {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(r.Inputs["policy"].(string)), &doc); err != nil {
			t.Fatal(err)
		}
		edit(doc)
		b, _ := json.Marshal(doc)
		in := map[string]any{}
		for k, v := range r.Inputs {
			in[k] = v
		}
		in["policy"] = string(b)
		out[i].Inputs = in
		return out
	}
	t.Fatalf("no role policy %s", name)
	return nil
}

// The proof fails when a grant the functions need goes (the blog API's
// grant on the table's key) and when one is widened to every resource.
func TestProofFailsOnAMissingOrWidenedGrant(t *testing.T) {
	rec := record(t, "prod")
	sups := policy.Suppressions(rec.Context)
	removed := mutate(t, rec.Resources, "blog-api-handler-policy", func(doc map[string]any) {
		var keep []any
		for _, s := range doc["Statement"].([]any) {
			if s.(map[string]any)["Sid"] != "ReadWriteBlogTableKey" {
				keep = append(keep, s)
			}
		}
		doc["Statement"] = keep
	})
	if f := strings.Join(prove(t, removed, sups).Failures(), "\n"); !strings.Contains(f, "function blog-api-handler: kms:") || !strings.Contains(f, "want allowed") {
		t.Errorf("without its key grant the blog API's calls still pass:\n%s", f)
	}
	widened := mutate(t, rec.Resources, "todo-fn-policy", func(doc map[string]any) {
		for _, s := range doc["Statement"].([]any) {
			if st := s.(map[string]any); st["Sid"] == "TodoItems" {
				st["Resource"] = "*"
			}
		}
	})
	if f := strings.Join(prove(t, widened, sups).Failures(), "\n"); !strings.Contains(f, "function todo-fn: dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/blog-table is Allowed, want denied") {
		t.Errorf("with its table grant on every table the to-do function's write to the blog table is not caught:\n%s", f)
	}
}

// TestCustomerKeyVariantsAllowEveryCall runs the proof over components
// whose stores use customer managed keys: a global table read by a
// function and streamed to the welcome mailer, a static site whose content
// only its distribution may decrypt, per-user files.
func TestCustomerKeyVariantsAllowEveryCall(t *testing.T) {
	rec, err := stacktest.Run(customerKeyVariants, stacktest.Project("variants"), stacktest.Stack("test"))
	if err != nil {
		t.Fatal(err)
	}
	rep := prove(t, rec.Resources, policy.Suppressions(rec.Context))
	for _, f := range rep.Failures() {
		t.Error(f)
	}
	logFigures(t, rep)
}

func customerKeyVariants(ctx *pulumi.Context) error {
	users, err := globaltable.New(ctx, "users", globaltable.Args{
		PartitionKey: blocks.Key{Name: "pk"}, SortKey: &blocks.Key{Name: "sk"},
		Replicas: []globaltable.Replica{{Region: "eu-west-1"}}, Encryption: globaltable.CustomerManaged,
	})
	if err != nil {
		return err
	}
	key, err := kms.NewKey(ctx, "stores-key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true)})
	if err != nil {
		return err
	}
	if _, err := welcomemailer.New(ctx, "welcome", welcomemailer.Args{
		StreamArn: users.StreamArn, TableArn: users.Arn, TableKMSKeyArn: users.Ref().KMSKeyArn,
		Identity: "example.com", Sender: "hello@example.com", KMSKeyArn: key.Arn,
	}); err != nil {
		return err
	}
	if _, err := blocks.NewFunction(ctx, "api", blocks.FunctionArgs{Package: "blogapi",
		Uses:        []blocks.Use{users.Ref().Use("Posts", "TABLE_NAME", []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, "byEntity")},
		Environment: pulumi.StringMap{"CACHE_TTL_SECONDS": pulumi.String("60")}}); err != nil {
		return err
	}
	if _, err := userauth.New(ctx, "auth", userauth.Args{KMSKeyArn: key.Arn}); err != nil {
		return err
	}
	return picturesOnTheSite(ctx, key)
}

// picturesOnTheSite serves thumbnails of uploads encrypted with key through
// a site whose own content is under its own key: key's policy keeps the
// account's IAM in charge and admits the site's distribution.
func picturesOnTheSite(ctx *pulumi.Context, key *kms.Key) error {
	pics, err := thumbnails.New(ctx, "pics", thumbnails.Args{UploadPrefix: "uploads/", KMSKeyArn: key.Arn, ServedByCloudFront: true})
	if err != nil {
		return err
	}
	site, err := staticsite.New(ctx, "site", staticsite.Args{ContentDir: "../internal/site/blog/public", CustomerManagedKey: true,
		Behaviors: []staticsite.Behavior{{PathPattern: "/thumbnails/*", Origin: staticsite.BucketOrigin("thumbnails", pics.ThumbnailsDomainName)}}})
	if err != nil {
		return err
	}
	if _, err := pics.AllowCloudFront(ctx, site.DistributionArn); err != nil {
		return err
	}
	_, err = kms.NewKeyPolicy(ctx, "stores-key-policy", &kms.KeyPolicyArgs{KeyId: key.KeyId,
		Policy: blocks.PolicyJSON(blocks.AccountKeyAdmin(pulumi.String(stacktest.Account)), blocks.AllowCloudFrontDecrypt(site.DistributionArn))})
	return err
}
