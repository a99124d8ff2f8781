package pngstream_test

import (
	"bytes"
	"image/png"
	"io"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/pngstream"
)

// maxFuzzPixels bounds the declared size of images the fuzzer decodes, as
// callers bound it with png.DecodeConfig first.
const maxFuzzPixels = 1 << 20

func FuzzRows(f *testing.F) {
	for _, m := range pictures() {
		var b bytes.Buffer
		if err := png.Encode(&b, m); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
		f.Add(b.Bytes()[:b.Len()/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > maxFuzzPixels {
			return
		}
		r, err := pngstream.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for y := 0; ; y++ {
			row, err := r.Row()
			if err == io.EOF && y != r.Height() {
				t.Fatalf("io.EOF after %d rows of %d", y, r.Height())
			}
			if err != nil {
				return
			}
			if len(row) != 4*r.Width() {
				t.Fatalf("row of %d bytes, want %d", len(row), 4*r.Width())
			}
		}
	})
}
