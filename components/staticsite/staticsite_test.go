package staticsite_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
)

const (
	typeDistribution = "aws:cloudfront/distribution:Distribution"
	typeOAC          = "aws:cloudfront/originAccessControl:OriginAccessControl"
	typeBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	typeObject       = "aws:s3/bucketObjectv2:BucketObjectv2"
	typeFunction     = "aws:cloudfront/function:Function"
	typeCertificate  = "aws:acm/certificate:Certificate"
	typeRecord       = "aws:route53/record:Record"
	typeProvider     = "pulumi:providers:aws"

	// Managed policy IDs, as AWS publishes them.
	cachingOptimized          = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	cachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

	// homeRegion is deliberately not us-east-1, so a resource that forgets
	// the us-east-1 provider shows up in the wrong region.
	homeRegion = "eu-west-1"
)

// writeSite writes files (key → content) into a new directory.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for key, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sampleSite(t *testing.T) string {
	return writeSite(t, map[string]string{
		"index.html":               `<link rel="stylesheet" href="/assets/site.0badc0de.css"><script src="/assets/app.3f2a1b9c.js"></script>`,
		"about/index.html":         `<h1>About</h1>`,
		"assets/app.3f2a1b9c.js":   `console.log("v1")`,
		"assets/site.0badc0de.css": `body{}`,
		"favicon.svg":              `<svg/>`,
		".DS_Store":                `junk`,
	})
}

// runSites runs a program with a us-east-1 provider and one site per
// entry of args (named site, site2, ...), exporting each site's
// distribution ARN and origin access control ID.
func runSites(t *testing.T, args ...staticsite.Args) (*stacktest.Recording, error) {
	t.Helper()
	return stacktest.Run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		for i, a := range args {
			name := "site"
			if i > 0 {
				name = "site" + string(rune('1'+i))
			}
			a.USEast1 = east
			site, err := staticsite.New(ctx, name, a)
			if err != nil {
				return err
			}
			ctx.Export(name+"DistributionArn", site.DistributionArn)
			ctx.Export(name+"OAC", site.OriginAccessControl.ID())
			ctx.Export(name+"Url", site.URL)
		}
		return nil
	}, stacktest.Config("aws:region", homeRegion))
}

