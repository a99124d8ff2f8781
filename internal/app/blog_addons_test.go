package app_test

import (
	"slices"
	"strings"
	"testing"
)

// The welcome mailer reads the blog table's stream in the home region, the
// only stream that sees each insert once, even where the table has replicas.
func TestWelcomeMailerReadsTheHomeRegionStream(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec := recordBlog(t, stack)
			table := rec.Must(t, "aws:dynamodb/table:Table", "blog-table")
			maps := rec.OfType("aws:lambda/eventSourceMapping:EventSourceMapping")
			var mailer []string
			for _, m := range maps {
				if strings.HasPrefix(m.Name, "blog-welcome") {
					mailer = append(mailer, m.Inputs["eventSourceArn"].(string))
				}
			}
			want := "arn:aws:dynamodb:us-east-1:123456789012:table/" + table.ID + "/stream/"
			if len(mailer) != 1 || !strings.HasPrefix(mailer[0], want) {
				t.Fatalf("mailer mappings read %v, want one on %s…", mailer, want)
			}
		})
	}
}

// Thumbnails are served on the site's domain under /thumbnails/*, from the
// thumbnail bucket through the site's OAC, and that bucket lets exactly this
// distribution read its thumbnails.
func TestThumbnailsAreServedThroughTheSite(t *testing.T) {
	rec := recordBlog(t, "prod")
	dist := rec.Must(t, "aws:cloudfront/distribution:Distribution", "blog-site-distribution")
	bucket := rec.Must(t, "aws:s3/bucketV2:BucketV2", "blog-pictures-thumbnails")
	var originID string
	for _, b := range dist.Inputs["orderedCacheBehaviors"].([]any) {
		b := b.(map[string]any)
		if b["pathPattern"] == "/thumbnails/*" {
			originID = b["targetOriginId"].(string)
		}
	}
	if originID == "" {
		t.Fatal("the site has no /thumbnails/* behaviour")
	}
	for _, o := range dist.Inputs["origins"].([]any) {
		o := o.(map[string]any)
		if o["originId"] != originID {
			continue
		}
		if o["domainName"] != bucket.ID+".s3.us-east-1.amazonaws.com" || o["originAccessControlId"] == nil {
			t.Errorf("/thumbnails/* origin %v, want the thumbnail bucket through OAC", o)
		}
	}
	pol := rec.Must(t, "aws:s3/bucketPolicy:BucketPolicy", "blog-pictures-thumbnails-policy")
	distArn := "arn:aws:cloudfront::123456789012:distribution/" + dist.ID
	found := false
	for _, st := range blogStatements(t, pol, "policy") {
		if st.Effect == "Allow" && slices.Contains(st.Action, "s3:GetObject") {
			found = true
			if got := st.Condition["StringEquals"]["AWS:SourceArn"]; !slices.Equal(got, []string{distArn}) {
				t.Errorf("thumbnail reads allowed for %v, want only %s", got, distArn)
			}
		}
	}
	if !found {
		t.Error("the thumbnail bucket's policy lets no one read thumbnails")
	}
}
