package jpegscale_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

// Decodes at n/8 for n that does not divide 8 must be the right size and
// close to the full decode averaged over the fractional 8/n × 8/n cells
// their samples cover, plane by plane.
func TestEighthsApproximateFullDecode(t *testing.T) {
	srcs := synthetic(t)
	for _, p := range photos(t) {
		b, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		srcs[p.Name] = b
	}
	for name, src := range srcs {
		full, err := jpeg.Decode(bytes.NewReader(reference(srcs, name)))
		if err != nil {
			t.Fatal(err)
		}
		scales := []int{3, 5, 6, 7}
		if len(src) > 1<<20 {
			scales = []int{3, 6} // a full-size photograph: two are enough
		}
		for _, n := range scales {
			t.Run(fmt.Sprintf("%s/%d:8", name, n), func(t *testing.T) {
				got, err := jpegscale.DecodeEighths(bytes.NewReader(src), n)
				if err != nil {
					t.Fatal(err)
				}
				w, h := jpegscale.EighthsSize(full.Bounds().Dx(), full.Bounds().Dy(), n)
				if got.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("bounds %v, want %dx%d", got.Bounds(), w, h)
				}
				psnr := math.Inf(1)
				for _, pair := range planePairs(got, full) {
					psnr = min(psnr, areaPSNR(pair[0], pair[1], n))
				}
				t.Logf("PSNR %.1f dB", psnr)
				if psnr < 35 {
					t.Errorf("PSNR %.1f dB against full decode + area average", psnr)
				}
			})
		}
	}
}

// samples is a w×h plane of 8-bit samples.
type samples struct {
	pix       []byte
	stride    int
	w, h      int
	sub, subY int
}

// planePairs pairs the planes of a reduced decode with those of the full
// one: grey, or Y, Cb and Cr. Other models are not compared.
func planePairs(got, full image.Image) [][2]samples {
	switch g := got.(type) {
	case *image.Gray:
		f := full.(*image.Gray)
		return [][2]samples{{{g.Pix, g.Stride, g.Rect.Dx(), g.Rect.Dy(), 1, 1}, {f.Pix, f.Stride, f.Rect.Dx(), f.Rect.Dy(), 1, 1}}}
	case *image.YCbCr:
		f := full.(*image.YCbCr)
		sx, sy := 1, 1
		switch g.SubsampleRatio {
		case image.YCbCrSubsampleRatio422:
			sx = 2
		case image.YCbCrSubsampleRatio420:
			sx, sy = 2, 2
		case image.YCbCrSubsampleRatio440:
			sy = 2
		case image.YCbCrSubsampleRatio411:
			sx = 4
		}
		chroma := func(m *image.YCbCr, pix []byte) samples {
			return samples{pix, m.CStride, (m.Rect.Dx() + sx - 1) / sx, (m.Rect.Dy() + sy - 1) / sy, sx, sy}
		}
		return [][2]samples{
			{{g.Y, g.YStride, g.Rect.Dx(), g.Rect.Dy(), 1, 1}, {f.Y, f.YStride, f.Rect.Dx(), f.Rect.Dy(), 1, 1}},
			{chroma(g, g.Cb), chroma(f, f.Cb)},
			{chroma(g, g.Cr), chroma(f, f.Cr)},
		}
	}
	return nil
}

// areaPSNR compares a plane decoded at n/8 with the area average of the
// full plane over the cell [x·8/n, (x+1)·8/n) × [y·8/n, (y+1)·8/n) of each
// of its samples.
func areaPSNR(got, full samples, n int) float64 {
	return areaPSNRXY(got, full, 8/float64(n), 8/float64(n))
}

