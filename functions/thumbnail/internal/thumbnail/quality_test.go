package thumbnail_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"runtime"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// TestQualityOnRealPhotos checks that shrink-on-load plus chained resampling
// stays within 35 dB PSNR of the straightforward pipeline (full decode, then
// Lanczos straight to each size). Thumbnails are requested as PNG so that
// only resampling is measured, not JPEG re-encoding.
func TestQualityOnRealPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 13–24 MP photographs")
	}
	photos, err := testimg.Photos(testimg.DefaultCacheDir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	sizes := []int{1024, 512, 128}
	for _, p := range photos {
		t.Run(p.Name, func(t *testing.T) {
			src, err := os.ReadFile(p.Path)
			if err != nil {
				t.Fatal(err)
			}
			var specs []thumbnail.Spec
			for _, s := range sizes {
				specs = append(specs, thumbnail.Spec{Size: s, Format: thumbnail.FormatPNG})
			}
			out, err := thumbnail.Generate(src, specs, thumbnail.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			full, err := jpeg.Decode(bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out {
				ref := imaging.Resize(full, o.Width, o.Height, imaging.Lanczos)
				got, err := imaging.Decode(bytes.NewReader(o.Data))
				if err != nil {
					t.Fatal(err)
				}
				psnr := psnr(imaging.Clone(got), ref)
				t.Logf("%4d px: %dx%d, PSNR %.1f dB", o.Spec.Size, o.Width, o.Height, psnr)
				if psnr < 35 {
					t.Errorf("%d px thumbnail: PSNR %.1f dB < 35 dB", o.Spec.Size, psnr)
				}
			}
		})
	}
}

// psnr of two same-sized images over R, G and B.
func psnr(a, b *image.NRGBA) float64 {
	var se float64
	for i := 0; i < len(a.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			d := float64(a.Pix[i+c]) - float64(b.Pix[i+c])
			se += d * d
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(len(a.Pix)/4*3)/se)
}

// TestShrinkOnLoadBoundsMemory checks that thumbnailing a 24 MP JPEG
// allocates far less than its full-size decoded image (36 MB as 4:2:0
// YCbCr, 96 MB as NRGBA): the full image is never built.
func TestShrinkOnLoadBoundsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 24 MP photograph")
	}
	photos, err := testimg.Photos(testimg.DefaultCacheDir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	var p testimg.Photo
	for _, p = range photos {
		if p.Name == testimg.Built24MP {
			break
		}
	}
	src, err := os.ReadFile(p.Path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	fullYCbCr := uint64(cfg.Width * cfg.Height * 3 / 2)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = thumbnail.Generate(src, []thumbnail.Spec{{Size: 1024}, {Size: 512}, {Size: 128}}, thumbnail.Limits{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%dx%d: allocated %.1f MB in total, full YCbCr image %.1f MB", cfg.Width, cfg.Height, float64(allocated)/1e6, float64(fullYCbCr)/1e6)
	if allocated > fullYCbCr/2 {
		t.Errorf("allocated %d bytes, more than half the full-size image (%d)", allocated, fullYCbCr)
	}
}
