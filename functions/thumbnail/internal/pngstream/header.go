// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the header chunk parsers of Go's image/png/reader.go.
// Changes: colorBits is parseIHDR's switch as a function; the palette is
// kept as premultiplied RGBA.

package pngstream

import (
	"encoding/binary"
	"fmt"
	"io"
)

func (d *decoder) parseIHDR(length uint32) error {
	if length != 13 {
		return FormatError("bad IHDR length")
	}
	if _, err := io.ReadFull(d.r, d.tmp[:13]); err != nil {
		return err
	}
	d.crc.Write(d.tmp[:13])
	if d.tmp[10] != 0 {
		return UnsupportedError("compression method")
	}
	if d.tmp[11] != 0 {
		return UnsupportedError("filter method")
	}
	if d.tmp[12] != itNone && d.tmp[12] != itAdam7 {
		return FormatError("invalid interlace method")
	}
	d.interlace = int(d.tmp[12])

	w := int32(binary.BigEndian.Uint32(d.tmp[0:4]))
	h := int32(binary.BigEndian.Uint32(d.tmp[4:8]))
	if w <= 0 || h <= 0 {
		return FormatError("non-positive dimension")
	}
	nPixels64 := int64(w) * int64(h)
	nPixels := int(nPixels64)
	if nPixels64 != int64(nPixels) {
		return UnsupportedError("dimension overflow")
	}
	// There can be up to 8 bytes per pixel, for 16 bits per channel RGBA.
	if nPixels != (nPixels*8)/8 {
		return UnsupportedError("dimension overflow")
	}
	d.depth = int(d.tmp[8])
	d.cb = colorBits(d.depth, d.tmp[9])
	if d.cb == cbInvalid {
		return UnsupportedError(fmt.Sprintf("bit depth %d, color type %d", d.tmp[8], d.tmp[9]))
	}
	d.width, d.height = int(w), int(h)
	return d.verifyChecksum()
}

// colorBits maps a bit depth and colour type to a cb, cbInvalid if the
// combination is not allowed.
func colorBits(depth int, colorType byte) int {
	switch depth {
	case 1, 2, 4:
		shift := map[int]int{1: 0, 2: 1, 4: 2}[depth]
		switch colorType {
		case ctGrayscale:
			return cbG1 + shift
		case ctPaletted:
			return cbP1 + shift
		}
	case 8:
		switch colorType {
		case ctGrayscale:
			return cbG8
		case ctTrueColor:
			return cbTC8
		case ctPaletted:
			return cbP8
		case ctGrayscaleAlpha:
			return cbGA8
		case ctTrueColorAlpha:
			return cbTCA8
		}
	case 16:
		switch colorType {
		case ctGrayscale:
			return cbG16
		case ctTrueColor:
			return cbTC16
		case ctGrayscaleAlpha:
			return cbGA16
		case ctTrueColorAlpha:
			return cbTCA16
		}
	}
	return cbInvalid
}

func (d *decoder) parsePLTE(length uint32) error {
	np := int(length / 3) // The number of palette entries.
	if length%3 != 0 || np <= 0 || np > 256 || np > 1<<uint(d.depth) {
		return FormatError("bad PLTE length")
	}
	n, err := io.ReadFull(d.r, d.tmp[:3*np])
	if err != nil {
		return err
	}
	d.crc.Write(d.tmp[:n])
	switch d.cb {
	case cbP1, cbP2, cbP4, cbP8:
		for i := range d.palette {
			d.palette[i] = [4]byte{0, 0, 0, 0xff}
		}
		for i := 0; i < np; i++ {
			d.palette[i] = [4]byte{d.tmp[3*i+0], d.tmp[3*i+1], d.tmp[3*i+2], 0xff}
		}
		d.nPalette = np
	case cbTC8, cbTCA8, cbTC16, cbTCA16:
		// As per the PNG spec, a PLTE chunk is optional (and for practical purposes,
		// ignorable) for the ctTrueColor and ctTrueColorAlpha color types (section 4.1.2).
	default:
		return FormatError("PLTE, color type mismatch")
	}
	return d.verifyChecksum()
}

func (d *decoder) parsetRNS(length uint32) error {
	switch d.cb {
	case cbG1, cbG2, cbG4, cbG8, cbG16, cbTC8, cbTC16:
		want := uint32(2)
		if cbTrueColor(d.cb) {
			want = 6
		}
		if length != want {
			return FormatError("bad tRNS length")
		}
		n, err := io.ReadFull(d.r, d.tmp[:length])
		if err != nil {
			return err
		}
		d.crc.Write(d.tmp[:n])
		copy(d.transparent[:], d.tmp[:length])
		switch d.cb {
		case cbG1:
			d.transparent[1] *= 0xff
		case cbG2:
			d.transparent[1] *= 0x55
		case cbG4:
			d.transparent[1] *= 0x11
		}
		d.useTransparent = true

	case cbP1, cbP2, cbP4, cbP8:
		if length > 256 {
			return FormatError("bad tRNS length")
		}
		n, err := io.ReadFull(d.r, d.tmp[:length])
		if err != nil {
			return err
		}
		d.crc.Write(d.tmp[:n])
		// Entries past the PLTE's become visible to pixels (image/png
		// extends its palette the same way).
		d.nPalette = max(d.nPalette, n)
		for i := 0; i < n; i++ {
			p := &d.palette[i]
			a := d.tmp[i]
			p[0], p[1], p[2], p[3] = premul(p[0], a), premul(p[1], a), premul(p[2], a), a
		}

	default:
		return FormatError("tRNS, color type mismatch")
	}
	return d.verifyChecksum()
}