// areaPSNRXY is areaPSNR for cells sx×sy samples of the full plane large.
func areaPSNRXY(got, full samples, sx, sy float64) float64 {
	var se float64
	count := 0
	for y := 0; y < got.h; y++ {
		y0, y1 := float64(y)*sy, min(float64(y+1)*sy, float64(full.h))
		for x := 0; x < got.w; x++ {
			x0, x1 := float64(x)*sx, min(float64(x+1)*sx, float64(full.w))
			if x0 >= x1 || y0 >= y1 {
				continue
			}
			var sum, area float64
			for py := int(y0); float64(py) < y1; py++ {
				oy := min(float64(py+1), y1) - max(float64(py), y0)
				for px := int(x0); float64(px) < x1; px++ {
					o := oy * (min(float64(px+1), x1) - max(float64(px), x0))
					sum += o * float64(full.pix[py*full.stride+px])
					area += o
				}
			}
			d := sum/area - float64(got.pix[y*got.stride+x])
			se += d * d
			count++
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(count)/se)
}

// Chroma decoded at its own scale must give the planes asked for, the same
// luma as DecodeEighths, and chroma close to the full decode's averaged over
// the (fractional) cells its samples cover.
func TestDecodeEighthsChroma(t *testing.T) {
	srcs := synthetic(t)
	for _, p := range photos(t) {
		b, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		srcs[p.Name] = b
	}
	for name, src := range srcs {
		full, err := jpeg.Decode(bytes.NewReader(reference(srcs, name)))
		if err != nil {
			t.Fatal(err)
		}
		f, ok := full.(*image.YCbCr)
		if !ok {
			continue
		}
		for _, n := range []int{3, 4, 6} {
			sw, sh := jpegscale.EighthsSize(f.Rect.Dx(), f.Rect.Dy(), n)
			got, err := jpegscale.DecodeEighthsChroma(bytes.NewReader(src), n, (sw+1)/2, (sh+1)/2)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := jpegscale.DecodeEighths(bytes.NewReader(src), n)
			if err != nil {
				t.Fatal(err)
			}
			p, ok := got.(*jpegscale.Planes)
			if !ok {
				continue // the usual layout already had small enough chroma
			}
			t.Run(fmt.Sprintf("%s/%d:8", name, n), func(t *testing.T) {
				y := plain.(*image.YCbCr)
				// Chroma as large as asked for, or as the usual layout's if
				// that is smaller.
				wantW := min((sw+1)/2, chromaSize(y).X)
				wantH := min((sh+1)/2, chromaSize(y).Y)
				if p.CRect.Dx() < wantW || p.CRect.Dy() < wantH || p.Rect != image.Rect(0, 0, sw, sh) {
					t.Fatalf("luma %v, chroma %v, want %dx%d and chroma at least %dx%d", p.Rect, p.CRect, sw, sh, wantW, wantH)
				}
				for row := 0; row < sh; row++ {
					if !bytes.Equal(p.Y[row*p.YStride:row*p.YStride+sw], y.Y[row*y.YStride:row*y.YStride+sw]) {
						t.Fatalf("luma row %d differs from DecodeEighths's", row)
					}
				}
				fs := chromaSize(f)
				fc := samples{f.Cb, f.CStride, fs.X, fs.Y, 1, 1}
				// The chroma scales, in eighths, from the plane sizes.
				nx := math.Round(8 * float64(p.CRect.Dx()) / float64(fs.X))
				ny := math.Round(8 * float64(p.CRect.Dy()) / float64(fs.Y))
				psnr := areaPSNRXY(samples{p.Cb, p.CStride, p.CRect.Dx(), p.CRect.Dy(), 1, 1}, fc, 8/nx, 8/ny)
				t.Logf("chroma %v, PSNR %.1f dB", p.CRect, psnr)
				if psnr < 35 {
					t.Errorf("Cb PSNR %.1f dB against full decode + area average", psnr)
				}
			})
		}
	}
}

// chromaSize is the size of the Cb and Cr planes of m.
func chromaSize(m *image.YCbCr) image.Point {
	sx, sy := 1, 1
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		sx = 2
	case image.YCbCrSubsampleRatio420:
		sx, sy = 2, 2
	case image.YCbCrSubsampleRatio440:
		sy = 2
	case image.YCbCrSubsampleRatio411:
		sx = 4
	case image.YCbCrSubsampleRatio410:
		sx, sy = 4, 2
	}
	return image.Pt((m.Rect.Dx()+sx-1)/sx, (m.Rect.Dy()+sy-1)/sy)
}
