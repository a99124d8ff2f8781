package pngstream_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/pngstream"
)

// pictures are images in every form image/png writes: each colour type and
// depth, with and without transparency.
func pictures() map[string]image.Image {
	const w, h = 37, 23
	rng := rand.New(rand.NewPCG(1, 2))
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = byte(rng.IntN(256))
	}
	nrgba64 := image.NewNRGBA64(nrgba.Rect)
	for i := range nrgba64.Pix {
		nrgba64.Pix[i] = byte(rng.IntN(256))
	}
	opaque := func(m draw.Image) image.Image {
		b := m.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := nrgba64.NRGBA64At(x, y)
				m.Set(x, y, color.RGBA64{c.R, c.G, c.B, 0xffff})
			}
		}
		return m
	}
	pal := image.NewPaletted(nrgba.Rect, palette.Plan9[:100])
	draw.Draw(pal, pal.Rect, nrgba, image.Point{}, draw.Src)
	palAlpha := image.NewPaletted(nrgba.Rect, color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 128}, color.NRGBA{0, 255, 0, 255}})
	gray2 := image.NewPaletted(nrgba.Rect, color.Palette{color.Gray{0}, color.Gray{0x55}, color.Gray{0xaa}, color.Gray{0xff}})
	for i := range palAlpha.Pix {
		palAlpha.Pix[i] = byte(rng.IntN(3))
		gray2.Pix[i] = byte(rng.IntN(4))
	}
	return map[string]image.Image{
		"RGBA 8-bit":       nrgba,
		"RGBA 16-bit":      nrgba64,
		"RGB 8-bit":        opaque(image.NewRGBA(nrgba.Rect)),
		"RGB 16-bit":       opaque(image.NewRGBA64(nrgba.Rect)),
		"grey 8-bit":       opaque(image.NewGray(nrgba.Rect)),
		"grey 16-bit":      opaque(image.NewGray16(nrgba.Rect)),
		"paletted":         pal,
		"paletted + alpha": palAlpha,
		"2-bit grey":       gray2,
	}
}

// Every row must be image/png's decode of the same file, premultiplied and
// rounded to 8 bits (within one level for 16-bit files).
func TestRowsMatchImagePNG(t *testing.T) {
	for name, m := range pictures() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := png.Encode(&b, m); err != nil {
				t.Fatal(err)
			}
			want, err := png.Decode(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			r, err := pngstream.NewReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			opaque := compareRows(t, r, want)
			if r.Opaque() != opaque {
				t.Errorf("Opaque() = %v, want %v", r.Opaque(), opaque)
			}
		})
	}
}

// compareRows reads every row of r and compares it with want; it returns
// whether want is opaque.
func compareRows(t *testing.T, r *pngstream.Reader, want image.Image) bool {
	t.Helper()
	opaque := true
	for y := 0; ; y++ {
		row, err := r.Row()
		if err == io.EOF {
			if y != want.Bounds().Dy() {
				t.Fatalf("%d rows, want %d", y, want.Bounds().Dy())
			}
			return opaque
		}
		if err != nil {
			t.Fatal(err)
		}
		for x := 0; x < r.Width(); x++ {
			cr, cg, cb, ca := want.At(x, y).RGBA()
			opaque = opaque && ca == 0xffff
			got := row[4*x : 4*x+4]
			for i, c := range []uint32{cr, cg, cb, ca} {
				if d := int(got[i]) - int((c*0xff+0x807f)>>16); d < -1 || d > 1 {
					t.Fatalf("pixel (%d, %d): %v, want %v", x, y, got, want.At(x, y))
				}
			}
		}
	}
}

// Truncated files fail with an error, never a panic; other formats and
// interlaced PNGs are refused by NewReader.
func TestBrokenAndRefused(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, pictures()["RGBA 8-bit"])
	for n := 0; n < b.Len(); n += 7 {
		r, err := pngstream.NewReader(bytes.NewReader(b.Bytes()[:n]))
		if err != nil {
			continue
		}
		for err == nil {
			_, err = r.Row()
		}
		if err == io.EOF {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
	if _, err := pngstream.NewReader(bytes.NewReader([]byte("GIF89a, not a PNG"))); err == nil {
		t.Error("GIF accepted")
	}
	// The IHDR's interlace method is its 13th data byte; its CRC follows.
	interlaced := append([]byte{}, b.Bytes()...)
	interlaced[8+8+12] = 1
	if _, err := pngstream.NewReader(bytes.NewReader(interlaced)); err == nil || errors.Is(err, pngstream.ErrInterlaced) {
		t.Errorf("IHDR with a bad CRC: %v, want a checksum error", err)
	}
	binary.BigEndian.PutUint32(interlaced[8+8+13:], crc32.ChecksumIEEE(interlaced[12:8+8+13]))
	if _, err := pngstream.NewReader(bytes.NewReader(interlaced)); !errors.Is(err, pngstream.ErrInterlaced) {
		t.Errorf("interlaced: %v, want ErrInterlaced", err)
	}
}
