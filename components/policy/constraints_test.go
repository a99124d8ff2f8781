package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const awsDocs = "https://docs.aws.amazon.com/"

func TestConstraintsAreWellFormed(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		ids[r.ID] = true
	}
	for _, r := range Constraints() {
		switch {
		case ids[r.ID]:
			t.Errorf("constraint %s repeats a rule ID", r.ID)
		case !strings.HasPrefix(r.ID, "AWS-"):
			t.Errorf("constraint %s is not named AWS-*", r.ID)
		case !strings.HasPrefix(r.Source, awsDocs):
			t.Errorf("constraint %s cites no AWS page: %q", r.ID, r.Source)
		case !r.NoSuppress:
			t.Errorf("constraint %s can be suppressed; AWS refuses the input whatever the reason", r.ID)
		case r.Description == "", len(r.Types) == 0, r.Check == nil:
			t.Errorf("constraint %s lacks a description, types or check", r.ID)
		}
		ids[r.ID] = true
	}
}

// Every limit in the tables cites the AWS page it copies.
func TestConstraintTablesCiteAWS(t *testing.T) {
	for typ, specs := range valueSpecs {
		for _, s := range specs {
			if !strings.HasPrefix(s.source, awsDocs) || (!s.ranged && len(s.allowed) == 0) {
				t.Errorf("%s %s: no AWS source or no allowed values", typ, s.path)
			}
		}
	}
	for typ, specs := range textSpecs {
		for _, s := range specs {
			if !strings.HasPrefix(s.source, awsDocs) || s.max == 0 {
				t.Errorf("%s %s: no AWS source or no length", typ, s.path)
			}
		}
	}
}

func overlongFunction() []recording.Resource {
	return []recording.Resource{res(typeFunction, strings.Repeat("f", 60), obj{"runtime": "provided.al2023"})}
}

func TestConstraintFindingsCannotBeSuppressed(t *testing.T) {
	stack := overlongFunction()
	sups := []Suppression{{URN: stack[0].URN, Rules: []string{"AWS-NAME-LENGTH"}, Reason: "we like long names"}}
	rep := Check(stack, sups, WithRules(Constraints()...))
	var rules []string
	for _, f := range rep.Failed() {
		rules = append(rules, f.Rule)
		if f.Rule == SuppressionRule && !strings.Contains(f.Message, "rule AWS-NAME-LENGTH cannot be suppressed") {
			t.Errorf("suppression finding %q does not say why", f.Message)
		}
	}
	if !slices.Equal(rules, []string{"AWS-NAME-LENGTH", SuppressionRule}) || len(rep.Suppressed()) != 0 {
		t.Fatalf("want the name finding unexcused plus a suppression finding, got:\n%s", rep)
	}
}

// WithConstraints adds the constraints to the built-in rules or to a
// given set, whatever the order of options, and never twice.
func TestWithConstraints(t *testing.T) {
	stack := overlongFunction()
	count := func(opts ...Option) int {
		n := 0
		for _, f := range Check(stack, nil, opts...).Failed() {
			if f.Rule == "AWS-NAME-LENGTH" {
				n++
			}
		}
		return n
	}
	for name, opts := range map[string][]Option{
		"alone":                  {WithConstraints()},
		"before WithRules":       {WithConstraints(), WithRules(ruleByID(t, "LAMBDA-XRAY"))},
		"after WithRules":        {WithRules(ruleByID(t, "LAMBDA-XRAY")), WithConstraints()},
		"with them in WithRules": {WithRules(Constraints()...), WithConstraints()},
	} {
		if got := count(opts...); got != 1 {
			t.Errorf("%s: %d AWS-NAME-LENGTH findings, want 1", name, got)
		}
	}
	if got := count(); got != 0 {
		t.Errorf("the default rules report %d name findings; constraints run only when asked", got)
	}
}
