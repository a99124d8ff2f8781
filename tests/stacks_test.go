package tests

import (
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/plan"
)

var update = flag.Bool("update", false, "rewrite testdata/snapshots from the program's output")

// Stacks are the stacks the project ships.
var Stacks = []string{"dev", "prod"}

const projectDir = ".."

var (
	recordOnce sync.Map // stack -> func() (*stacktest.Recording, error)
)

// record runs the program for a stack once per test process.
func record(t *testing.T, stack string) *stacktest.Recording {
	t.Helper()
	f, _ := recordOnce.LoadOrStore(stack, sync.OnceValues(func() (*stacktest.Recording, error) {
		return plan.Record(projectDir, stack)
	}))
	rec, err := f.(func() (*stacktest.Recording, error))()
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestSnapshots(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			got, err := record(t, stack).Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			stacktest.Golden(t, filepath.Join("testdata", "snapshots", stack+".json"), got, *update, "go test ./tests -update")
		})
	}
}

func TestSnapshotsAreDeterministic(t *testing.T) {
	a, err := plan.Record(projectDir, "dev")
	if err != nil {
		t.Fatal(err)
	}
	b := record(t, "dev")
	sa, _ := a.Snapshot()
	sb, _ := b.Snapshot()
	if string(sa) != string(sb) {
		t.Fatalf("two runs of the same program differ:\n%s", stacktest.Diff(string(sa), string(sb)))
	}
}

var componentToken = regexp.MustCompile(`^serverless-arch:[a-z]+:[A-Z][A-Za-z0-9]*$`)

func TestConventions(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := record(t, stack)
			if len(rec.Resources) == 0 {
				t.Fatal("the stack registers no resources")
			}
			byURN := map[string]stacktest.Resource{}
			for _, r := range rec.Resources {
				if _, dup := byURN[r.URN]; dup {
					t.Errorf("URN %s repeats", r.URN)
				}
				byURN[r.URN] = r
			}
			for _, r := range rec.Resources {
				provider := strings.HasPrefix(r.Type, "pulumi:providers:")
				component := !provider && !strings.HasPrefix(r.Type, "aws:")
				if component && !componentToken.MatchString(r.Type) {
					t.Errorf("component %s has type token %q, want serverless-arch:<module>:<Type>", r.Name, r.Type)
				}
				if r.Parent == "" {
					if !component && !provider {
						t.Errorf("%s %s has no parent component: every resource belongs to a component", r.Type, r.Name)
					}
					continue
				}
				p, ok := byURN[r.Parent]
				if !ok {
					t.Errorf("%s %s has parent %s, which is not registered", r.Type, r.Name, r.Parent)
					continue
				}
				if !componentToken.MatchString(p.Type) {
					t.Errorf("%s %s has parent %s of type %s, want a component", r.Type, r.Name, p.Name, p.Type)
				}
				// Children are named after their component.
				if !strings.HasPrefix(r.Name, p.Name) {
					t.Errorf("%s %s is not named after its component %s", r.Type, r.Name, p.Name)
				}
			}
		})
	}
}
