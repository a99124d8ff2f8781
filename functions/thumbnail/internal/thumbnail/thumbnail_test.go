package thumbnail_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

func decode(t *testing.T, o thumbnail.Output) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch o.Format {
	case thumbnail.FormatJPEG:
		img, err = jpeg.Decode(bytes.NewReader(o.Data))
	case thumbnail.FormatPNG:
		img, err = png.Decode(bytes.NewReader(o.Data))
	default:
		t.Fatalf("output format %v", o.Format)
	}
	if err != nil {
		t.Fatalf("decoding %v output: %v", o.Format, err)
	}
	if b := img.Bounds(); b.Dx() != o.Width || b.Dy() != o.Height {
		t.Fatalf("output says %dx%d, data is %dx%d", o.Width, o.Height, b.Dx(), b.Dy())
	}
	return img
}

// near reports whether two colours differ by at most tol in every 8-bit channel.
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	d := func(x, y uint32) bool { v := int(x>>8) - int(y>>8); return v >= -tol && v <= tol }
	return d(ar, br) && d(ag, bg) && d(ab, bb) && d(aa, ba)
}

var (
	red   = color.NRGBA{255, 0, 0, 255}
	green = color.NRGBA{0, 255, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

func TestGenerateFormatsAndSizes(t *testing.T) {
	transparentNRGBA := image.NewNRGBA(image.Rect(0, 0, 300, 200)) // all transparent
	tests := []struct {
		name         string
		src          []byte
		spec         thumbnail.Spec
		wantFormat   thumbnail.Format
		wantW, wantH int
		wantTopLeft  color.Color // checked when non-nil, with JPEG tolerance
		lossySource  bool        // two lossy encodings: wider tolerance
	}{
		{name: "jpeg landscape", src: testimg.JPEG(t, testimg.Quadrants(400, 300), 95), spec: thumbnail.Spec{Size: 100},
			wantFormat: thumbnail.FormatJPEG, wantW: 100, wantH: 75, wantTopLeft: red},
		{name: "jpeg portrait", src: testimg.JPEG(t, testimg.Quadrants(300, 400), 95), spec: thumbnail.Spec{Size: 100},
			wantFormat: thumbnail.FormatJPEG, wantW: 75, wantH: 100, wantTopLeft: red},
		{name: "never upscales", src: testimg.JPEG(t, testimg.Quadrants(50, 40), 95), spec: thumbnail.Spec{Size: 100},
			wantFormat: thumbnail.FormatJPEG, wantW: 50, wantH: 40, wantTopLeft: red},
		{name: "thin strip keeps one pixel", src: testimg.PNG(t, testimg.Gradient(1000, 2)), spec: thumbnail.Spec{Size: 100},
			wantFormat: thumbnail.FormatJPEG, wantW: 100, wantH: 1},
		{name: "opaque png auto is jpeg", src: testimg.PNG(t, testimg.Quadrants(200, 200)), spec: thumbnail.Spec{Size: 64},
			wantFormat: thumbnail.FormatJPEG, wantW: 64, wantH: 64, wantTopLeft: red},
		{name: "transparent png auto is png", src: testimg.PNG(t, transparentNRGBA), spec: thumbnail.Spec{Size: 30},
			wantFormat: thumbnail.FormatPNG, wantW: 30, wantH: 20, wantTopLeft: color.NRGBA{}},
		{name: "transparent png forced jpeg is flattened on white", src: testimg.PNG(t, transparentNRGBA),
			spec: thumbnail.Spec{Size: 30, Format: thumbnail.FormatJPEG}, wantFormat: thumbnail.FormatJPEG, wantW: 30, wantH: 20, wantTopLeft: white},
		{name: "jpeg forced png", src: testimg.JPEG(t, testimg.Quadrants(400, 300), 95), spec: thumbnail.Spec{Size: 40, Format: thumbnail.FormatPNG},
			wantFormat: thumbnail.FormatPNG, wantW: 40, wantH: 30, wantTopLeft: red},
		{name: "16-bit png with alpha", src: testimg.PNG16(t, 300, 100), spec: thumbnail.Spec{Size: 90},
			wantFormat: thumbnail.FormatPNG, wantW: 90, wantH: 30},
		{name: "animated gif uses the first frame", src: testimg.AnimatedGIF(t, 120, 60), spec: thumbnail.Spec{Size: 60},
			wantFormat: thumbnail.FormatJPEG, wantW: 60, wantH: 30, wantTopLeft: red},
		{name: "transparent gif is png", src: testimg.TransparentGIF(t, 120, 60), spec: thumbnail.Spec{Size: 60},
			wantFormat: thumbnail.FormatPNG, wantW: 60, wantH: 30, wantTopLeft: color.NRGBA{}},
		{name: "lossless webp with alpha is png", src: readFile(t, "testdata/half-transparent-64x48.webp"), spec: thumbnail.Spec{Size: 32},
			wantFormat: thumbnail.FormatPNG, wantW: 32, wantH: 24, wantTopLeft: color.NRGBA{}},
		{name: "lossy webp is jpeg", src: readFile(t, "testdata/red-blue-64x48.webp"), spec: thumbnail.Spec{Size: 32},
			wantFormat: thumbnail.FormatJPEG, wantW: 32, wantH: 24, wantTopLeft: color.NRGBA{200, 0, 0, 255}, lossySource: true},
		{name: "cmyk jpeg", src: testimg.CMYKJPEG(t, cmykRedPlanes(64, 48)), spec: thumbnail.Spec{Size: 32},
			wantFormat: thumbnail.FormatJPEG, wantW: 32, wantH: 24, wantTopLeft: red},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := thumbnail.Generate(tt.src, []thumbnail.Spec{tt.spec}, thumbnail.Limits{})
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(out) != 1 {
				t.Fatalf("got %d outputs, want 1", len(out))
			}
			o := out[0]
			if o.Format != tt.wantFormat || o.Width != tt.wantW || o.Height != tt.wantH {
				t.Fatalf("got %v %dx%d, want %v %dx%d", o.Format, o.Width, o.Height, tt.wantFormat, tt.wantW, tt.wantH)
			}
			wantCT := map[thumbnail.Format]string{thumbnail.FormatJPEG: "image/jpeg", thumbnail.FormatPNG: "image/png"}[o.Format]
			if o.ContentType != wantCT {
				t.Errorf("content type %q, want %q", o.ContentType, wantCT)
			}
			if o.Spec != tt.spec {
				t.Errorf("output spec %+v, want %+v", o.Spec, tt.spec)
			}
			img := decode(t, o)
			if tt.wantTopLeft != nil {
				tol := 12
				if tt.lossySource {
					tol = 24
				}
				if got := img.At(1, 1); !near(got, tt.wantTopLeft, tol) {
					t.Errorf("top-left pixel %v, want %v", got, tt.wantTopLeft)
				}
			}
		})
	}
}

