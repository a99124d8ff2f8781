package jpegscale_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

func photos(t *testing.T) []testimg.Photo {
	t.Helper()
	if testing.Short() {
		return nil // 13–24 MP decodes at every scale take a while
	}
	ps, err := testimg.Photos(testimg.DefaultCacheDir())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return ps
}

// synthetic covers the JPEG variants Go's encoder and testimg can produce,
// with smooth content so that reduced decodes can be compared tightly.
func synthetic(t *testing.T) map[string][]byte {
	smooth := testimg.Smooth(301, 155)
	gray := image.NewGray(smooth.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = smooth.Pix[4*i]
	}
	ycc444 := image.NewYCbCr(smooth.Bounds(), image.YCbCrSubsampleRatio444)
	for i := range ycc444.Y {
		ycc444.Y[i], ycc444.Cb[i], ycc444.Cr[i] = smooth.Pix[4*i], smooth.Pix[4*i+1], smooth.Pix[4*i+2]
	}
	var planes [4]*image.Gray
	for c := range planes {
		planes[c] = image.NewGray(smooth.Bounds())
		for i := range planes[c].Pix {
			planes[c].Pix[i] = smooth.Pix[4*i+c%3] / uint8(1+c/3)
		}
	}
	out := map[string][]byte{
		"gray":        testimg.JPEG(t, gray, 90),
		"ycbcr 4:2:0": testimg.JPEG(t, smooth, 85),
		"ycbcr 4:4:4": testimg.JPEG(t, ycc444, 85),
		"cmyk":        testimg.CMYKJPEG(t, planes),
		"tiny 1x1":    testimg.JPEG(t, testimg.Gradient(1, 1), 85),
	}
	for name, b := range seeds(t) {
		if name != "kleiber-arithmetic.jpg" { // unsupported, see TestUnsupported
			out[name] = b
		}
	}
	return out
}

// At scale 1 the decoder must agree with image/jpeg exactly.
func TestScaleOneMatchesImageJPEG(t *testing.T) {
	srcs := synthetic(t)
	for _, p := range photos(t) {
		b, err := os.ReadFile(p.Path)
		if err != nil {
			t.Fatal(err)
		}
		srcs[p.Name] = b
	}
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			want, err := jpeg.Decode(bytes.NewReader(reference(srcs, name)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := jpegscale.Decode(bytes.NewReader(src), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			if !samePixels(got, want) {
				t.Fatalf("pixels differ from image/jpeg")
			}
		})
	}
}

// twins maps seeds that image/jpeg cannot decode (it miscounts restart
// intervals in progressive scans) to lossless transcodes of them made by
// jpegtran: the same DCT coefficients in a sequential file, hence the same
// pixels.
var twins = map[string]string{
	"seeding-progressive-420-restart.jpg": "seeding-sequential-420.twin.jpg",
}

// reference is the file image/jpeg decodes to check the decoding of name.
func reference(srcs map[string][]byte, name string) []byte {
	if twin, ok := twins[name]; ok {
		return srcs[twin]
	}
	return srcs[name]
}

func samePixels(a, b image.Image) bool {
	switch a := a.(type) {
	case *image.YCbCr:
		b := b.(*image.YCbCr)
		r := a.Bounds()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if a.Y[a.YOffset(x, y)] != b.Y[b.YOffset(x, y)] ||
					a.Cb[a.COffset(x, y)] != b.Cb[b.COffset(x, y)] || a.Cr[a.COffset(x, y)] != b.Cr[b.COffset(x, y)] {
					return false
				}
			}
		}
		return a.SubsampleRatio == b.SubsampleRatio
	case *image.Gray:
		return bytes.Equal(a.Pix, b.(*image.Gray).Pix)
	case *image.CMYK:
		return bytes.Equal(a.Pix, b.(*image.CMYK).Pix)
	}
	return false
}