func mustRun(t *testing.T, args ...staticsite.Args) *stacktest.Recording {
	t.Helper()
	rec, err := runSites(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

type statement struct {
	Sid       string
	Effect    string
	Principal map[string]any
	Action    []string
	Resource  []string
	Condition map[string]map[string][]string
}

func policyStatements(t *testing.T, r stacktest.Resource) []statement {
	t.Helper()
	var doc struct{ Statement []statement }
	if err := json.Unmarshal([]byte(r.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatalf("policy of %s: %v", r.Name, err)
	}
	return doc.Statement
}

func TestBucketPolicyLetsOnlyItsOwnDistributionRead(t *testing.T) {
	dir := sampleSite(t)
	rec := mustRun(t, staticsite.Args{ContentDir: dir}, staticsite.Args{ContentDir: dir})

	for _, name := range []string{"site", "site2"} {
		own := rec.Outputs[name+"DistributionArn"].(string)
		if !strings.HasPrefix(own, "arn:aws:cloudfront::123456789012:distribution/E") {
			t.Fatalf("%s distribution ARN %q is not a distribution ARN", name, own)
		}
		var reads []statement
		for _, st := range policyStatements(t, rec.Must(t, typeBucketPolicy, name+"-bucket-policy")) {
			if st.Effect == "Allow" {
				reads = append(reads, st)
			}
		}
		if len(reads) != 1 {
			t.Fatalf("%s bucket policy allows %d statements, want only CloudFront's read: %+v", name, len(reads), reads)
		}
		st := reads[0]
		if got := st.Principal["Service"]; got != "cloudfront.amazonaws.com" || len(st.Principal) != 1 {
			t.Errorf("%s: read is allowed to %v, want only the CloudFront service", name, st.Principal)
		}
		if !reflect.DeepEqual(st.Action, []string{"s3:GetObject"}) {
			t.Errorf("%s: actions %v, want s3:GetObject", name, st.Action)
		}
		if want := []string{"arn:aws:s3:::" + name + "-bucket/*"}; !reflect.DeepEqual(st.Resource, want) {
			t.Errorf("%s: resources %v, want %v", name, st.Resource, want)
		}
		if got := st.Condition["StringEquals"]["AWS:SourceArn"]; !reflect.DeepEqual(got, []string{own}) {
			t.Errorf("%s: SourceArn condition %v, want exactly its own distribution %s", name, got, own)
		}
	}
	if rec.Outputs["siteDistributionArn"] == rec.Outputs["site2DistributionArn"] {
		t.Fatal("two sites got the same distribution ARN; the test cannot tell them apart")
	}
}

func TestOriginsUseThisOriginAccessControl(t *testing.T) {
	dir := sampleSite(t)
	thumbs := staticsite.BucketOrigin("thumbnails", pulumi.String("thumbs.s3.eu-west-1.amazonaws.com"))
	rec := mustRun(t,
		staticsite.Args{ContentDir: dir, Behaviors: []staticsite.Behavior{{PathPattern: "/thumbnails/*", Origin: thumbs}}},
		staticsite.Args{ContentDir: dir})

	own := rec.Outputs["siteOAC"].(string)
	if own == "" || own == rec.Outputs["site2OAC"] {
		t.Fatalf("origin access control IDs %v and %v do not tell the sites apart", own, rec.Outputs["site2OAC"])
	}
	oac := rec.Must(t, typeOAC, "site-oac")
	for k, want := range map[string]string{"signingBehavior": "always", "signingProtocol": "sigv4", "originAccessControlOriginType": "s3"} {
		if oac.Inputs[k] != want {
			t.Errorf("origin access control %s = %v, want %s", k, oac.Inputs[k], want)
		}
	}
	dist := rec.Must(t, typeDistribution, "site-distribution")
	origins := map[string]map[string]any{}
	for _, o := range dist.Inputs["origins"].([]any) {
		m := o.(map[string]any)
		origins[m["originId"].(string)] = m
	}
	site := origins["site"]
	if site["domainName"] != "site-bucket.s3.eu-west-1.amazonaws.com" {
		t.Errorf("site origin reads %v, want its bucket's regional endpoint", site["domainName"])
	}
	for _, id := range []string{"site", "thumbnails"} {
		if got := origins[id]["originAccessControlId"]; got != own {
			t.Errorf("origin %s uses access control %v, want this site's %s", id, got, own)
		}
		if origins[id]["s3OriginConfig"] != nil {
			t.Errorf("origin %s has an s3OriginConfig (legacy origin access identity)", id)
		}
	}
}

func TestCustomDomainCertificateIsInUSEast1(t *testing.T) {
	rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), DomainName: "www.example.com", HostedZone: "example.com"})

	cert := rec.Must(t, typeCertificate, "site-certificate")
	provider, ok := rec.ByURN(cert.Provider)
	if !ok || provider.Type != typeProvider || provider.Inputs["region"] != "us-east-1" {
		t.Fatalf("certificate uses provider %q (%v), want the explicit us-east-1 provider", cert.Provider, provider.Inputs)
	}
	validation := rec.Must(t, "aws:acm/certificateValidation:CertificateValidation", "site-certificate-validation")
	if validation.Provider != cert.Provider {
		t.Errorf("certificate validation uses provider %q, want %q", validation.Provider, cert.Provider)
	}
	if cert.Inputs["domainName"] != "www.example.com" || cert.Inputs["validationMethod"] != "DNS" {
		t.Errorf("certificate inputs %v", cert.Inputs)
	}
	dns := rec.Must(t, typeRecord, "site-certificate-dns")
	if name, _ := dns.Inputs["name"].(string); !strings.HasSuffix(name, ".www.example.com.") || dns.Inputs["type"] != "CNAME" {
		t.Errorf("validation record %v, want the CNAME ACM asked for", dns.Inputs)
	}
	if got, _ := validation.Inputs["validationRecordFqdns"].([]any); len(got) != 1 || got[0] != dns.Inputs["name"] {
		t.Errorf("validation waits for %v, want the validation record", got)
	}

	dist := rec.Must(t, typeDistribution, "site-distribution")
	vc := dist.Inputs["viewerCertificate"].(map[string]any)
	if arn, _ := vc["acmCertificateArn"].(string); !strings.HasPrefix(arn, "arn:aws:acm:us-east-1:123456789012:certificate/") {
		t.Errorf("distribution serves certificate %v, want one in us-east-1", vc["acmCertificateArn"])
	}
	if vc["minimumProtocolVersion"] != "TLSv1.2_2021" || vc["sslSupportMethod"] != "sni-only" {
		t.Errorf("viewer certificate %v, want TLSv1.2_2021 with SNI", vc)
	}
	if got := dist.Inputs["aliases"]; !reflect.DeepEqual(got, []any{"www.example.com"}) {
		t.Errorf("aliases %v", got)
	}
	for _, typ := range []string{"a", "aaaa"} {
		alias := rec.Must(t, typeRecord, "site-alias-"+typ)
		target := alias.Inputs["aliases"].([]any)[0].(map[string]any)
		if alias.Inputs["name"] != "www.example.com" || alias.Inputs["zoneId"] != dns.Inputs["zoneId"] ||
			!strings.HasSuffix(target["name"].(string), ".cloudfront.net") || target["zoneId"] != "Z2FDTNDATAQYW2" {
			t.Errorf("%s alias %v, want www.example.com → the distribution in the site's zone", typ, alias.Inputs)
		}
	}
	if rec.Outputs["siteUrl"] != "https://www.example.com" {
		t.Errorf("url %v", rec.Outputs["siteUrl"])
	}
}

