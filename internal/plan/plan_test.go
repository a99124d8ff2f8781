package plan_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/internal/plan"
)

func TestPlanOfTheDevStack(t *testing.T) {
	rec, err := plan.Record("../..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	tree := plan.Tree(rec)
	for _, want := range []string{
		"pulumi:pulumi:Stack  serverless-arch-dev\n",
		"├─ serverless-arch:app:MyBlog  blog\n",
		"│  ├─ serverless-arch:api:ServerlessAPI  blog-api\n",
	} {
		if !strings.Contains(tree, want) {
			t.Errorf("tree lacks %q:\n%s", want, tree)
		}
	}
	counts := plan.Counts(rec)
	if !strings.Contains(counts, "    4  aws:lambda/function:Function\n") {
		t.Errorf("counts:\n%s", counts)
	}

	dir := t.TempDir()
	written, err := plan.WriteOpenAPI(rec, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 2 || filepath.Base(written[0]) != "blogOpenApi.json" || filepath.Base(written[1]) != "todoOpenApi.json" {
		t.Fatalf("wrote %v, want the blog and to-do documents", written)
	}
	for _, path := range written {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			OpenAPI string         `json:"openapi"`
			Paths   map[string]any `json:"paths"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
			t.Errorf("%s is no OpenAPI 3 document with paths: %v %s", path, err, b[:min(len(b), 200)])
		}
	}
}
