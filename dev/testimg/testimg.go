// Package testimg builds the images the thumbnail tests need: small synthetic
// pictures in every supported format, the odd variants decoders stumble on
// (CMYK JPEG, 16-bit PNG, animated GIF, pixel bombs) and the real photographs
// provided by tests/bench/thumbnails/photos.sh.
//
// Everything here is generated at test time, so the repository carries no
// binary fixtures.
package testimg

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"testing"
)

// Quadrants is a w×h image whose four quadrants are red (top left), green
// (top right), blue (bottom left) and white (bottom right): after a rotation
// or flip, the corner colours tell which transform was applied.
func Quadrants(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.NRGBA
			switch {
			case x < w/2 && y < h/2:
				c = color.NRGBA{255, 0, 0, 255}
			case y < h/2:
				c = color.NRGBA{0, 255, 0, 255}
			case x < w/2:
				c = color.NRGBA{0, 0, 255, 255}
			default:
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// Gradient is a smooth, opaque w×h image with detail in every channel, a
// stand-in for photographic content.
func Gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(x * 255 / max(1, w-1)),
				G: uint8(y * 255 / max(1, h-1)),
				B: uint8((x*7 + y*13) % 256),
				A: 255,
			})
		}
	}
	return img
}

// JPEG encodes img at quality q.
func JPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// PNG encodes img losslessly.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// WithOrientation inserts an APP1 Exif segment carrying the given Orientation
// tag right after the SOI marker of a JPEG.
func WithOrientation(jpg []byte, orientation uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))      // offset of IFD0
	binary.Write(&tiff, binary.BigEndian, uint16(1))      // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112)) // Orientation
	binary.Write(&tiff, binary.BigEndian, uint16(3))      // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))      // count
	binary.Write(&tiff, binary.BigEndian, orientation)
	binary.Write(&tiff, binary.BigEndian, uint16(0))
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// AnimatedGIF is a two-frame GIF: the first frame solid red, the second solid
// blue. A decoder that shows the first frame yields red.
func AnimatedGIF(t testing.TB, w, h int) []byte {
	t.Helper()
	frame := func(c color.Color) *image.Paletted {
		p := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		idx := uint8(p.Palette.Index(c))
		for i := range p.Pix {
			p.Pix[i] = idx
		}
		return p
	}
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{
		Image: []*image.Paletted{frame(color.RGBA{255, 0, 0, 255}), frame(color.RGBA{0, 0, 255, 255})},
		Delay: []int{10, 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TransparentGIF is a GIF whose left half is transparent and right half green.
func TransparentGIF(t testing.TB, w, h int) []byte {
	t.Helper()
	p := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.NRGBA{}, color.NRGBA{0, 255, 0, 255}})
	for y := 0; y < h; y++ {
		for x := w / 2; x < w; x++ {
			p.SetColorIndex(x, y, 1)
		}
	}
	var b bytes.Buffer
	if err := gif.Encode(&b, p, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// PNG16 is a 16-bit-per-channel PNG with a half-transparent alpha ramp.
func PNG16(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA64(x, y, color.NRGBA64{R: uint16(x * 65535 / w), G: 0x8000, B: uint16(y * 65535 / h), A: uint16(0x8000 + x*0x7fff/w)})
		}
	}
	return PNG(t, img)
}

// PNGBomb is a valid-looking PNG of a few dozen bytes whose header declares
// w×h pixels.
func PNGBomb(t testing.TB, w, h uint32) []byte {
	t.Helper()
	b := PNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// IHDR data starts after the 8-byte signature, 4-byte length and 4-byte type.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// JPEGBomb is a small baseline JPEG whose SOF declares w×h pixels.
func JPEGBomb(t testing.TB, w, h uint16) []byte {
	t.Helper()
	b := JPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 50)
	for i := 2; i+9 < len(b); {
		if b[i] != 0xFF {
			break
		}
		if b[i+1] == 0xC0 {
			binary.BigEndian.PutUint16(b[i+5:], h)
			binary.BigEndian.PutUint16(b[i+7:], w)
			return b
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	t.Fatal("no SOF0 in generated JPEG")
	return nil
}

// CMYKJPEG builds a four-component (CMYK, Adobe transform 0) baseline JPEG
// from four w×h grey planes: Go's encoder writes only 1 or 3 components, so
// each plane is encoded as a greyscale JPEG and its entropy-coded data becomes
// one non-interleaved scan of the result. Values are stored inverted, as
// Adobe applications write CMYK.
func CMYKJPEG(t testing.TB, planes [4]*image.Gray) []byte {
	t.Helper()
	const q = 90
	var tables, sof []byte
	var scans [4][]byte
	for c, plane := range planes {
		inv := image.NewGray(plane.Bounds())
		for i, v := range plane.Pix {
			inv.Pix[i] = 255 - v
		}
		segs := segments(JPEG(t, inv, q))
		for _, s := range segs {
			switch s.marker {
			case 0xDB, 0xC4:
				if c == 0 {
					tables = append(tables, s.raw...)
				}
			case 0xC0:
				sof = s.raw
			case 0xDA:
				scans[c] = s.raw
				scans[c] = append(scans[c], s.data...)
			}
		}
	}
	if sof == nil {
		t.Fatal("no SOF0 in generated JPEG")
	}
	out := []byte{0xFF, 0xD8}
	// Adobe APP14: version 100, flags 0, 0, transform 0 (no colour transform: CMYK).
	out = append(out, 0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0)
	out = append(out, tables...)
	h, w := binary.BigEndian.Uint16(sof[5:]), binary.BigEndian.Uint16(sof[7:])
	out = append(out, 0xFF, 0xC0, 0, 8+3*4, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 4)
	for c := 1; c <= 4; c++ {
		out = append(out, byte(c), 0x11, 0)
	}
	for c, scan := range scans {
		scan = append([]byte{}, scan...)
		scan[5] = byte(c + 1) // the component selector of the single-component SOS
		out = append(out, scan...)
	}
	return append(out, 0xFF, 0xD9)
}

type segment struct {
	marker byte
	raw    []byte // marker, length and payload
	data   []byte // entropy-coded data following an SOS
}

// segments splits a JPEG produced by image/jpeg into its marker segments.
func segments(b []byte) []segment {
	var out []segment
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF && b[i+1] != 0xD9 {
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		s := segment{marker: b[i+1], raw: b[i : i+2+n]}
		i += 2 + n
		if s.marker == 0xDA {
			j := i
			for j+1 < len(b) && !(b[j] == 0xFF && b[j+1] != 0 && (b[j+1] < 0xD0 || b[j+1] > 0xD7)) {
				j++
			}
			s.data = b[i:j]
			i = j
		}
		out = append(out, s)
	}
	return out
}

// Smooth is an opaque w×h image of slow sine waves in every channel: content
// whose downsampled versions agree closely whatever the (good) filter.
func Smooth(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(128 + 100*math.Sin(fx/17)),
				G: uint8(128 + 100*math.Cos(fy/23)),
				B: uint8(128 + 80*math.Sin((fx+fy)/31)),
				A: 255,
			})
		}
	}
	return img
}
