package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/smithy-go"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

const bucket = "myblog-media" // uploads and thumbnails share it, as in the component's default

func testConfig(format thumbnail.Format) Config {
	return Config{
		Bucket: bucket, Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", UploadPrefix: "uploads/",
		Specs:  []thumbnail.Spec{{Size: 256, Format: format, Quality: 80}, {Size: 64, Format: format, Quality: 80}},
		Limits: thumbnail.Limits{MaxBytes: 1 << 20, MaxPixels: 4_000_000},
	}
}

func newTestHandler(store *memS3, cfg Config) *Handler {
	return &Handler{S3: store, Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// s3Event is the s3-put.json fixture naming another object: key as S3 sends
// it (URL-encoded), size and ETag.
func s3Event(t *testing.T, eventName, encodedKey string, size int64, etag string) json.RawMessage {
	t.Helper()
	var ev events.S3Event
	if err := json.Unmarshal(readFixture(t, "s3-put.json"), &ev); err != nil {
		t.Fatal(err)
	}
	r := &ev.Records[0]
	r.EventName, r.S3.Object.Key, r.S3.Object.Size, r.S3.Object.ETag = eventName, encodedKey, size, etag
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encodeKey encodes a key the way S3 event notifications do.
func encodeKey(key string) string { return url.QueryEscape(key) }

type wantThumb struct {
	key         string
	contentType string
	w, h        int
}

func jpg(t *testing.T, img image.Image) []byte { return testimg.JPEG(t, img, 92) }

// rotatedQuadrants is a 400×300 JPEG stored sideways with EXIF orientation 6
// (rotate 90° clockwise to view): upright it is 300×400.
func rotatedQuadrants(t *testing.T) []byte {
	return testimg.WithOrientation(jpg(t, testimg.Quadrants(400, 300)), 6)
}

func cmykPlanes(w, h int) [4]*image.Gray {
	var p [4]*image.Gray
	for i := range p {
		p[i] = image.NewGray(image.Rect(0, 0, w, h))
	}
	// Pure red: no cyan, full magenta and yellow, no black.
	for i := range p[1].Pix {
		p[1].Pix[i], p[2].Pix[i] = 255, 255
	}
	return p
}

func TestProcessObject(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	tests := []struct {
		name     string
		key      string // decoded; the event carries it URL-encoded
		data     []byte
		format   thumbnail.Format
		want     []wantThumb
		wantSkip string // skip reason
	}{
		{name: "jpeg photo", key: "uploads/2026/ada.jpeg", data: photo, want: []wantThumb{
			{"thumbnails/256/2026/ada.jpeg", "image/jpeg", 256, 192}, {"thumbnails/64/2026/ada.jpeg", "image/jpeg", 64, 48}}},
		{name: "url-encoded key with spaces, unicode and brackets", key: "uploads/summer 2026/café au lait (1)+2.JPG", data: photo,
			want: []wantThumb{{"thumbnails/256/summer 2026/café au lait (1)+2.JPG", "image/jpeg", 256, 192},
				{"thumbnails/64/summer 2026/café au lait (1)+2.JPG", "image/jpeg", 64, 48}}},
		{name: "exif-rotated photo comes out upright", key: "uploads/rotated.jpg", data: rotatedQuadrants(t), want: []wantThumb{
			{"thumbnails/256/rotated.jpg", "image/jpeg", 192, 256}, {"thumbnails/64/rotated.jpg", "image/jpeg", 48, 64}}},
		{name: "cmyk jpeg", key: "uploads/print.jpg", data: testimg.CMYKJPEG(t, cmykPlanes(320, 240)), want: []wantThumb{
			{"thumbnails/256/print.jpg", "image/jpeg", 256, 192}, {"thumbnails/64/print.jpg", "image/jpeg", 64, 48}}},
		{name: "16-bit png with alpha stays png", key: "uploads/logo.png", data: testimg.PNG16(t, 300, 100), want: []wantThumb{
			{"thumbnails/256/logo.png", "image/png", 256, 85}, {"thumbnails/64/logo.png", "image/png", 64, 21}}},
		{name: "animated gif gives its first frame", key: "uploads/anim.gif", data: testimg.AnimatedGIF(t, 120, 60), want: []wantThumb{
			{"thumbnails/256/anim.gif", "image/jpeg", 120, 60}, {"thumbnails/64/anim.gif", "image/jpeg", 64, 32}}},
		{name: "forced png", key: "uploads/ada.jpg", data: photo, format: thumbnail.FormatPNG, want: []wantThumb{
			{"thumbnails/256/ada.jpg", "image/png", 256, 192}, {"thumbnails/64/ada.jpg", "image/png", 64, 48}}},
		{name: "key without extension", key: "uploads/IMG_0001", data: photo, want: []wantThumb{
			{"thumbnails/256/IMG_0001", "image/jpeg", 256, 192}, {"thumbnails/64/IMG_0001", "image/jpeg", 64, 48}}},
		{name: "png pixel bomb", key: "uploads/bomb.png", data: testimg.PNGBomb(t, 100_000, 100_000), wantSkip: reasonTooLarge},
		{name: "jpeg pixel bomb", key: "uploads/bomb.jpg", data: testimg.JPEGBomb(t, 65_000, 65_000), wantSkip: reasonTooLarge},
		{name: "truncated jpeg", key: "uploads/truncated.jpg", data: photo[:len(photo)/2], wantSkip: reasonCorrupt},
		{name: "not an image", key: "uploads/notes.jpg", data: []byte("these are my holiday notes, not a picture"), wantSkip: reasonUnsupported},
		{name: "empty file", key: "uploads/empty.png", data: []byte{}, wantSkip: reasonUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemS3()
			const etag = "5d41402abc4b2a76b9719d911017c592"
			store.add(bucket, tt.key, etag, tt.data)
			h := newTestHandler(store, testConfig(tt.format))

			if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", encodeKey(tt.key), int64(len(tt.data)), etag)); err != nil {
				t.Fatalf("Handle: %v", err)
			}

			rel := strings.TrimPrefix(tt.key, "uploads/")
			written := store.keys(bucket, "thumbnails/")
			if tt.wantSkip != "" {
				skipKey := "thumbnail-skips/" + rel + ".json"
				if len(written) != 0 || !slices.Equal(store.keys(bucket, "thumbnail-skips/"), []string{skipKey}) {
					t.Fatalf("wrote %q and %q, want only the skip record %q", written, store.keys(bucket, "thumbnail-skips/"), skipKey)
				}
				checkSkipRecord(t, store, skipKey, tt.key, etag, tt.wantSkip)
				return
			}
			var wantKeys []string
			for _, w := range tt.want {
				wantKeys = append(wantKeys, w.key)
			}
			slices.Sort(wantKeys)
			if !slices.Equal(written, wantKeys) {
				t.Fatalf("wrote %q, want %q", written, wantKeys)
			}
			for _, w := range tt.want {
				o, _ := store.object(bucket, w.key)
				checkThumbnail(t, w, o.data, o.contentType, o.cacheControl, o.metadata, tt.key, etag)
			}
		})
	}
}

func checkThumbnail(t *testing.T, w wantThumb, data []byte, contentType, cache string, meta map[string]string, srcKey, etag string) {
	t.Helper()
	if contentType != w.contentType || cache != "public, max-age=86400" {
		t.Errorf("%s: Content-Type %q Cache-Control %q", w.key, contentType, cache)
	}
	if meta["source-etag"] != etag || meta["source-key"] != escapeKey(srcKey) {
		t.Errorf("%s: metadata %v, want source-etag %s and source-key %s", w.key, meta, etag, escapeKey(srcKey))
	}
	var img image.Image
	var err error
	if w.contentType == "image/png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		t.Fatalf("%s: decoding as %s: %v", w.key, w.contentType, err)
	}
	if b := img.Bounds(); b.Dx() != w.w || b.Dy() != w.h {
		t.Errorf("%s: %dx%d, want %dx%d", w.key, b.Dx(), b.Dy(), w.w, w.h)
	}
}

