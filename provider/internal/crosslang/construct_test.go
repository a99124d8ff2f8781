package crosslang

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// scenario is one component made twice: by a Go program calling its
// package, and by the provider's Construct from the inputs a program in
// another language would send.
type scenario struct {
	token, name string
	goProgram   pulumi.RunFunc
	inputs      map[string]any
	cfg         map[string]string
	// children is the least number of resources the component must make,
	// so a scenario that made nothing on both sides cannot pass.
	children int
}

// check constructs the scenario both ways and fails unless the provider
// registered exactly the resources, with exactly the inputs, parents,
// providers, protection and aliases, of the Go program.
func (s scenario) check(t *testing.T) *recorder {
	t.Helper()
	cfg := withRegion(s.cfg)
	want := runGo(t, s.goProgram, cfg).Resources
	rec, resp, err := construct(t, s.token, s.name, s.inputs, cfg)
	if err != nil {
		t.Fatalf("Construct: %v", err)
	}
	got := rec.Resources()
	if len(want) <= s.children {
		t.Fatalf("the Go program made %d resources, want more than %d", len(want), s.children)
	}
	sameResources(t, want, got)
	if !strings.HasSuffix(string(resp.Urn), "::"+s.token+"::"+s.name) {
		t.Errorf("Construct returned URN %s", resp.Urn)
	}
	return rec
}

// sameResources reports every difference between two recordings.
func sameResources(t *testing.T, want, got []stacktest.Resource) {
	t.Helper()
	index := func(rs []stacktest.Resource) map[string]stacktest.Resource {
		m := map[string]stacktest.Resource{}
		for _, r := range rs {
			r.Outputs = nil
			m[r.URN] = r
		}
		return m
	}
	w, g := index(want), index(got)
	var problems []string
	for urn, wr := range w {
		gr, ok := g[urn]
		switch {
		case !ok:
			problems = append(problems, "missing from Construct: "+urn)
		case !reflect.DeepEqual(wr, gr):
			problems = append(problems, "different: "+urn+"\n  Go:        "+show(wr)+"\n  Construct: "+show(gr))
		}
	}
	for urn := range g {
		if _, ok := w[urn]; !ok {
			problems = append(problems, "only from Construct: "+urn)
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

func show(r stacktest.Resource) string {
	b, _ := json.Marshal(r)
	return string(b)
}
