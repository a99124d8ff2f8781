package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/config"
)

func stackValues(t *testing.T, stack string) *stacktest.StackValues {
	t.Helper()
	sv, err := stacktest.ReadStackConfig(projectDir, stack)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func source(sv *stacktest.StackValues) config.Source {
	return func(k string) (string, bool) { v, ok := sv.Values[k]; return v, ok }
}

func TestShippedStacksAreValid(t *testing.T) {
	for _, stack := range Stacks {
		sv := stackValues(t, stack)
		if _, err := config.Parse(sv.Project, stack, source(sv)); err != nil {
			t.Errorf("stack %s: %v", stack, err)
		}
	}
}

// Pulumi.yaml declares exactly the keys the program reads, and the stack
// files set no key that nothing reads (a typo would otherwise be ignored).
func TestPulumiYAMLDeclaresEveryKey(t *testing.T) {
	proj, err := stacktest.ReadProject(projectDir + "/Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for k, d := range proj.Config {
		declared[proj.Name+":"+k] = true
		if d.Description == "" || d.Type == "" {
			t.Errorf("Pulumi.yaml: config %s needs a type and a description", k)
		}
	}
	read := map[string]bool{}
	for _, stack := range Stacks {
		sv := stackValues(t, stack)
		keys := config.KeysRead(sv.Project, stack, source(sv))
		for _, k := range keys {
			read[k] = true
			if !declared[k] && !strings.HasPrefix(k, "aws:") {
				t.Errorf("the program reads %s, which Pulumi.yaml does not declare", k)
			}
		}
		for k := range sv.Values {
			if !slices.Contains(keys, k) && !strings.HasPrefix(k, "aws:") {
				t.Errorf("Pulumi.%s.yaml sets %s, which the program never reads", stack, k)
			}
		}
	}
	for k := range declared {
		if !read[k] {
			t.Errorf("Pulumi.yaml declares %s, which no shipped stack reads", k)
		}
	}
}

const (
	tableStart = "<!-- config-table:start (go test ./tests -update) -->"
	tableEnd   = "<!-- config-table:end -->"
)

// configTable renders Pulumi.yaml's config block as the README's reference
// table, so the two cannot drift.
func configTable(t *testing.T) string {
	proj, err := stacktest.ReadProject(projectDir + "/Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(proj.Config))
	for k := range proj.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dev, prod := stackValues(t, "dev"), stackValues(t, "prod")
	var b strings.Builder
	b.WriteString("| key | type | default | dev | prod | description |\n|---|---|---|---|---|---|\n")
	cell := func(sv *stacktest.StackValues, k string) string {
		if sv.Secrets[k] {
			return "(secret)"
		}
		v, ok := sv.Values[k]
		if !ok || v == "" {
			return ""
		}
		return "`" + v + "`"
	}
	for _, k := range keys {
		d := proj.Config[k]
		typ := d.Type
		if d.Items != nil {
			typ += " of " + d.Items.Type
		}
		def := ""
		if d.Default != nil {
			def = "`" + strings.ReplaceAll(fmt.Sprint(jsonish(d.Default)), "|", "\\|") + "`"
		}
		full := proj.Name + ":" + k
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", k, typ, def, cell(dev, full), cell(prod, full), strings.ReplaceAll(d.Description, "|", "\\|"))
	}
	return b.String()
}

// jsonish renders a default as a user would type it: lists as JSON, an
// empty string as "".
func jsonish(v any) string {
	switch x := v.(type) {
	case []any:
		b, _ := json.Marshal(x)
		return string(b)
	case string:
		if x == "" {
			return `""`
		}
	}
	return fmt.Sprint(v)
}

func TestREADMEConfigTableMatchesPulumiYAML(t *testing.T) {
	path := projectDir + "/README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, tableStart), strings.Index(readme, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no config table between %q and %q", tableStart, tableEnd)
	}
	want := configTable(t)
	got := readme[i+len(tableStart)+1 : j]
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(tableStart)+1] + want + readme[j:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's config table is out of step with Pulumi.yaml:\n%s\nRun: go test ./tests -update", stacktest.Diff(got, want))
}
