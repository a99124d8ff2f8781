// Package thumbnail makes small previews of photographs: given the bytes of an
// image and a list of sizes, Generate returns one encoded thumbnail per Spec.
//
// Every thumbnail fits inside a Size×Size square, keeps the source's aspect
// ratio and is never larger than the source. EXIF orientation is applied, so a
// portrait photo taken with a rotated camera comes out upright. Output is
// deterministic: the same source and specs give the same bytes.
//
// Untrusted input is checked before any pixel is decoded: the byte length of
// the source and the width×height its header declares are compared with
// Limits first, so a "pixel bomb" (a few bytes declaring a gigapixel image) is
// rejected without allocating the image. Callers tell failures apart with
// errors.Is and the sentinels ErrTooLarge, ErrUnsupported and ErrCorrupt.
//
// JPEGs and PNGs take fast paths (packages jpegscale, jpegenc and pngstream)
// that stay within 38 dB PSNR at 1024 px, 35 dB below, of a full decode
// resized with Lanczos (TestQualityOnCorpus); other formats (GIF, WebP) are
// decoded whole. How the fast paths work and how they compare with libvips is
// in [README: Thumbnails].
//
// [README: Thumbnails]: https://github.com/gopherstack/serverless-arch#thumbnails-as-fast-as-libvips-in-pure-go
package thumbnail

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"sort"

	// Decoders registered with image.Decode: the formats Generate accepts.
	_ "image/gif"

	_ "golang.org/x/image/webp"
)

// Sentinel errors; Generate wraps them with context, so compare with errors.Is.
var (
	// ErrTooLarge reports a source whose byte size or declared pixel count
	// exceeds Limits.
	ErrTooLarge = errors.New("image too large")
	// ErrUnsupported reports a source that is not in a format Generate decodes.
	ErrUnsupported = errors.New("unsupported image format")
	// ErrCorrupt reports a source in a known format that fails to decode.
	ErrCorrupt = errors.New("corrupt image")
)

// Format is the encoding of a thumbnail.
type Format int

const (
	// FormatAuto picks PNG when the source has transparency, JPEG otherwise.
	FormatAuto Format = iota
	// FormatJPEG encodes baseline JPEG at Spec.Quality.
	FormatJPEG
	// FormatPNG encodes lossless PNG.
	FormatPNG
)