func checkSkipRecord(t *testing.T, store *memS3, key, srcKey, etag, reason string) {
	t.Helper()
	o, ok := store.object(bucket, key)
	if !ok {
		t.Fatalf("no skip record %s", key)
	}
	var rec SkipRecord
	if err := json.Unmarshal(o.data, &rec); err != nil {
		t.Fatalf("skip record %s: %v", key, err)
	}
	if rec.SourceBucket != bucket || rec.SourceKey != srcKey || rec.SourceETag != etag || rec.Reason != reason || rec.Detail == "" {
		t.Errorf("skip record %+v, want source %s/%s etag %s reason %s", rec, bucket, srcKey, etag, reason)
	}
	if o.contentType != "application/json" || o.metadata["source-etag"] != etag {
		t.Errorf("skip record Content-Type %q metadata %v", o.contentType, o.metadata)
	}
}

// The exif-rotated thumbnail must be upright: Quadrants has red top left;
// rotated 90° clockwise the stored red quadrant lands top right.
func TestRotatedThumbnailIsUpright(t *testing.T) {
	store := newMemS3()
	store.add(bucket, "uploads/rotated.jpg", "e1", rotatedQuadrants(t))
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/rotated.jpg", 1, "e1")); err != nil {
		t.Fatal(err)
	}
	o, _ := store.object(bucket, "thumbnails/64/rotated.jpg")
	img, err := jpeg.Decode(bytes.NewReader(o.data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if r, g, bl, _ := img.At(b.Max.X-5, 5).RGBA(); r>>8 < 200 || g>>8 > 60 || bl>>8 > 60 {
		t.Fatalf("top right is %v, want red", color.RGBAModel.Convert(img.At(b.Max.X-5, 5)))
	}
}

// A pixel bomb must be refused from its header: the handler path allocates
// nothing near the declared 10 gigapixels (40 GB as NRGBA).
func TestPixelBombAllocatesLittle(t *testing.T) {
	store := newMemS3()
	bomb := testimg.PNGBomb(t, 100_000, 100_000)
	store.add(bucket, "uploads/bomb.png", "b1", bomb)
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	ev := s3Event(t, "ObjectCreated:Put", "uploads/bomb.png", int64(len(bomb)), "b1")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := h.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Fatalf("handling a pixel bomb allocated %d bytes", alloc)
	}
}

