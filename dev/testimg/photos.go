package testimg

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"

	"github.com/disintegration/imaging"
)

// PhotoDir is where Debian's lomiri-wallpapers-16.04 and
// lomiri-wallpapers-20.04 packages install their photographs.
const PhotoDir = "/usr/share/backgrounds"

// Photo is a real photograph used for quality tests and benchmarks.
type Photo struct {
	Name string
	Path string
}

// photoFiles are real photographs of 12 to 20 megapixels from the
// lomiri-wallpapers packages, chosen to cover both JPEG modes and the common
// chroma subsamplings.
var photoFiles = []struct{ name, file string }{
	{"dragonfly-13mp-progressive-422", "Dragonfly_by_Bolly.jpg"},
	{"seeding-16mp-progressive-420", "seeding_by_Clements_Engelhardt.jpg"},
	{"kleiber-20mp-baseline-422", "Kleiber_by_Lukas_Baubkus.jpg"},
}

// Built24MP is the name of the 24-megapixel photograph built by Photos.
const Built24MP = "kleiber-24mp-baseline-420"

// Photos returns the real photographs, building the 24-megapixel one (the
// 20 MP Kleiber photograph enlarged by 8.5% with Lanczos and re-encoded at
// quality 92, as no packaged photograph is that large) into cacheDir if it is
// not there yet. It fails if the packages are not installed.
func Photos(cacheDir string) ([]Photo, error) {
	var out []Photo
	for _, f := range photoFiles {
		p := filepath.Join(PhotoDir, f.file)
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("test photo missing (apt-get install lomiri-wallpapers-16.04 lomiri-wallpapers-20.04): %w", err)
		}
		out = append(out, Photo{Name: f.name, Path: p})
	}
	big := filepath.Join(cacheDir, Built24MP+".jpg")
	if _, err := os.Stat(big); err != nil {
		if err := build24MP(filepath.Join(PhotoDir, "Kleiber_by_Lukas_Baubkus.jpg"), big); err != nil {
			return nil, fmt.Errorf("building %s: %w", big, err)
		}
	}
	return append(out, Photo{Name: Built24MP, Path: big}), nil
}

// DefaultCacheDir is tests/bench/thumbnails/photos in this repository, which
// git ignores.
func DefaultCacheDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "tests", "bench", "thumbnails", "photos")
}

func build24MP(src, dst string) error {
	img, err := imaging.Open(src)
	if err != nil {
		return err
	}
	// 6028×3391 → 6532×3675 = 24.0 MP.
	big := imaging.Resize(img, 6532, 3675, imaging.Lanczos)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, big, &jpeg.Options{Quality: 92}); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	// Test binaries of several packages may build it at once: each writes
	// its own temporary file and renames it into place atomically.
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".building-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
