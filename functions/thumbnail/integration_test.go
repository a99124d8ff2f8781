package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/dev/testimg"
)

// countingStore counts the calls reaching the real client.
type countingStore struct {
	ObjectStore
	gets, puts atomic.Int32
}

func (c *countingStore) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c.gets.Add(1)
	return c.ObjectStore.GetObject(ctx, in, o...)
}

func (c *countingStore) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c.puts.Add(1)
	return c.ObjectStore.PutObject(ctx, in, o...)
}

// TestIntegration runs the handler main builds, configured through the
// environment, against gofakes3 with the real S3 client.
func TestIntegration(t *testing.T) {
	ctx := context.Background()
	endpoint := testenv.S3(t)
	pathStyle := func(o *s3.Options) { o.UsePathStyle = true } // bucket.127.0.0.1 does not resolve

	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDTHUMBS", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none,
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": endpoint,
		"THUMBNAIL_BUCKET": bucket, "THUMBNAIL_PREFIX": "thumbnails/", "SKIP_PREFIX": "thumbnail-skips/", "UPLOAD_PREFIX": "uploads/",
		"SIZES": "1024,512,128", "FORMAT": "auto", "QUALITY": "80", "MAX_SOURCE_BYTES": "10485760", "MAX_PIXELS": "40000000",
	} {
		t.Setenv(k, v)
	}
	// gofakes3 does not keep Cache-Control, so the requests are watched on the wire.
	wire := &recordingTransport{base: http.DefaultTransport, puts: map[string]http.Header{}}
	h, err := newHandler(ctx, os.Getenv, pathStyle, func(o *s3.Options) { o.HTTPClient = &http.Client{Transport: wire} })
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	counted := &countingStore{ObjectStore: h.S3}
	h.S3 = counted

	client := s3.NewFromConfig(testenv.AWSConfig(t, endpoint), pathStyle)
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	// The fixture's key, decoded: "uploads/summer+2026/caf%C3%A9+au+lait+%281%29.JPG".
	const key = "uploads/summer 2026/café au lait (1).JPG"
	photo := testimg.JPEG(t, testimg.Smooth(2400, 1800), 90)
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(photo), ContentType: aws.String("image/jpeg"),
	}); err != nil {
		t.Fatalf("uploading the photo: %v", err)
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	etag := strings.Trim(aws.ToString(head.ETag), `"`)
	event := fixtureFor(t, "s3-put.json", "", etag, aws.ToInt64(head.ContentLength))

	invoke := func() {
		t.Helper()
		if out, err := lambda.NewHandler(h.Handle).Invoke(ctx, event); err != nil || string(out) != "null" {
			t.Fatalf("Invoke = %s, %v", out, err)
		}
	}
	invoke()

	for _, w := range []wantThumb{
		{"thumbnails/1024/summer 2026/café au lait (1).JPG", "image/jpeg", 1024, 768},
		{"thumbnails/512/summer 2026/café au lait (1).JPG", "image/jpeg", 512, 384},
		{"thumbnails/128/summer 2026/café au lait (1).JPG", "image/jpeg", 128, 96},
	} {
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(w.key)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", w.key, err)
		}
		data, err := io.ReadAll(out.Body)
		out.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		checkThumbnail(t, w, data, aws.ToString(out.ContentType), wire.put("/"+bucket+"/"+w.key).Get("Cache-Control"), out.Metadata, key, etag)
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("%s is not a JPEG: %v", w.key, err)
		}
	}
	if g, p := counted.gets.Load(), counted.puts.Load(); g != 1 || p != 3 {
		t.Fatalf("first delivery: %d downloads, %d uploads; want 1 and 3", g, p)
	}

	invoke() // a redelivery
	if g, p := counted.gets.Load(), counted.puts.Load(); g != 1 || p != 3 {
		t.Fatalf("after a redelivery: %d downloads, %d uploads; want still 1 and 3", g, p)
	}

	// A logo with transparency keeps it: PNG thumbnails.
	const logoKey = "uploads/brand/logo.png"
	logo := testimg.PNG16(t, 1200, 400)
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(logoKey), Body: bytes.NewReader(logo)}); err != nil {
		t.Fatal(err)
	}
	logoHead, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(logoKey)})
	if err != nil {
		t.Fatal(err)
	}
	logoETag := strings.Trim(aws.ToString(logoHead.ETag), `"`)
	logoEvent := fixtureFor(t, "s3-put.json", "uploads/brand/logo.png", logoETag, int64(len(logo)))
	if out, err := lambda.NewHandler(h.Handle).Invoke(ctx, logoEvent); err != nil || string(out) != "null" {
		t.Fatalf("Invoke = %s, %v", out, err)
	}
	for _, w := range []wantThumb{
		{"thumbnails/1024/brand/logo.png", "image/png", 1024, 341},
		{"thumbnails/512/brand/logo.png", "image/png", 512, 171},
		{"thumbnails/128/brand/logo.png", "image/png", 128, 43},
	} {
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(w.key)})
		if err != nil {
			t.Fatalf("GetObject %s: %v", w.key, err)
		}
		data, _ := io.ReadAll(out.Body)
		out.Body.Close()
		checkThumbnail(t, w, data, aws.ToString(out.ContentType), wire.put("/"+bucket+"/"+w.key).Get("Cache-Control"), out.Metadata, logoKey, logoETag)
	}
}

// recordingTransport remembers the headers of every PUT, by path.
type recordingTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	puts map[string]http.Header
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut {
		r.mu.Lock()
		r.puts[req.URL.Path] = req.Header.Clone()
		r.mu.Unlock()
	}
	return r.base.RoundTrip(req)
}

func (r *recordingTransport) put(path string) http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.puts[path]
}

// fixtureFor returns a fixture with the eTag and size of the object S3 holds,
// and another key unless key is empty.
func fixtureFor(t *testing.T, name, key, etag string, size int64) []byte {
	t.Helper()
	var ev map[string]any
	if err := json.Unmarshal(readFixture(t, name), &ev); err != nil {
		t.Fatal(err)
	}
	obj := ev["Records"].([]any)[0].(map[string]any)["s3"].(map[string]any)["object"].(map[string]any)
	obj["eTag"], obj["size"] = etag, size
	if key != "" {
		obj["key"] = url.QueryEscape(key)
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
