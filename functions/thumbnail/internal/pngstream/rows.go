// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the row loop of Go's image/png/reader.go (readImagePass,
// decode), turned inside out: Reader.Row filters and converts one row per
// call instead of filling an image.

package pngstream

import (
	"compress/zlib"
	"io"
)

// Reader decodes a PNG's rows in order.
type Reader struct {
	d     decoder
	z     io.ReadCloser
	y     int
	bpp   int    // bytes per complete pixel, at least 1
	cr    []byte // the current row, filter type first
	pr    []byte // the previous row
	rgba  []byte
	alpha bool // a pixel so far was not fully opaque
}

// NewReader reads a PNG's header chunks, up to its image data. It returns
// ErrInterlaced for Adam7-interlaced files.
func NewReader(r io.Reader) (*Reader, error) {
	p := &Reader{}
	p.d.r = r
	if err := p.d.readHeader(); err != nil {
		return nil, unexpected(err)
	}
	if p.d.interlace == itAdam7 {
		return nil, ErrInterlaced
	}
	bitsPerPixel := p.d.depth * map[int]int{
		cbG1: 1, cbG2: 1, cbG4: 1, cbG8: 1, cbG16: 1, cbP1: 1, cbP2: 1, cbP4: 1, cbP8: 1,
		cbGA8: 2, cbGA16: 2, cbTC8: 3, cbTC16: 3, cbTCA8: 4, cbTCA16: 4,
	}[p.d.cb]
	// The +1 is for the per-row filter type, which is at cr[0].
	rowSize := 1 + (int64(bitsPerPixel)*int64(p.d.width)+7)/8
	if rowSize != int64(int(rowSize)) {
		return nil, UnsupportedError("dimension overflow")
	}
	p.bpp = (bitsPerPixel + 7) / 8
	p.cr, p.pr = make([]byte, rowSize), make([]byte, rowSize)
	p.rgba = make([]byte, 4*p.d.width)
	z, err := zlib.NewReader(&p.d)
	if err != nil {
		return nil, unexpected(err)
	}
	p.z = z
	return p, nil
}

// Width and Height return the image's size.
func (p *Reader) Width() int  { return p.d.width }
func (p *Reader) Height() int { return p.d.height }

// Row decodes the next row and returns it as premultiplied RGBA, 4·Width
// bytes, valid until the next call. After the last row it checks the rest
// of the file, as image/png does, and returns io.EOF.
func (p *Reader) Row() ([]byte, error) {
	if p.y == p.d.height {
		return nil, p.finish()
	}
	// Read the decompressed bytes.
	if _, err := io.ReadFull(p.z, p.cr); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, FormatError("not enough pixel data")
		}
		return nil, err
	}
	if err := unfilter(p.cr, p.pr, p.bpp); err != nil {
		return nil, err
	}
	if !p.d.convert(p.rgba, p.cr[1:]) {
		p.alpha = true
	}
	p.cr, p.pr = p.pr, p.cr
	p.y++
	return p.rgba, nil
}

// Opaque reports whether every pixel decoded so far was fully opaque.
func (p *Reader) Opaque() bool { return !p.alpha }

// finish checks that the zlib stream ends with the image data and reads the
// remaining chunks up to IEND.
func (p *Reader) finish() error {
	// Check for EOF, to verify the zlib checksum.
	n, err := 0, error(nil)
	for i := 0; n == 0 && err == nil; i++ {
		if i == 100 {
			return io.ErrNoProgress
		}
		n, err = p.z.Read(p.d.tmp[:1])
	}
	if err != nil && err != io.EOF {
		return FormatError(err.Error())
	}
	if n != 0 || p.d.idatLength != 0 {
		return FormatError("too much pixel data")
	}
	if err := p.d.verifyChecksum(); err != nil {
		return unexpected(err)
	}
	if err := p.d.readTrailer(); err != nil {
		return unexpected(err)
	}
	return io.EOF
}

// unexpected turns io.EOF inside the file into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// unfilter undoes the row's filter (cr[0]) against the previous row.
func unfilter(cr, pr []byte, bytesPerPixel int) error {
	cdat := cr[1:]
	pdat := pr[1:]
	switch cr[0] {
	case ftNone:
		// No-op.
	case ftSub:
		for i := bytesPerPixel; i < len(cdat); i++ {
			cdat[i] += cdat[i-bytesPerPixel]
		}
	case ftUp:
		for i, p := range pdat {
			cdat[i] += p
		}
	case ftAverage:
		// The first column has no column to the left of it, so it is a
		// special case. We know that the first column exists because we
		// check above that width != 0, and so len(cdat) != 0.
		for i := 0; i < bytesPerPixel; i++ {
			cdat[i] += pdat[i] / 2
		}
		for i := bytesPerPixel; i < len(cdat); i++ {
			cdat[i] += uint8((int(cdat[i-bytesPerPixel]) + int(pdat[i])) / 2)
		}
	case ftPaeth:
		filterPaeth(cdat, pdat, bytesPerPixel)
	default:
		return FormatError("bad filter type")
	}
	return nil
}