// readFile reads a fixture from testdata/: small WebP files made with
// Debian's cwebp, as Go has no WebP encoder.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cmykRedPlanes are the C, M, Y, K planes of a solid red image.
func cmykRedPlanes(w, h int) [4]*image.Gray {
	var p [4]*image.Gray
	for i := range p {
		p[i] = image.NewGray(image.Rect(0, 0, w, h))
	}
	for i := range p[1].Pix {
		p[1].Pix[i], p[2].Pix[i] = 255, 255 // magenta + yellow = red
	}
	return p
}

func TestGenerateAppliesEXIFOrientation(t *testing.T) {
	src := testimg.JPEG(t, testimg.Quadrants(200, 100), 95)
	// Corner colours of the upright picture: top left, top right, bottom left, bottom right.
	tests := []struct {
		orientation    uint16
		tl, tr, bl, br color.Color
		w, h           int
	}{
		{1, red, green, blue, white, 100, 50},
		{2, green, red, white, blue, 100, 50},
		{3, white, blue, green, red, 100, 50},
		{4, blue, white, red, green, 100, 50},
		{5, red, blue, green, white, 50, 100},
		{6, blue, red, white, green, 50, 100},
		{7, white, green, blue, red, 50, 100},
		{8, green, white, red, blue, 50, 100},
		{9, red, green, blue, white, 100, 50}, // out of range: as stored
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.orientation)), func(t *testing.T) {
			out, err := thumbnail.Generate(testimg.WithOrientation(src, tt.orientation), []thumbnail.Spec{{Size: 100}}, thumbnail.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, out[0])
			if out[0].Width != tt.w || out[0].Height != tt.h {
				t.Fatalf("got %dx%d, want %dx%d", out[0].Width, out[0].Height, tt.w, tt.h)
			}
			corners := []struct {
				name string
				x, y int
				want color.Color
			}{
				{"top left", 2, 2, tt.tl}, {"top right", tt.w - 3, 2, tt.tr},
				{"bottom left", 2, tt.h - 3, tt.bl}, {"bottom right", tt.w - 3, tt.h - 3, tt.br},
			}
			for _, c := range corners {
				if got := img.At(c.x, c.y); !near(got, c.want, 16) {
					t.Errorf("%s is %v, want %v", c.name, got, c.want)
				}
			}
		})
	}
}

