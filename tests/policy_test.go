package tests

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/plan"
)

func production(t *testing.T, stack string) bool {
	t.Helper()
	prod, err := plan.Production(projectDir, stack)
	if err != nil {
		t.Fatal(err)
	}
	return prod
}

// Both shipped stacks pass every policy rule, and every exception is a
// suppression with a reason, listed in testdata/snapshots/<stack>.suppressions.json.
func TestStacksPassPolicyChecks(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := record(t, stack)
			report := plan.Check(rec, production(t, stack))
			if err := report.Err(); err != nil {
				t.Fatalf("%v\n%s", err, report)
			}
			tmp := filepath.Join(t.TempDir(), "s.json")
			if err := policy.SaveSuppressions(tmp, policy.Suppressions(rec.Context)); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(tmp)
			if err != nil {
				t.Fatal(err)
			}
			stacktest.Golden(t, filepath.Join("testdata", "snapshots", stack+".suppressions.json"), got, *update, "go test ./tests -update")
		})
	}
}

// A deliberately insecure change to a shipped stack fails the checks with a
// message naming the resource and the rule.
func TestInsecureChangesFailTheChecks(t *testing.T) {
	rec := record(t, "prod")
	sups := policy.Suppressions(rec.Context)
	for _, tc := range []struct {
		name, typ, rule string
		mutate          func(inputs map[string]any)
		// blamed, if set, finds the resource the finding names when it is
		// not the changed one (a bucket, for its public access block).
		blamed func(changed stacktest.Resource) stacktest.Resource
	}{
		{"wildcard action", "aws:iam/rolePolicy:RolePolicy", "IAM-WILDCARD-ACTION", func(in map[string]any) {
			in["policy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::x/*"}]}`
		}, nil},
		{"public bucket", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "S3-PUBLIC-ACCESS-BLOCK", func(in map[string]any) {
			in["blockPublicPolicy"] = false
		}, func(pab stacktest.Resource) stacktest.Resource {
			for _, b := range rec.OfType("aws:s3/bucketV2:BucketV2") {
				if b.ID == pab.Inputs["bucket"] {
					return b
				}
			}
			t.Fatalf("no bucket with ID %v", pab.Inputs["bucket"])
			return stacktest.Resource{}
		}},
		{"missing SourceArn", "aws:lambda/permission:Permission", "LAMBDA-PERMISSION-SCOPED", func(in map[string]any) {
			delete(in, "sourceArn")
			delete(in, "sourceAccount")
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			victims := rec.OfType(tc.typ)
			if len(victims) == 0 {
				t.Fatalf("prod has no %s to break", tc.typ)
			}
			victim := victims[0]
			changed := make([]stacktest.Resource, len(rec.Resources))
			for i, r := range rec.Resources {
				if r.URN == victim.URN {
					r.Inputs = copyInputs(r.Inputs)
					tc.mutate(r.Inputs)
				}
				changed[i] = r
			}
			blamed := victim
			if tc.blamed != nil {
				blamed = tc.blamed(victim)
			}
			report := policy.Check(changed, sups, policy.Production(true))
			for _, f := range report.Failed() {
				if f.Rule == tc.rule && f.Name == blamed.Name && f.Type == blamed.Type {
					return
				}
			}
			t.Fatalf("breaking %s %s did not fail rule %s on %s %s:\n%s", victim.Type, victim.Name, tc.rule, blamed.Type, blamed.Name, report)
		})
	}
}

func copyInputs(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}