func TestIgnored(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(40, 30))
	tests := []struct {
		name, eventName, key string
		uploadPrefix         string
	}{
		{"outside the upload prefix", "ObjectCreated:Put", "avatars/ada.jpg", "uploads/"},
		// Uploads are the whole bucket, thumbnails included: only the
		// recursion guard keeps the function from feeding on its output.
		{"our own thumbnail", "ObjectCreated:Put", "thumbnails/256/ada.jpg", ""},
		{"our own skip record", "ObjectCreated:Put", "thumbnail-skips/notes.jpg.json", ""},
		{"a skip record where earlier versions kept them", "ObjectCreated:Put", "thumbnails/_skipped/notes.jpg.json", ""},
		{"removal outside the upload prefix", "ObjectRemoved:Delete", "avatars/ada.jpg", "uploads/"},
		{"removal of our own thumbnail", "ObjectRemoved:Delete", "thumbnails/256/ada.jpg", ""},
		{"restore, not a creation", "ObjectRestore:Completed", "uploads/ada.jpg", "uploads/"},
		{"folder placeholder", "ObjectCreated:Put", "uploads/2026/", "uploads/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemS3()
			store.add(bucket, tt.key, "e1", photo)
			cfg := testConfig(thumbnail.FormatAuto)
			cfg.UploadPrefix = tt.uploadPrefix
			h := newTestHandler(store, cfg)
			if _, err := h.Handle(context.Background(), s3Event(t, tt.eventName, encodeKey(tt.key), int64(len(photo)), "e1")); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if len(store.calls) != 0 {
				t.Fatalf("S3 calls %q, want none", store.calls)
			}
		})
	}
}

