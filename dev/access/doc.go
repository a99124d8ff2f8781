// Package access proves, offline, that a recorded stack's IAM lets every
// principal make the calls it must make, and nothing else. What it checks,
// what it found and what it cannot see are in [README: Access proof].
//
// NewModel reads a recording: its roles, resource policies, keys and
// functions. The calls to check come from what really happens, never from the
// policies under test: FunctionCalls resolves the calls the end-to-end suite
// recorded (dev/local's CallRecorder; LoadRecordedCalls reads
// tests/testdata/access/calls.json) through each function's own environment,
// ServiceCalls derives the calls AWS services make from the wiring, and
// Negatives lists calls that must be denied. ProveStack (or Model.Prove over
// calls of your own) evaluates each against the stack's identity, resource
// and trust policies with @cloud-copilot/iam-simulate, run with node from
// SimDir, and the Report's Failures name every wrong answer and every granted
// action no allowed call used. An unused grant must go, or be justified next
// to it:
//
//	policy.Suppress(ctx, rolePolicy, reason, access.UnusedRule+"<action>")
//
// [README: Access proof]: https://github.com/gopherstack/serverless-arch#access-proof-the-stacks-iam-as-aws-evaluates-it
package access
