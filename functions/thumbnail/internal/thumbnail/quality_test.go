package thumbnail_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"runtime"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// TestQualityOnCorpus checks every file of the benchmark corpus (see
// testimg.Corpus) against the straightforward pipeline: full decode, EXIF
// rotation, then Lanczos straight to each size. Thumbnails are requested as
// PNG so that only decoding and resampling are measured, not JPEG
// re-encoding. The bar is 38 dB PSNR at 1024 px, 35 dB below.
func TestQualityOnCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 2–50 MP pictures")
	}
	corpus, err := testimg.Corpus(testimg.DefaultCacheDir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, p := range corpus {
		t.Run(p.Name, func(t *testing.T) {
			src, err := os.ReadFile(p.Path)
			if err != nil {
				t.Fatal(err)
			}
			var specs []thumbnail.Spec
			for _, s := range []int{1024, 512, 128} {
				specs = append(specs, thumbnail.Spec{Size: s, Format: thumbnail.FormatPNG})
			}
			out, err := thumbnail.Generate(src, specs, thumbnail.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			full, err := imaging.Decode(bytes.NewReader(src), imaging.AutoOrientation(true))
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
				if bar := map[bool]float64{true: 38, false: 35}[o.Spec.Size == 1024]; psnr < bar {
					t.Errorf("%d px thumbnail: PSNR %.1f dB < %.0f dB", o.Spec.Size, psnr, bar)
				}
			}
			// Opaque pictures come out as RGB PNGs: check their JPEG path too.
			if cfg, err := png.DecodeConfig(bytes.NewReader(out[0].Data)); err == nil && cfg.ColorModel == color.RGBAModel {
				checkJPEGPath(t, src, imaging.Resize(full, out[0].Width, out[0].Height, imaging.Lanczos))
			}
		})
	}
}

// checkJPEGPath checks the path JPEG thumbnails take, with chroma decoded
// and resampled straight to 4:2:0: a 1024 px JPEG at quality 95 must be
// within 3 dB of the reference thumbnail put through the same encoder (a
// misplaced or misscaled chroma plane costs far more).
func checkJPEGPath(t *testing.T, src []byte, ref *image.NRGBA) {
	t.Helper()
	out, err := thumbnail.Generate(src, []thumbnail.Spec{{Size: 1024, Format: thumbnail.FormatJPEG, Quality: 95}}, thumbnail.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, ref, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	refJPEG, err := jpeg.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := jpeg.Decode(bytes.NewReader(out[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	ours, bar := psnr(imaging.Clone(got), ref), psnr(imaging.Clone(refJPEG), ref)-3
	t.Logf("1024 px JPEG q95: PSNR %.1f dB (the reference through the same encoder: %.1f dB)", ours, bar+3)
	if ours < bar {
		t.Errorf("1024 px JPEG: PSNR %.1f dB < %.1f dB", ours, bar)
	}
}

// psnr of two same-sized images over R, G and B premultiplied by alpha, and
// alpha (colours under transparent pixels do not count).
func psnr(a, b *image.NRGBA) float64 {
	if a.Rect.Size() != b.Rect.Size() {
		return math.Inf(-1)
	}
	var se float64
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		aa, ba := float64(a.Pix[i+3]), float64(b.Pix[i+3])
		for c := 0; c < 3; c++ {
			d := (float64(a.Pix[i+c])*aa - float64(b.Pix[i+c])*ba) / 255
			se += d * d
		}
		se += (aa - ba) * (aa - ba)
		n += 4
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(n)/se)
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

// TestCorpusCoversWhatUsersUpload checks, from the files' headers, that the
// corpus the quality test and the benchmark use has every kind of picture
// the thumbnailer must handle well.
func TestCorpusCoversWhatUsersUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the corpus")
	}
	corpus, err := testimg.Corpus(testimg.DefaultCacheDir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	have := map[string]bool{}
	minMP, maxMP := math.Inf(1), 0.0
	for _, p := range corpus {
		src, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		c := testimg.Describe(src)
		mp := float64(c.Width*c.Height) / 1e6
		minMP, maxMP = min(minMP, mp), max(maxMP, mp)
		have[c.Mode+" "+c.Sampling] = true
		have[fmt.Sprintf("shrink 1/%d", c.ShrinkOnLoad(1024))] = true
		if c.Format == "jpeg" && c.BitsPerPixel < 1 {
			have["smooth"] = true
		}
		if c.Format == "jpeg" && c.BitsPerPixel > 2 {
			have["detailed"] = true
		}
		if c.Orientation != 1 {
			have["EXIF-rotated"] = true
		}
	}
	for _, want := range []string{
		"baseline 4:2:0", "baseline 4:2:2", "baseline 4:4:4", "progressive 4:2:0", "progressive 4:2:2", "progressive 4:4:4",
		"shrink 1/1", "shrink 1/2", "shrink 1/4", "shrink 1/8", "smooth", "detailed", "EXIF-rotated",
		"PNG RGBA 8-bit ", "PNG RGB 16-bit ",
	} {
		if !have[want] {
			t.Errorf("no %s picture in the corpus", want)
		}
	}
	if minMP > 2.5 || maxMP < 45 {
		t.Errorf("corpus spans %.1f to %.1f MP, want about 2 to 50", minMP, maxMP)
	}
}
