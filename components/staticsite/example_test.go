package staticsite_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
)

// A site whose pages call an API on the same domain: /api/* goes to an API
// Gateway stage (without the /api prefix), everything else to the private
// bucket. Pages revalidate; fingerprinted assets are immutable.
func Example() {
	dir, err := os.MkdirTemp("", "site")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for key, content := range map[string]string{
		"index.html":             `<script src="/assets/app.3f2a1b9c.js"></script>`,
		"assets/app.3f2a1b9c.js": `fetch("/api/posts")`,
	} {
		p := filepath.Join(dir, filepath.FromSlash(key))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		_ = os.WriteFile(p, []byte(content), 0o644)
	}

	program := func(ctx *pulumi.Context) error {
		// CloudFront's log deliveries (and certificates) live in us-east-1:
		// the site creates its provider there unless given one (USEast1).
		site, err := staticsite.New(ctx, "blog", staticsite.Args{
			ContentDir: dir,
			Behaviors: []staticsite.Behavior{{
				PathPattern: "/api/*",
				StripPrefix: "/api",
				Origin:      staticsite.URLOrigin("api", pulumi.String("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/")),
			}},
		})
		if err != nil {
			return err
		}
		ctx.Export("url", site.URL)
		return nil
	}

	rec, err := stacktest.Run(program)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, key := range []string{"index.html", "assets/app.3f2a1b9c.js"} {
		obj, _ := rec.Get("aws:s3/bucketObjectv2:BucketObjectv2", "blog/"+key)
		fmt.Printf("%s: %s\n", key, obj.Inputs["cacheControl"])
	}
	dist, _ := rec.Get("aws:cloudfront/distribution:Distribution", "blog-distribution")
	for _, o := range dist.Inputs["origins"].([]any) {
		origin := o.(map[string]any)
		path, _ := origin["originPath"].(string)
		fmt.Printf("origin %s: %s%s\n", origin["originId"], origin["domainName"], path)
	}
	// Output:
	// index.html: public, max-age=0, s-maxage=60, must-revalidate
	// assets/app.3f2a1b9c.js: public, max-age=31536000, immutable
	// origin site: blog-bucket.s3.us-east-1.amazonaws.com
	// origin api: abc123.execute-api.eu-west-1.amazonaws.com/v1
}
