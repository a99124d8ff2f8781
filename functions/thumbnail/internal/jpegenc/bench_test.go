package jpegenc_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegenc"
)

// BenchmarkEncode encodes a 1024×640 4:2:0 picture, the largest default
// thumbnail, with this package and, as the baseline in the same run, with
// image/jpeg.
func BenchmarkEncode(b *testing.B) {
	for _, m := range []*image.YCbCr{photoLike(1024, 640), ycbcr(1024, 640, image.YCbCrSubsampleRatio420)} {
		name := "photo-like"
		if m.Y[0] != photoLike(1, 1).Y[0] {
			name = "noisy"
		}
		b.Run(name, func(b *testing.B) { benchmarkEncode(b, m) })
	}
}

// photoLike is a smooth picture with a little noise: its JPEG takes about 2
// bits per pixel at quality 80, like a 1024 px thumbnail of a photograph.
func photoLike(w, h int) *image.YCbCr {
	src := testimg.Smooth(w, h)
	rng := rand.New(rand.NewPCG(1, 2))
	m := image.NewYCbCr(src.Rect, image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			o := src.PixOffset(x, y)
			m.Y[m.YOffset(x, y)] = uint8(min(255, max(0, int(src.Pix[o])+rng.IntN(9)-4)))
			m.Cb[m.COffset(x, y)] = src.Pix[o+1]
			m.Cr[m.COffset(x, y)] = src.Pix[o+2]
		}
	}
	return m
}

func benchmarkEncode(b *testing.B, m image.Image) {
	out, _ := jpegenc.Append(nil, m, 80)
	b.ReportMetric(float64(8*len(out))/float64(m.Bounds().Dx()*m.Bounds().Dy()), "bits/px")
	b.Run("jpegenc", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = jpegenc.Append(buf[:0], m, 80)
		}
	})
	b.Run("image-jpeg", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			jpeg.Encode(&buf, m, &jpeg.Options{Quality: 80})
		}
	})
}