func TestDistributionServesSecurely(t *testing.T) {
	rec := mustRun(t, staticsite.Args{
		ContentDir:            sampleSite(t),
		ContentSecurityPolicy: pulumi.String("default-src 'self'; img-src 'self' data:"),
		PriceClass:            pulumi.String("PriceClass_200"),
	})
	dist := rec.Must(t, typeDistribution, "site-distribution")
	for k, want := range map[string]any{
		"httpVersion": "http2and3", "isIpv6Enabled": true, "defaultRootObject": "index.html",
		"priceClass": "PriceClass_200", "enabled": true,
	} {
		if dist.Inputs[k] != want {
			t.Errorf("distribution %s = %v, want %v", k, dist.Inputs[k], want)
		}
	}
	def := dist.Inputs["defaultCacheBehavior"].(map[string]any)
	if def["viewerProtocolPolicy"] != "redirect-to-https" || def["compress"] != true {
		t.Errorf("default behaviour %v", def)
	}
	if def["cachePolicyId"] == cachingOptimized || def["cachePolicyId"] == "" {
		t.Errorf("HTML is cached with %v, want the site's short-TTL policy", def["cachePolicyId"])
	}
	html := rec.Must(t, "aws:cloudfront/cachePolicy:CachePolicy", "site-html-cache")
	if html.Inputs["maxTtl"] != 60.0 || html.Inputs["minTtl"] != 0.0 {
		t.Errorf("HTML cache policy TTLs min %v max %v, want 0 and 60", html.Inputs["minTtl"], html.Inputs["maxTtl"])
	}
	assets := dist.Inputs["orderedCacheBehaviors"].([]any)[0].(map[string]any)
	if assets["pathPattern"] != "/assets/*" || assets["cachePolicyId"] != cachingOptimized {
		t.Errorf("assets behaviour %v, want /assets/* with managed CachingOptimized", assets)
	}

	headers := rec.Must(t, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "site-headers").Inputs["securityHeadersConfig"].(map[string]any)
	hsts := headers["strictTransportSecurity"].(map[string]any)
	if hsts["accessControlMaxAgeSec"].(float64) < 31536000 || hsts["includeSubdomains"] != true {
		t.Errorf("HSTS %v, want a year or more including subdomains", hsts)
	}
	if headers["contentTypeOptions"].(map[string]any)["override"] != true ||
		headers["frameOptions"].(map[string]any)["frameOption"] != "DENY" ||
		headers["referrerPolicy"].(map[string]any)["referrerPolicy"] != "strict-origin-when-cross-origin" {
		t.Errorf("security headers %v", headers)
	}
	if csp := headers["contentSecurityPolicy"].(map[string]any)["contentSecurityPolicy"]; csp != "default-src 'self'; img-src 'self' data:" {
		t.Errorf("CSP %v, want the configured one", csp)
	}
	for _, b := range append([]any{def}, dist.Inputs["orderedCacheBehaviors"].([]any)...) {
		if b.(map[string]any)["responseHeadersPolicyId"] == nil {
			t.Errorf("behaviour %v has no response headers policy", b)
		}
	}
}