func TestGenerateSeveralSpecsKeepsOrderAndIsDeterministic(t *testing.T) {
	src := testimg.JPEG(t, testimg.Gradient(640, 480), 90)
	specs := []thumbnail.Spec{{Size: 64}, {Size: 320, Quality: 95}, {Size: 128, Format: thumbnail.FormatPNG}, {Size: 1000}}
	want := [][2]int{{64, 48}, {320, 240}, {128, 96}, {640, 480}}
	first, err := thumbnail.Generate(src, specs, thumbnail.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range first {
		if o.Spec != specs[i] || o.Width != want[i][0] || o.Height != want[i][1] {
			t.Errorf("output %d: %+v %dx%d, want %+v %dx%d", i, o.Spec, o.Width, o.Height, specs[i], want[i][0], want[i][1])
		}
		decode(t, o)
	}
	again, err := thumbnail.Generate(src, specs, thumbnail.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if !bytes.Equal(first[i].Data, again[i].Data) {
			t.Errorf("output %d differs between runs", i)
		}
	}
	// Higher quality must cost bytes: the quality setting reaches the encoder.
	q80, _ := thumbnail.Generate(src, []thumbnail.Spec{{Size: 320}}, thumbnail.Limits{})
	if len(first[1].Data) <= len(q80[0].Data) {
		t.Errorf("quality 95 gave %d bytes, quality 80 %d", len(first[1].Data), len(q80[0].Data))
	}
}

func TestGenerateErrors(t *testing.T) {
	jpg := testimg.JPEG(t, testimg.Gradient(256, 256), 90)
	tests := []struct {
		name  string
		src   []byte
		specs []thumbnail.Spec
		lim   thumbnail.Limits
		want  error // nil: any error that is none of the sentinels
	}{
		{name: "too many bytes", src: jpg, lim: thumbnail.Limits{MaxBytes: int64(len(jpg) - 1)}, want: thumbnail.ErrTooLarge},
		{name: "too many pixels", src: jpg, lim: thumbnail.Limits{MaxPixels: 256*256 - 1}, want: thumbnail.ErrTooLarge},
		{name: "png bomb", src: testimg.PNGBomb(t, 100000, 100000), lim: thumbnail.Limits{MaxPixels: 50e6}, want: thumbnail.ErrTooLarge},
		{name: "jpeg bomb", src: testimg.JPEGBomb(t, 65500, 65500), lim: thumbnail.Limits{MaxPixels: 50e6}, want: thumbnail.ErrTooLarge},
		{name: "not an image", src: []byte("%PDF-1.7 hello"), want: thumbnail.ErrUnsupported},
		{name: "empty", src: nil, want: thumbnail.ErrUnsupported},
		{name: "jpeg header only", src: jpg[:200], want: thumbnail.ErrCorrupt},
		{name: "zero size spec", src: jpg, specs: []thumbnail.Spec{{Size: 0}}},
		{name: "bad quality", src: jpg, specs: []thumbnail.Spec{{Size: 10, Quality: 101}}},
		{name: "bad format", src: jpg, specs: []thumbnail.Spec{{Size: 10, Format: 7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs := tt.specs
			if specs == nil {
				specs = []thumbnail.Spec{{Size: 64}}
			}
			out, err := thumbnail.Generate(tt.src, specs, tt.lim)
			if err == nil {
				t.Fatalf("got %d outputs, want an error", len(out))
			}
			sentinels := []error{thumbnail.ErrTooLarge, thumbnail.ErrUnsupported, thumbnail.ErrCorrupt}
			for _, s := range sentinels {
				if errors.Is(err, s) != (s == tt.want) {
					t.Errorf("error %q: errors.Is(%v) = %v", err, s, errors.Is(err, s))
				}
			}
		})
	}
}

// Truncation anywhere in a file must give a thumbnail or ErrCorrupt, never a
// panic or another error.
func TestGenerateTruncated(t *testing.T) {
	sources := map[string][]byte{
		"jpeg": testimg.JPEG(t, testimg.Gradient(64, 48), 90),
		"png":  testimg.PNG(t, testimg.Gradient(64, 48)),
		"gif":  testimg.AnimatedGIF(t, 64, 48),
		"cmyk": testimg.CMYKJPEG(t, cmykRedPlanes(64, 48)),
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			for n := 1; n < len(src); n += max(1, len(src)/97) {
				_, err := thumbnail.Generate(src[:n], []thumbnail.Spec{{Size: 16}}, thumbnail.Limits{})
				if err != nil && !errors.Is(err, thumbnail.ErrCorrupt) && !errors.Is(err, thumbnail.ErrUnsupported) {
					t.Fatalf("truncated to %d bytes: %v", n, err)
				}
				if n > 16 && errors.Is(err, thumbnail.ErrUnsupported) {
					t.Fatalf("truncated to %d bytes: %v, want ErrCorrupt", n, err)
				}
			}
		})
	}
}

