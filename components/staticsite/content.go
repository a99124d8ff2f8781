package staticsite

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ImmutableCacheControl is the Cache-Control of fingerprinted files: their
// name changes whenever their content does, so any copy is valid forever.
const ImmutableCacheControl = "public, max-age=31536000, immutable"

// File is one file of the site's content as it is uploaded.
type File struct {
	// Key is the object key: the path relative to the content directory,
	// with forward slashes ("assets/app.3f2a1b9c.js").
	Key string
	// Path is the file on disk; "" for a file that came from an archive as
	// text (a string asset).
	Path string
	// Source, for a file that came from an archive (Args.Content), is the
	// asset holding it; nil means the file at Path.
	Source       pulumi.Asset
	ContentType  string
	CacheControl string
	// Fingerprinted reports whether the name carries a content hash.
	Fingerprinted bool
}

// Fingerprinted reports whether a file name carries a content fingerprint:
// a dot-separated part of 8 to 64 lower-case hexadecimal digits between the
// base name and the extension, as in "app.3f2a1b9c.js" or
// "style.0badc0de.min.css". Only such files are cached as immutable.
func Fingerprinted(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) < 3 {
		return false
	}
	// The first part is the name and the last the extension.
	for _, p := range parts[1 : len(parts)-1] {
		if len(p) >= 8 && len(p) <= 64 && strings.Trim(p, "0123456789abcdef") == "" {
			return true
		}
	}
	return false
}

// RevalidateCacheControl is the Cache-Control of every file that is not
// fingerprinted (HTML above all): browsers revalidate it on every use (a
// cheap 304 when unchanged) and CloudFront keeps it for at most
// maxAgeSeconds, the longest a visitor can see it stale after a deploy.
func RevalidateCacheControl(maxAgeSeconds int) string {
	if maxAgeSeconds <= 0 {
		return "no-cache"
	}
	return fmt.Sprintf("public, max-age=0, s-maxage=%d, must-revalidate", maxAgeSeconds)
}

// Files lists the content of dir as it would be uploaded, sorted by key.
// Hidden files and directories (names starting with ".") are left out, as
// are anything but regular files.
func Files(dir string, htmlMaxAgeSeconds int) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, newFile(filepath.ToSlash(rel), p, htmlMaxAgeSeconds))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading site content %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("site content %s has no files", dir)
	}
	return files, nil
}

// newFile describes the file at path as it is uploaded under key.
func newFile(key, path string, htmlMaxAgeSeconds int) File {
	f := File{Key: key, Path: path, ContentType: ContentType(key), Fingerprinted: Fingerprinted(key)}
	f.CacheControl = RevalidateCacheControl(htmlMaxAgeSeconds)
	if f.Fingerprinted {
		f.CacheControl = ImmutableCacheControl
	}
	return f
}

// source is the asset uploaded for the file.
func (f File) source() pulumi.Asset {
	if f.Source != nil {
		return f.Source
	}
	return pulumi.NewFileAsset(f.Path)
}

// contentTypes maps extensions to the Content-Type S3 serves. The table is
// fixed rather than taken from the system's MIME database (mime package), so
// that every machine uploads the same headers.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".rss":         "application/rss+xml",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
}

// ContentType returns the Content-Type of a file by its extension;
// application/octet-stream when the extension is unknown.
func ContentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}
