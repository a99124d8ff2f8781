package plan

import (
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// Production reports whether a stack protects its stateful resources (its
// protect key), which is when the production-only policy rules apply.
func Production(dir, stack string) (bool, error) {
	sv, err := stacktest.ReadStackConfig(dir, stack)
	if err != nil {
		return false, err
	}
	return sv.Values[sv.Project+":protect"] == "true", nil
}

// Check runs the policy rules and the constraint rules (the inputs AWS
// accepts, see policy.Constraints) over a recording, with the suppressions
// the program declared while it ran.
func Check(rec *stacktest.Recording, production bool) policy.Report {
	return policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(production), policy.WithConstraints())
}

// Region is the stack's home region (aws:region, us-east-1 by default, as
// the mocks answer).
func Region(dir, stack string) (string, error) {
	sv, err := stacktest.ReadStackConfig(dir, stack)
	if err != nil {
		return "", err
	}
	if r := sv.Values["aws:region"]; r != "" {
		return r, nil
	}
	return "us-east-1", nil
}
