package app_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// TestOwnProvidersShareTheStacksIdentity sets the stack's aws: settings as
// `pulumi config set aws:...` would and checks that every provider the
// program creates for another region carries them: Pulumi gives such a
// provider none of them, and without them its resources could be created
// with other credentials, in another account.
func TestOwnProvidersShareTheStacksIdentity(t *testing.T) {
	const role = `{"roleArn":"arn:aws:iam::123456789012:role/deployer","sessionName":"pulumi","externalId":"ci"}`
	rec, err := stacktest.Run(app.Run,
		stacktest.StackConfig("../..", "prod"),
		stacktest.Secret("updatesOriginSecret", updatesSecret),
		stacktest.Config("aws:profile", "deploy-prod"),
		stacktest.Config("aws:allowedAccountIds", []string{"123456789012"}),
		stacktest.Config("aws:assumeRole", json.RawMessage(role)),
		stacktest.Config("aws:defaultTags", json.RawMessage(`{"tags":{"cost-center":"blog"}}`)),
		stacktest.Secret("aws:secretKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
		stacktest.Secret("aws:accessKey", "AKIAIOSFODNN7EXAMPLE"),
	)
	if err != nil {
		t.Fatal(err)
	}
	providers := rec.OfType("pulumi:providers:aws")
	regions := map[string]bool{}
	for _, p := range providers {
		regions[p.Inputs["region"].(string)] = true
		t.Run(p.Name, func(t *testing.T) {
			in := p.Inputs
			if in["profile"] != "deploy-prod" {
				t.Errorf("profile = %v", in["profile"])
			}
			if got := in["allowedAccountIds"]; !reflect.DeepEqual(got, []any{"123456789012"}) {
				t.Errorf("allowedAccountIds = %v", got)
			}
			if got := jsonOf(t, in["assumeRole"]); got["roleArn"] != "arn:aws:iam::123456789012:role/deployer" || got["externalId"] != "ci" || got["sessionName"] != "pulumi" {
				t.Errorf("assumeRole = %v", in["assumeRole"])
			}
			if got := jsonOf(t, in["defaultTags"]); !reflect.DeepEqual(got, map[string]any{"tags": map[string]any{"cost-center": "blog"}}) {
				t.Errorf("defaultTags = %v", in["defaultTags"])
			}
			for _, k := range []string{"accessKey", "secretKey"} {
				if in[k] != "[secret]" {
					t.Errorf("%s = %v, want it passed on as a secret", k, in[k])
				}
			}
		})
	}
	// us-east-1 for CloudFront and each prod replica region with its key.
	for _, r := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		if !regions[r] {
			t.Errorf("no provider for %s among %v", r, regions)
		}
	}
	snap, err := rec.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"wJalrXUtnFEMI", "AKIAIOSFODNN7EXAMPLE"} {
		if strings.Contains(string(snap), secret) {
			t.Errorf("the snapshot shows %s", secret)
		}
	}
}

// jsonOf reads a provider input that is an object, which Pulumi may pass
// to a provider JSON-encoded.
func jsonOf(t *testing.T, v any) map[string]any {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		return v
	case string:
		var m map[string]any
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		return m
	}
	t.Fatalf("not an object: %#v", v)
	return nil
}