func TestObjectsCarryContentTypeAndCacheControl(t *testing.T) {
	rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), HTMLMaxAgeSeconds: 30})
	want := map[string][2]string{
		"site/index.html":               {"text/html; charset=utf-8", "public, max-age=0, s-maxage=30, must-revalidate"},
		"site/about/index.html":         {"text/html; charset=utf-8", "public, max-age=0, s-maxage=30, must-revalidate"},
		"site/assets/app.3f2a1b9c.js":   {"text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		"site/assets/site.0badc0de.css": {"text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		"site/favicon.svg":              {"image/svg+xml", "public, max-age=0, s-maxage=30, must-revalidate"},
	}
	objects := rec.OfType(typeObject)
	if len(objects) != len(want) {
		var names []string
		for _, o := range objects {
			names = append(names, o.Name)
		}
		t.Fatalf("objects %v, want %d (hidden files left out)", names, len(want))
	}
	for name, w := range want {
		o := rec.Must(t, typeObject, name)
		if o.Inputs["contentType"] != w[0] || o.Inputs["cacheControl"] != w[1] {
			t.Errorf("%s: Content-Type %v, Cache-Control %v; want %v", name, o.Inputs["contentType"], o.Inputs["cacheControl"], w)
		}
		if o.Inputs["key"] != strings.TrimPrefix(name, "site/") {
			t.Errorf("%s has key %v", name, o.Inputs["key"])
		}
		if src, _ := o.Inputs["source"].(map[string]any); len(src["sha256"].(string)) != 64 {
			t.Errorf("%s source %v, want a content hash", name, o.Inputs["source"])
		}
	}
}

// diff compares two recordings by URN: resources only in a, only in b, and
// in both with different inputs (or options).
func diff(a, b *stacktest.Recording) (removed, added, changed []string) {
	index := func(r *stacktest.Recording) map[string]stacktest.Resource {
		m := map[string]stacktest.Resource{}
		for _, res := range r.Resources {
			m[res.URN] = res
		}
		return m
	}
	ai, bi := index(a), index(b)
	for urn, ra := range ai {
		rb, ok := bi[urn]
		switch {
		case !ok:
			removed = append(removed, ra.Name)
		case !reflect.DeepEqual(ra, rb):
			changed = append(changed, ra.Name)
		}
	}
	for urn, rb := range bi {
		if _, ok := ai[urn]; !ok {
			added = append(added, rb.Name)
		}
	}
	sort.Strings(removed)
	sort.Strings(added)
	sort.Strings(changed)
	return removed, added, changed
}