// Reduced decodes must be the right size and close to a full decode
// downsampled with a good filter.
func TestReducedScalesApproximateFullDecode(t *testing.T) {
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
		for _, scale := range []int{2, 4, 8} {
			t.Run(name+"/1:"+string(rune('0'+scale)), func(t *testing.T) {
				got, err := jpegscale.Decode(bytes.NewReader(src), scale)
				if err != nil {
					t.Fatal(err)
				}
				w, h := jpegscale.ScaledSize(full.Bounds().Dx(), full.Bounds().Dy(), scale)
				if got.Bounds() != image.Rect(0, 0, w, h) {
					t.Fatalf("bounds %v, want %dx%d", got.Bounds(), w, h)
				}
				psnr := PSNR(imaging.Clone(got), cellAverage(imaging.Clone(full), scale))
				if ycc, ok := got.(*image.YCbCr); ok {
					// Compare planes: averaging before or after the
					// (clipping) conversion to RGB differs on saturated colours.
					f := full.(*image.YCbCr)
					psnr = min(planePSNR(ycc.Y, ycc.YStride, f.Y, f.YStride, f.Rect.Dx(), f.Rect.Dy(), scale),
						planePSNR(ycc.Cb, ycc.CStride, f.Cb, f.CStride, f.CStride, len(f.Cb)/f.CStride, scale),
						planePSNR(ycc.Cr, ycc.CStride, f.Cr, f.CStride, f.CStride, len(f.Cr)/f.CStride, scale))
				}
				t.Logf("PSNR %.1f dB", psnr)
				if psnr < 35 {
					t.Errorf("PSNR %.1f dB against full decode + cell average", psnr)
				}
			})
		}
	}
}

// cellAverage downsamples img by averaging aligned scale×scale cells (partial
// ones at the right and bottom edges): the pixel grid a reduced JPEG decode
// produces.
func cellAverage(img *image.NRGBA, scale int) *image.NRGBA {
	b := img.Bounds()
	w, h := jpegscale.ScaledSize(b.Dx(), b.Dy(), scale)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [4]int
			n := 0
			for sy := y * scale; sy < min((y+1)*scale, b.Dy()); sy++ {
				for sx := x * scale; sx < min((x+1)*scale, b.Dx()); sx++ {
					o := img.PixOffset(sx, sy)
					for c := range sum {
						sum[c] += int(img.Pix[o+c])
					}
					n++
				}
			}
			o := out.PixOffset(x, y)
			for c := range sum {
				out.Pix[o+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

// planePSNR compares a reduced plane with aligned scale×scale cell averages
// of the full plane (w×h samples).
func planePSNR(got []byte, gotStride int, full []byte, fullStride, w, h, scale int) float64 {
	var se float64
	n := 0
	for y := 0; y*scale < h; y++ {
		for x := 0; x*scale < w; x++ {
			sum, c := 0, 0
			for sy := y * scale; sy < min((y+1)*scale, h); sy++ {
				for sx := x * scale; sx < min((x+1)*scale, w); sx++ {
					sum += int(full[sy*fullStride+sx])
					c++
				}
			}
			d := float64(sum)/float64(c) - float64(got[y*gotStride+x])
			se += d * d
			n++
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(n)/se)
}

// PSNR of two same-sized images over R, G and B.
func PSNR(a, b *image.NRGBA) float64 {
	var se float64
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			d := float64(a.Pix[i+c]) - float64(b.Pix[i+c])
			se += d * d
		}
		n += 3
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255*float64(n)/se)
}

func TestDecodeRejectsBadScale(t *testing.T) {
	src := testimg.JPEG(t, testimg.Gradient(16, 16), 90)
	for _, s := range []int{0, 3, 16, -1} {
		if _, err := jpegscale.Decode(bytes.NewReader(src), s); err == nil {
			t.Errorf("scale %d accepted", s)
		}
	}
}

func TestUnsupportedArithmeticCoding(t *testing.T) {
	_, err := jpegscale.Decode(bytes.NewReader(seeds(t)["kleiber-arithmetic.jpg"]), 4)
	if _, ok := err.(jpegscale.UnsupportedError); !ok {
		t.Fatalf("got %v, want an UnsupportedError", err)
	}
}
