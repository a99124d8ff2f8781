package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

func TestLoadConfig(t *testing.T) {
	base := map[string]string{"THUMBNAIL_BUCKET": "media", "THUMBNAIL_PREFIX": "thumbnails/", "SKIP_PREFIX": "thumbnail-skips/", "SIZES": "1024, 512,128"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	specs := func(f thumbnail.Format, q int, sizes ...int) []thumbnail.Spec {
		var out []thumbnail.Spec
		for _, s := range sizes {
			out = append(out, thumbnail.Spec{Size: s, Format: f, Quality: q})
		}
		return out
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr []string
	}{
		{name: "defaults", env: base, want: Config{
			Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", Specs: specs(thumbnail.FormatAuto, 80, 1024, 512, 128),
			Limits: thumbnail.Limits{MaxBytes: 50 << 20, MaxPixels: 50_000_000}}},
		{name: "everything set", env: with("UPLOAD_PREFIX", "uploads/", "FORMAT", "JPEG", "QUALITY", "90",
			"MAX_SOURCE_BYTES", "1048576", "MAX_PIXELS", "24000000"), want: Config{
			Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", UploadPrefix: "uploads/", Specs: specs(thumbnail.FormatJPEG, 90, 1024, 512, 128),
			Limits: thumbnail.Limits{MaxBytes: 1 << 20, MaxPixels: 24_000_000}}},
		{name: "png", env: with("FORMAT", "png"), want: Config{
			Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", Specs: specs(thumbnail.FormatPNG, 80, 1024, 512, 128),
			Limits: thumbnail.Limits{MaxBytes: 50 << 20, MaxPixels: 50_000_000}}},
		{name: "nothing set", env: map[string]string{},
			wantErr: []string{"THUMBNAIL_BUCKET is not set", "THUMBNAIL_PREFIX is not set", "SIZES is not set"}},
		{name: "bad sizes", env: with("SIZES", "1024,big,0,1024,9000"),
			wantErr: []string{`"big" is not a whole number`, "0 must be within 1..8192", "lists 1024 twice", "9000 must be within"}},
		{name: "unknown format", env: with("FORMAT", "webp"), wantErr: []string{`FORMAT "webp" must be auto, jpeg or png`}},
		{name: "quality out of range", env: with("QUALITY", "101"), wantErr: []string{"QUALITY"}},
		{name: "quality not a number", env: with("QUALITY", "high"), wantErr: []string{"QUALITY"}},
		{name: "negative limit", env: with("MAX_PIXELS", "-1", "MAX_SOURCE_BYTES", "lots"),
			wantErr: []string{"MAX_PIXELS", "MAX_SOURCE_BYTES"}},
		{name: "uploads inside thumbnails", env: with("THUMBNAIL_PREFIX", "media/", "UPLOAD_PREFIX", "media/uploads/"),
			wantErr: []string{"is inside THUMBNAIL_PREFIX"}},
		{name: "same prefix", env: with("UPLOAD_PREFIX", "thumbnails/"), wantErr: []string{"is inside THUMBNAIL_PREFIX"}},
		{name: "leading slash", env: with("THUMBNAIL_PREFIX", "/thumbnails/"), wantErr: []string{"must not start with /"}},
		{name: "keep thumbnails of deleted uploads", env: with("KEEP_AFTER_UPLOAD_DELETED", "true"), want: Config{
			Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", Specs: specs(thumbnail.FormatAuto, 80, 1024, 512, 128),
			Limits: thumbnail.Limits{MaxBytes: 50 << 20, MaxPixels: 50_000_000}, KeepDeleted: true}},
		{name: "keep is a boolean", env: with("KEEP_AFTER_UPLOAD_DELETED", "yes"), wantErr: []string{"KEEP_AFTER_UPLOAD_DELETED"}},
		{name: "skip records without their own prefix", env: with("SKIP_PREFIX", ""), wantErr: []string{"SKIP_PREFIX is not set"}},
		// The thumbnail prefix is public: skip records there are too.
		{name: "skip records among the thumbnails", env: with("SKIP_PREFIX", "thumbnails/_skipped/"),
			wantErr: []string{`SKIP_PREFIX "thumbnails/_skipped/" and THUMBNAIL_PREFIX "thumbnails/" overlap`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadConfig(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("LoadConfig: %v", err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("LoadConfig =\n %+v\nwant\n %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadConfig succeeded, want errors %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