// String returns the format's lower-case name.
func (f Format) String() string {
	switch f {
	case FormatAuto:
		return "auto"
	case FormatJPEG:
		return "jpeg"
	case FormatPNG:
		return "png"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// DefaultQuality is the JPEG quality used when Spec.Quality is zero.
const DefaultQuality = 80

// Spec is one requested thumbnail.
type Spec struct {
	// Size bounds both sides: the thumbnail fits inside Size×Size, keeps the
	// aspect ratio and is never upscaled.
	Size int
	// Format of the output; FormatAuto picks from the source's transparency.
	Format Format
	// Quality is the JPEG quality, 1..100; zero means DefaultQuality.
	Quality int
}

// Limits bounds what Generate accepts. Both are checked before decoding.
// A zero field means no limit.
type Limits struct {
	// MaxBytes bounds the length of the encoded source.
	MaxBytes int64
	// MaxPixels bounds width×height as declared by the source's header.
	MaxPixels int64
}

// Output is one generated thumbnail.
type Output struct {
	Spec        Spec   // the request it answers
	Format      Format // FormatJPEG or FormatPNG, never FormatAuto
	ContentType string // "image/jpeg" or "image/png"
	Width       int
	Height      int
	Data        []byte // the encoded thumbnail
}

// Generate decodes src once and returns one thumbnail per spec, in the order
// of specs.
func Generate(src []byte, specs []Spec, lim Limits) ([]Output, error) {
	for i, s := range specs {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("spec %d: %w", i, err)
		}
	}
	if lim.MaxBytes > 0 && int64(len(src)) > lim.MaxBytes {
		return nil, fmt.Errorf("source is %d bytes, limit %d: %w", len(src), lim.MaxBytes, ErrTooLarge)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, fmt.Errorf("reading image header: %w", ErrUnsupported)
		}
		if errors.As(err, new(jpeg.UnsupportedError)) {
			return nil, fmt.Errorf("reading jpeg header: %w: %v", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("reading %s header: %w: %v", format, ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s declares %dx%d pixels: %w", format, cfg.Width, cfg.Height, ErrCorrupt)
	}
	if pixels := int64(cfg.Width) * int64(cfg.Height); lim.MaxPixels > 0 && pixels > lim.MaxPixels {
		return nil, fmt.Errorf("%s declares %dx%d = %d pixels, limit %d: %w",
			format, cfg.Width, cfg.Height, pixels, lim.MaxPixels, ErrTooLarge)
	}

	if len(specs) == 0 {
		return []Output{}, nil
	}
	switch format {
	case "jpeg":
		return generateJPEG(src, cfg, specs)
	case "png":
		return generatePNG(src, cfg, specs)
	}
	return generateOther(src, format, specs)
}

func (s Spec) validate() error {
	if s.Size <= 0 {
		return fmt.Errorf("size %d must be positive", s.Size)
	}
	if s.Quality < 0 || s.Quality > 100 {
		return fmt.Errorf("quality %d must be within 0..100", s.Quality)
	}
	switch s.Format {
	case FormatAuto, FormatJPEG, FormatPNG:
		return nil
	}
	return fmt.Errorf("unknown format %v", s.Format)
}

// render thumbnails img (stored in orientation orient) for every spec.
func render(img image.Image, orient orientation, specs []Spec) ([]Output, error) {
	b := img.Bounds()
	return renderPicture(pictureOf(img), b.Dx(), b.Dy(), orient, specs, catmullRom)
}

// renderPicture thumbnails a picture that may have been decoded at reduced
// size: thumbnail sizes are computed from the original w×h.
//
// Specs are served largest first, and each thumbnail is resampled from the
// smallest picture made so far that still covers it (the decoded picture
// or a larger thumbnail), so small sizes cost little. Resampling happens in
// the stored orientation; only the finished thumbnail is rotated. YCbCr
// chroma is resampled straight to the resolution the output needs: half
// size for JPEG (4:2:0), full size when some spec is PNG. The first
// resampling of pic uses kernel first, later ones Lanczos.
func renderPicture(pic picture, w, h int, orient orientation, specs []Spec, first kernel) ([]Output, error) {
	order := make([]int, len(specs))
	for i := range order {
		order[i] = i
	}
	sub := chromaSubsampling(specs, pic.opaque)
	sort.SliceStable(order, func(a, b int) bool { return specs[order[a]].Size > specs[order[b]].Size })

	src, decoded := pic, true
	out := make([]Output, len(specs))
	for _, i := range order {
		s := specs[i]
		// fit is symmetric in width and height, so the stored orientation
		// gives the stored size of the upright thumbnail.
		tw, th := fit(w, h, s.Size)
		thumb := src
		if tw != src.w || th != src.h || !src.hasChroma(sub) {
			// The first step, from the decoded picture, is the costly one:
			// callers pass Catmull-Rom (4 taps per unit of scale), a third
			// cheaper than Lanczos (6) and, after the low-pass of
			// shrink-on-load, as good. Smaller sizes chain from thumbnails,
			// where errors would compound, so they use Lanczos.
			k := lanczos3
			if decoded {
				k = first
			}
			thumb = src.resized(tw, th, sub, k)
			src, decoded = thumb, false
		}
		o, err := encode(orient.apply(thumb), s)
		if err != nil {
			return nil, fmt.Errorf("encoding %dpx thumbnail: %w", s.Size, err)
		}
		out[i] = o
	}
	return out, nil
}

// fit returns the size of a w×h image scaled to fit inside size×size,
// never upscaled and never below one pixel.
func fit(w, h, size int) (int, int) {
	if w <= size && h <= size {
		return w, h
	}
	if w >= h {
		return size, max(1, int((int64(h)*int64(size)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(size)+int64(h)/2)/int64(h))), size
}

// chromaSubsampling is the chroma resolution thumbnails need: half (2)
// when all are JPEG (4:2:0), full (1) when some are PNG.
func chromaSubsampling(specs []Spec, opaque bool) int {
	for _, s := range specs {
		if s.format(opaque) == FormatPNG {
			return 1
		}
	}
	return 2
}

// format resolves FormatAuto: PNG for pictures with transparency.
func (s Spec) format(opaque bool) Format {
	if s.Format != FormatAuto {
		return s.Format
	}
	if opaque {
		return FormatJPEG
	}
	return FormatPNG
}

func encode(p picture, s Spec) (Output, error) {
	format := s.format(p.opaque)
	o := Output{Spec: s, Format: format, ContentType: "image/jpeg", Width: p.w, Height: p.h}
	var err error
	if format == FormatPNG {
		o.ContentType = "image/png"
		o.Data, err = p.encodePNG()
		return o, err
	}
	q := s.Quality
	if q == 0 {
		q = DefaultQuality
	}
	o.Data, err = p.encodeJPEG(nil, q)
	return o, err
}

// isOpaque reports whether every pixel of img is fully opaque. Formats without
// alpha (JPEG's YCbCr, Gray, CMYK) are opaque without a scan.
func isOpaque(img image.Image) bool {
	switch img.(type) {
	case *image.YCbCr, *image.Gray, *image.Gray16, *image.CMYK:
		return true
	}
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
