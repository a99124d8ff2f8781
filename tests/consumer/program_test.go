package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// record runs the program under the public mock harness, as a consumer's
// unit tests do: function builds included.
func record(t *testing.T) *stacktest.Recording {
	t.Helper()
	rec, err := stacktest.Run(program, stacktest.Project("consumer"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestEveryComponentDeploys checks that each of the seven components is
// in the recorded stack with the children that make it work.
func TestEveryComponentDeploys(t *testing.T) {
	rec := record(t)
	for _, want := range []struct{ typ, name string }{
		{"serverless-arch:auth:UserAuth", "notes-auth"},
		{"serverless-arch:api:ServerlessAPI", "notes"},
		{"serverless-arch:table:GlobalTable", "users"},
		{"serverless-arch:mail:WelcomeMailer", "welcome"},
		{"serverless-arch:thumbnails:ThumbnailPipeline", "pictures"},
		{"serverless-arch:site:StaticSite", "notes-site"},
		{"serverless-arch:cdn:UpdateOffloadCDN", "downloads"},
		// Children a consumer relies on: functions built from both modules,
		// a replica key made with the component's own regional provider.
		{"aws:lambda/function:Function", "notes-fn"},
		{"aws:lambda/function:Function", "welcome-fn"},
		{"aws:lambda/function:Function", "pictures-fn"},
		{"aws:kms/replicaKey:ReplicaKey", "users-key-eu-west-1"},
		{"aws:apigateway/integration:Integration", "notes-get-notes-id"},
	} {
		if _, ok := rec.Get(want.typ, want.name); !ok {
			t.Errorf("no %s %s in the recorded stack", want.typ, want.name)
		}
	}
	mailer := rec.Must(t, "aws:lambda/function:Function", "welcome-fn")
	env := mailer.Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if env["USER_ID_ATTRIBUTE"] != "userId" || env["EMAIL_ATTRIBUTE"] != "mail" {
		t.Errorf("mailer environment %v does not describe this project's users table", env)
	}
}

// TestFunctionsAreTheOnesTheLibraryTested compares the archives this
// module's program deploys for the library's functions with the archives
// the library's own snapshot records: byte for byte the same, although
// this module's go.mod could resolve other versions of their dependencies.
func TestFunctionsAreTheOnesTheLibraryTested(t *testing.T) {
	rec := record(t)
	tested := snapshotCode(t, filepath.Join("..", "testdata", "snapshots", "dev.json"))
	for ours, theirs := range map[string]string{"welcome-fn": "blog-welcome-fn", "pictures-fn": "blog-pictures-fn"} {
		fn := rec.Must(t, "aws:lambda/function:Function", ours)
		got := fn.Inputs["code"].(map[string]any)["sha256"]
		if got == nil || got != tested[theirs] {
			t.Errorf("%s archive sha256 %v, want %v: the archive the library's snapshot holds for %s", ours, got, tested[theirs], theirs)
		}
	}
}

// snapshotCode reads each function's archive hash from a snapshot.
func snapshotCode(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var resources []stacktest.Resource
	if err := json.Unmarshal(data, &resources); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for _, r := range resources {
		if r.Type == "aws:lambda/function:Function" {
			out[r.Name] = r.Inputs["code"].(map[string]any)["sha256"]
		}
	}
	return out
}

// TestPolicyChecksRunOverThisStack runs the library's policy rules over
// this project's own recording, with this project's suppressions: the
// public route a demo needs is excused here, with its reason.
func TestPolicyChecksRunOverThisStack(t *testing.T) {
	rec := record(t)
	report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.WithConstraints())
	if err := report.Err(); err != nil {
		t.Error(err)
	}
	if report.Resources == 0 {
		t.Error("the policy rules checked nothing")
	}
}

// TestProgramLinksNoTestOrToolingCode lists what `pulumi up` would compile
// for this program: none of the library's test harness, local-mode tooling
// or emulators, and not the testing package.
func TestProgramLinksNoTestOrToolingCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch {
		case pkg == "testing",
			strings.HasPrefix(pkg, "github.com/gopherstack/serverless-arch/components/stacktest"),
			strings.HasPrefix(pkg, "github.com/gopherstack/serverless-arch/dev/"),
			strings.HasPrefix(pkg, "github.com/gopherstack/serverless-arch/tests"),
			strings.HasPrefix(pkg, "github.com/gopherstack/serverless-arch/internal/"),
			strings.Contains(pkg, "gofakes3"),
			strings.Contains(pkg, "runtime-interface-emulator"):
			t.Errorf("the program links %s", pkg)
		}
	}
}
