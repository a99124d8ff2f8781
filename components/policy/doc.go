// Package policy checks a recorded Pulumi stack against security and
// reliability rules before it is deployed: a cdk-nag for Pulumi Go programs,
// run offline in go test.
//
// Each Rule checks resources of some pulumi-aws v6 types and cites the
// cdk-nag (AwsSolutions-*, Serverless-*) and checkov (CKV_AWS_*) rules it
// mirrors. Rules covers S3, CloudFront, API Gateway, Lambda, CloudWatch Logs,
// IAM, DynamoDB, Cognito, SQS, load balancers and EC2; print its IDs,
// Mirrors and Descriptions for the full list.
//
// # Checking a stack
//
// Check reads resources as components/stacktest records them: a program run under
// pulumi.WithMocks, every resource with plain-JSON inputs. It returns a
// Report whose Failed findings are those no suppression excuses:
//
//	resources, ctx := runUnderMocks(t) // e.g. with components/stacktest
//	report := policy.Check(resources, policy.Suppressions(ctx), policy.Production(true))
//	if err := report.Err(); err != nil {
//		t.Fatal(err) // names each resource (type and name), rule and mirrored IDs
//	}
//
// A stack saved as JSON (an array of recording.Resource) is checked the same way
// without running the program, together with its suppressions file:
//
//	resources, err := policy.LoadSnapshot("testdata/prod.json")
//	...
//	sups, err := policy.LoadSuppressions("testdata/prod.suppressions.json")
//	...
//	fmt.Print(policy.Check(resources, sups, policy.Production(true)))
//
// # Suppressions
//
// Some findings are right to keep: a public route, a log bucket that cannot
// log to itself. Suppress declares such an exception next to the resource it
// excuses, in the component that creates it or in the user's program, and it
// must carry a reason:
//
//	policy.Suppress(ctx, method, "health check is public by design", "APIGW-AUTHORIZER")
//
// Suppressions(ctx) returns them once the program has run, and
// SaveSuppressions writes them to the one file a reviewer reads. A suppression
// that no longer excuses anything is itself a finding (SuppressionRule), so
// exceptions do not outlive their reason.
//
// # Inputs AWS accepts
//
// Constraints returns a second rule family, run with WithConstraints: the
// limits AWS applies when it creates a resource, which neither the provider
// nor the mocks check, so that a stack breaking one passes `pulumi preview`
// and fails half-way through `pulumi up`. Physical names (explicit, or as
// Pulumi autonames them: the logical name plus 8 characters), descriptions
// and their character sets, enum values, numeric ranges, and rules between
// resources (certificates for CloudFront, queue visibility against function
// timeouts, S3 notification overlaps, security group rule quotas with prefix
// lists, ...). Each rule cites the AWS page of its limits, and their
// findings cannot be suppressed:
//
//	report := policy.Check(resources, sups, policy.Production(true), policy.WithConstraints())
//
// # Writing rules
//
// A Rule's Check receives the Stack, which answers cross-resource questions:
// OfType, Children, and Referencing / Referenced / RefersTo, which link
// resources the way their inputs refer to each other (ids, names, ARNs, queue
// URLs or URNs). Add rules with WithRules(append(policy.Rules(), mine...)...).
package policy
