package e2e

import (
	"context"
	"fmt"
	"image"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/testimg"
)

// hostileUpload is a file an uploader puts under uploads/: a key S3 allows
// but a careless program might not, or content that is not the picture its
// name says.
type hostileUpload struct {
	name, key string
	body      []byte
	// thumbnails: the upload is a picture, and every size must be served
	// on the site at its key; else it must be skipped with a record.
	thumbnails bool
}

func hostileUploads(t *testing.T) []hostileUpload {
	photo := testimg.JPEG(t, testimg.Smooth(320, 240), 80)
	return []hostileUpload{
		{"Unicode key", "odd/ünïcödé ☃.jpg", photo, true},
		{"key with spaces, plus and percent", "odd/a b+c%20d.jpg", photo, true},
		{"key with dot-dot segments", "odd/../../escape.jpg", photo, true},
		{"900-character name", "odd/" + strings.Repeat("n", 900) + ".jpg", photo, true},
		{"JPEG named .png", "odd/really-a-jpeg.png", photo, true},
		{"empty file", "bad/empty.jpg", nil, false},
		{"half a JPEG", "bad/truncated.jpg", photo[:len(photo)/2], false},
		{"text named .png", "bad/text.png", []byte("not a picture at all"), false},
		{"PNG bomb (100000 × 100000 declared)", "bad/bomb.png", testimg.PNGBomb(t, 100000, 100000), false},
		{"JPEG bomb (65500 × 65500 declared)", "bad/bomb.jpg", testimg.JPEGBomb(t, 65500, 65500), false},
	}
}

// Every hostile upload is handled on the first attempt, never retried or
// given up on: a picture gets its thumbnails under the thumbnail prefix and
// nowhere else, anything else a skip record; and the function still works.
func testHostileUploads(t *testing.T, env *local.Env) {
	uploads := hostileUploads(t)
	t.Logf("%d hostile uploads", len(uploads))
	for _, u := range uploads {
		upload(t, env, u.key, u.body, "application/octet-stream")
	}
	for _, u := range uploads {
		t.Run(u.name, func(t *testing.T) {
			key := env.Settings.UploadPrefix + u.key
			eventually(t, 60*time.Second, func() string {
				if d := deliveries(t, env)[key]; d.Outcome != "succeeded" {
					return fmt.Sprintf("delivery of %q: %+v", key, d)
				}
				return ""
			})
			if d := deliveries(t, env)[key]; d.Attempts != 1 {
				t.Errorf("%d attempts, want 1: %+v", d.Attempts, d)
			}
			for _, size := range env.Settings.Sizes {
				thumb := env.Settings.ThumbnailPrefix + fmt.Sprint(size) + "/" + u.key
				if _, err := s3Client(env).HeadObject(context.Background(), &s3.HeadObjectInput{
					Bucket: aws.String(env.Settings.ThumbnailsBucket), Key: aws.String(thumb)}); (err == nil) != u.thumbnails {
					t.Errorf("thumbnail %s: exists %v, want %v (%v)", thumb, err == nil, u.thumbnails, err)
				}
			}
			if !u.thumbnails {
				skip := env.Settings.SkipPrefix + u.key + ".json"
				if _, err := s3Client(env).HeadObject(context.Background(), &s3.HeadObjectInput{
					Bucket: aws.String(env.Settings.ThumbnailsBucket), Key: aws.String(skip)}); err != nil {
					t.Errorf("no skip record %s: %v", skip, err)
				}
			}
		})
	}
	checkThumbnailsStayUnderTheirPrefix(t, env)
	// Served on the site at the upload's key, escaped as a URL path.
	status, ct, body := fetch(t, env.SiteURL+"/"+env.Settings.ThumbnailPrefix+"128/"+(&url.URL{Path: "odd/ünïcödé ☃.jpg"}).EscapedPath())
	if cfg, _, err := image.DecodeConfig(strings.NewReader(string(body))); status != 200 || ct != "image/jpeg" || err != nil || cfg.Width != 128 {
		t.Errorf("the Unicode key's thumbnail through the site: %d %s %v %+v", status, ct, err, cfg)
	}
}

// checkThumbnailsStayUnderTheirPrefix lists the thumbnails bucket: no key
// an upload chose may put anything outside the thumbnail prefix, or (skip
// records) the skip prefix.
func checkThumbnailsStayUnderTheirPrefix(t *testing.T, env *local.Env) {
	out, err := s3Client(env).ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(env.Settings.ThumbnailsBucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out.Contents {
		if k := aws.ToString(o.Key); !strings.HasPrefix(k, env.Settings.ThumbnailPrefix) && !strings.HasPrefix(k, env.Settings.SkipPrefix) {
			t.Errorf("%s is outside the thumbnail prefix %s", aws.ToString(o.Key), env.Settings.ThumbnailPrefix)
		}
	}
}
