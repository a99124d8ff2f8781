package blog_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/internal/site/blog"
)

var update = flag.Bool("update", false, "rename edited assets to their new fingerprints and rewrite the pages' references")

// fingerprintDigits is how many hex digits of the content's SHA-256 an
// asset's name carries.
const fingerprintDigits = 10

// fingerprintedName returns what an asset at key must be called: its base
// name without any old fingerprint, the content's fingerprint, its
// extension.
func fingerprintedName(key string, content []byte) string {
	dir, file := path.Split(key)
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	if i := strings.LastIndex(stem, "."); i >= 0 && staticsite.Fingerprinted("x."+stem[i+1:]+".y") {
		stem = stem[:i]
	}
	sum := sha256.Sum256(content)
	return dir + stem + "." + hex.EncodeToString(sum[:])[:fingerprintDigits] + ext
}

func siteDir(t *testing.T) string {
	t.Helper()
	dir, err := blog.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func files(t *testing.T, dir string) []staticsite.File {
	t.Helper()
	fs, err := staticsite.Files(dir, 60)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// reference matches a site-absolute URL in an src or href attribute.
var reference = regexp.MustCompile(`(?:src|href)="(/[^"]*)"`)

func pages(t *testing.T, fs []staticsite.File) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range fs {
		if strings.HasSuffix(f.Key, ".html") {
			b, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			out[f.Key] = string(b)
		}
	}
	return out
}

// TestAssetsAreFingerprintedByContent keeps the caching scheme honest: an
// asset is served as immutable, so its name must change whenever its
// content does.
func TestAssetsAreFingerprintedByContent(t *testing.T) {
	dir := siteDir(t)
	renames := map[string]string{}
	for _, f := range files(t, dir) {
		if !strings.HasPrefix(f.Key, "assets/") {
			continue
		}
		content, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if want := fingerprintedName(f.Key, content); want != f.Key {
			renames[f.Key] = want
		}
	}
	if len(renames) == 0 {
		return
	}
	if !*update {
		t.Fatalf("assets whose names do not match their content: %v\nRun: go test ./internal/site/blog -update", renames)
	}
	for old, renamed := range renames {
		if err := os.Rename(filepath.Join(dir, old), filepath.Join(dir, renamed)); err != nil {
			t.Fatal(err)
		}
	}
	for key, html := range pages(t, files(t, dir)) {
		rewritten := reference.ReplaceAllStringFunc(html, func(m string) string {
			sub := reference.FindStringSubmatch(m)
			target := strings.TrimPrefix(sub[1], "/")
			for old, renamed := range renames {
				if target == old || fingerprintedName(target, nil) == fingerprintedName(old, nil) {
					return strings.Replace(m, sub[1], "/"+renamed, 1)
				}
			}
			return m
		})
		if rewritten != html {
			if err := os.WriteFile(filepath.Join(dir, key), []byte(rewritten), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote references in %s", key)
		}
	}
}

// TestPagesWorkUnderTheSiteHeaders checks what the distribution's headers
// and caching assume of the pages: every local reference exists, the pages
// load only fingerprinted assets from assets/, every asset is used, and no
// page has inline script or style (the CSP forbids them).
func TestPagesWorkUnderTheSiteHeaders(t *testing.T) {
	fs := files(t, siteDir(t))
	keys := map[string]bool{}
	used := map[string]bool{}
	for _, f := range fs {
		keys[f.Key] = true
	}
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle="|\son[a-z]+="`)
	for key, html := range pages(t, fs) {
		if m := inline.FindString(html); m != "" {
			t.Errorf("%s has inline script or style (%q), which the Content-Security-Policy blocks", key, m)
		}
		for _, m := range reference.FindAllStringSubmatch(html, -1) {
			target := strings.TrimPrefix(m[1], "/")
			target, _, _ = strings.Cut(target, "?")
			switch {
			case target == "" || strings.HasSuffix(target, "/"):
				target += "index.html"
			case strings.HasPrefix(target, "api/"):
				continue
			}
			if !keys[target] {
				t.Errorf("%s refers to %s, which is not in the site", key, m[1])
			}
			used[target] = true
			if strings.HasPrefix(target, "assets/") && !staticsite.Fingerprinted(target) {
				t.Errorf("%s loads %s, which has no fingerprint: assets/ holds fingerprinted files only (run go test -update)", key, m[1])
			}
		}
	}
	for _, f := range fs {
		if strings.HasPrefix(f.Key, "assets/") && !used[f.Key] {
			t.Errorf("asset %s is not used by any page", f.Key)
		}
	}
	for _, want := range []string{"index.html", "post.html", "signup.html"} {
		if !keys[want] {
			t.Errorf("the site has no %s", want)
		}
	}
}

// TestCachingByKind checks how StaticSite will serve this site's files:
// assets immutable, pages revalidated.
func TestCachingByKind(t *testing.T) {
	var immutable, revalidated []string
	for _, f := range files(t, siteDir(t)) {
		if f.CacheControl == staticsite.ImmutableCacheControl {
			immutable = append(immutable, f.Key)
		} else {
			revalidated = append(revalidated, f.Key)
		}
	}
	for _, k := range immutable {
		if !strings.HasPrefix(k, "assets/") {
			t.Errorf("%s is cached as immutable but is not a fingerprinted asset", k)
		}
	}
	for _, page := range []string{"index.html", "post.html", "signup.html"} {
		if !slices.Contains(revalidated, page) {
			t.Errorf("page %s is not revalidated", page)
		}
	}
	if len(immutable) < 2 {
		t.Errorf("immutable files %v, want the stylesheet and the script", immutable)
	}
}
