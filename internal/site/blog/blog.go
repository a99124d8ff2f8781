// Package blog is MyBlog.com's static front end: plain HTML, CSS and
// JavaScript in public/, uploaded by the StaticSite component and served by
// CloudFront.
//
//	public/index.html    the post list (GET /api/posts, newest first, paged)
//	public/post.html     one post (?slug=..., GET /api/posts/{slug})
//	public/signup.html   the sign-up form (POST /api/users)
//	public/assets/       the stylesheet and the script, fingerprinted
//
// The pages call the blog API on their own domain under /api/, which the
// distribution routes to the API Gateway stage, so the browser needs no CORS.
// Everything the API returns is inserted with textContent, and the pages have
// no inline script or style, so the site's Content-Security-Policy can stay
// at default-src 'self'.
//
// # Fingerprints
//
// Every file under assets/ carries the first ten hex digits of the SHA-256 of
// its content in its name (app.<hash>.js), so StaticSite serves it as
// immutable and a deploy needs no invalidation. The package's tests fail when
// a name and its content disagree;
//
//	go test ./internal/site/blog -update
//
// renames edited assets and rewrites the pages' references to them.
package blog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ContentDir is the site's directory relative to the module root.
const ContentDir = "internal/site/blog/public"

// Dir returns the absolute path of the site's content, found from the
// working directory: the Pulumi project directory (the module root) when the
// program runs, a package directory under go test.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the blog site: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(ContentDir)), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding the blog site: no go.mod above the working directory")
		}
		dir = parent
	}
}
