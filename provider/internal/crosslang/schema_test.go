package crosslang

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
	"github.com/gopherstack/serverless-arch/components/userauth"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
	"github.com/gopherstack/serverless-arch/provider/internal/argsgen"
)

const golden = "testdata/schema.json"

// servedSchema is the schema the provider serves, from GetSchema.
func servedSchema(t *testing.T) (string, schema.PackageSpec) {
	t.Helper()
	s, _ := server(t)
	resp, err := s.GetSchema(p.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
		t.Fatal(err)
	}
	return resp.Schema + "\n", spec
}

// TestSchemaGolden keeps the package schema under review, like the
// snapshots: run `go test ./internal/crosslang -run Schema -update` in
// provider/ and review the diff.
func TestSchemaGolden(t *testing.T) {
	got, _ := servedSchema(t)
	stacktest.Golden(t, golden, []byte(got), *update, "go test ./internal/crosslang -run Schema -update")
}

func TestSchemaServesEveryComponentUnderItsGoToken(t *testing.T) {
	_, spec := servedSchema(t)
	var got []string
	for token, r := range spec.Resources {
		if !r.IsComponent {
			t.Errorf("%s is not a component", token)
		}
		got = append(got, token)
	}
	want := []string{serverlessapi.Type, serverlessapi.DAXType, userauth.Type, staticsite.Token, globaltable.Token,
		welcomemailer.Token, thumbnails.Token, updateoffload.Token}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("served %v, want the Go type tokens %v", got, want)
	}
}

func TestEveryPropertyIsDescribedAndPlainWhereConstructNeedsIt(t *testing.T) {
	_, spec := servedSchema(t)
	check := func(where string, props map[string]schema.PropertySpec) {
		for name, prop := range props {
			if prop.Description == "" {
				t.Errorf("%s.%s has no description", where, name)
			}
			if prop.Type == "array" && prop.Items.Plain && !prop.Plain {
				t.Errorf("%s.%s: plain items in a list that may be an output, which Construct cannot take", where, name)
			}
		}
	}
	for token, r := range spec.Resources {
		check(token, r.InputProperties)
		check(token+" (outputs)", r.Properties)
	}
	for token, ty := range spec.Types {
		if len(ty.Enum) == 0 {
			check(token, ty.Properties)
		}
	}
	site := spec.Resources[staticsite.Token].InputProperties
	if c := site["content"]; c.Ref != "pulumi.json#/Archive" || !c.Plain {
		t.Errorf("StaticSite content is %+v, want a plain archive", c.TypeSpec)
	}
	if s := spec.Resources[updateoffload.Token].InputProperties["originSecret"]; !s.Secret {
		t.Error("UpdateOffloadCDN originSecret is not secret")
	}
	if a := spec.Resources[serverlessapi.Type].InputProperties["routes"]; !a.Plain || a.Items.Ref != "#/types/serverless-arch:api:Route" {
		t.Errorf("ServerlessAPI routes is %+v, want a plain list of Route", a.TypeSpec)
	}
	if auth := spec.Types["serverless-arch:api:Route"].Properties["auth"]; auth.Ref != "#/types/serverless-arch:api:Auth" {
		t.Errorf("Route auth is %+v, want the Auth enum", auth.TypeSpec)
	}
	for skipped := range argsgen.Skipped {
		t.Logf("Go-only: %s", skipped)
	}
}

func TestGeneratedCodeIsCurrent(t *testing.T) {
	want, err := argsgen.Generate("../../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("zz_generated.go is stale: run go generate ./... in provider/\n%s", stacktest.Diff(string(want), string(got)))
	}
}