// A pixel bomb is rejected from its header: Generate must not allocate
// anything near the declared image.
func TestPixelBombDoesNotAllocate(t *testing.T) {
	for name, src := range map[string][]byte{
		"png":  testimg.PNGBomb(t, 100000, 100000),
		"jpeg": testimg.JPEGBomb(t, 65500, 65500),
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := thumbnail.Generate(src, []thumbnail.Spec{{Size: 64}}, thumbnail.Limits{MaxPixels: 50e6})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, thumbnail.ErrTooLarge) {
				t.Fatalf("got %v, want ErrTooLarge", err)
			}
			if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 1<<20 {
				t.Errorf("rejecting the bomb allocated %d bytes", allocated)
			}
		})
	}
}

// No specs means nothing to decode, but the header is still checked.
func TestGenerateNoSpecs(t *testing.T) {
	out, err := thumbnail.Generate(testimg.JPEG(t, testimg.Gradient(32, 32), 90), nil, thumbnail.Limits{})
	if err != nil || len(out) != 0 {
		t.Fatalf("got %d outputs, %v; want none, no error", len(out), err)
	}
	_, err = thumbnail.Generate(testimg.PNGBomb(t, 1e5, 1e5), nil, thumbnail.Limits{MaxPixels: 1e6})
	if !errors.Is(err, thumbnail.ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}
