package settings_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

var base = map[string]string{"THUMBNAIL_BUCKET": "media", "THUMBNAIL_PREFIX": "thumbnails/", "SKIP_PREFIX": "thumbnail-skips/", "SIZES": "1024, 512,128"}

func with(kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// defaults is base as Load reads it.
func defaults() settings.Env {
	return settings.Env{Bucket: "media", Prefix: "thumbnails/", SkipPrefix: "thumbnail-skips/", Sizes: []int{1024, 512, 128},
		Format: "auto", Quality: 80, MaxSourceBytes: 50 << 20, MaxPixels: 50_000_000}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    func(*settings.Env)
		wantErr []string
	}{
		{name: "defaults", env: base, want: func(*settings.Env) {}},
		{name: "everything set", env: with("UPLOAD_PREFIX", "uploads/", "FORMAT", "JPEG", "QUALITY", "90",
			"MAX_SOURCE_BYTES", "1048576", "MAX_PIXELS", "24000000", "KEEP_AFTER_UPLOAD_DELETED", "true"), want: func(e *settings.Env) {
			e.UploadPrefix, e.Format, e.Quality, e.MaxSourceBytes, e.MaxPixels, e.KeepDeleted = "uploads/", "jpeg", 90, 1<<20, 24_000_000, true
		}},
		{name: "png", env: with("FORMAT", "png"), want: func(e *settings.Env) { e.Format = "png" }},
		{name: "jpg is jpeg", env: with("FORMAT", "jpg"), want: func(e *settings.Env) { e.Format = "jpeg" }},
		{name: "nothing set", env: map[string]string{},
			wantErr: []string{"THUMBNAIL_BUCKET is not set", "THUMBNAIL_PREFIX is not set", "SIZES: no size listed", "SKIP_PREFIX is not set"}},
		{name: "bad sizes", env: with("SIZES", "1024,big,0,1024,9000"),
			wantErr: []string{`SIZES entry "big" is not a whole number`, "0 must be within 1..8192", "1024 is listed twice", "9000 must be within"}},
		{name: "unknown format", env: with("FORMAT", "webp"), wantErr: []string{`FORMAT "webp" must be auto, jpeg, png`}},
		// Only an unset format is the default; blanks are a mistake.
		{name: "blank format", env: with("FORMAT", "  "), wantErr: []string{`FORMAT "" must be auto, jpeg, png`}},
		{name: "too many sizes", env: with("SIZES", "1,2,3,4,5,6,7,8,9"), wantErr: []string{"SIZES: 9 sizes listed, at most 8"}},
		{name: "quality out of range", env: with("QUALITY", "101"), wantErr: []string{`QUALITY "101" must be a whole number within 1..100`}},
		{name: "quality not a number", env: with("QUALITY", "high"), wantErr: []string{"QUALITY"}},
		{name: "negative limit", env: with("MAX_PIXELS", "-1", "MAX_SOURCE_BYTES", "lots"),
			wantErr: []string{"MAX_PIXELS", "MAX_SOURCE_BYTES"}},
		{name: "uploads inside thumbnails", env: with("THUMBNAIL_PREFIX", "media/", "UPLOAD_PREFIX", "media/uploads/"),
			wantErr: []string{"is inside THUMBNAIL_PREFIX"}},
		{name: "same prefix", env: with("UPLOAD_PREFIX", "thumbnails/"), wantErr: []string{"is inside THUMBNAIL_PREFIX"}},
		{name: "leading slash", env: with("THUMBNAIL_PREFIX", "/thumbnails/"), wantErr: []string{"must not start with /"}},
		{name: "keep is a boolean", env: with("KEEP_AFTER_UPLOAD_DELETED", "yes"), wantErr: []string{"KEEP_AFTER_UPLOAD_DELETED"}},
		{name: "skip records without their own prefix", env: with("SKIP_PREFIX", ""), wantErr: []string{"SKIP_PREFIX is not set"}},
		// The thumbnail prefix is public: skip records there are too.
		{name: "skip records among the thumbnails", env: with("SKIP_PREFIX", "thumbnails/_skipped/"),
			wantErr: []string{`SKIP_PREFIX "thumbnails/_skipped/" and THUMBNAIL_PREFIX "thumbnails/" overlap`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := settings.Load(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				want := defaults()
				tt.want(&want)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("Load =\n %+v\nwant\n %+v", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want errors %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// A value refused once is reported once, not again by Check.
func TestLoadReportsABadNumberOnce(t *testing.T) {
	_, err := settings.Load(func(k string) string { return with("QUALITY", "0")[k] })
	if err == nil || strings.Count(err.Error(), "QUALITY") != 1 {
		t.Errorf("error %v, want QUALITY reported once", err)
	}
}

// Sizes whose every entry is refused are reported as such, not also as
// "no size listed".
func TestLoadReportsUnreadableSizesOnce(t *testing.T) {
	_, err := settings.Load(func(k string) string { return with("SIZES", "big")[k] })
	if err == nil || !strings.Contains(err.Error(), `SIZES entry "big" is not a whole number`) || strings.Contains(err.Error(), "no size listed") {
		t.Errorf("error %v, want the entry refused and nothing else about SIZES", err)
	}
}

// Variables writes what Load reads back, every variable Load reads and
// nothing else, under the names deployed functions have: a rename would
// leave every deployed function without its configuration.
func TestVariablesRoundTrip(t *testing.T) {
	want := defaults()
	want.UploadPrefix, want.Format, want.KeepDeleted = "uploads/", "png", true
	vars := want.Variables()
	read := map[string]bool{}
	got, err := settings.Load(func(k string) string { read[k] = true; return vars[k] })
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Load(Variables()) = %+v, %v; want %+v", got, err, want)
	}
	names := []string{"THUMBNAIL_BUCKET", "THUMBNAIL_PREFIX", "SKIP_PREFIX", "KEEP_AFTER_UPLOAD_DELETED", "UPLOAD_PREFIX",
		"SIZES", "FORMAT", "QUALITY", "MAX_SOURCE_BYTES", "MAX_PIXELS"}
	if len(vars) != len(names) || len(read) != len(names) {
		t.Errorf("Variables sets %d and Load reads %d variables, want %d", len(vars), len(read), len(names))
	}
	for _, n := range names {
		if _, ok := vars[n]; !ok || !read[n] {
			t.Errorf("%s: written %v, read %v", n, ok, read[n])
		}
	}
}

func TestCheckSizes(t *testing.T) {
	for _, tc := range []struct {
		sizes []int
		want  string
	}{
		{[]int{1, 8192, 128}, ""},
		{nil, "no size listed"},
		{[]int{0}, "0 must be within 1..8192"},
		{[]int{8193}, "8193 must be within 1..8192"},
		{[]int{128, 64, 128}, "128 is listed twice"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8}, ""},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9}, "9 sizes listed, at most 8"},
	} {
		err := settings.CheckSizes(tc.sizes)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckSizes(%v) = %v, want %q", tc.sizes, err, tc.want)
		}
	}
}

// The sweep request marshals as deployed stacks recorded it.
func TestRetiredSizesSweep(t *testing.T) {
	b, err := json.Marshal(settings.RetiredSizesSweep([]int{1024, 512, 128}))
	if err != nil || string(b) != `{"sizes":"1024,512,128","sweep":"retired-sizes"}` {
		t.Errorf("sweep request %s, %v", b, err)
	}
}