func TestDeletedUploadLosesItsThumbnails(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	// setup makes the thumbnails of uploads/ada.jpg (after a broken first
	// version) and uploads/bob.jpg, and a stray skip record of ada.jpg.
	setup := func(t *testing.T) (*memS3, *Handler) {
		t.Helper()
		store := newMemS3()
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		store.add(bucket, "uploads/ada.jpg", "v0", []byte("not a picture"))
		store.add(bucket, "uploads/bob.jpg", "b1", photo)
		for _, ev := range []json.RawMessage{
			s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 13, "v0"),
			s3Event(t, "ObjectCreated:Put", "uploads/bob.jpg", int64(len(photo)), "b1"),
		} {
			if _, err := h.Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}
		store.add(bucket, "uploads/ada.jpg", "v1", photo)
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1")); err != nil {
			t.Fatal(err)
		}
		// v1's thumbnails replaced v0's skip record.
		want := []string{"thumbnails/256/ada.jpg", "thumbnails/256/bob.jpg", "thumbnails/64/ada.jpg", "thumbnails/64/bob.jpg"}
		if got := store.keys(bucket, "thumbnail"); !slices.Equal(got, want) {
			t.Fatalf("before the deletion: %q, want %q", got, want)
		}
		// A skip record an interrupted invocation left behind.
		store.add(bucket, "thumbnail-skips/ada.jpg.json", "x", []byte("{}"))
		return store, h
	}
	removal := func(t *testing.T) json.RawMessage {
		return s3Event(t, "ObjectRemoved:DeleteMarkerCreated", "uploads/ada.jpg", 0, "")
	}

	t.Run("thumbnails and skip record go, others stay", func(t *testing.T) {
		store, h := setup(t)
		store.remove(bucket, "uploads/ada.jpg")
		for range 2 { // a replayed event changes nothing more
			if _, err := h.Handle(context.Background(), removal(t)); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := store.keys(bucket, "thumbnail"), []string{"thumbnails/256/bob.jpg", "thumbnails/64/bob.jpg"}; !slices.Equal(got, want) {
			t.Fatalf("after the deletion: %q, want %q", got, want)
		}
	})
	t.Run("an upload that exists again keeps them", func(t *testing.T) {
		store, h := setup(t)
		store.calls = nil
		if _, err := h.Handle(context.Background(), removal(t)); err != nil {
			t.Fatal(err)
		}
		if n := store.count("DELETE"); n != 0 {
			t.Fatalf("%d deletions for an upload that exists, want none", n)
		}
	})
	t.Run("an upload re-created during the deletion gets them back", func(t *testing.T) {
		store, h := setup(t)
		store.remove(bucket, "uploads/ada.jpg")
		recreated := false
		store.fail = func(op, _, _ string) error {
			if op == "DELETE" && !recreated { // after the first check, before the second
				recreated = true
				store.add(bucket, "uploads/ada.jpg", "v2", photo)
			}
			return nil
		}
		if _, err := h.Handle(context.Background(), removal(t)); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"thumbnails/256/ada.jpg", "thumbnails/64/ada.jpg"} {
			o, ok := store.object(bucket, k)
			if !ok || o.metadata[metaSourceETag] != "v2" {
				t.Errorf("%s: present %v, made from %q; want it made from v2", k, ok, o.metadata[metaSourceETag])
			}
		}
	})
	t.Run("an S3 error is retried and deletes nothing", func(t *testing.T) {
		store, h := setup(t)
		store.remove(bucket, "uploads/ada.jpg")
		store.calls = nil
		store.fail = func(op, _, _ string) error {
			if op == "HEAD" {
				return &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate."}
			}
			return nil
		}
		if _, err := h.Handle(context.Background(), removal(t)); err == nil || !strings.Contains(err.Error(), "SlowDown") {
			t.Fatalf("Handle = %v, want the S3 error for a retry", err)
		}
		if n := store.count("DELETE"); n != 0 {
			t.Fatalf("%d deletions, want none", n)
		}
	})
}

func TestUploadsDifferingInExtensionKeepTheirOwnThumbnails(t *testing.T) {
	store := newMemS3()
	photo := jpg(t, testimg.Quadrants(400, 300))
	logo := testimg.PNG16(t, 300, 100)
	store.add(bucket, "uploads/a.jpeg", "j1", photo)
	store.add(bucket, "uploads/a.png", "p1", logo)
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	for _, ev := range []json.RawMessage{
		s3Event(t, "ObjectCreated:Put", "uploads/a.jpeg", int64(len(photo)), "j1"),
		s3Event(t, "ObjectCreated:Put", "uploads/a.png", int64(len(logo)), "p1"),
	} {
		if _, err := h.Handle(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range []struct {
		want   wantThumb
		source string
		etag   string
	}{
		{wantThumb{"thumbnails/256/a.jpeg", "image/jpeg", 256, 192}, "uploads/a.jpeg", "j1"},
		{wantThumb{"thumbnails/256/a.png", "image/png", 256, 85}, "uploads/a.png", "p1"},
	} {
		o, ok := store.object(bucket, w.want.key)
		if !ok {
			t.Fatalf("no %s among %q", w.want.key, store.keys(bucket, "thumbnails/"))
		}
		checkThumbnail(t, w.want, o.data, o.contentType, o.cacheControl, o.metadata, w.source, w.etag)
	}
}

func TestThumbnailPrefixInAnotherBucketIsAnUpload(t *testing.T) {
	store := newMemS3()
	photo := jpg(t, testimg.Quadrants(40, 30))
	cfg := testConfig(thumbnail.FormatAuto)
	cfg.Bucket, cfg.UploadPrefix = "myblog-thumbs", ""
	store.add(bucket, "thumbnails/ada.jpg", "e1", photo)
	h := newTestHandler(store, cfg)
	if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "thumbnails/ada.jpg", 1, "e1")); err != nil {
		t.Fatal(err)
	}
	if got := store.keys("myblog-thumbs", ""); len(got) != 2 {
		t.Fatalf("thumbnail bucket holds %q, want the two thumbnails", got)
	}
}

