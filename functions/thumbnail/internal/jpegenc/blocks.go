package jpegenc

import (
	"errors"
	"image"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// plane is one 8-bit channel: w×h samples, row r starting at pix[r*stride].
type plane struct {
	pix     []byte
	stride  int
	w, h    int
	halving bool // read 2×2 cells averaged, for 4:4:4 chroma written as 4:2:0
}

// writeGray writes the blocks of a greyscale image, left to right and top
// to bottom.
func (e *encoder) writeGray(m *image.Gray) {
	b := m.Bounds()
	p := plane{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, w: b.Dx(), h: b.Dy()}
	var blk dct.Block
	var dc int32
	for y := 0; y < p.h; y += 8 {
		for x := 0; x < p.w; x += 8 {
			p.load(&blk, x, y)
			dc = e.writeBlock(&blk, 0, dc)
		}
	}
}

// writeYCbCr writes the 16×16 MCUs of a colour image: four luma blocks,
// then one block each of Cb and Cr.
func (e *encoder) writeYCbCr(m *image.YCbCr) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	y := plane{pix: m.Y[m.YOffset(b.Min.X, b.Min.Y):], stride: m.YStride, w: w, h: h}
	c := plane{stride: m.CStride, w: (w + 1) / 2, h: (h + 1) / 2}
	if m.SubsampleRatio == image.YCbCrSubsampleRatio444 {
		c.w, c.h, c.halving = w, h, true
	} else if b.Min.X%2 != 0 || b.Min.Y%2 != 0 {
		e.err = errors.New("jpegenc: a 4:2:0 image must start at even coordinates")
		return
	}
	off := m.COffset(b.Min.X, b.Min.Y)
	cb, cr := c, c
	cb.pix, cr.pix = m.Cb[off:], m.Cr[off:]
	var blk dct.Block
	var dcY, dcCb, dcCr int32
	for my := 0; my < h; my += 16 {
		for mx := 0; mx < w; mx += 16 {
			for i := range 4 {
				y.load(&blk, mx+(i&1)*8, my+(i&2)*4)
				dcY = e.writeBlock(&blk, 0, dcY)
			}
			cx, cy := mx/2, my/2
			if c.halving {
				cx, cy = mx, my
			}
			cb.load(&blk, cx, cy)
			dcCb = e.writeBlock(&blk, 1, dcCb)
			cr.load(&blk, cx, cy)
			dcCr = e.writeBlock(&blk, 1, dcCr)
		}
	}
}

// load copies the 8×8 block whose top-left sample is (x, y) into dst,
// repeating the last column and row where the block overhangs the plane, as
// image/jpeg does. A halving plane yields the rounded means of the 2×2 cells
// of the 16×16 area at (x, y).
func (p *plane) load(dst *dct.Block, x, y int) {
	if p.halving {
		p.loadHalved(dst, x, y)
		return
	}
	for j := range 8 {
		row := p.pix[min(y+j, p.h-1)*p.stride:]
		d := dst[8*j : 8*j+8 : 8*j+8]
		if x+8 <= p.w {
			s := row[x : x+8 : x+8]
			d[0], d[1], d[2], d[3] = int32(s[0]), int32(s[1]), int32(s[2]), int32(s[3])
			d[4], d[5], d[6], d[7] = int32(s[4]), int32(s[5]), int32(s[6]), int32(s[7])
			continue
		}
		for i := range d {
			d[i] = int32(row[min(x+i, p.w-1)])
		}
	}
}

// loadHalved is load for a plane read at half resolution.
func (p *plane) loadHalved(dst *dct.Block, x, y int) {
	for j := range 8 {
		r0 := p.pix[min(y+2*j, p.h-1)*p.stride:]
		r1 := p.pix[min(y+2*j+1, p.h-1)*p.stride:]
		d := dst[8*j : 8*j+8 : 8*j+8]
		if x+16 <= p.w {
			s0, s1 := r0[x:x+16:x+16], r1[x:x+16:x+16]
			for i := range d {
				d[i] = (int32(s0[2*i]) + int32(s0[2*i+1]) + int32(s1[2*i]) + int32(s1[2*i+1]) + 2) >> 2
			}
			continue
		}
		for i := range d {
			x0, x1 := min(x+2*i, p.w-1), min(x+2*i+1, p.w-1)
			d[i] = (int32(r0[x0]) + int32(r0[x1]) + int32(r1[x0]) + int32(r1[x1]) + 2) >> 2
		}
	}
}
