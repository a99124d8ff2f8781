package policy

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

type obj = map[string]any
type arr = []any

const urnPrefix = "urn:pulumi:dev::test::"

// res builds a top-level resource as the harness records it.
func res(typ, name string, inputs obj) recording.Resource {
	if inputs == nil {
		inputs = obj{}
	}
	return recording.Resource{URN: urnPrefix + typ + "::" + name, Type: typ, Name: name, Inputs: inputs}
}

// doc renders a policy document with the given statements as the JSON string
// the AWS provider takes.
func doc(statements ...obj) string {
	b, err := json.Marshal(obj{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func denyInsecure(action string, resources ...string) obj {
	return obj{
		"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
		"Action": action, "Resource": resources,
		"Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}},
	}
}

func allow(actions any, resources any) obj {
	return obj{"Effect": "Allow", "Action": actions, "Resource": resources}
}

// with returns stack with fn applied to a copy of the resource named name.
func with(stack []recording.Resource, name string, fn func(in obj)) []recording.Resource {
	out := slices.Clone(stack)
	for i, r := range out {
		if r.Name == name {
			in := obj{}
			for k, v := range r.Inputs {
				in[k] = v
			}
			fn(in)
			out[i].Inputs = in
		}
	}
	return out
}

// without returns stack minus the resources named names.
func without(stack []recording.Resource, names ...string) []recording.Resource {
	return slices.DeleteFunc(slices.Clone(stack), func(r recording.Resource) bool {
		return slices.Contains(names, r.Name)
	})
}

func plus(stack []recording.Resource, more ...recording.Resource) []recording.Resource {
	return append(slices.Clone(stack), more...)
}

// ruleCase checks one rule over a stack whose first resource is the subject.
type ruleCase struct {
	name  string
	rule  string
	prod  bool
	stack []recording.Resource
	// want is "" when the subject must pass; otherwise some finding of the
	// rule on the subject must contain it.
	want string
}

func ruleByID(t *testing.T, id string) Rule {
	t.Helper()
	for _, r := range slices.Concat(Rules(), Constraints()) {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return Rule{}
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			rep := Check(tc.stack, nil, WithRules(ruleByID(t, tc.rule)), Production(tc.prod))
			subject := tc.stack[0]
			var msgs []string
			for _, f := range rep.Failed() {
				if f.URN == subject.URN && f.Rule == tc.rule {
					msgs = append(msgs, f.Message)
				}
			}
			if tc.want == "" {
				if len(msgs) != 0 {
					t.Fatalf("want no findings on %s, got:\n%s", subject.Name, rep)
				}
				return
			}
			for _, m := range msgs {
				if strings.Contains(m, tc.want) {
					return
				}
			}
			t.Fatalf("want a %s finding on %s containing %q, got:\n%s", tc.rule, subject.Name, tc.want, rep)
		})
	}
}

// allCases gathers every family's cases, so one test can prove each rule has
// both a passing and a failing case.
func allCases() []ruleCase {
	return slices.Concat(s3Cases(), cloudFrontCases(), apiGatewayCases(), lambdaCases(), iamCases(), dataCases(), networkCases(),
		nameCases(), textCases(), valueCases(), fieldCases(), crossCases(), networkConstraintCases(),
		policySizeCases(), moreValueCases())
}

func TestEveryRuleHasPassingAndFailingCases(t *testing.T) {
	pass, fail := map[string]bool{}, map[string]bool{}
	for _, c := range allCases() {
		if c.want == "" {
			pass[c.rule] = true
		} else {
			fail[c.rule] = true
		}
	}
	for _, r := range slices.Concat(Rules(), Constraints()) {
		if !pass[r.ID] || !fail[r.ID] {
			t.Errorf("rule %s: passing case %v, failing case %v", r.ID, pass[r.ID], fail[r.ID])
		}
	}
}

func TestRulesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		switch {
		case seen[r.ID]:
			t.Errorf("duplicate rule %s", r.ID)
		case r.ID == SuppressionRule:
			t.Errorf("rule %s reuses the suppression rule ID", r.ID)
		case len(r.Mirrors) == 0, r.Description == "", len(r.Types) == 0, r.Check == nil:
			t.Errorf("rule %s lacks mirrors, description, types or check", r.ID)
		}
		seen[r.ID] = true
	}
}

// first returns stack with the resource named name moved to the front, making
// it the subject of a ruleCase.
func first(stack []recording.Resource, name string) []recording.Resource {
	out := slices.Clone(stack)
	for i, r := range out {
		if r.Name == name {
			return append([]recording.Resource{r}, slices.Delete(out, i, i+1)...)
		}
	}
	panic("no resource " + name)
}
