// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the entry points of Go's image/jpeg/reader.go. Changes:
// Decode takes a scale; DecodeEighths, DecodeEighthsChroma and EighthsSize
// are new.

package jpegscale

import (
	"fmt"
	"image"
	"image/color"
	"io"
)

// Decode reads a JPEG image from r at 1/scale of its size: scale is 1, 2, 4
// or 8, and the result is ScaledSize(width, height, scale) pixels. Images are
// returned as *image.Gray, *image.YCbCr, *image.RGBA (Adobe RGB) or
// *image.CMYK, like image/jpeg.
func Decode(r io.Reader, scale int) (image.Image, error) {
	switch scale {
	case 1, 2, 4, 8:
	default:
		return nil, fmt.Errorf("jpegscale: scale %d is not 1, 2, 4 or 8", scale)
	}
	return DecodeEighths(r, 8/scale)
}

// DecodeEighths reads a JPEG image from r at n/8 of its size, n from 1 to
// 8: the result is EighthsSize(width, height, n) pixels, each 8×8 block of
// the image becoming n×n pixels through an n-point inverse DCT of its
// top-left n×n coefficients (libjpeg's scale_num/8 decoding). Decode's
// scales are n = 8, 4, 2 and 1; the others let a thumbnailer decode to just
// above the size it needs, at 3/8 or 5/8 say, rather than at twice it.
func DecodeEighths(r io.Reader, n int) (image.Image, error) {
	return DecodeEighthsChroma(r, n, 0, 0)
}

// DecodeEighthsChroma is DecodeEighths for a caller that needs the Cb and
// Cr planes of a YCbCr image only minW×minH samples large: a thumbnailer
// writing 4:2:0 JPEGs needs half the chroma resolution of its luma. The
// chroma components are then decoded at the smallest scales across and
// down (each at most n/8) that give planes that large; when that differs
// from the usual layout of the image's subsampling, the result is a
// *Planes. A 4:4:4 photograph decoded so costs about half as much (two of
// its three components shrink twice as much), a 4:2:2 one about a quarter
// less.
func DecodeEighthsChroma(r io.Reader, n, minW, minH int) (image.Image, error) {
	if n < 1 || n > 8 {
		return nil, fmt.Errorf("jpegscale: %d/8 is not a scale from 1/8 to 8/8", n)
	}
	d := decoder{bs: n, minChroma: image.Pt(minW, minH)}
	return d.decode(r, false)
}

// ScaledSize returns the size of a width×height image decoded at 1/scale:
// each side divided by scale, rounded up, as libjpeg does.
func ScaledSize(width, height, scale int) (int, int) {
	return eighthsSize(width, height, 8/scale)
}

// EighthsSize returns the size of a width×height image decoded at n/8:
// each side times n/8, rounded up, as libjpeg does.
func EighthsSize(width, height, n int) (int, int) {
	return eighthsSize(width, height, n)
}

func eighthsSize(width, height, n int) (int, int) {
	return (width*n + 7) / 8, (height*n + 7) / 8
}

// DecodeConfig returns the color model and dimensions of a JPEG image without
// decoding the entire image.
func DecodeConfig(r io.Reader) (image.Config, error) {
	var d decoder
	if _, err := d.decode(r, true); err != nil {
		return image.Config{}, err
	}
	switch d.nComp {
	case 1:
		return image.Config{
			ColorModel: color.GrayModel,
			Width:      d.width,
			Height:     d.height,
		}, nil
	case 3:
		cm := color.YCbCrModel
		if d.isRGB() {
			cm = color.RGBAModel
		}
		return image.Config{
			ColorModel: cm,
			Width:      d.width,
			Height:     d.height,
		}, nil
	case 4:
		return image.Config{
			ColorModel: color.CMYKModel,
			Width:      d.width,
			Height:     d.height,
		}, nil
	}
	return image.Config{}, FormatError("missing SOF marker")
}
