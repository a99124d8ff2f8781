package crosslang

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
)

// thumbnailsPolicy runs thumbnails served by a site, with the thumbnails
// bucket's policy attached by attach, and returns that policy.
func thumbnailsPolicy(t *testing.T, siteDir string, attach func(ctx *pulumi.Context, pics *thumbnails.ThumbnailPipeline) error) stacktest.Resource {
	t.Helper()
	rec := runGo(t, func(ctx *pulumi.Context) error {
		pics, err := thumbnails.New(ctx, "pics", thumbnails.Args{UploadPrefix: "uploads/", ServedByCloudFront: true})
		if err != nil {
			return err
		}
		return attach(ctx, pics)
	}, withRegion(nil))
	var found []stacktest.Resource
	for _, r := range rec.OfType("aws:s3/bucketPolicy:BucketPolicy") {
		if r.Inputs["bucket"] == "pics-thumbnails" {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d policies on the thumbnails bucket, want 1", len(found))
	}
	return found[0]
}

// The cross-language form of ThumbnailPipeline.AllowCloudFront (the site
// attaching the policy of a bucket origin with a ReadArn) gives the
// thumbnails bucket the very policy the Go method does.
func TestReadArnAttachesWhatAllowCloudFrontDoes(t *testing.T) {
	dir := siteDir(t)
	origin := func(pics *thumbnails.ThumbnailPipeline) staticsite.Origin {
		return staticsite.BucketOrigin("thumbnails", pics.ThumbnailsDomainName)
	}
	byMethod := thumbnailsPolicy(t, dir, func(ctx *pulumi.Context, pics *thumbnails.ThumbnailPipeline) error {
		site, err := staticsite.New(ctx, "site", staticsite.Args{ContentDir: dir,
			Behaviors: []staticsite.Behavior{{PathPattern: "/thumbnails/*", Origin: origin(pics)}}})
		if err != nil {
			return err
		}
		_, err = pics.AllowCloudFront(ctx, site.DistributionArn)
		return err
	})
	bySite := thumbnailsPolicy(t, dir, func(ctx *pulumi.Context, pics *thumbnails.ThumbnailPipeline) error {
		o := origin(pics)
		o.ReadArn = pics.ThumbnailsObjectsArn
		_, err := staticsite.New(ctx, "site", staticsite.Args{ContentDir: dir,
			Behaviors: []staticsite.Behavior{{PathPattern: "/thumbnails/*", Origin: o}}})
		return err
	})
	if p, _ := bySite.Inputs["policy"].(string); !strings.Contains(p, "AllowCloudFrontRead") || !strings.Contains(p, "pics-thumbnails/thumbnails/*") {
		t.Fatalf("the site attached %q, want CloudFront's read of the thumbnails", p)
	}
	if byMethod.Inputs["policy"] != bySite.Inputs["policy"] {
		t.Errorf("policy by AllowCloudFront:\n%v\nby the site's ReadArn:\n%v", byMethod.Inputs["policy"], bySite.Inputs["policy"])
	}
}
