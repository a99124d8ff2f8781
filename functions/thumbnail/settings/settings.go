// Package settings is what the thumbnail function and its deployment agree
// on: the environment variables the function reads, with their limits,
// defaults and the parsing that checks them, and the sweep request the
// deployment sends when the sizes change. The function (functions/thumbnail)
// reads them through this package and components/thumbnails writes them
// through it, so neither restates a name or a limit. It uses the standard
// library only: a Pulumi program that imports the component links nothing
// of the function.
package settings

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The environment variables the function reads.
const (
	// EnvThumbnailBucket is the bucket the thumbnails are written to
	// (required).
	EnvThumbnailBucket = "THUMBNAIL_BUCKET"
	// EnvThumbnailPrefix is where thumbnails go in it, served publicly
	// (required).
	EnvThumbnailPrefix = "THUMBNAIL_PREFIX"
	// EnvSkipPrefix is where skip records go in it, outside
	// EnvThumbnailPrefix (required).
	EnvSkipPrefix = "SKIP_PREFIX"
	// EnvKeepDeleted, "true", keeps the thumbnails of deleted uploads.
	EnvKeepDeleted = "KEEP_AFTER_UPLOAD_DELETED"
	// EnvUploadPrefix is the part of the source bucket that holds uploads;
	// empty means the whole bucket.
	EnvUploadPrefix = "UPLOAD_PREFIX"
	// EnvSizes are the thumbnail edge lengths, comma-separated (required).
	EnvSizes = "SIZES"
	// EnvFormat is one of Formats (default DefaultFormat).
	EnvFormat = "FORMAT"
	// EnvQuality is the JPEG quality (default DefaultQuality).
	EnvQuality = "QUALITY"
	// EnvMaxSourceBytes and EnvMaxPixels bound what is decoded (defaults
	// DefaultMaxSourceBytes and DefaultMaxPixels).
	EnvMaxSourceBytes = "MAX_SOURCE_BYTES"
	EnvMaxPixels      = "MAX_PIXELS"
)

// The thumbnail formats.
const (
	// FormatAuto is PNG where the picture has transparency, JPEG otherwise.
	FormatAuto = "auto"
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
)

// Formats are the values of EnvFormat, the default first. The function
// also takes them in any case, and "jpg" for "jpeg".
var Formats = []string{FormatAuto, FormatJPEG, FormatPNG}

// Limits and defaults.
const (
	// MinSize and MaxSize bound each thumbnail edge length, in pixels.
	MinSize = 1
	MaxSize = 8192
	// MaxSizes is the most sizes: each is one more resize and upload per
	// picture, all within one invocation's timeout.
	MaxSizes = 8
	// MinQuality and MaxQuality bound the JPEG quality.
	MinQuality = 1
	MaxQuality = 100

	DefaultFormat  = FormatAuto
	DefaultQuality = 80
	// DefaultMaxSourceBytes (50 MiB) and DefaultMaxPixels (50 million) are
	// the largest upload and declared width × height processed.
	DefaultMaxSourceBytes int64 = 50 << 20
	DefaultMaxPixels      int64 = 50_000_000
	// MaxMaxSourceBytes is S3's largest single upload, 5 GiB;
	// MaxMaxPixels is far beyond any picture.
	MaxMaxSourceBytes int64 = 5 << 30
	MaxMaxPixels      int64 = 1 << 40
)

// Env is the function's environment, parsed.
type Env struct {
	Bucket       string // EnvThumbnailBucket
	Prefix       string // EnvThumbnailPrefix, e.g. "thumbnails/"
	SkipPrefix   string // EnvSkipPrefix, e.g. "thumbnail-skips/"
	UploadPrefix string // EnvUploadPrefix, e.g. "uploads/"
	Sizes        []int  // EnvSizes, in their order
	Format       string // EnvFormat, one of Formats
	Quality      int    // EnvQuality
	// MaxSourceBytes and MaxPixels are EnvMaxSourceBytes and EnvMaxPixels.
	MaxSourceBytes, MaxPixels int64
	KeepDeleted               bool // EnvKeepDeleted
}

