package policy

import "slices"

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
