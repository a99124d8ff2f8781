package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
	"github.com/gopherstack/serverless-arch/internal/app"
)

const updatesSecret = "0123456789abcdef0123456789abcdef"

// recordUpdates runs the program for a shipped stack with only the update
// offload deployed and the shared secret set, as `pulumi config set
// --secret` would.
func recordUpdates(t *testing.T, stack string, extra ...stacktest.Option) (*stacktest.Recording, error) {
	t.Helper()
	opts := append([]stacktest.Option{
		stacktest.StackConfig("../..", stack),
		stacktest.Config("deploy", []string{"updates"}),
		stacktest.Secret("updatesOriginSecret", updatesSecret),
	}, extra...)
	return stacktest.Run(app.Run, opts...)
}

func TestUpdatesStacks(t *testing.T) {
	for _, tc := range []struct {
		stack, origin, lockdown string
		paths                   []string
	}{
		{"dev", "updates-alb", updateoffload.LockdownExclusive, []string{"/updates/*"}},
		{"prod", "origin.shop.example.com", updateoffload.LockdownAdded, []string{"/updates/*", "/downloads/*"}},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			rec, err := recordUpdates(t, tc.stack)
			if err != nil {
				t.Fatal(err)
			}
			d := rec.Must(t, "aws:cloudfront/distribution:Distribution", "updates-cdn")
			domain, _ := d.Inputs["origins"].([]any)[0].(map[string]any)["domainName"].(string)
			if !strings.HasPrefix(domain, tc.origin) {
				t.Errorf("origin %q, want %s's origin %s", domain, tc.stack, tc.origin)
			}
			_, demo := rec.Get("aws:autoscaling/group:Group", "updates-asg")
			if demo != (tc.stack == "dev") {
				t.Errorf("demo origin created: %v", demo)
			}
			if rec.Outputs["updatesOriginLockdown"] != tc.lockdown {
				t.Errorf("updatesOriginLockdown = %v, want %s", rec.Outputs["updatesOriginLockdown"], tc.lockdown)
			}
			var paths []string
			for _, p := range rec.Outputs["updatesCachedPaths"].([]any) {
				paths = append(paths, p.(string))
			}
			if !slices.Equal(paths, tc.paths) {
				t.Errorf("updatesCachedPaths = %v, want %v", paths, tc.paths)
			}
			if dom, _ := rec.Outputs["updatesDistributionDomain"].(string); !strings.HasSuffix(dom, ".cloudfront.net") {
				t.Errorf("updatesDistributionDomain = %q", dom)
			}
			snap, err := rec.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(snap), updatesSecret) {
				t.Error("the secret appears in the snapshot")
			}
			for k, v := range rec.Outputs {
				if s, _ := v.(string); strings.Contains(s, updatesSecret) {
					t.Errorf("output %s carries the secret", k)
				}
			}
			if err := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(tc.stack == "prod"), policy.WithConstraints()).Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

// demoUpdates is the configuration of a demo origin without the secret,
// set key by key: a shipped stack file holds an encrypted placeholder.
func demoUpdates() []stacktest.Option {
	return []stacktest.Option{
		stacktest.Project("serverless-arch"), stacktest.Stack("dev"),
		stacktest.Config("deploy", []string{"updates"}),
		stacktest.Config("updatesDemoOrigin", true),
		stacktest.Config("updatesDemoVpcId", "vpc-0123456789abcdef0"),
		stacktest.Config("updatesDemoSubnetIds", []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"}),
	}
}

func TestUpdatesSecretMustBeStoredEncrypted(t *testing.T) {
	_, err := stacktest.Run(app.Run, append(demoUpdates(), stacktest.Config("updatesOriginSecret", updatesSecret))...)
	if err == nil || !strings.Contains(err.Error(), "config serverless-arch:updatesOriginSecret") || !strings.Contains(err.Error(), "pulumi config set --secret") {
		t.Errorf("error %v, want a plain-text secret refused", err)
	}
	if err != nil && strings.Contains(err.Error(), updatesSecret) {
		t.Error("the error echoes the secret")
	}
	if _, err := stacktest.Run(app.Run, append(demoUpdates(), stacktest.Secret("updatesOriginSecret", updatesSecret))...); err != nil {
		t.Errorf("the same value stored as a secret: %v", err)
	}
}

func TestUpdatesMissingSecretIsAConfigError(t *testing.T) {
	_, err := stacktest.Run(app.Run, demoUpdates()...)
	if err == nil || !strings.Contains(err.Error(), "config serverless-arch:updatesOriginSecret is missing") {
		t.Errorf("error %v, want the missing secret named", err)
	}
}
