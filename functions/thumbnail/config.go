package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// Config is the function's environment, checked.
type Config struct {
	// Bucket receives the thumbnails (THUMBNAIL_BUCKET).
	Bucket string
	// Prefix is where thumbnails go in Bucket (THUMBNAIL_PREFIX, e.g.
	// "thumbnails/"); it is public, served by the site.
	Prefix string
	// SkipPrefix is where skip records go in Bucket (SKIP_PREFIX, e.g.
	// "thumbnail-skips/"): outside Prefix, so nothing public reads them.
	SkipPrefix string
	// UploadPrefix is the part of the source bucket that holds uploads
	// (UPLOAD_PREFIX, e.g. "uploads/"; empty means the whole bucket).
	UploadPrefix string
	// Specs are the thumbnails made of every upload, one per size in SIZES,
	// with FORMAT and QUALITY.
	Specs []thumbnail.Spec
	// Limits are MAX_SOURCE_BYTES and MAX_PIXELS.
	Limits thumbnail.Limits
	// KeepDeleted keeps the thumbnails of deleted uploads
	// (KEEP_AFTER_UPLOAD_DELETED=true).
	KeepDeleted bool
}

// Defaults for the optional variables.
const (
	defaultFormat         = "auto"
	defaultQuality        = 80
	defaultMaxSourceBytes = 50 << 20 // 50 MiB
	defaultMaxPixels      = 50_000_000
	maxSize               = 8192 // largest thumbnail edge accepted in SIZES
)

// LoadConfig reads the environment through getenv and reports every problem
// at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	c := Config{
		Bucket:       getenv("THUMBNAIL_BUCKET"),
		Prefix:       getenv("THUMBNAIL_PREFIX"),
		SkipPrefix:   getenv("SKIP_PREFIX"),
		UploadPrefix: getenv("UPLOAD_PREFIX"),
	}
	if c.Bucket == "" {
		fail("THUMBNAIL_BUCKET is not set")
	}
	switch {
	case c.Prefix == "":
		fail("THUMBNAIL_PREFIX is not set: thumbnails need their own prefix, e.g. thumbnails/")
	case strings.HasPrefix(c.Prefix, "/"):
		fail("THUMBNAIL_PREFIX %q must not start with /: S3 keys have no leading slash", c.Prefix)
	case strings.HasPrefix(c.UploadPrefix, c.Prefix):
		fail("UPLOAD_PREFIX %q is inside THUMBNAIL_PREFIX %q: uploads would be taken for thumbnails and never processed",
			c.UploadPrefix, c.Prefix)
	}
	if strings.HasPrefix(c.UploadPrefix, "/") {
		fail("UPLOAD_PREFIX %q must not start with /", c.UploadPrefix)
	}
	if err := checkSkipPrefix(c); err != nil {
		errs = append(errs, err)
	}

	format, err := formatVar(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	quality, err := intVar(getenv, "QUALITY", defaultQuality, 1, 100)
	if err != nil {
		errs = append(errs, err)
	}

	var sizes []string
	if v := strings.TrimSpace(getenv("SIZES")); v != "" {
		sizes = strings.Split(v, ",")
	} else {
		fail("SIZES is not set: a comma-separated list of pixel sizes, e.g. 1024,512,128")
	}
	seen := map[int]bool{}
	for _, f := range sizes {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		switch {
		case err != nil:
			fail("SIZES entry %q is not a whole number", f)
		case n < 1 || n > maxSize:
			fail("SIZES entry %d must be within 1..%d", n, maxSize)
		case seen[n]:
			fail("SIZES lists %d twice", n)
		default:
			seen[n] = true
			c.Specs = append(c.Specs, thumbnail.Spec{Size: n, Format: format, Quality: quality})
		}
	}

	maxBytes, err := intVar(getenv, "MAX_SOURCE_BYTES", defaultMaxSourceBytes, 1, 5<<30)
	if err != nil {
		errs = append(errs, err)
	}
	maxPixels, err := intVar(getenv, "MAX_PIXELS", defaultMaxPixels, 1, 1<<40)
	if err != nil {
		errs = append(errs, err)
	}
	c.Limits = thumbnail.Limits{MaxBytes: int64(maxBytes), MaxPixels: int64(maxPixels)}
	if c.KeepDeleted, err = boolVar(getenv, "KEEP_AFTER_UPLOAD_DELETED"); err != nil {
		errs = append(errs, err)
	}

	if len(errs) > 0 {
		return Config{}, fmt.Errorf("thumbnail configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

// formatVar parses FORMAT: auto (the default), jpeg (or jpg) or png.
func formatVar(getenv func(string) string) (thumbnail.Format, error) {
	switch f := strings.ToLower(strings.TrimSpace(orDefault(getenv("FORMAT"), defaultFormat))); f {
	case "auto":
		return thumbnail.FormatAuto, nil
	case "jpeg", "jpg":
		return thumbnail.FormatJPEG, nil
	case "png":
		return thumbnail.FormatPNG, nil
	default:
		return thumbnail.FormatAuto, fmt.Errorf("FORMAT %q must be auto, jpeg or png", f)
	}
}

// checkSkipPrefix keeps skip records out of the public thumbnail prefix.
func checkSkipPrefix(c Config) error {
	switch {
	case c.SkipPrefix == "":
		return errors.New("SKIP_PREFIX is not set: skip records need a private prefix outside THUMBNAIL_PREFIX, e.g. thumbnail-skips/")
	case strings.HasPrefix(c.SkipPrefix, "/"):
		return fmt.Errorf("SKIP_PREFIX %q must not start with /", c.SkipPrefix)
	case c.Prefix != "" && (strings.HasPrefix(c.SkipPrefix, c.Prefix) || strings.HasPrefix(c.Prefix, c.SkipPrefix)):
		return fmt.Errorf("SKIP_PREFIX %q and THUMBNAIL_PREFIX %q overlap: skip records would be served with the thumbnails", c.SkipPrefix, c.Prefix)
	}
	return nil
}

// boolVar parses the optional boolean variable name: "true", or "false"
// or empty.
func boolVar(getenv func(string) string, name string) (bool, error) {
	switch v := getenv(name); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, fmt.Errorf("%s %q must be true or false", name, v)
	}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// intVar parses the optional integer variable name within lo..hi.
func intVar(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s %q must be a whole number within %d..%d", name, v, lo, hi)
	}
	return n, nil
}
