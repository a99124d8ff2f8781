// Copyright 2026 The serverless-arch Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

import (
	"image"
	"image/color"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// compScale is how one component is decoded: each 8×8 block becomes bx×by
// samples (bx across, by down; by < bx for the chroma of 4:2:2 pictures
// made 4:2:0), from the nKept coefficients kept maps to (-1 for the
// others).
type compScale struct {
	bx, by int
	kept   [dct.BlockSize]int8
	nKept  int
}

// set prepares decoding at bx/8 across and by/8 down.
func (c *compScale) set(bx, by int) {
	c.bx, c.by, c.nKept = bx, by, bx*by
	for zig, n := range dct.Unzig {
		c.kept[zig] = -1
		if r, col := n/8, n%8; r < by && col < bx {
			c.kept[zig] = int8(r*bx + col)
		}
	}
}

// Planes is a YCbCr image whose chroma was decoded at a scale of its own
// (see DecodeEighthsChroma): Y holds Rect's pixels, Cb and Cr hold CRect's
// samples, which span the whole picture, CX chroma samples per pixel across
// and CY down. CX and CY need not be 1, ½ or ¼: a 4:4:4 picture decoded at
// 3/8 with chroma at 2/8 has CX = CY = ⅔.
type Planes struct {
	Y, Cb, Cr        []byte
	YStride, CStride int
	Rect, CRect      image.Rectangle
	CX, CY           float64
}

// ColorModel returns color.YCbCrModel.
func (p *Planes) ColorModel() color.Model { return color.YCbCrModel }

// Bounds returns Rect.
func (p *Planes) Bounds() image.Rectangle { return p.Rect }

// At returns the colour of pixel (x, y), with the chroma sample that covers
// its centre.
func (p *Planes) At(x, y int) color.Color {
	if !(image.Point{x, y}.In(p.Rect)) {
		return color.YCbCr{}
	}
	cx := min(int((float64(x)+0.5)*p.CX), p.CRect.Dx()-1)
	cy := min(int((float64(y)+0.5)*p.CY), p.CRect.Dy()-1)
	c := cy*p.CStride + cx
	return color.YCbCr{Y: p.Y[y*p.YStride+x], Cb: p.Cb[c], Cr: p.Cr[c]}
}

// chromaScale is the smallest chroma block size, at most bs×bs, whose
// planes cover d.minChroma.
func (d *decoder) chromaScale() (bx, by int) {
	h0, v0 := d.comp[0].h, d.comp[0].v
	hc, vc := d.comp[1].h, d.comp[1].v
	bx, by = d.bs, d.bs
	// A chroma sample spans 8·h0/(hc·n) pixels across, 8·v0/(vc·n) down.
	for n := d.bs - 1; n >= 1 && (d.width*hc*n+8*h0-1)/(8*h0) >= d.minChroma.X; n-- {
		bx = n
	}
	for n := d.bs - 1; n >= 1 && (d.height*vc*n+8*v0-1)/(8*v0) >= d.minChroma.Y; n-- {
		by = n
	}
	return bx, by
}

// makePlanes allocates Planes for mxx×myy MCUs, luma blocks d.bs and chroma
// blocks cx×cy samples large.
func (d *decoder) makePlanes(mxx, myy, cx, cy int) *Planes {
	h0, v0 := d.comp[0].h, d.comp[0].v
	hc, vc := d.comp[1].h, d.comp[1].v
	yw, yh := d.bs*h0*mxx, d.bs*v0*myy
	cw, ch := cx*hc*mxx, cy*vc*myy
	sw, sh := eighthsSize(d.width, d.height, d.bs)
	return &Planes{
		Y: make([]byte, yw*yh), Cb: make([]byte, cw*ch), Cr: make([]byte, cw*ch),
		YStride: yw, CStride: cw,
		Rect:  image.Rect(0, 0, sw, sh),
		CRect: image.Rect(0, 0, (d.width*hc*cx+8*h0-1)/(8*h0), (d.height*vc*cy+8*v0-1)/(8*v0)),
		CX:    float64(hc*cx) / float64(h0*d.bs),
		CY:    float64(vc*cy) / float64(v0*d.bs),
	}
}

// block returns where block (bx, by) of a component, w×h samples large,
// goes.
func (p *Planes) block(compIndex, bx, by, w, h int) ([]byte, int) {
	switch compIndex {
	case 0:
		return p.Y[by*h*p.YStride+bx*w:], p.YStride
	case 1:
		return p.Cb[by*h*p.CStride+bx*w:], p.CStride
	}
	return p.Cr[by*h*p.CStride+bx*w:], p.CStride
}
