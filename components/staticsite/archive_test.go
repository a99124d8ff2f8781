package staticsite_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/staticsite"
)

// objectInputs maps each uploaded object's key to its inputs.
func objectInputs(t *testing.T, args staticsite.Args) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, o := range mustRun(t, args).OfType(typeObject) {
		out[o.Inputs["key"].(string)] = o.Inputs
	}
	return out
}

func TestFileArchiveOfADirectoryUploadsWhatContentDirDoes(t *testing.T) {
	dir := sampleSite(t)
	fromDir := objectInputs(t, staticsite.Args{ContentDir: dir})
	fromArchive := objectInputs(t, staticsite.Args{Content: pulumi.NewFileArchive(dir)})
	if len(fromDir) != 5 || !reflect.DeepEqual(fromDir, fromArchive) {
		t.Errorf("objects from ContentDir:\n%v\nfrom a FileArchive of the same directory:\n%v", fromDir, fromArchive)
	}
}

func TestAssetArchiveUploadsEachAssetUnderItsKey(t *testing.T) {
	assets := writeSite(t, map[string]string{"app.3f2a1b9c.js": `console.log(1)`, "logo.svg": `<svg/>`})
	objects := objectInputs(t, staticsite.Args{Content: pulumi.NewAssetArchive(map[string]any{
		"index.html":  pulumi.NewStringAsset("<h1>hello</h1>"),
		"favicon.svg": pulumi.NewFileAsset(filepath.Join(assets, "logo.svg")),
		"assets":      pulumi.NewFileArchive(assets),
	})})
	want := map[string]string{ // key -> Cache-Control
		"index.html":             "public, max-age=0, s-maxage=60, must-revalidate",
		"favicon.svg":            "public, max-age=0, s-maxage=60, must-revalidate",
		"assets/app.3f2a1b9c.js": staticsite.ImmutableCacheControl,
		"assets/logo.svg":        "public, max-age=0, s-maxage=60, must-revalidate",
	}
	if len(objects) != len(want) {
		t.Fatalf("objects %v, want keys %v", objects, want)
	}
	for key, cc := range want {
		if o := objects[key]; o == nil || o["cacheControl"] != cc {
			t.Errorf("%s: %v, want Cache-Control %s", key, o, cc)
		}
	}
	sum := sha256.Sum256([]byte("<h1>hello</h1>"))
	if got := objects["index.html"]["source"].(map[string]any)["sha256"]; got != hex.EncodeToString(sum[:]) {
		t.Errorf("index.html uploads content %v, want the string asset's text", got)
	}
	if objects["favicon.svg"]["contentType"] != "image/svg+xml" {
		t.Errorf("favicon.svg Content-Type %v: the type comes from the key", objects["favicon.svg"]["contentType"])
	}
}

func TestContentArgumentsAreChecked(t *testing.T) {
	dir := sampleSite(t)
	for _, tc := range []struct {
		name string
		args staticsite.Args
		want string
	}{
		{"both", staticsite.Args{ContentDir: dir, Content: pulumi.NewFileArchive(dir)}, "not both"},
		{"neither", staticsite.Args{}, "ContentDir or Content is required"},
		{"zip file", staticsite.Args{Content: pulumi.NewFileArchive(filepath.Join(dir, "favicon.svg"))}, "is a file"},
		{"remote", staticsite.Args{Content: pulumi.NewRemoteArchive("https://example.com/site.zip")}, "must be on this machine"},
		{"escaping key", staticsite.Args{Content: pulumi.NewAssetArchive(map[string]any{"../x.html": pulumi.NewStringAsset("x")})}, "want a relative key"},
		{"no index", staticsite.Args{Content: pulumi.NewAssetArchive(map[string]any{"a.html": pulumi.NewStringAsset("a")})}, `index document "index.html" is not in the content archive`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runSites(t, tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
