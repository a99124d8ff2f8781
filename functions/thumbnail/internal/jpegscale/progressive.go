// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file holds the progressive-mode parts of Go's image/jpeg/scan.go.
// Changes: coefficients are kept in compact form (only the coefficients the
// reduced IDCT reads, plus a bit mask of non-zero coefficients for
// successive-approximation refinement); at 1/8 scale AC scans are skipped
// without entropy decoding; refinement of the coefficients inside an
// end-of-band run walks the non-zero mask.

package jpegscale

import (
	mbits "math/bits"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// progComp holds one component's coefficients between progressive scans.
type progComp struct {
	// vals has nKept coefficients per block: the top-left bx×by of the
	// block in natural order, quantized.
	vals []int16
	// nz has one mask per block: bit z is set when the coefficient at zig-zag
	// index z (z ≥ 1) is non-zero. Refinement scans need it for every
	// coefficient, kept or not. Nil at 1/8 scale, where AC scans are skipped.
	nz []uint64
	*compScale
}

// fastAC decodes the next AC coefficient through h.fastAC and consumes its
// bits, or returns 0 and consumes nothing when the general decoder is needed
// (a long code, or too few bits left before a marker).
func (d *decoder) fastAC(h *huffman) acEntry {
	if d.bits.n < fastACBits {
		d.refill()
		if d.bits.n < fastACBits {
			return 0
		}
	}
	e := h.fastAC[(d.bits.a>>uint32(d.bits.n-fastACBits))&(1<<fastACBits-1)]
	d.bits.n -= int32(e & 0xff)
	return e
}

// setCoef records a newly non-zero coefficient at zig-zag index zig ≥ 1.
func (d *decoder) setCoef(p *progComp, blk int, zig int32, v int32) {
	p.nz[blk] |= 1 << uint(zig)
	if k := p.kept[zig]; k >= 0 {
		p.vals[blk*p.nKept+int(k)] = int16(v)
	}
}

// decodeFirst decodes the first pass over a band of coefficients (Ah == 0)
// of one block of a progressive scan, as specified in section G.1.2.1 and
// G.1.2.2.
func (d *decoder) decodeFirst(p *progComp, blk int, dcHuff, acHuff *huffman, zigStart, zigEnd int32, al uint32, dc *int32) error {
	zig := zigStart
	if zig == 0 {
		zig++
		// Decode the DC coefficient, as specified in section F.2.2.1.
		value, err := d.decodeHuffman(dcHuff)
		if err != nil {
			return err
		}
		if value > 16 {
			return UnsupportedError("excessive DC component")
		}
		dcDelta, err := d.receiveExtend(value)
		if err != nil {
			return err
		}
		*dc += dcDelta
		p.vals[blk*p.nKept] = int16(*dc << al)
	}
	if zig > zigEnd {
		return nil
	}
	if d.eobRun > 0 {
		d.eobRun--
		return nil
	}
	for ; zig <= zigEnd; zig++ {
		if e := d.fastAC(acHuff); e != 0 {
			run := int32(e>>8) & 0xff
			if run == acEOB { // An end-of-band run of one: this block.
				break
			}
			zig += run
			if v := int32(e) >> 16; v != 0 { // v == 0: sixteen zeros
				if zig > zigEnd {
					break
				}
				d.setCoef(p, blk, zig, v<<al)
			}
			continue
		}
		value, err := d.decodeHuffman(acHuff)
		if err != nil {
			return err
		}
		val0 := value >> 4
		val1 := value & 0x0f
		if val1 != 0 {
			zig += int32(val0)
			if zig > zigEnd {
				break
			}
			ac, err := d.receiveExtend(val1)
			if err != nil {
				return err
			}
			d.setCoef(p, blk, zig, ac<<al)
			continue
		}
		if val0 != 0x0f {
			d.eobRun = uint16(1 << val0)
			if val0 != 0 {
				bits, err := d.decodeBits(int32(val0))
				if err != nil {
					return err
				}
				d.eobRun |= uint16(bits)
			}
			d.eobRun--
			break
		}
		zig += 0x0f
	}
	return nil
}

// refine decodes a successive approximation refinement of one block, as
// specified in section G.1.2.
func (d *decoder) refine(p *progComp, blk int, h *huffman, zigStart, zigEnd, delta int32) error {
	// Refining a DC component is trivial.
	if zigStart == 0 {
		if zigEnd != 0 {
			panic("unreachable")
		}
		bit, err := d.decodeBit()
		if err != nil {
			return err
		}
		if bit {
			p.vals[blk*p.nKept] |= int16(delta)
		}
		return nil
	}

	// Refining AC components is more complicated; see sections G.1.2.2 and G.1.2.3.
	zig := zigStart
	if d.eobRun == 0 {
	loop:
		for ; zig <= zigEnd; zig++ {
			z := int32(0)
			value, err := d.decodeHuffman(h)
			if err != nil {
				return err
			}
			val0 := value >> 4
			val1 := value & 0x0f

			switch val1 {
			case 0:
				if val0 != 0x0f {
					d.eobRun = uint16(1 << val0)
					if val0 != 0 {
						bits, err := d.decodeBits(int32(val0))
						if err != nil {
							return err
						}
						d.eobRun |= uint16(bits)
					}
					break loop
				}
			case 1:
				z = delta
				bit, err := d.decodeBit()
				if err != nil {
					return err
				}
				if !bit {
					z = -z
				}
			default:
				return FormatError("unexpected Huffman code")
			}

			zig, err = d.refineNonZeroes(p, blk, zig, zigEnd, int32(val0), delta)
			if err != nil {
				return err
			}
			if zig > zigEnd {
				return FormatError("too many coefficients")
			}
			if z != 0 {
				d.setCoef(p, blk, zig, z)
			}
		}
	}
	if d.eobRun > 0 {
		d.eobRun--
		return d.refineRemaining(p, blk, zig, zigEnd, delta)
	}
	return nil
}

// refineNonZeroes refines the non-zero coefficients of a block from zig-zag
// index zig on, skipping over nz zero coefficients, and returns the index of
// the zero coefficient after those.
func (d *decoder) refineNonZeroes(p *progComp, blk int, zig, zigEnd, nz, delta int32) (int32, error) {
	mask := p.nz[blk]
	for ; zig <= zigEnd; zig++ {
		if mask&(1<<uint(zig)) == 0 {
			if nz == 0 {
				break
			}
			nz--
			continue
		}
		if err := d.refineCoef(p, blk, zig, delta); err != nil {
			return 0, err
		}
	}
	return zig, nil
}

// refineRemaining refines every non-zero coefficient in [zig, zigEnd]: the
// block is inside an end-of-band run, so only correction bits follow.
func (d *decoder) refineRemaining(p *progComp, blk int, zig, zigEnd, delta int32) error {
	m := p.nz[blk] >> uint(zig) << uint(zig)
	if zigEnd < 63 {
		m &= 1<<uint(zigEnd+1) - 1
	}
	for m != 0 {
		z := int32(mbits.TrailingZeros64(m))
		m &= m - 1
		if err := d.refineCoef(p, blk, z, delta); err != nil {
			return err
		}
	}
	return nil
}

// refineCoef reads the correction bit of a non-zero coefficient and applies
// it, moving the magnitude away from zero.
func (d *decoder) refineCoef(p *progComp, blk int, zig, delta int32) error {
	bit, err := d.decodeBit()
	if err != nil {
		return err
	}
	if !bit {
		return nil
	}
	if k := p.kept[zig]; k >= 0 {
		v := &p.vals[blk*p.nKept+int(k)]
		if *v >= 0 {
			*v += int16(delta)
		} else {
			*v -= int16(delta)
		}
	}
	return nil
}

// skipEntropyCodedData advances past a scan's entropy-coded data (and any
// restart markers in it) without decoding it, leaving the next marker to be
// read by decode.
func (d *decoder) skipEntropyCodedData() error {
	// Unread the overshot bytes, if any, as readFull does.
	if d.bytes.nUnreadable != 0 {
		if d.bits.n >= 8 {
			d.unreadByteStuffedByte()
		}
		d.bytes.nUnreadable = 0
	}
	d.bits = bits{}
	for {
		x, err := d.readByte()
		if err != nil {
			return err
		}
		if x != 0xff {
			continue
		}
		// Fill bytes may precede a marker.
		for x == 0xff {
			if x, err = d.readByte(); err != nil {
				return err
			}
		}
		if x == 0x00 || (rst0Marker <= x && x <= rst7Marker) {
			continue // A stuffed 0xff data byte or a restart marker.
		}
		d.pendingMarker = x
		return nil
	}
}

func (d *decoder) reconstructProgressiveImage() error {
	// The h0, mxx, by and bx variables have the same meaning as in the
	// processSOS method.
	h0 := d.comp[0].h
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	d.naturalQuant()
	var b dct.Block
	for i := 0; i < d.nComp; i++ {
		p := &d.prog[i]
		if p.vals == nil {
			continue
		}
		v := 8 * d.comp[0].v / d.comp[i].v
		h := 8 * d.comp[0].h / d.comp[i].h
		stride := mxx * d.comp[i].h
		for by := 0; by*v < d.height; by++ {
			for bx := 0; bx*h < d.width; bx++ {
				blk := by*stride + bx
				vals := p.vals[blk*p.nKept:][:p.nKept]
				for r := 0; r < p.by; r++ {
					for c := 0; c < p.bx; c++ {
						b[8*r+c] = int32(vals[r*p.bx+c])
					}
				}
				last := int32(0)
				if p.nz != nil && p.nz[blk] != 0 {
					last = int32(63 - mbits.LeadingZeros64(p.nz[blk]))
				}
				if err := d.reconstructBlock(&b, bx, by, i, last); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