// Load reads the environment through getenv, applies the defaults and
// checks it, reporting every problem at once.
func Load(getenv func(string) string) (Env, error) {
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	e := Env{
		Bucket:       getenv(EnvThumbnailBucket),
		Prefix:       getenv(EnvThumbnailPrefix),
		SkipPrefix:   getenv(EnvSkipPrefix),
		UploadPrefix: getenv(EnvUploadPrefix),
		Format:       parseFormat(getenv(EnvFormat)),
	}
	sizes, sizesErr := parseSizes(getenv(EnvSizes))
	e.Sizes = sizes
	note(sizesErr)
	var err error
	e.Quality, err = intVar(getenv, EnvQuality, DefaultQuality, MinQuality, MaxQuality)
	note(err)
	e.MaxSourceBytes, err = intVar(getenv, EnvMaxSourceBytes, DefaultMaxSourceBytes, 1, MaxMaxSourceBytes)
	note(err)
	e.MaxPixels, err = intVar(getenv, EnvMaxPixels, DefaultMaxPixels, 1, MaxMaxPixels)
	note(err)
	e.KeepDeleted, err = boolVar(getenv, EnvKeepDeleted)
	note(err)
	if e.Bucket == "" {
		note(fmt.Errorf("%s is not set", EnvThumbnailBucket))
	}
	// Sizes whose every entry was refused above are not also "not listed".
	note(e.check(identity, sizesErr == nil || len(e.Sizes) > 0))
	if len(errs) > 0 {
		return Env{}, fmt.Errorf("thumbnail configuration: %w", errors.Join(errs...))
	}
	return e, nil
}

// Check reports every value the function refuses in e, but for an unset
// bucket (a deployment learns the bucket's name later), naming each value
// by its variable.
func (e Env) Check() error { return e.CheckAs(identity) }

// CheckAs is Check naming each value name(variable) instead: a component
// checks with it what it will write and names its own arguments.
func (e Env) CheckAs(name func(variable string) string) error { return e.check(name, true) }

func identity(variable string) string { return variable }

// check is CheckAs, leaving the sizes out unless checkSizes.
func (e Env) check(name func(variable string) string, checkSizes bool) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case e.Prefix == "":
		fail("%s is not set: thumbnails need their own prefix, e.g. thumbnails/", name(EnvThumbnailPrefix))
	case strings.HasPrefix(e.Prefix, "/"):
		fail("%s %q must not start with /: S3 keys have no leading slash", name(EnvThumbnailPrefix), e.Prefix)
	case strings.HasPrefix(e.UploadPrefix, e.Prefix):
		fail("%s %q is inside %s %q: uploads would be taken for thumbnails and never processed",
			name(EnvUploadPrefix), e.UploadPrefix, name(EnvThumbnailPrefix), e.Prefix)
	}
	if strings.HasPrefix(e.UploadPrefix, "/") {
		fail("%s %q must not start with /", name(EnvUploadPrefix), e.UploadPrefix)
	}
	if err := e.checkSkipPrefix(name); err != nil {
		errs = append(errs, err)
	}
	if err := CheckSizes(e.Sizes); err != nil && checkSizes {
		errs = append(errs, fmt.Errorf("%s: %w", name(EnvSizes), err))
	}
	if !slices.Contains(Formats, e.Format) {
		fail("%s %q must be %s", name(EnvFormat), e.Format, strings.Join(Formats, ", "))
	}
	if e.Quality < MinQuality || e.Quality > MaxQuality {
		fail("%s %d must be within %d..%d", name(EnvQuality), e.Quality, MinQuality, MaxQuality)
	}
	if e.MaxSourceBytes < 1 || e.MaxSourceBytes > MaxMaxSourceBytes {
		fail("%s %d must be within 1..%d", name(EnvMaxSourceBytes), e.MaxSourceBytes, MaxMaxSourceBytes)
	}
	if e.MaxPixels < 1 || e.MaxPixels > MaxMaxPixels {
		fail("%s %d must be within 1..%d", name(EnvMaxPixels), e.MaxPixels, MaxMaxPixels)
	}
	return errors.Join(errs...)
}

