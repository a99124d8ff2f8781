// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/writer.go. Changes: the
// output is appended to a byte slice; images are *image.Gray or
// *image.YCbCr only, read plane by plane (see blocks.go); quantization uses
// reciprocals and entropy coding a non-zero mask (see huffman.go).

package jpegenc

import (
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// unscaledQuant are the unscaled quantization tables in zig-zag order. Each
// encoder copies and scales the tables according to its quality parameter.
// The values are derived from section K.1 of the spec, after converting from
// natural to zig-zag order.
var unscaledQuant = [2][dct.BlockSize]byte{
	// Luminance.
	{
		16, 11, 12, 14, 12, 10, 16, 14,
		13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37,
		29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68,
		87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113,
		121, 112, 100, 120, 92, 101, 103, 99,
	},
	// Chrominance.
	{
		17, 18, 18, 24, 21, 24, 47, 26,
		26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
	},
}

// encoder encodes an image to the JPEG format.
type encoder struct {
	out  []byte
	err  error
	bits bitWriter // writes to out
	// quant is the scaled quantization tables, in zig-zag order.
	quant [2][dct.BlockSize]byte
	// div holds, in zig-zag order, the reciprocals that divide forward DCT
	// output by 8*quant (see quantize).
	div [2][dct.BlockSize]divisor
}

// Encode writes m, an *image.Gray or an *image.YCbCr with 4:4:4 or 4:2:0
// subsampling, to w as a baseline JPEG at the given quality (1 to 100;
// values outside are clipped). Colour images are written with 4:2:0 chroma.
func Encode(w io.Writer, m image.Image, quality int) error {
	b, err := Append(nil, m, quality)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Append is Encode appending the JPEG to dst.
func Append(dst []byte, m image.Image, quality int) ([]byte, error) {
	b := m.Bounds()
	if b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return dst, errors.New("jpegenc: image is too large to encode")
	}
	nComponent := 3
	switch m := m.(type) {
	case *image.Gray:
		nComponent = 1
	case *image.YCbCr:
		if m.SubsampleRatio != image.YCbCrSubsampleRatio444 && m.SubsampleRatio != image.YCbCrSubsampleRatio420 {
			return dst, fmt.Errorf("jpegenc: unsupported subsampling %v", m.SubsampleRatio)
		}
	default:
		return dst, fmt.Errorf("jpegenc: unsupported image type %T", m)
	}
	e := encoder{out: dst}
	e.bits.out = &e.out
	e.setQuality(quality)
	// A guess at the output size, to avoid most regrowing.
	e.out = append(e.out, make([]byte, 0, 1024+b.Dx()*b.Dy()/4)...)
	e.out = append(e.out, 0xff, 0xd8) // Start Of Image.
	e.writeDQT()
	e.writeSOF0(b.Size(), nComponent)
	e.writeDHT(nComponent)
	switch m := m.(type) {
	case *image.Gray:
		e.out = append(e.out, sosHeaderY...)
		e.writeGray(m)
	case *image.YCbCr:
		e.out = append(e.out, sosHeaderYCbCr...)
		e.writeYCbCr(m)
	}
	if e.err != nil {
		return dst, e.err
	}
	// Pad the last byte with 1's.
	e.bits.emit(0x7f, 7)
	e.bits.flushBytes()
	e.out = append(e.out, 0xff, 0xd9) // End Of Image.
	return e.out, nil
}

// setQuality scales the quantization tables as image/jpeg does.
func (e *encoder) setQuality(quality int) {
	quality = min(max(quality, 1), 100)
	// Convert from a quality rating to a scaling factor.
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - quality*2
	}
	for i := range e.quant {
		for j := range e.quant[i] {
			x := int(unscaledQuant[i][j])
			x = (x*scale + 50) / 100
			x = min(max(x, 1), 255)
			e.quant[i][j] = uint8(x)
			e.div[i][j] = newDivisor(8 * uint32(x))
		}
	}
}

// writeMarkerHeader writes the header for a marker with the given length.
func (e *encoder) writeMarkerHeader(marker uint8, markerlen int) {
	e.out = append(e.out, 0xff, marker, uint8(markerlen>>8), uint8(markerlen&0xff))
}

// writeDQT writes the Define Quantization Table marker.
func (e *encoder) writeDQT() {
	const markerlen = 2 + 2*(1+dct.BlockSize)
	e.writeMarkerHeader(0xdb, markerlen)
	for i := range e.quant {
		e.out = append(e.out, uint8(i))
		e.out = append(e.out, e.quant[i][:]...)
	}
}

// writeSOF0 writes the Start Of Frame (Baseline Sequential) marker.
func (e *encoder) writeSOF0(size image.Point, nComponent int) {
	markerlen := 8 + 3*nComponent
	e.writeMarkerHeader(0xc0, markerlen)
	e.out = append(e.out, 8, uint8(size.Y>>8), uint8(size.Y), uint8(size.X>>8), uint8(size.X), uint8(nComponent))
	if nComponent == 1 {
		// No subsampling for grayscale image.
		e.out = append(e.out, 1, 0x11, 0x00)
		return
	}
	// 4:2:0 chroma subsampling.
	e.out = append(e.out, 1, 0x22, 0x00, 2, 0x11, 0x01, 3, 0x11, 0x01)
}

// writeDHT writes the Define Huffman Table marker.
func (e *encoder) writeDHT(nComponent int) {
	markerlen := 2
	specs := theHuffmanSpec[:]
	if nComponent == 1 {
		// Drop the Chrominance tables.
		specs = specs[:2]
	}
	for _, s := range specs {
		markerlen += 1 + 16 + len(s.value)
	}
	e.writeMarkerHeader(0xc4, markerlen)
	for i, s := range specs {
		e.out = append(e.out, "\x00\x10\x01\x11"[i])
		e.out = append(e.out, s.count[:]...)
		e.out = append(e.out, s.value...)
	}
}

// sosHeaderY is the SOS marker "\xff\xda" followed by 8 bytes:
//   - the marker length "\x00\x08",
//   - the number of components "\x01",
//   - component 1 uses DC table 0 and AC table 0 "\x01\x00",
//   - the bytes "\x00\x3f\x00". Section B.2.3 of the spec says that for
//     sequential DCTs, those bytes (8-bit Ss, 8-bit Se, 4-bit Ah, 4-bit Al)
//     should be 0x00, 0x3f, 0x00<<4 | 0x00.
var sosHeaderY = []byte{
	0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
}

// sosHeaderYCbCr is the SOS marker "\xff\xda" followed by 12 bytes:
//   - the marker length "\x00\x0c",
//   - the number of components "\x03",
//   - component 1 uses DC table 0 and AC table 0 "\x01\x00",
//   - component 2 uses DC table 1 and AC table 1 "\x02\x11",
//   - component 3 uses DC table 1 and AC table 1 "\x03\x11",
//   - the bytes "\x00\x3f\x00". Section B.2.3 of the spec says that for
//     sequential DCTs, those bytes (8-bit Ss, 8-bit Se, 4-bit Ah, 4-bit Al)
//     should be 0x00, 0x3f, 0x00<<4 | 0x00.
var sosHeaderYCbCr = []byte{
	0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02,
	0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
}