// TestDeploysChangeExactlyWhatVisitorsNeed runs the program again and again
// over one content directory, as successive `pulumi up`s would.
func TestDeploysChangeExactlyWhatVisitorsNeed(t *testing.T) {
	dir := sampleSite(t)
	args := staticsite.Args{ContentDir: dir, Behaviors: []staticsite.Behavior{{
		PathPattern: "/api/*", StripPrefix: "/api",
		Origin: staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/")),
	}}}
	first := mustRun(t, args)
	check := func(step string, prev, next *stacktest.Recording, wantRemoved, wantAdded, wantChanged []string) {
		t.Helper()
		removed, added, changed := diff(prev, next)
		if !slices.Equal(removed, wantRemoved) || !slices.Equal(added, wantAdded) || !slices.Equal(changed, wantChanged) {
			t.Errorf("%s: removed %v, added %v, changed %v; want removed %v, added %v, changed %v",
				step, removed, added, changed, wantRemoved, wantAdded, wantChanged)
		}
	}

	again := mustRun(t, args)
	s1, _ := first.Snapshot()
	s2, _ := again.Snapshot()
	if string(s1) != string(s2) {
		t.Errorf("unchanged content gave different inputs:\n%s", stacktest.Diff(string(s1), string(s2)))
	}

	// A page edit: only that page's object changes; no invalidation, no
	// change to the distribution.
	if err := os.WriteFile(filepath.Join(dir, "about", "index.html"), []byte("<h1>About us</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := mustRun(t, args)
	check("page edit", again, edited, nil, nil, []string{"site/about/index.html"})
	before := again.Must(t, typeObject, "site/about/index.html").Inputs["source"]
	after := edited.Must(t, typeObject, "site/about/index.html").Inputs["source"]
	if reflect.DeepEqual(before, after) {
		t.Error("the edited page's content hash did not change")
	}

	// A new script: a new fingerprinted name, the page that loads it, and
	// the old object gone.
	if err := os.Remove(filepath.Join(dir, "assets", "app.3f2a1b9c.js")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"assets/app.77aa88bb.js": `console.log("v2")`,
		"index.html":             `<link rel="stylesheet" href="/assets/site.0badc0de.css"><script src="/assets/app.77aa88bb.js"></script>`,
	}
	for key, content := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(key)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	released := mustRun(t, args)
	check("new script", edited, released, []string{"site/assets/app.3f2a1b9c.js"}, []string{"site/assets/app.77aa88bb.js"}, []string{"site/index.html"})
	if got := released.Must(t, typeObject, "site/assets/app.77aa88bb.js").Inputs["cacheControl"]; got != staticsite.ImmutableCacheControl {
		t.Errorf("new script is served with %v", got)
	}

	// A deleted file disappears from the bucket.
	if err := os.Remove(filepath.Join(dir, "favicon.svg")); err != nil {
		t.Fatal(err)
	}
	pruned := mustRun(t, args)
	check("deleted file", released, pruned, []string{"site/favicon.svg"}, nil, nil)
}

func TestExtraBehaviours(t *testing.T) {
	thumbs := staticsite.BucketOrigin("thumbnails", pulumi.String("thumbs.s3.eu-west-1.amazonaws.com"))
	rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), Behaviors: []staticsite.Behavior{
		{
			PathPattern: "/api/*", StripPrefix: "/api", Caching: staticsite.CachingOrigin,
			Origin: staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/")),
		},
		{PathPattern: "/thumbnails/*", Origin: thumbs},
	}})
	dist := rec.Must(t, typeDistribution, "site-distribution")
	origins := map[string]map[string]any{}
	for _, o := range dist.Inputs["origins"].([]any) {
		origins[o.(map[string]any)["originId"].(string)] = o.(map[string]any)
	}
	api := origins["api"]
	if api["domainName"] != "abc123.execute-api.eu-west-1.amazonaws.com" || api["originPath"] != "/v1" {
		t.Errorf("API origin %v, want the stage's host and /v1", api)
	}
	custom := api["customOriginConfig"].(map[string]any)
	if custom["originProtocolPolicy"] != "https-only" || !reflect.DeepEqual(custom["originSslProtocols"], []any{"TLSv1.2"}) {
		t.Errorf("API origin connection %v, want HTTPS with TLSv1.2 only", custom)
	}

	behaviours := map[string]map[string]any{}
	for _, b := range dist.Inputs["orderedCacheBehaviors"].([]any) {
		behaviours[b.(map[string]any)["pathPattern"].(string)] = b.(map[string]any)
	}
	apiB := behaviours["/api/*"]
	originCache := rec.Must(t, "aws:cloudfront/cachePolicy:CachePolicy", "site-origin-cache")
	if originCache.Inputs["defaultTtl"] != 0.0 || originCache.Inputs["parametersInCacheKeyAndForwardedToOrigin"].(map[string]any)["queryStringsConfig"].(map[string]any)["queryStringBehavior"] != "all" {
		t.Errorf("origin-controlled cache policy %v, want default TTL 0 keyed by all query strings", originCache.Inputs)
	}
	if apiB["targetOriginId"] != "api" || apiB["originRequestPolicyId"] != allViewerExceptHostHeader || apiB["cachePolicyId"] == cachingOptimized {
		t.Errorf("/api/* behaviour %v, want the API with AllViewerExceptHostHeader and the origin-controlled policy", apiB)
	}
	if !slices.Contains(apiB["allowedMethods"].([]any), "POST") {
		t.Errorf("/api/* allows %v, want writes too", apiB["allowedMethods"])
	}
	fn := rec.Must(t, typeFunction, "site-strip-api")
	assoc := apiB["functionAssociations"].([]any)[0].(map[string]any)
	if assoc["eventType"] != "viewer-request" || assoc["functionArn"] != "arn:aws:cloudfront::123456789012:function/"+fn.Inputs["name"].(string) {
		t.Errorf("/api/* function association %v, want the prefix-stripping function %s", assoc, fn.Inputs["name"])
	}
	if !strings.Contains(fn.Inputs["code"].(string), `var PREFIX = "/api";`) {
		t.Errorf("strip function code:\n%s", fn.Inputs["code"])
	}

	th := behaviours["/thumbnails/*"]
	if th["cachePolicyId"] != cachingOptimized || th["originRequestPolicyId"] != nil ||
		!reflect.DeepEqual(th["allowedMethods"], []any{"GET", "HEAD"}) {
		t.Errorf("/thumbnails/* behaviour %v, want cached, read-only, no origin request policy", th)
	}

	disabled := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), Behaviors: []staticsite.Behavior{{
		PathPattern: "/api/*", Origin: staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1")),
	}}})
	b := disabled.Must(t, typeDistribution, "site-distribution").Inputs["orderedCacheBehaviors"].([]any)[0].(map[string]any)
	if b["cachePolicyId"] != cachingDisabled {
		t.Errorf("URL origin caching defaults to %v, want managed CachingDisabled", b["cachePolicyId"])
	}
}

