package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// LoadConfig turns the settings into the engine's terms; the variables'
// parsing and checks are tested in package settings.
func TestLoadConfig(t *testing.T) {
	env := map[string]string{"THUMBNAIL_BUCKET": "media", "THUMBNAIL_PREFIX": "thumbnails/", "SKIP_PREFIX": "thumbnail-skips/",
		"UPLOAD_PREFIX": "uploads/", "SIZES": "1024,128", "FORMAT": "PNG", "QUALITY": "90",
		"MAX_SOURCE_BYTES": "1048576", "MAX_PIXELS": "24000000", "KEEP_AFTER_UPLOAD_DELETED": "true"}
	got, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", UploadPrefix: "uploads/",
		Specs:  []thumbnail.Spec{{Size: 1024, Format: thumbnail.FormatPNG, Quality: 90}, {Size: 128, Format: thumbnail.FormatPNG, Quality: 90}},
		Limits: thumbnail.Limits{MaxBytes: 1 << 20, MaxPixels: 24_000_000}, KeepDeleted: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadConfig =\n %+v\nwant\n %+v", got, want)
	}
	for f, want := range map[string]thumbnail.Format{"": thumbnail.FormatAuto, "auto": thumbnail.FormatAuto, "jpg": thumbnail.FormatJPEG} {
		env["FORMAT"] = f
		if c, err := LoadConfig(func(k string) string { return env[k] }); err != nil || c.Specs[0].Format != want {
			t.Errorf("FORMAT %q: %v, %v; want %v", f, c.Specs, err, want)
		}
	}
	if _, err := LoadConfig(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "THUMBNAIL_BUCKET is not set") {
		t.Errorf("empty environment: %v", err)
	}
}
