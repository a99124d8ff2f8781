// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/reader.go (its byte buffer
// is in bytes.go, its marker parsers in markers.go, its colour conversions
// in color.go, its entry points in decode.go). Changes: the bit
// accumulator has 64 bits (and no mask), the decoder keeps compact
// progressive state (see progressive.go) and per-component scales, scans
// skipped at 1/8 scale hand their end marker back through pendingMarker, and
// the package does not register itself with package image.

package jpegscale

import (
	"image"
	"io"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// A FormatError reports that the input is not a valid JPEG.
type FormatError string

func (e FormatError) Error() string { return "invalid JPEG format: " + string(e) }

// An UnsupportedError reports that the input uses a valid but unimplemented JPEG feature.
type UnsupportedError string

func (e UnsupportedError) Error() string { return "unsupported JPEG feature: " + string(e) }

var errUnsupportedSubsamplingRatio = UnsupportedError("luma/chroma subsampling ratio")

// Component specification, specified in section B.2.2.
type component struct {
	h  int   // Horizontal sampling factor.
	v  int   // Vertical sampling factor.
	c  uint8 // Component identifier.
	tq uint8 // Quantization table destination selector.
}

const (
	dcTable = 0
	acTable = 1
	maxTc   = 1
	maxTh   = 3
	maxTq   = 3

	maxComponents = 4
)

const (
	sof0Marker = 0xc0 // Start Of Frame (Baseline Sequential).
	sof1Marker = 0xc1 // Start Of Frame (Extended Sequential).
	sof2Marker = 0xc2 // Start Of Frame (Progressive).
	dhtMarker  = 0xc4 // Define Huffman Table.
	rst0Marker = 0xd0 // ReSTart (0).
	rst7Marker = 0xd7 // ReSTart (7).
	soiMarker  = 0xd8 // Start Of Image.
	eoiMarker  = 0xd9 // End Of Image.
	sosMarker  = 0xda // Start Of Scan.
	dqtMarker  = 0xdb // Define Quantization Table.
	driMarker  = 0xdd // Define Restart Interval.
	comMarker  = 0xfe // COMment.
	// "APPlication specific" markers aren't part of the JPEG spec per se,
	// but in practice, their use is described at
	// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html
	app0Marker  = 0xe0
	app14Marker = 0xee
	app15Marker = 0xef
)

// See https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
const (
	adobeTransformUnknown = 0
	adobeTransformYCbCr   = 1
	adobeTransformYCbCrK  = 2
)

// zigzag maps from the natural ordering to the zig-zag ordering: the inverse
// of dct.Unzig.
var zigzag = func() (z [dct.BlockSize]int) {
	for i, n := range dct.Unzig {
		z[n] = i
	}
	return z
}()

// bits holds the unprocessed bits that have been taken from the byte-stream.
// The n least significant bits of a form the unread bits, to be read in MSB to
// LSB order.
type bits struct {
	a uint64 // accumulator.
	n int32  // the number of unread bits in a.
}

type decoder struct {
	r    io.Reader
	bits bits
	// bytes is a byte buffer, similar to a bufio.Reader, except that it
	// has to be able to unread more than 1 byte, due to byte stuffing.
	// Byte stuffing is specified in section F.1.2.3.
	bytes struct {
		// buf[i:j] are the buffered bytes read from the underlying
		// io.Reader that haven't yet been passed further on.
		buf  [4096]byte
		i, j int
		// nUnreadable is the number of bytes to back up i after
		// overshooting. It can be 0, 1 or 2.
		nUnreadable int
	}
	width, height int

	img1        *image.Gray
	img3        *image.YCbCr
	blackPix    []byte
	blackStride int

	ri    int // Restart Interval.
	nComp int

	// As per section 4.5, there are four modes of operation (selected by the
	// SOF? markers): sequential DCT, progressive DCT, lossless and
	// hierarchical, although this implementation does not support the latter
	// two non-DCT modes. Sequential DCT is further split into baseline and
	// extended, as per section 4.11.
	baseline    bool
	progressive bool

	jfif                bool
	adobeTransformValid bool
	adobeTransform      uint8
	eobRun              uint16 // End-of-Band run, specified in section G.1.2.2.

	// bs is the side of a decoded 8×8 block in output pixels: the image is
	// decoded at bs/8 of its size.
	bs int
	// minChroma is the smallest chroma plane the caller of
	// DecodeEighthsChroma needs, zero for DecodeEighths.
	minChroma image.Point
	// comps holds each component's block side and coefficient map, set by
	// makeImg: the chroma of a YCbCr image may be decoded at a smaller scale
	// than bs (see DecodeEighthsChroma).
	comps [maxComponents]compScale
	// planes is the destination when the chroma scale differs from bs.
	planes *Planes
	// pendingMarker is a marker already consumed by skipEntropyCodedData,
	// for decode to process next; 0 if none.
	pendingMarker byte

	comp  [maxComponents]component
	prog  [maxComponents]progComp // Saved state between progressive-mode scans.
	huff  [maxTc + 1][maxTh + 1]huffman
	quant [maxTq + 1]dct.Block // Quantization tables, in zig-zag order.
	// quantNat holds quant in natural order, for the reduced IDCT's
	// dequantization; set by naturalQuant before blocks are reconstructed.
	quantNat [maxTq + 1]dct.Block
	tmp      [2 * dct.BlockSize]byte
}

// decode reads a JPEG image from r and returns it as an image.Image.
func (d *decoder) decode(r io.Reader, configOnly bool) (image.Image, error) {
	d.r = r

	// Check for the Start Of Image marker.
	if err := d.readFull(d.tmp[:2]); err != nil {
		return nil, err
	}
	if d.tmp[0] != 0xff || d.tmp[1] != soiMarker {
		return nil, FormatError("missing SOI marker")
	}

	// Process the remaining segments until the End Of Image marker.
	for {
		marker, err := d.nextMarker()
		if err != nil {
			return nil, err
		}
		if marker == 0 {
			// Treat "\xff\x00" as extraneous data.
			continue
		}
		if marker == eoiMarker { // End Of Image.
			break
		}
		if rst0Marker <= marker && marker <= rst7Marker {
			// Figures B.2 and B.16 of the specification suggest that restart markers should
			// only occur between Entropy Coded Segments and not after the final ECS.
			// However, some encoders may generate incorrect JPEGs with a final restart
			// marker. That restart marker will be seen here instead of inside the processSOS
			// method, and is ignored as a harmless error. Restart markers have no extra data,
			// so we check for this before we read the 16-bit length of the segment.
			continue
		}

		// Read the 16-bit length of the segment. The value includes the 2 bytes for the
		// length itself, so we subtract 2 to get the number of remaining bytes.
		if err = d.readFull(d.tmp[:2]); err != nil {
			return nil, err
		}
		n := int(d.tmp[0])<<8 + int(d.tmp[1]) - 2
		if n < 0 {
			return nil, FormatError("short segment length")
		}
		done, err := d.processSegment(marker, n, configOnly)
		if done || err != nil {
			return nil, err
		}
	}
	return d.image()
}

// nextMarker reads the next marker: the byte after 0xff, after any fill
// bytes; 0 for a stuffed "\xff\x00".
func (d *decoder) nextMarker() (byte, error) {
	var err error
	if d.pendingMarker != 0 {
		d.tmp[0], d.tmp[1] = 0xff, d.pendingMarker
		d.pendingMarker = 0
	} else if err = d.readFull(d.tmp[:2]); err != nil {
		return 0, err
	}
	for d.tmp[0] != 0xff {
		// Strictly speaking, this is a format error. However, libjpeg is
		// liberal in what it accepts. As of version 9, next_marker in
		// jdmarker.c treats this as a warning (JWRN_EXTRANEOUS_DATA) and
		// continues to decode the stream. Even before next_marker sees
		// extraneous data, jpeg_fill_bit_buffer in jdhuff.c reads as many
		// bytes as it can, possibly past the end of a scan's data. It
		// effectively puts back any markers that it overscanned (e.g. an
		// "\xff\xd9" EOI marker), but it does not put back non-marker data,
		// and thus it can silently ignore a small number of extraneous
		// non-marker bytes before next_marker has a chance to see them (and
		// print a warning).
		//
		// We are therefore also liberal in what we accept. Extraneous data
		// is silently ignored.
		//
		// This is similar to, but not exactly the same as, the restart
		// mechanism within a scan (the RST[0-7] markers).
		//
		// Note that extraneous 0xff bytes in e.g. SOS data are escaped as
		// "\xff\x00", and so are detected a little further down below.
		d.tmp[0] = d.tmp[1]
		d.tmp[1], err = d.readByte()
		if err != nil {
			return 0, err
		}
	}
	marker := d.tmp[1]
	for marker == 0xff {
		// Section B.1.1.2 says, "Any marker may optionally be preceded by any
		// number of fill bytes, which are bytes assigned code X'FF'".
		marker, err = d.readByte()
		if err != nil {
			return 0, err
		}
	}
	return marker, nil
}

// processSegment processes the segment of n bytes after a marker. done is
// true when a DecodeConfig call has read what it needs.
func (d *decoder) processSegment(marker byte, n int, configOnly bool) (done bool, err error) {
	switch marker {
	case sof0Marker, sof1Marker, sof2Marker:
		d.baseline = marker == sof0Marker
		d.progressive = marker == sof2Marker
		err = d.processSOF(n)
		return configOnly && d.jfif, err
	case dhtMarker, dqtMarker, driMarker:
		if configOnly {
			return false, d.ignore(n)
		}
		switch marker {
		case dhtMarker:
			return false, d.processDHT(n)
		case dqtMarker:
			return false, d.processDQT(n)
		}
		return false, d.processDRI(n)
	case sosMarker:
		if configOnly {
			return true, nil
		}
		return false, d.processSOS(n)
	case app0Marker:
		return false, d.processApp0Marker(n)
	case app14Marker:
		return false, d.processApp14Marker(n)
	}
	if app0Marker <= marker && marker <= app15Marker || marker == comMarker {
		return false, d.ignore(n)
	} else if marker < 0xc0 { // See Table B.1 "Marker code assignments".
		return false, FormatError("unknown marker")
	}
	return false, UnsupportedError("unknown marker")
}

// image finishes decoding after the End Of Image marker and returns the
// image in the type its colour model calls for.
func (d *decoder) image() (image.Image, error) {
	if d.progressive {
		if err := d.reconstructProgressiveImage(); err != nil {
			return nil, err
		}
	}
	if d.img1 != nil {
		return d.img1, nil
	}
	if d.planes != nil {
		return d.planes, nil
	}
	if d.img3 != nil {
		if d.blackPix != nil {
			return d.applyBlack()
		} else if d.isRGB() {
			return d.convertToRGB()
		}
		return d.img3, nil
	}
	return nil, FormatError("missing SOS marker")
}
