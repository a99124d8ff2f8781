package thumbnail

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/pngstream"
)

// generateJPEG decodes a JPEG at the strongest reduction (n/8, n from 1 to
// 8) that still covers the largest requested thumbnail with a margin
// (shrink-on-load), so the full-size image is never built.
//
// The margin is for quality: the reduced IDCT low-passes each 8×8 block on
// its own, which is exact far below its cut-off but not near it, so
// detailed photographs decoded to just the thumbnail's size lose up to 15 dB
// of PSNR against a full decode resized with Lanczos (1680 px to 1024 px at
// 5/8: 34.6 dB); with a quarter more, every corpus picture is above 40 dB.
// Smooth pictures, under smoothBitsPerPixel, have almost nothing near the
// cut-off and get no margin (all are above 43 dB).
func generateJPEG(src []byte, cfg image.Config, specs []Spec) ([]Output, error) {
	largest := largestSize(specs)
	// fit is symmetric in width and height, so the stored orientation can be
	// used to pick the scale.
	tw, th := fit(cfg.Width, cfg.Height, largest)
	margin := 5 // in quarters
	if float64(8*len(src)) < smoothBitsPerPixel*float64(cfg.Width)*float64(cfg.Height) {
		margin = 4
	}
	n := 1
	for ; n < 8; n++ {
		if sw, sh := jpegscale.EighthsSize(cfg.Width, cfg.Height, n); 4*sw >= margin*tw && 4*sh >= margin*th {
			break
		}
	}
	// Chroma only needs the resolution of the output's, with the same
	// margin: for 4:2:0 JPEGs from a 4:4:4 source, half its luma's.
	sub := chromaSubsampling(specs, true)
	cw, ch := (tw+sub-1)/sub, (th+sub-1)/sub
	img, err := decodeJPEG(src, n, (5*cw+3)/4, (5*ch+3)/4)
	if err != nil {
		if errors.As(err, new(jpegscale.UnsupportedError)) {
			return nil, fmt.Errorf("decoding jpeg: %w: %v", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("decoding jpeg: %w: %v", ErrCorrupt, err)
	}
	return renderPicture(pictureOf(img), cfg.Width, cfg.Height, exifOrientation(src), specs, catmullRom)
}

// decodeJPEG runs the shrink-on-load decoder (fuzzed: see jpegscale's
// FuzzDecode), through safely.
func decodeJPEG(src []byte, eighths, chromaW, chromaH int) (img image.Image, err error) {
	err = safely(func() error {
		img, err = jpegscale.DecodeEighthsChroma(bytes.NewReader(src), eighths, chromaW, chromaH)
		return err
	})
	return img, err
}

// generatePNG decodes a PNG row by row and resamples each row as it comes
// to the largest thumbnail (package pngstream), so the full-size image is
// never held: memory is the compressed file and the thumbnails. Interlaced
// files, and files no larger than their largest thumbnail, are decoded
// whole.
func generatePNG(src []byte, cfg image.Config, specs []Spec) ([]Output, error) {
	tw, th := fit(cfg.Width, cfg.Height, largestSize(specs))
	var pic picture
	err := safely(func() error {
		r, err := pngstream.NewReader(bytes.NewReader(src))
		if err != nil {
			return err
		}
		if tw == r.Width() && th == r.Height() {
			return pngstream.ErrInterlaced // nothing to resample while decoding
		}
		// Shrink by whole cells first while the kernel is left at least
		// boxResidue of the reduction.
		w, h := float64(r.Width()), float64(r.Height())
		k := max(1, int(min(w/float64(tw), h/float64(th))/boxResidue))
		rs := newResizer((r.Width()+k-1)/k, (r.Height()+k-1)/k, tw, th, 4,
			w/float64(k)/float64(tw), h/float64(k)/float64(th), catmullRom)
		var sink rowSink = rs
		box := newBoxShrinker(r.Width(), 4, k, rs)
		if k > 1 {
			sink = box
		}
		for {
			row, err := r.Row()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			sink.push(row)
		}
		if k > 1 {
			box.flush()
		}
		pic = picture{model: modelRGBA, planes: []plane{rs.dst}, w: tw, h: th, opaque: r.Opaque()}
		return nil
	})
	if errors.Is(err, pngstream.ErrInterlaced) {
		return generateOther(src, "png", specs)
	}
	if err != nil {
		return nil, fmt.Errorf("decoding png: %w: %v", ErrCorrupt, err)
	}
	// pic is already the largest thumbnail: smaller ones chain from it.
	return renderPicture(pic, cfg.Width, cfg.Height, 1, specs, lanczos3)
}

// smoothBitsPerPixel is the size of a JPEG per pixel below which its
// content is smooth enough to decode without a margin (see generateJPEG).
const smoothBitsPerPixel = 1.0

// boxResidue is the least reduction left to the resampling kernel after a
// box shrink (see boxShrinker).
const boxResidue = 1.25

// generateOther decodes a picture whole with the decoders registered with
// package image (GIF's first frame, WebP, interlaced PNG).
func generateOther(src []byte, format string, specs []Spec) ([]Output, error) {
	img, _, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w: %v", format, ErrCorrupt, err)
	}
	return render(img, 1, specs)
}

// largestSize is the largest Size of specs.
func largestSize(specs []Spec) int {
	largest := 0
	for _, s := range specs {
		largest = max(largest, s.Size)
	}
	return largest
}

// safely runs a decoder. The decoders here are derived from Go's and fuzzed,
// but they are younger code reading untrusted bytes, so a panic in one fails
// this image as corrupt rather than the whole process.
func safely(decode func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panic: %v", r)
		}
	}()
	return decode()
}
