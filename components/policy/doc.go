// Package policy checks a recorded Pulumi stack against security and
// reliability rules before it is deployed: a cdk-nag for Pulumi Go programs,
// run offline in go test. Rules lists them, each with the cdk-nag and checkov
// IDs it mirrors; Constraints adds the limits AWS applies at create time.
//
// Check takes what components/stacktest records (or LoadSnapshot reads) and
// the suppressions; the Report's Err names every finding none excuses:
//
//	rec, err := stacktest.Run(program, stacktest.StackConfig(".", "prod"))
//	...
//	report := policy.Check(rec.Resources, policy.Suppressions(rec.Context),
//		policy.Production(true), policy.WithConstraints())
//	if err := report.Err(); err != nil {
//		t.Fatal(err)
//	}
//
// Suppress declares an exception next to the resource it excuses, with its
// reason: policy.Suppress(ctx, method, "the health check is public",
// "APIGW-AUTHORIZER"). SaveSuppressions writes them to the one file a
// reviewer reads; a suppression that no longer excuses anything is itself a
// finding. Custom rules receive the Stack, which answers cross-resource
// questions: WithRules(append(policy.Rules(), mine...)...). What the rules
// cover and why is in [README: Policy checks].
//
// [README: Policy checks]: https://github.com/gopherstack/serverless-arch#policy-checks-a-cdk-nag-for-pulumi-go
package policy
