package tests

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// Both shipped stacks hold only inputs AWS accepts at create time (names,
// descriptions, values, ranges and rules between resources), as far as a
// recording shows them; the README's pre-flight list covers the rest.
func TestStacksHoldInputsAWSAccepts(t *testing.T) {
	for _, stack := range Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := record(t, stack)
			report := policy.Check(rec.Resources, nil, policy.WithRules(policy.Constraints()...))
			if err := report.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d constraint rules, %d resources checked", len(policy.Constraints()), report.Resources)
		})
	}
}

// Inputs AWS would refuse fail the checks with the rule and the limit,
// whatever the suppressions.
func TestRefusedInputsFailTheChecks(t *testing.T) {
	rec := record(t, "prod")
	sups := policy.Suppressions(rec.Context)
	for _, tc := range []struct {
		name, typ, victim, rule, want string
		mutate                        func(r *stacktest.Resource)
	}{
		{"apostrophe in a rule description", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "updates-alb-from-cloudfront", "AWS-SG-RULE-DESCRIPTION", `has "'"`,
			func(r *stacktest.Resource) {
				r.Inputs["description"] = "HTTPS from CloudFront's origin-facing servers only"
			}},
		{"explicit function name over 64", "aws:lambda/function:Function", "blog-api-handler", "AWS-NAME-LENGTH", "is 65 characters; Lambda function names are at most 64",
			func(r *stacktest.Resource) { r.Inputs["name"] = strings.Repeat("f", 65) }},
		{"logical function name too long to autoname", "aws:lambda/function:Function", "blog-api-handler", "AWS-NAME-LENGTH", "Pulumi adds 8 characters",
			func(r *stacktest.Resource) {
				r.Name = "blog-api-handler-for-posts-sign-ups-comments-and-everything-else"
			}},
		{"log retention of 45 days", "aws:cloudwatch/logGroup:LogGroup", "blog-api-handler-logs", "AWS-LOG-RETENTION", "retentionInDays 45 is not a period CloudWatch Logs accepts",
			func(r *stacktest.Resource) { r.Inputs["retentionInDays"] = 45.0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := rec.Must(t, tc.typ, tc.victim)
			changed := make([]stacktest.Resource, len(rec.Resources))
			var victim stacktest.Resource
			for i, r := range rec.Resources {
				if r.URN == target.URN {
					r.Inputs = copyInputs(r.Inputs)
					tc.mutate(&r)
					victim = r
				}
				changed[i] = r
			}
			sups := append(sups, policy.Suppression{URN: victim.URN, Rules: []string{tc.rule}, Reason: "trying to excuse it"})
			report := policy.Check(changed, sups, policy.Production(true), policy.WithConstraints())
			for _, f := range report.Failed() {
				if f.Rule == tc.rule && f.URN == victim.URN && strings.Contains(f.Message, tc.want) {
					t.Log(f)
					return
				}
			}
			t.Fatalf("%s %s did not fail %s with %q:\n%s", victim.Type, victim.Name, tc.rule, tc.want, report)
		})
	}
}
