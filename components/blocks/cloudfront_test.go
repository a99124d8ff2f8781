package blocks_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

const typeHeaders = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"

// overrides returns each security header's Override setting, by header.
func overrides(t *testing.T, rec *stacktest.Recording, name string) map[string]any {
	t.Helper()
	got := map[string]any{}
	for header, v := range rec.Must(t, typeHeaders, name).Inputs["securityHeadersConfig"].(map[string]any) {
		got[header] = v.(map[string]any)["override"]
	}
	return got
}

func TestSecurityHeadersPrecedenceIsExplicit(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		if _, err := blocks.NewSecurityHeadersPolicy(ctx, "site-headers", blocks.SecurityHeadersArgs{
			Precedence: blocks.PolicyWins, ContentSecurityPolicy: pulumi.String("default-src 'self'"),
		}); err != nil {
			return err
		}
		_, err := blocks.NewSecurityHeadersPolicy(ctx, "app-headers", blocks.SecurityHeadersArgs{
			Precedence: blocks.OriginWins, HSTSMaxAgeSeconds: 31536000,
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	site := map[string]any{"strictTransportSecurity": true, "contentTypeOptions": true, "frameOptions": true,
		"referrerPolicy": true, "contentSecurityPolicy": true, "xssProtection": true}
	if got := overrides(t, rec, "site-headers"); !reflect.DeepEqual(got, site) {
		t.Errorf("PolicyWins overrides %v, want %v", got, site)
	}
	app := map[string]any{"strictTransportSecurity": false, "contentTypeOptions": false, "frameOptions": false, "referrerPolicy": false}
	if got := overrides(t, rec, "app-headers"); !reflect.DeepEqual(got, app) {
		t.Errorf("OriginWins overrides %v, want %v (no CSP, so no X-XSS-Protection either)", got, app)
	}
	cfg := rec.Must(t, typeHeaders, "site-headers").Inputs["securityHeadersConfig"].(map[string]any)
	if hsts := cfg["strictTransportSecurity"].(map[string]any); hsts["accessControlMaxAgeSec"] != float64(blocks.DefaultHSTSMaxAgeSeconds) || hsts["includeSubdomains"] != true {
		t.Errorf("HSTS %v, want the default max-age with subdomains", hsts)
	}
	if xss := cfg["xssProtection"].(map[string]any); xss["protection"] != false {
		t.Errorf("X-XSS-Protection %v, want 0 next to the CSP", xss)
	}

	_, err = stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := blocks.NewSecurityHeadersPolicy(ctx, "headers", blocks.SecurityHeadersArgs{})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `Precedence "": want "policy" or "origin"`) {
		t.Errorf("policy without precedence: error %v", err)
	}
}

func TestCloudFrontGrantsNameTheirDistributionsOnly(t *testing.T) {
	dist := pulumi.String("arn:aws:cloudfront::123456789012:distribution/E1")
	for _, tc := range []struct {
		stmt             blocks.Statement
		action, resource string
	}{
		{blocks.AllowCloudFrontRead(pulumi.String("arn:aws:s3:::b/*"), dist), "s3:GetObject", "arn:aws:s3:::b/*"},
		{blocks.AllowCloudFrontList(pulumi.String("arn:aws:s3:::b"), dist), "s3:ListBucket", "arn:aws:s3:::b"},
		{blocks.AllowCloudFrontDecrypt(dist), "kms:Decrypt", "*"},
	} {
		rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
			ctx.Export("policy", blocks.PolicyJSON(tc.stmt))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Statement []struct {
				Sid, Effect string
				Principal   map[string]string
				Action      []string
				Resource    []string
				Condition   map[string]map[string][]string
			}
		}
		if err := json.Unmarshal([]byte(rec.Outputs["policy"].(string)), &doc); err != nil {
			t.Fatal(err)
		}
		st := doc.Statement[0]
		if st.Sid != tc.stmt.Sid || st.Effect != "Allow" || st.Principal["Service"] != blocks.CloudFrontServicePrincipal ||
			!reflect.DeepEqual(st.Action, []string{tc.action}) || !reflect.DeepEqual(st.Resource, []string{tc.resource}) ||
			!reflect.DeepEqual(st.Condition, map[string]map[string][]string{"StringEquals": {"AWS:SourceArn": {string(dist)}}}) {
			t.Errorf("%s: %+v, want %s on %s for the distribution only", tc.stmt.Sid, st, tc.action, tc.resource)
		}
	}
}

// A lookup is cached per kind: a cache policy's ID is never returned for
// an origin request policy of the same name.
func TestManagedPoliciesAreCachedByKindAndName(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		parent := &pulumi.ResourceState{}
		if err := ctx.RegisterComponentResource("test:index:Parent", "parent", parent); err != nil {
			return err
		}
		m := blocks.NewManagedPolicies(ctx, parent)
		cache, err := m.CachePolicy(blocks.ManagedCachingOptimized)
		if err != nil || cache == "" {
			t.Errorf("cache policy %s: %q, %v", blocks.ManagedCachingOptimized, cache, err)
			return nil
		}
		if again, _ := m.CachePolicy(blocks.ManagedCachingOptimized); again != cache {
			t.Errorf("second lookup gave %q, want %q", again, cache)
		}
		if id, err := m.OriginRequestPolicy(blocks.ManagedCachingOptimized); err == nil {
			t.Errorf("origin request policy %s: %q, want no such policy (not the cache policy's ID %q)", blocks.ManagedCachingOptimized, id, cache)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