func TestReprocessing(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(400, 300))
	t.Run("same version is not made twice", func(t *testing.T) {
		store := newMemS3()
		store.add(bucket, "uploads/ada.jpg", "v1", photo)
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		ev := s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1")
		for range 2 {
			if _, err := h.Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}
		if g, p := store.count("GET"), store.count("PUT"); g != 1 || p != 2 {
			t.Fatalf("%d downloads and %d uploads over two deliveries, want 1 and 2", g, p)
		}
	})
	t.Run("auto format finds png thumbnails too", func(t *testing.T) {
		store := newMemS3()
		logo := testimg.PNG16(t, 300, 100)
		store.add(bucket, "uploads/logo.png", "v1", logo)
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		ev := s3Event(t, "ObjectCreated:Put", "uploads/logo.png", int64(len(logo)), "v1")
		for range 2 {
			if _, err := h.Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}
		if g := store.count("GET"); g != 1 {
			t.Fatalf("%d downloads over two deliveries, want 1", g)
		}
	})
	t.Run("skipped version is not tried twice", func(t *testing.T) {
		store := newMemS3()
		store.add(bucket, "uploads/notes.jpg", "v1", []byte("text"))
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		ev := s3Event(t, "ObjectCreated:Put", "uploads/notes.jpg", 4, "v1")
		for range 2 {
			if _, err := h.Handle(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
		}
		if g, p := store.count("GET"), store.count("PUT"); g != 1 || p != 1 {
			t.Fatalf("%d downloads and %d writes over two deliveries, want 1 and 1", g, p)
		}
	})
	t.Run("new version under the same key is made again", func(t *testing.T) {
		store := newMemS3()
		store.add(bucket, "uploads/ada.jpg", "v1", photo)
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 1, "v1")); err != nil {
			t.Fatal(err)
		}
		portrait := jpg(t, testimg.Quadrants(300, 400))
		store.add(bucket, "uploads/ada.jpg", "v2", portrait)
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 1, "v2")); err != nil {
			t.Fatal(err)
		}
		o, _ := store.object(bucket, "thumbnails/256/ada.jpg")
		checkThumbnail(t, wantThumb{"thumbnails/256/ada.jpg", "image/jpeg", 192, 256}, o.data, o.contentType, o.cacheControl, o.metadata, "uploads/ada.jpg", "v2")
	})
	t.Run("event of a replaced upload writes nothing of its own, and what is there now", func(t *testing.T) {
		store := newMemS3()
		store.add(bucket, "uploads/ada.jpg", "v2", photo)
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 1, "v1")); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"thumbnails/256/ada.jpg", "thumbnails/64/ada.jpg"} {
			if o, ok := store.object(bucket, k); !ok || o.metadata[metaSourceETag] != "v2" {
				t.Fatalf("%s: present %v, made from %q; want it made from v2, the version S3 holds", k, ok, o.metadata[metaSourceETag])
			}
		}
	})
	t.Run("event of a deleted upload is ignored", func(t *testing.T) {
		store := newMemS3()
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/gone.jpg", 1, "v1")); err != nil {
			t.Fatal(err)
		}
		if p := store.count("PUT"); p != 0 {
			t.Fatalf("%d writes for a deleted upload, want none", p)
		}
	})
}

func TestTooLargeIsNotDownloaded(t *testing.T) {
	store := newMemS3()
	photo := jpg(t, testimg.Quadrants(40, 30))
	store.add(bucket, "uploads/huge.jpg", "v1", photo)
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/huge.jpg", 2<<20, "v1")); err != nil {
		t.Fatal(err)
	}
	if g := store.count("GET"); g != 0 {
		t.Fatalf("%d downloads of an object over MAX_SOURCE_BYTES, want none", g)
	}
	checkSkipRecord(t, store, "thumbnail-skips/huge.jpg.json", "uploads/huge.jpg", "v1", reasonTooLarge)
}

