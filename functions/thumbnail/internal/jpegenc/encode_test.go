package jpegenc_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegenc"
)

// noisy fills a w×h plane with shading plus noise, so that blocks have
// coefficients of every size.
func noisy(pix []byte, stride, w, h int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for y := range h {
		for x := range w {
			v := 128 + (x*3+y*5)%100 - 50 + rng.IntN(60) - 30
			pix[y*stride+x] = uint8(min(255, max(0, v)))
		}
	}
}

func ycbcr(w, h int, r image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
	noisy(m.Y, m.YStride, w, h, 1)
	noisy(m.Cb, m.CStride, m.CStride, len(m.Cb)/m.CStride, 2)
	noisy(m.Cr, m.CStride, m.CStride, len(m.Cr)/m.CStride, 3)
	return m
}

// The encoder must write exactly what image/jpeg writes for the same image,
// whatever the size (edges), subsampling and quality.
func TestSameBytesAsImageJPEG(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 37, 21))
	noisy(gray.Pix, gray.Stride, 37, 21, 4)
	images := map[string]image.Image{
		"gray 37x21":        gray,
		"4:2:0 64x48":       ycbcr(64, 48, image.YCbCrSubsampleRatio420),
		"4:2:0 1x1":         ycbcr(1, 1, image.YCbCrSubsampleRatio420),
		"4:2:0 33x17 (odd)": ycbcr(33, 17, image.YCbCrSubsampleRatio420),
		"4:4:4 45x29":       ycbcr(45, 29, image.YCbCrSubsampleRatio444),
		"4:2:0 sub-image":   ycbcr(70, 50, image.YCbCrSubsampleRatio420).SubImage(image.Rect(4, 6, 61, 41)),
		"4:4:4 sub-image":   ycbcr(70, 50, image.YCbCrSubsampleRatio444).SubImage(image.Rect(3, 5, 61, 41)),
	}
	for name, m := range images {
		for _, q := range []int{1, 30, 80, 95, 100} {
			var want bytes.Buffer
			if err := jpeg.Encode(&want, m, &jpeg.Options{Quality: q}); err != nil {
				t.Fatal(err)
			}
			got, err := jpegenc.Append(nil, m, q)
			if err != nil {
				t.Fatalf("%s q%d: %v", name, q, err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s q%d: %d bytes differ from image/jpeg's %d", name, q, len(got), want.Len())
			}
		}
	}
}