func TestStandardLoggingV2InUSEast1(t *testing.T) {
	for _, dest := range []staticsite.LogDestination{staticsite.LogsToCloudWatch, staticsite.LogsToS3} {
		t.Run(string(dest), func(t *testing.T) {
			rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), LogDestination: dest, LogRetentionDays: 90})
			east := ""
			for _, p := range rec.OfType(typeProvider) {
				if p.Inputs["region"] == "us-east-1" {
					east = p.URN
				}
			}
			src := rec.Must(t, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "site-logs-source")
			dst := rec.Must(t, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "site-logs-destination")
			del := rec.Must(t, "aws:cloudwatch/logDelivery:LogDelivery", "site-logs-delivery")
			for _, r := range []stacktest.Resource{src, dst, del} {
				if r.Provider != east {
					t.Errorf("%s uses provider %q, want the us-east-1 provider", r.Name, r.Provider)
				}
			}
			if src.Inputs["logType"] != "ACCESS_LOGS" || src.Inputs["resourceArn"] != rec.Outputs["siteDistributionArn"] {
				t.Errorf("delivery source %v, want the distribution's access logs", src.Inputs)
			}
			if del.Inputs["deliverySourceName"] != src.Inputs["name"] || !strings.HasPrefix(del.Inputs["deliveryDestinationArn"].(string), "arn:aws:logs:us-east-1:123456789012:delivery-destination:") {
				t.Errorf("delivery %v does not join the source and destination", del.Inputs)
			}
			target := dst.Inputs["deliveryDestinationConfiguration"].(map[string]any)["destinationResourceArn"]
			switch dest {
			case staticsite.LogsToCloudWatch:
				group := rec.Must(t, "aws:cloudwatch/logGroup:LogGroup", "site-logs-group")
				if group.Provider != east || group.Inputs["retentionInDays"] != 90.0 {
					t.Errorf("log group provider %q retention %v, want us-east-1 and 90 days", group.Provider, group.Inputs["retentionInDays"])
				}
				if target != "arn:aws:logs:us-east-1:123456789012:log-group:"+group.Inputs["name"].(string) {
					t.Errorf("destination %v, want the log group", target)
				}
			case staticsite.LogsToS3:
				if target != "arn:aws:s3:::site-logs" {
					t.Errorf("destination %v, want the log bucket", target)
				}
				own := rec.Must(t, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "site-logs-ownership")
				if own.Inputs["rule"].(map[string]any)["objectOwnership"] != "BucketOwnerEnforced" {
					t.Error("log bucket has ACLs enabled")
				}
				var write *statement
				for _, st := range policyStatements(t, rec.Must(t, typeBucketPolicy, "site-logs-policy")) {
					if st.Sid == "AWSLogDeliveryWrite" {
						write = &st
					}
				}
				sourceArn := "arn:aws:logs:us-east-1:123456789012:delivery-source:" + src.Inputs["name"].(string)
				if write == nil || write.Principal["Service"] != "delivery.logs.amazonaws.com" ||
					!reflect.DeepEqual(write.Condition["ArnLike"]["aws:SourceArn"], []string{sourceArn}) ||
					!reflect.DeepEqual(write.Condition["StringEquals"]["aws:SourceAccount"], []string{"123456789012"}) {
					t.Errorf("log bucket write statement %+v, want log delivery for %s only", write, sourceArn)
				}
			}
		})
	}
}