func TestEventWithoutSizeOrETagAsksS3(t *testing.T) {
	store := newMemS3()
	photo := jpg(t, testimg.Quadrants(40, 30))
	store.add(bucket, "uploads/ada.jpg", "v1", photo)
	h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
	if _, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", 0, "")); err != nil {
		t.Fatal(err)
	}
	o, ok := store.object(bucket, "thumbnails/64/ada.jpg")
	if !ok || o.metadata["source-etag"] != "v1" {
		t.Fatalf("thumbnail %v metadata %v, want one made from ETag v1", ok, o.metadata)
	}
}

var errSlowDown = &smithy.GenericAPIError{Code: "SlowDown", Message: "Please reduce your request rate.", Fault: smithy.FaultServer}

func TestTransientErrorsAreReturned(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(40, 30))
	for _, op := range []string{"HEAD", "GET", "PUT"} {
		t.Run(op, func(t *testing.T) {
			store := newMemS3()
			store.add(bucket, "uploads/ada.jpg", "v1", photo)
			store.fail = func(o, _, _ string) error {
				if o == op {
					return errSlowDown
				}
				return nil
			}
			h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
			_, err := h.Handle(context.Background(), s3Event(t, "ObjectCreated:Put", "uploads/ada.jpg", int64(len(photo)), "v1"))
			if !errors.Is(err, errSlowDown) {
				t.Fatalf("Handle = %v, want the S3 error for a retry", err)
			}
		})
	}
}

func TestDeliveries(t *testing.T) {
	photo := jpg(t, testimg.Quadrants(40, 30))
	seed := func() *memS3 {
		s := newMemS3()
		s.add(bucket, "uploads/a.jpg", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", photo)
		s.add(bucket, "uploads/b.jpg", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", photo)
		s.add(bucket, "uploads/c.jpg", "cccccccccccccccccccccccccccccccc", photo)
		return s
	}
	tests := []struct {
		name    string
		fixture string
		failKey string // GetObject of this key fails with a throttle
		want    string // JSON response
		wantErr bool
		made    []string // uploads that got thumbnails
	}{
		{name: "direct S3", fixture: "s3-put.json", want: "null"}, // its object is absent: ignored
		{name: "direct test event", fixture: "s3-test-event.json", want: "null"},
		{name: "SQS with a partial failure", fixture: "sqs-batch.json", failKey: "uploads/b.jpg",
			want: `{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"},` +
				`{"itemIdentifier":"5f2d7c61-0c3e-4a0d-9a53-1b4f0b0f6e11"}]}`,
			made: []string{"a"}},
		{name: "SQS all fine", fixture: "sqs-batch.json", want: `{"batchItemFailures":[` +
			`{"itemIdentifier":"5f2d7c61-0c3e-4a0d-9a53-1b4f0b0f6e11"}]}`, made: []string{"a", "b"}},
		{name: "SNS envelope in SQS", fixture: "sqs-sns-envelope.json", want: `{"batchItemFailures":[]}`, made: []string{"c"}},
		{name: "SNS", fixture: "sns.json", want: "null", made: []string{"c"}},
		{name: "SNS with a failure", fixture: "sns.json", failKey: "uploads/c.jpg", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := seed()
			store.fail = func(op, _, key string) error {
				if op == "GET" && key == tt.failKey {
					return errSlowDown
				}
				return nil
			}
			h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
			out, err := lambda.NewHandler(h.Handle).Invoke(context.Background(), readFixture(t, tt.fixture))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Invoke succeeded with %s, want an error for the retry", out)
				}
			} else if err != nil {
				t.Fatalf("Invoke: %v", err)
			} else if string(out) != tt.want {
				t.Fatalf("response\n got %s\nwant %s", out, tt.want)
			}
			var made []string
			for _, k := range store.keys(bucket, "thumbnails/64/") {
				made = append(made, strings.TrimSuffix(strings.TrimPrefix(k, "thumbnails/64/"), ".jpg"))
			}
			if !slices.Equal(made, tt.made) {
				t.Fatalf("thumbnails made for %q, want %q", made, tt.made)
			}
		})
	}
}

func TestUnknownEventsAreErrors(t *testing.T) {
	h := newTestHandler(newMemS3(), testConfig(thumbnail.FormatAuto))
	for _, raw := range []string{`{}`, `{"Records":[{"eventSource":"aws:kinesis"}]}`, `[1,2]`, `{"Records":[{"eventSource":"aws:s3","s3":{"object":{"key":"bad%zz"}}}]}`} {
		if _, err := h.Handle(context.Background(), json.RawMessage(raw)); err == nil {
			t.Errorf("Handle(%s) succeeded, want an error so the event reaches the failure destination", raw)
		}
	}
}
