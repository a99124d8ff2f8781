// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the destination image and block reconstruction of Go's
// image/jpeg/scan.go. Changes: the image is allocated at the reduced size and
// blocks are written through the reduced-size IDCT.

package jpegscale

import (
	"image"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// makeImg allocates and initializes the destination image at the reduced size.
func (d *decoder) makeImg(mxx, myy int) {
	bs := d.bs
	for i := range d.comps {
		d.comps[i].set(bs, bs)
	}
	sw, sh := eighthsSize(d.width, d.height, bs)
	if d.nComp == 3 && !d.isRGB() && d.minChroma != (image.Point{}) {
		if cx, cy := d.chromaScale(); cx != bs || cy != bs {
			d.comps[1].set(cx, cy)
			d.comps[2].set(cx, cy)
			d.planes = d.makePlanes(mxx, myy, cx, cy)
			return
		}
	}
	if d.nComp == 1 {
		m := image.NewGray(image.Rect(0, 0, bs*mxx, bs*myy))
		d.img1 = m.SubImage(image.Rect(0, 0, sw, sh)).(*image.Gray)
		return
	}

	h0 := d.comp[0].h
	v0 := d.comp[0].v
	hRatio := h0 / d.comp[1].h
	vRatio := v0 / d.comp[1].v
	var subsampleRatio image.YCbCrSubsampleRatio
	switch hRatio<<4 | vRatio {
	case 0x11:
		subsampleRatio = image.YCbCrSubsampleRatio444
	case 0x12:
		subsampleRatio = image.YCbCrSubsampleRatio440
	case 0x21:
		subsampleRatio = image.YCbCrSubsampleRatio422
	case 0x22:
		subsampleRatio = image.YCbCrSubsampleRatio420
	case 0x41:
		subsampleRatio = image.YCbCrSubsampleRatio411
	case 0x42:
		subsampleRatio = image.YCbCrSubsampleRatio410
	default:
		panic("unreachable")
	}
	m := image.NewYCbCr(image.Rect(0, 0, bs*h0*mxx, bs*v0*myy), subsampleRatio)
	d.img3 = m.SubImage(image.Rect(0, 0, sw, sh)).(*image.YCbCr)

	if d.nComp == 4 {
		h3, v3 := d.comp[3].h, d.comp[3].v
		d.blackPix = make([]byte, bs*h3*mxx*bs*v3*myy)
		d.blackStride = bs * h3 * mxx
	}
}

// naturalQuant copies the quantization tables into natural order, for
// reconstructBlock.
func (d *decoder) naturalQuant() {
	for t := range d.quant {
		for zig, q := range d.quant[t] {
			d.quantNat[t][dct.Unzig[zig]] = q
		}
	}
}

// reconstructBlock dequantizes, performs the (reduced-size) inverse DCT and
// stores the block to the image. last is the zig-zag index of the block's
// last non-zero coefficient. When bs < 8 only the top-left k×k coefficients
// of b are read, k = min(bs, zigSpan[last]), and the rest of the top-left
// bs×bs must be zero.
func (d *decoder) reconstructBlock(b *dct.Block, bx, by, compIndex int, last int32) error {
	qt := &d.quant[d.comp[compIndex].tq]
	c := &d.comps[compIndex]
	n := c.bx
	dst, stride := []byte(nil), 0
	if d.planes != nil {
		dst, stride = d.planes.block(compIndex, bx, by, c.bx, c.by)
	} else if d.nComp == 1 {
		dst, stride = d.img1.Pix[n*(by*d.img1.Stride+bx):], d.img1.Stride
	} else {
		switch compIndex {
		case 0:
			dst, stride = d.img3.Y[n*(by*d.img3.YStride+bx):], d.img3.YStride
		case 1:
			dst, stride = d.img3.Cb[n*(by*d.img3.CStride+bx):], d.img3.CStride
		case 2:
			dst, stride = d.img3.Cr[n*(by*d.img3.CStride+bx):], d.img3.CStride
		case 3:
			dst, stride = d.blackPix[n*(by*d.blackStride+bx):], d.blackStride
		default:
			return UnsupportedError("too many components")
		}
	}
	if n < 8 {
		k := min(max(c.bx, c.by), int(zigSpan[last&(dct.BlockSize-1)]))
		qn := &d.quantNat[d.comp[compIndex].tq]
		for r := 0; r < k; r++ {
			row, q := b[8*r:8*r+k], qn[8*r:8*r+k]
			for c := range row {
				row[c] *= q[c]
			}
		}
		idctScaled(b, c.bx, c.by, k, dst, stride)
		return nil
	}

	for zig := 0; zig < dct.BlockSize; zig++ {
		b[dct.Unzig[zig]] *= qt[zig]
	}
	dct.IDCT(b)
	// Level shift by +128, clip to [0, 255], and write to dst.
	for y := 0; y < 8; y++ {
		y8 := y * 8
		yStride := y * stride
		for x := 0; x < 8; x++ {
			c := b[y8+x]
			if c < -128 {
				c = 0
			} else if c > 127 {
				c = 255
			} else {
				c += 128
			}
			dst[yStride+x] = uint8(c)
		}
	}
	return nil
}
