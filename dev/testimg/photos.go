package testimg

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
)

// PhotoDir is where Debian's wallpaper packages (lomiri-wallpapers-16.04 and
// -20.04, ukui-wallpapers, mate-backgrounds) install their pictures.
const PhotoDir = "/usr/share/backgrounds"

// Photo is a picture used for quality tests and benchmarks.
type Photo struct {
	Name   string
	Path   string
	Source string // the Debian package it comes from, or how it is built
}

// photoNames are the real photographs of 12 to 20 megapixels in the corpus,
// chosen to cover both JPEG modes and the common chroma subsamplings.
var photoNames = []string{"dragonfly-13mp-progressive-422", "seeding-16mp-progressive-420", "kleiber-20mp-baseline-422"}

// Built24MP is the name of the 24-megapixel photograph built by Photos.
const Built24MP = "kleiber-24mp-baseline-420"

// Photos returns the real photographs, building the 24-megapixel one (the
// 20 MP Kleiber photograph enlarged by 8.5% with Lanczos and re-encoded at
// quality 92, as no packaged photograph is that large) into cacheDir if it is
// not there yet. It fails if the packages are not installed.
func Photos(cacheDir string) ([]Photo, error) {
	var out []Photo
	for _, f := range corpusFiles {
		if !slices.Contains(photoNames, f.name) {
			continue
		}
		p, err := f.photo()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	big, err := builtFiles[0].photo(cacheDir) // Built24MP
	if err != nil {
		return nil, err
	}
	return append(out, big), nil
}

// DefaultCacheDir is tests/bench/thumbnails/photos in this repository, which
// git ignores.
func DefaultCacheDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "tests", "bench", "thumbnails", "photos")
}

// packagedFile is a picture that a Debian package installs under PhotoDir.
type packagedFile struct{ name, pkg, file string }

func (f packagedFile) photo() (Photo, error) {
	p := filepath.Join(PhotoDir, f.file)
	if _, err := os.Stat(p); err != nil {
		return Photo{}, fmt.Errorf("picture missing (apt-get install %s): %w", f.pkg, err)
	}
	return Photo{Name: f.name, Path: p, Source: f.pkg}, nil
}
