package policy

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Suppression excuses one resource from some rules, for a reason a reviewer
// can read.
type Suppression struct {
	URN    string   `json:"urn"`
	Rules  []string `json:"rules"`
	Reason string   `json:"reason"`
}

// registry holds the suppressions declared during each program run, keyed by
// its context. The keys are weak so a finished run's entry goes away with its
// context instead of growing for the life of a test binary.
var registry = struct {
	sync.Mutex
	runs map[weak.Pointer[pulumi.Context]]*runSuppressions
}{runs: map[weak.Pointer[pulumi.Context]]*runSuppressions{}}

type runSuppressions struct {
	sync.Mutex
	list []Suppression
}

func suppressionsOf(ctx *pulumi.Context, create bool) *runSuppressions {
	key := weak.Make(ctx)
	registry.Lock()
	defer registry.Unlock()
	run := registry.runs[key]
	if run == nil && create {
		run = &runSuppressions{}
		registry.runs[key] = run
		runtime.AddCleanup(ctx, func(k weak.Pointer[pulumi.Context]) {
			registry.Lock()
			delete(registry.runs, k)
			registry.Unlock()
		}, key)
	}
	return run
}

// Suppress excuses res from the rules named by ruleIDs in the program run by
// ctx. Declare it next to the resource it excuses, in the component that
// creates it or in the user's program:
//
//	policy.Suppress(ctx, logs, "receives CloudFront standard logs, which need ACLs", "S3-OWNER-ENFORCED")
//
// The reason is required: Suppress panics without one, or without a rule ID,
// as these are programming errors. The suppression is recorded once the
// resource's URN is known, which is before the Pulumi run returns; read them
// back with Suppressions.
func Suppress(ctx *pulumi.Context, res pulumi.Resource, reason string, ruleIDs ...string) {
	if strings.TrimSpace(reason) == "" {
		panic("policy.Suppress: a suppression must carry a reason")
	}
	if len(ruleIDs) == 0 {
		panic("policy.Suppress: name the rules to suppress")
	}
	for _, id := range ruleIDs {
		if strings.TrimSpace(id) == "" {
			panic("policy.Suppress: empty rule ID")
		}
	}
	rules := slices.Clone(ruleIDs)
	slices.Sort(rules)
	rules = slices.Compact(rules)
	run := suppressionsOf(ctx, true)
	res.URN().ApplyT(func(urn pulumi.URN) pulumi.URN {
		run.Lock()
		run.list = append(run.list, Suppression{URN: string(urn), Rules: rules, Reason: reason})
		run.Unlock()
		return urn
	})
}

// Suppressions returns the suppressions declared with Suppress in the program
// run by ctx, sorted by URN, rules and reason. Call it after the run has
// returned (pulumi.RunErr waits for every URN), e.g. from the test that ran
// the program under mocks.
func Suppressions(ctx *pulumi.Context) []Suppression {
	run := suppressionsOf(ctx, false)
	if run == nil {
		return nil
	}
	run.Lock()
	out := slices.Clone(run.list)
	run.Unlock()
	sortSuppressions(out)
	return out
}

func sortSuppressions(sups []Suppression) {
	slices.SortFunc(sups, func(a, b Suppression) int {
		return cmp.Or(
			cmp.Compare(a.URN, b.URN),
			slices.Compare(a.Rules, b.Rules),
			cmp.Compare(a.Reason, b.Reason),
		)
	})
}

// LoadSuppressions reads a JSON array of suppressions, as SaveSuppressions
// writes it. Every entry needs a URN, at least one rule and a reason.
func LoadSuppressions(path string) ([]Suppression, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading suppressions: %w", err)
	}
	var sups []Suppression
	if err := json.Unmarshal(b, &sups); err != nil {
		return nil, fmt.Errorf("reading suppressions %s: %w", path, err)
	}
	for i, s := range sups {
		switch {
		case s.URN == "":
			return nil, fmt.Errorf("reading suppressions %s: entry %d has no urn", path, i)
		case len(s.Rules) == 0:
			return nil, fmt.Errorf("reading suppressions %s: entry %d (%s) names no rules", path, i, s.URN)
		case strings.TrimSpace(s.Reason) == "":
			return nil, fmt.Errorf("reading suppressions %s: entry %d (%s) has no reason", path, i, s.URN)
		}
	}
	return sups, nil
}

// SaveSuppressions writes sups, sorted, as indented JSON: the file a reviewer
// reads to see every exception and its reason, and that LoadSuppressions
// reads back to check a snapshot offline.
func SaveSuppressions(path string, sups []Suppression) error {
	sorted := slices.Clone(sups)
	sortSuppressions(sorted)
	if sorted == nil {
		sorted = []Suppression{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sorted); err != nil {
		return fmt.Errorf("encoding suppressions: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing suppressions: %w", err)
	}
	return nil
}
