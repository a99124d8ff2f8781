// Package access proves, offline, that a recorded stack's IAM lets every
// principal make the calls it must make, and nothing else.
//
// The calls come from what really happens, never from the policies under
// test:
//
//   - the functions' calls are recorded while the end-to-end suite runs them
//     in local mode (dev/local's CallRecorder, in tests/testdata/access/
//     calls.json), with names written as the environment variables the
//     function found them by, then resolved for each stack from that
//     function's own environment; the key actions AWS performs for them
//     under customer managed keys follow from blocks.KeyActions;
//   - the calls AWS services make follow from the stack's wiring
//     (ServiceCalls): Lambda assuming roles and writing logs and traces,
//     event source mappings and destinations, API Gateway invoking functions
//     and writing logs, S3 notifications, CloudFront reading through origin
//     access control, DAX reading through to its tables, Cognito identities
//     assuming their role and using their own folder;
//   - Negatives are calls that must be denied: escalation, destruction,
//     writes to stores a function cannot name, invocations from another API,
//     bucket or account, reads behind CloudFront from anywhere else, another
//     identity's folder.
//
// Each call is evaluated against the stack's identity, resource and trust
// policies (bucket, queue, function and key policies, the default key policy
// where a key has none) by @cloud-copilot/iam-simulate, an implementation of
// AWS's documented evaluation logic, run with node (dev/access/sim). Prove
// also lists every granted action no allowed call used; each must go, or be
// justified next to the grant with policy.Suppress(ctx, rolePolicy, reason,
// "ACCESS-UNUSED:<action>").
//
// What it cannot see: service control and resource control policies,
// permission boundaries and session policies of the deploying account,
// service-side behaviour the evaluator does not model, and calls no test
// makes (which is why unused grants must be justified).
package access
