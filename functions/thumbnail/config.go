package main

import (
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

// Config is the function's environment, checked, in the engine's terms.
// The variables, their limits and defaults are package settings'.
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

// formats are the engine's formats by their names in FORMAT.
var formats = map[string]thumbnail.Format{
	settings.FormatAuto: thumbnail.FormatAuto,
	settings.FormatJPEG: thumbnail.FormatJPEG,
	settings.FormatPNG:  thumbnail.FormatPNG,
}

// LoadConfig reads the environment through getenv and reports every problem
// at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	env, err := settings.Load(getenv)
	if err != nil {
		return Config{}, err
	}
	c := Config{
		Bucket:       env.Bucket,
		Prefix:       env.Prefix,
		SkipPrefix:   env.SkipPrefix,
		UploadPrefix: env.UploadPrefix,
		Limits:       thumbnail.Limits{MaxBytes: env.MaxSourceBytes, MaxPixels: env.MaxPixels},
		KeepDeleted:  env.KeepDeleted,
	}
	for _, n := range env.Sizes {
		c.Specs = append(c.Specs, thumbnail.Spec{Size: n, Format: formats[env.Format], Quality: env.Quality})
	}
	return c, nil
}

// sizes are the sizes of c's thumbnails, in their order.
func (c Config) sizes() []int {
	sizes := make([]int, len(c.Specs))
	for i, s := range c.Specs {
		sizes[i] = s.Size
	}
	return sizes
}
