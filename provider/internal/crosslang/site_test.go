package crosslang

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
)

const apiURL = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/"

// siteDir writes a small site.
func siteDir(t *testing.T) string {
	dir := t.TempDir()
	for key, content := range map[string]string{"index.html": "<h1>hi</h1>", "assets/app.0badc0de.js": "1", "about/index.html": "a"} {
		path := filepath.Join(dir, key)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// identity is a stack's aws: identity settings, which a component's own
// us-east-1 provider must carry in Construct as in a Go program.
var identity = map[string]string{"aws:profile": "deploy", "aws:allowedAccountIds": `["123456789012"]`}

func TestStaticSite(t *testing.T) {
	dir := siteDir(t)
	content, err := archive.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec := scenario{token: staticsite.Token, name: "site", children: 15, cfg: identity,
		goProgram: func(ctx *pulumi.Context) error {
			thumbs := staticsite.BucketOrigin("thumbnails", pulumi.String("thumbs.s3.eu-west-1.amazonaws.com"))
			thumbs.ReadArn = pulumi.String("arn:aws:s3:::thumbs/thumbnails/*")
			_, err := staticsite.New(ctx, "site", staticsite.Args{ContentDir: dir, DomainName: "www.example.com",
				HostedZone: "example.com", SPAFallback: true, LogDestination: staticsite.LogsToS3,
				PriceClass: pulumi.String("PriceClass_All"), Behaviors: []staticsite.Behavior{
					{PathPattern: "/api/*", Origin: staticsite.URLOrigin("api", pulumi.String(apiURL)), StripPrefix: "/api",
						Caching: staticsite.CachingOrigin},
					{PathPattern: "/thumbnails/*", Origin: thumbs},
				}})
			return err
		},
		inputs: map[string]any{"content": content, "domainName": "www.example.com", "hostedZone": "example.com",
			"spaFallback": true, "logDestination": "s3", "priceClass": "PriceClass_All",
			"behaviors": []any{
				map[string]any{"pathPattern": "/api/*", "origin": map[string]any{"id": "api", "url": apiURL},
					"stripPrefix": "/api", "caching": "origin"},
				map[string]any{"pathPattern": "/thumbnails/*", "origin": map[string]any{"id": "thumbnails",
					"domainName": "thumbs.s3.eu-west-1.amazonaws.com", "bucket": true, "readArn": "arn:aws:s3:::thumbs/thumbnails/*"}},
			}},
	}.check(t)

	east, ok := find(rec, "pulumi:providers:aws", "site-us-east-1")
	if !ok {
		t.Fatal("Construct created no us-east-1 provider")
	}
	if east.Inputs["region"] != "us-east-1" || east.Inputs["profile"] != "deploy" || !strings.Contains(show(east), `"allowedAccountIds":["123456789012"]`) {
		t.Errorf("the us-east-1 provider made in Construct is %s: want the stack's profile and account guard", show(east))
	}
}

func TestStaticSiteFromAnAssetArchive(t *testing.T) {
	content, err := archive.FromAssets(map[string]any{
		"index.html": mustText(t, "<h1>hello</h1>"),
		"assets":     mustPath(t, siteDir(t)),
	})
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := construct(t, staticsite.Token, "site", map[string]any{"content": content}, withRegion(nil))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range rec.Resources() {
		if o.Type == "aws:s3/bucketObjectv2:BucketObjectv2" {
			keys = append(keys, o.Inputs["key"].(string))
		}
	}
	sort.Strings(keys)
	want := "assets/about/index.html assets/assets/app.0badc0de.js assets/index.html index.html"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("objects %s, want %s", got, want)
	}
}

func TestStaticSiteRefusesAnArchiveItCannotRead(t *testing.T) {
	remote := &archive.Archive{Sig: archive.ArchiveSig, URI: "https://example.com/site.zip", Hash: strings.Repeat("0", 64)}
	_, _, err := construct(t, staticsite.Token, "site", map[string]any{"content": remote}, withRegion(nil))
	if err == nil || !strings.Contains(err.Error(), "must be on this machine") {
		t.Errorf("error %v, want the remote archive refused", err)
	}
}

func mustText(t *testing.T, text string) *asset.Asset {
	a, err := asset.FromText(text)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustPath(t *testing.T, dir string) *archive.Archive {
	a, err := archive.FromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// find returns the recorded resource of a type and name.
func find(rec *recorder, typ, name string) (stacktest.Resource, bool) {
	for _, r := range rec.Resources() {
		if r.Type == typ && r.Name == name {
			return r, true
		}
	}
	return stacktest.Resource{}, false
}

// dependsOn is a Construct request with the component depending on urns.
func dependsOn(urns ...resource.URN) func(*p.ConstructRequest) {
	return func(r *p.ConstructRequest) { r.Dependencies = urns }
}
