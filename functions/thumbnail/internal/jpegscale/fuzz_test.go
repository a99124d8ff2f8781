package jpegscale_test

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

// seeds returns the small JPEGs in testdata/seeds: crops of the test
// photographs encoded by libjpeg-turbo's cjpeg in baseline, progressive,
// restart-interval, greyscale, 4:1:1, 4:4:0 and arithmetic-coded forms.
func seeds(t testing.TB) map[string][]byte {
	paths, err := filepath.Glob(filepath.Join("testdata", "seeds", "*.jpg"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seeds in testdata/seeds: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// maxFuzzPixels bounds the declared size of images the fuzzer decodes, as
// callers bound it with DecodeConfig before decoding.
const maxFuzzPixels = 1 << 20

func FuzzDecode(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b)
		// Broken variants: truncated at several points, and with bytes of
		// the entropy-coded data flipped.
		for _, n := range []int{len(b) / 3, len(b) / 2, len(b) - 3} {
			f.Add(b[:n])
		}
		flipped := bytes.Clone(b)
		for i := len(b) / 2; i < len(b)-2; i += 97 {
			flipped[i] ^= 0x5a
		}
		f.Add(flipped)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpegscale.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > maxFuzzPixels {
			return
		}
		for _, scale := range []int{1, 2, 4, 8} {
			img, err := jpegscale.Decode(bytes.NewReader(data), scale)
			if err != nil {
				continue
			}
			w, h := jpegscale.ScaledSize(cfg.Width, cfg.Height, scale)
			if img.Bounds() != image.Rect(0, 0, w, h) {
				t.Fatalf("scale %d: bounds %v, want %dx%d", scale, img.Bounds(), w, h)
			}
		}
	})
}