// checkSkipPrefix keeps skip records out of the public thumbnail prefix.
func (e Env) checkSkipPrefix(name func(string) string) error {
	switch {
	case e.SkipPrefix == "":
		return fmt.Errorf("%s is not set: skip records need a private prefix outside %s, e.g. thumbnail-skips/", name(EnvSkipPrefix), name(EnvThumbnailPrefix))
	case strings.HasPrefix(e.SkipPrefix, "/"):
		return fmt.Errorf("%s %q must not start with /", name(EnvSkipPrefix), e.SkipPrefix)
	case e.Prefix != "" && (strings.HasPrefix(e.SkipPrefix, e.Prefix) || strings.HasPrefix(e.Prefix, e.SkipPrefix)):
		return fmt.Errorf("%s %q and %s %q overlap: skip records would be served with the thumbnails",
			name(EnvSkipPrefix), e.SkipPrefix, name(EnvThumbnailPrefix), e.Prefix)
	}
	return nil
}

// CheckSizes reports what is wrong with sizes as thumbnail edge lengths:
// one to MaxSizes of them, each from MinSize to MaxSize, none twice.
func CheckSizes(sizes []int) error {
	if len(sizes) == 0 {
		return errors.New("no size listed: want edge lengths in pixels, e.g. 1024,512,128")
	}
	var problems []string
	if len(sizes) > MaxSizes {
		problems = append(problems, fmt.Sprintf("%d sizes listed, at most %d", len(sizes), MaxSizes))
	}
	seen := map[int]bool{}
	for _, n := range sizes {
		switch {
		case n < MinSize || n > MaxSize:
			problems = append(problems, fmt.Sprintf("%d must be within %d..%d", n, MinSize, MaxSize))
		case seen[n]:
			problems = append(problems, fmt.Sprintf("%d is listed twice", n))
		}
		seen[n] = true
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Variables is e as the function's environment: Load reads them back as
// e. A deployment that knows the bucket only later sets EnvThumbnailBucket
// itself.
func (e Env) Variables() map[string]string {
	return map[string]string{
		EnvThumbnailBucket: e.Bucket,
		EnvThumbnailPrefix: e.Prefix,
		EnvSkipPrefix:      e.SkipPrefix,
		EnvKeepDeleted:     strconv.FormatBool(e.KeepDeleted),
		EnvUploadPrefix:    e.UploadPrefix,
		EnvSizes:           JoinSizes(e.Sizes),
		EnvFormat:          e.Format,
		EnvQuality:         strconv.Itoa(e.Quality),
		EnvMaxSourceBytes:  strconv.FormatInt(e.MaxSourceBytes, 10),
		EnvMaxPixels:       strconv.FormatInt(e.MaxPixels, 10),
	}
}

// JoinSizes writes sizes as EnvSizes holds them: in their order,
// comma-separated.
func JoinSizes(sizes []int) string {
	parts := make([]string, len(sizes))
	for i, n := range sizes {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// parseSizes reads EnvSizes; entries that are not whole numbers are left
// out and reported.
func parseSizes(v string) ([]int, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil // Check reports it
	}
	var sizes []int
	var errs []error
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s entry %q is not a whole number", EnvSizes, f))
			continue
		}
		sizes = append(sizes, n)
	}
	return sizes, errors.Join(errs...)
}

// parseFormat reads EnvFormat as the function takes it: empty is
// DefaultFormat, any case, "jpg" for "jpeg". Check refuses what is not
// a format.
func parseFormat(v string) string {
	if v == "" {
		return DefaultFormat
	}
	switch f := strings.ToLower(strings.TrimSpace(v)); f {
	case "jpg":
		return FormatJPEG
	default:
		return f
	}
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

// intVar parses the optional integer variable name within lo..hi; def
// stands in for a value that is missing or refused.
func intVar[T int | int64](getenv func(string) string, name string, def, lo, hi T) (T, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || T(n) < lo || T(n) > hi {
		return def, fmt.Errorf("%s %q must be a whole number within %d..%d", name, v, lo, hi)
	}
	return T(n), nil
}