func TestSitePassesThePolicyRules(t *testing.T) {
	thumbs := staticsite.BucketOrigin("thumbnails", pulumi.String("thumbs.s3.eu-west-1.amazonaws.com"))
	for _, tc := range []struct {
		name string
		args staticsite.Args
	}{
		{"cloudfront domain, log group", staticsite.Args{}},
		{"custom domain, log bucket", staticsite.Args{DomainName: "www.example.com", HostedZone: "example.com", LogDestination: staticsite.LogsToS3, Protect: true}},
		{"extra behaviours", staticsite.Args{Behaviors: []staticsite.Behavior{
			{PathPattern: "/api/*", StripPrefix: "/api", Origin: staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/"))},
			{PathPattern: "/thumbnails/*", Origin: thumbs},
		}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.args.ContentDir = sampleSite(t)
			rec := mustRun(t, tc.args)
			report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(true), policy.WithConstraints())
			if err := report.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestBadArgsAreRefused(t *testing.T) {
	api := staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1"))
	for _, tc := range []struct {
		name string
		args staticsite.Args
		want string
	}{
		{"no index document", staticsite.Args{IndexDocument: "home.html"}, `index document "home.html" is not in`},
		{"error page over an API", staticsite.Args{ErrorDocument: "index.html", Behaviors: []staticsite.Behavior{{PathPattern: "/api/*", Origin: api}}}, "ErrorDocument would replace the body of every 404 of origin api"},
		{"route twice", staticsite.Args{Behaviors: []staticsite.Behavior{{PathPattern: "/assets/*", Origin: api}}}, `path pattern "/assets/*" is routed twice`},
		{"bad strip prefix", staticsite.Args{Behaviors: []staticsite.Behavior{{PathPattern: "/api/*", StripPrefix: "/v1", Origin: api}}}, `StripPrefix "/v1" must start with / and lead the pattern`},
		{"domain without zone", staticsite.Args{DomainName: "www.example.com"}, "must be set together"},
		{"unknown price class", staticsite.Args{PriceClass: pulumi.String("PriceClass_300")}, `PriceClass "PriceClass_300" is not one of PriceClass_100, PriceClass_200, PriceClass_All`},
		{"reserved origin ID", staticsite.Args{Behaviors: []staticsite.Behavior{{PathPattern: "/x/*", Origin: staticsite.Origin{ID: "site", DomainName: pulumi.String("x")}}}}, `origin ID "site" is empty or reserved`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.args.ContentDir = sampleSite(t)
			_, err := runSites(t, tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := runSites(t, staticsite.Args{ContentDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "has no files") {
		t.Errorf("empty content: error %v", err)
	}
}

func TestErrorPageAndSPAFallback(t *testing.T) {
	files := map[string]string{"index.html": "<p>home</p>", "404.html": "<p>not found</p>"}
	rec := mustRun(t, staticsite.Args{ContentDir: writeSite(t, files), ErrorDocument: "404.html"})
	dist := rec.Must(t, typeDistribution, "site-distribution")
	want := []any{map[string]any{"errorCode": 404.0, "responseCode": 404.0, "responsePagePath": "/404.html", "errorCachingMinTtl": 60.0}}
	if got := dist.Inputs["customErrorResponses"]; !reflect.DeepEqual(got, want) {
		t.Errorf("custom error responses %v, want %v", got, want)
	}
	// S3 answers 403 for a missing key to whoever may not list the bucket:
	// the distribution may list it, so the 404 above applies.
	var list *statement
	for _, st := range policyStatements(t, rec.Must(t, typeBucketPolicy, "site-bucket-policy")) {
		if slices.Contains(st.Action, "s3:ListBucket") {
			list = &st
		}
	}
	if list == nil || !reflect.DeepEqual(list.Resource, []string{"arn:aws:s3:::site-bucket"}) ||
		!reflect.DeepEqual(list.Condition["StringEquals"]["AWS:SourceArn"], []string{rec.Outputs["siteDistributionArn"].(string)}) {
		t.Errorf("list statement %+v, want ListBucket on the bucket for this distribution only", list)
	}
	router := rec.Must(t, typeFunction, "site-router")
	if !strings.Contains(router.Inputs["code"].(string), "var SPA = false;") {
		t.Errorf("router without SPA fallback:\n%s", router.Inputs["code"])
	}

	spa := mustRun(t, staticsite.Args{ContentDir: writeSite(t, files), SPAFallback: true})
	if got := spa.Must(t, typeDistribution, "site-distribution").Inputs["customErrorResponses"]; got != nil && len(got.([]any)) != 0 {
		t.Errorf("SPA fallback uses custom error responses %v, which would rewrite other origins' errors", got)
	}
	code := spa.Must(t, typeFunction, "site-router").Inputs["code"].(string)
	if !strings.Contains(code, "var SPA = true;") || !strings.Contains(code, `var INDEX = "index.html";`) {
		t.Errorf("router with SPA fallback:\n%s", code)
	}
	for _, st := range policyStatements(t, spa.Must(t, typeBucketPolicy, "site-bucket-policy")) {
		if slices.Contains(st.Action, "s3:ListBucket") {
			t.Error("the distribution may list the bucket without an error page needing it")
		}
	}
}

// Without a USEast1 provider the site makes its own, with the stack's aws:
// identity settings, and creates its us-east-1 resources with it.
func TestUSEast1ProviderIsCreatedWithTheStacksIdentity(t *testing.T) {
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := staticsite.New(ctx, "site", staticsite.Args{ContentDir: sampleSite(t)})
		return err
	}, stacktest.Config("aws:region", homeRegion), stacktest.Config("aws:profile", "deployer"))
	if err != nil {
		t.Fatal(err)
	}
	p := rec.Must(t, typeProvider, "site-us-east-1")
	if p.Inputs["region"] != "us-east-1" || p.Inputs["profile"] != "deployer" {
		t.Errorf("provider inputs %v, want us-east-1 with the stack's profile", p.Inputs)
	}
	if src := rec.Must(t, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "site-logs-source"); src.Provider != p.URN {
		t.Errorf("log delivery source uses provider %q, want %q", src.Provider, p.URN)
	}
}

// With CustomerManagedKey the content is encrypted with a key the site
// creates, whose policy keeps the account's IAM in charge and lets this
// distribution alone decrypt.
func TestCustomerManagedKeyAdmitsThisDistributionOnly(t *testing.T) {
	rec := mustRun(t, staticsite.Args{ContentDir: sampleSite(t), CustomerManagedKey: true})
	key := rec.Must(t, "aws:kms/key:Key", "site-key")
	if key.Inputs["enableKeyRotation"] != true {
		t.Errorf("key %v does not rotate", key.Inputs)
	}
	enc := rec.Must(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "site-bucket-encryption")
	rule := enc.Inputs["rules"].([]any)[0].(map[string]any)
	if sse := rule["applyServerSideEncryptionByDefault"].(map[string]any); sse["sseAlgorithm"] != "aws:kms" || sse["kmsMasterKeyId"] != key.Outputs["arn"] {
		t.Errorf("bucket encryption %v, want SSE-KMS with the site's key %v", sse, key.Outputs["arn"])
	}
	var doc struct {
		Statement []struct {
			Sid       string
			Principal map[string]any
			Action    []string
			Condition map[string]map[string][]string
		}
	}
	pol := rec.Must(t, "aws:kms/keyPolicy:KeyPolicy", "site-key-policy")
	if err := json.Unmarshal([]byte(pol.Inputs["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) != 2 || doc.Statement[0].Principal["AWS"] != "arn:aws:iam::123456789012:root" {
		t.Fatalf("key policy %+v, want the account's IAM in charge first", doc.Statement)
	}
	cf := doc.Statement[1]
	if cf.Principal["Service"] != "cloudfront.amazonaws.com" || strings.Join(cf.Action, ",") != "kms:Decrypt" ||
		strings.Join(cf.Condition["StringEquals"]["AWS:SourceArn"], ",") != rec.Outputs["siteDistributionArn"] {
		t.Errorf("CloudFront statement %+v, want kms:Decrypt for distribution %v only", cf, rec.Outputs["siteDistributionArn"])
	}
}
