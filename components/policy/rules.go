package policy

import (
	"slices"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// defaultRules is the built-in rule set, family by family.
var defaultRules = slices.Concat(
	s3Rules,
	cloudFrontRules,
	apiGatewayRules,
	lambdaRules,
	iamRules,
	dataRules,
	networkRules,
)

// requireTrue is the check of a rule that asks for one boolean input: it
// reports problem when key is not true.
func requireTrue(key, problem string) func(*Stack, recording.Resource) []string {
	return func(_ *Stack, r recording.Resource) []string {
		if !isTrue(r.Inputs, key) {
			return []string{problem}
		}
		return nil
	}
}
