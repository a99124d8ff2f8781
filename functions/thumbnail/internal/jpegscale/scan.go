// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/scan.go. Changes: the
// destination image is allocated at the reduced size and blocks are written
// through the reduced-size IDCT; progressive coefficients are kept in compact
// form (only the coefficients the reduced IDCT reads, plus a bit mask of
// non-zero coefficients for successive-approximation refinement); at 1/8
// scale progressive AC scans are skipped without entropy decoding.

package jpegscale

import (
	"image"
	mbits "math/bits"
)

// makeImg allocates and initializes the destination image at the reduced size.
func (d *decoder) makeImg(mxx, myy int) {
	bs := d.bs
	sw, sh := scaledSize(d.width, d.height, d.scale)
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

// progComp holds one component's coefficients between progressive scans.
type progComp struct {
	// vals has d.nKept coefficients per block: the top-left bs×bs of the
	// block in natural order, quantized.
	vals []int16
	// nz has one mask per block: bit z is set when the coefficient at zig-zag
	// index z (z ≥ 1) is non-zero. Refinement scans need it for every
	// coefficient, kept or not. Nil at 1/8 scale, where AC scans are skipped.
	nz []uint64
}

// Specified in section B.2.3.
func (d *decoder) processSOS(n int) error {
	if d.nComp == 0 {
		return FormatError("missing SOF marker")
	}
	if n < 6 || 4+2*d.nComp < n || n%2 != 0 {
		return FormatError("SOS has wrong length")
	}
	if err := d.readFull(d.tmp[:n]); err != nil {
		return err
	}
	nComp := int(d.tmp[0])
	if n != 4+2*nComp {
		return FormatError("SOS length inconsistent with number of components")
	}
	var scan [maxComponents]struct {
		compIndex uint8
		td        uint8 // DC table selector.
		ta        uint8 // AC table selector.
	}
	totalHV := 0
	for i := 0; i < nComp; i++ {
		cs := d.tmp[1+2*i] // Component selector.
		compIndex := -1
		for j, comp := range d.comp[:d.nComp] {
			if cs == comp.c {
				compIndex = j
			}
		}
		if compIndex < 0 {
			return FormatError("unknown component selector")
		}
		scan[i].compIndex = uint8(compIndex)
		// Section B.2.3 states that "the value of Cs_j shall be different from
		// the values of Cs_1 through Cs_(j-1)". Since we have previously
		// verified that a frame's component identifiers (C_i values in section
		// B.2.2) are unique, it suffices to check that the implicit indexes
		// into d.comp are unique.
		for j := 0; j < i; j++ {
			if scan[i].compIndex == scan[j].compIndex {
				return FormatError("repeated component selector")
			}
		}
		totalHV += d.comp[compIndex].h * d.comp[compIndex].v

		// The baseline t <= 1 restriction is specified in table B.3.
		scan[i].td = d.tmp[2+2*i] >> 4
		if t := scan[i].td; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Td value")
		}
		scan[i].ta = d.tmp[2+2*i] & 0x0f
		if t := scan[i].ta; t > maxTh || (d.baseline && t > 1) {
			return FormatError("bad Ta value")
		}
	}
	// Section B.2.3 states that if there is more than one component then the
	// total H*V values in a scan must be <= 10.
	if d.nComp > 1 && totalHV > 10 {
		return FormatError("total sampling factors too large")
	}

	// zigStart and zigEnd are the spectral selection bounds.
	// ah and al are the successive approximation high and low values.
	// The spec calls these values Ss, Se, Ah and Al. For sequential JPEGs,
	// these parameters are hard-coded to 0/63/0/0, as per table B.3.
	zigStart, zigEnd, ah, al := int32(0), int32(blockSize-1), uint32(0), uint32(0)
	if d.progressive {
		zigStart = int32(d.tmp[1+2*nComp])
		zigEnd = int32(d.tmp[2+2*nComp])
		ah = uint32(d.tmp[3+2*nComp] >> 4)
		al = uint32(d.tmp[3+2*nComp] & 0x0f)
		if (zigStart == 0 && zigEnd != 0) || zigStart > zigEnd || blockSize <= zigEnd {
			return FormatError("bad spectral selection bounds")
		}
		if zigStart != 0 && nComp != 1 {
			return FormatError("progressive AC coefficients for more than one component")
		}
		if ah != 0 && ah != al+1 {
			return FormatError("bad successive approximation values")
		}
		if al > 13 {
			// Coefficients of 8-bit data fit in 11 bits plus sign; larger
			// shifts only come from corrupt input.
			return FormatError("bad successive approximation values")
		}
	}

	// mxx and myy are the number of MCUs (Minimum Coded Units) in the image.
	h0, v0 := d.comp[0].h, d.comp[0].v // The h and v values from the Y components.
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	myy := (d.height + 8*v0 - 1) / (8 * v0)
	if d.img1 == nil && d.img3 == nil {
		d.makeImg(mxx, myy)
	}
	if d.progressive {
		if zigStart > 0 && d.bs == 1 {
			// At 1/8 scale only DC coefficients matter: skip the AC scan.
			return d.skipEntropyCodedData()
		}
		for i := 0; i < nComp; i++ {
			compIndex := scan[i].compIndex
			p := &d.prog[compIndex]
			if p.vals == nil {
				nBlocks := mxx * myy * d.comp[compIndex].h * d.comp[compIndex].v
				p.vals = make([]int16, nBlocks*d.nKept)
				if d.bs > 1 {
					p.nz = make([]uint64, nBlocks)
				}
			}
		}
	}

	d.bits = bits{}
	mcu, unit, expectedRST := 0, 0, uint8(rst0Marker)
	var (
		// b is the decoded coefficients, in natural (not zig-zag) order.
		b  block
		dc [maxComponents]int32
		// bx and by are the location of the current block, in units of 8x8
		// blocks: the third block in the first row has (bx, by) = (2, 0).
		bx, by     int
		blockCount int
	)
	// restart consumes the RST marker expected after every d.ri MCUs (unit
	// counts the MCUs done) and resets the decoder state.
	restart := func() error {
		if d.ri == 0 || unit%d.ri != 0 {
			return nil
		}
		// For well-formed input, the RST[0-7] restart marker follows
		// immediately. For corrupt input, call findRST to try to
		// resynchronize.
		if err := d.readFull(d.tmp[:2]); err != nil {
			return err
		} else if d.tmp[0] != 0xff || d.tmp[1] != expectedRST {
			if err := d.findRST(expectedRST); err != nil {
				return err
			}
		}
		expectedRST++
		if expectedRST == rst7Marker+1 {
			expectedRST = rst0Marker
		}
		// Reset the Huffman decoder.
		d.bits = bits{}
		// Reset the DC components, as per section F.2.1.3.1.
		dc = [maxComponents]int32{}
		// Reset the progressive decoder state, as per section G.1.2.2.
		d.eobRun = 0
		return nil
	}
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			for i := 0; i < nComp; i++ {
				compIndex := scan[i].compIndex
				hi := d.comp[compIndex].h
				vi := d.comp[compIndex].v
				for j := 0; j < hi*vi; j++ {
					// The blocks are traversed one MCU at a time. For 4:2:0 chroma
					// subsampling, there are four Y 8x8 blocks in every 16x16 MCU.
					// Interleaved scans (nComp > 1) visit them MCU by MCU;
					// non-interleaved scans visit blocks left to right, top to
					// bottom, and carry no data for blocks that are inside the
					// image at the MCU level but outside it at the pixel level.
					// See Go's image/jpeg/scan.go for a worked example.
					if nComp != 1 {
						bx = hi*mx + j%hi
						by = vi*my + j/hi
					} else {
						q := mxx * hi
						bx = blockCount % q
						by = blockCount / q
						blockCount++
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
						// In a non-interleaved scan every block is an MCU, and
						// restart intervals count blocks (section A.2.2).
						// image/jpeg counts interleaved MCUs here, and fails on
						// progressive files with restart markers.
						if unit > 0 {
							if err := restart(); err != nil {
								return err
							}
						}
						unit++
					}

					if d.progressive {
						p := &d.prog[compIndex]
						blk := by*mxx*hi + bx
						var err error
						if ah != 0 {
							err = d.refine(p, blk, &d.huff[acTable][scan[i].ta], zigStart, zigEnd, 1<<al)
						} else {
							err = d.decodeFirst(p, blk, &d.huff[dcTable][scan[i].td], &d.huff[acTable][scan[i].ta], zigStart, zigEnd, al, &dc[compIndex])
						}
						if err != nil {
							return err
						}
						continue
					}

					if d.bs == 8 {
						b = block{}
					} else {
						// The reduced IDCT reads only the top-left bs×bs
						// coefficients: only those need clearing.
						for r := 0; r < d.bs; r++ {
							clear(b[8*r : 8*r+d.bs])
						}
					}
					// Decode the DC coefficient, as specified in section F.2.2.1.
					value, err := d.decodeHuffman(&d.huff[dcTable][scan[i].td])
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
					dc[compIndex] += dcDelta
					b[0] = dc[compIndex]

					if err := d.decodeAC(&b, &d.huff[acTable][scan[i].ta], zigEnd); err != nil {
						return err
					}
					if err := d.reconstructBlock(&b, bx, by, int(compIndex)); err != nil {
						return err
					}
				} // for j
			} // for i
			mcu++
			if nComp != 1 && mcu < mxx*myy {
				unit = mcu
				if err := restart(); err != nil {
					return err
				}
			}
		} // for mx
	} // for my

	return nil
}

// decodeAC decodes the AC coefficients of a sequential block into b, as
// specified in section F.2.2.2. It is the hot loop of baseline decoding:
// most coefficients take one fastAC look-up, with the bit accumulator held
// in locals.
func (d *decoder) decodeAC(b *block, huff *huffman, zigEnd int32) error {
	acc, n := d.bits.a, d.bits.n
	for zig := int32(1); zig <= zigEnd; zig++ {
		if n < fastACBits {
			d.bits.a, d.bits.n = acc, n
			d.refill()
			acc, n = d.bits.a, d.bits.n
		}
		if n >= fastACBits {
			if e := huff.fastAC[(acc>>uint32(n-fastACBits))&(1<<fastACBits-1)]; e != 0 {
				n -= int32(e & 0xff)
				run := int32(e>>8) & 0xff
				if run == acEOB {
					break
				}
				zig += run
				if v := int32(e) >> 16; v != 0 { // v == 0: sixteen zeros
					if zig > zigEnd {
						break
					}
					b[unzig[zig]] = v
				}
				continue
			}
		}

		// A long code, or the end of the segment is near.
		d.bits.a, d.bits.n = acc, n
		value, err := d.decodeHuffman(huff)
		if err != nil {
			return err
		}
		val0 := value >> 4
		val1 := value & 0x0f
		if val1 != 0 {
			zig += int32(val0)
			if zig > zigEnd {
				acc, n = d.bits.a, d.bits.n
				break
			}
			ac, err := d.receiveExtend(val1)
			if err != nil {
				return err
			}
			b[unzig[zig]] = ac
		} else {
			if val0 != 0x0f {
				acc, n = d.bits.a, d.bits.n
				break // End of block.
			}
			zig += 0x0f
		}
		acc, n = d.bits.a, d.bits.n
	}
	d.bits.a, d.bits.n = acc, n
	return nil
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
	if k := d.kept[zig]; k >= 0 {
		p.vals[blk*d.nKept+int(k)] = int16(v)
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
		p.vals[blk*d.nKept] = int16(*dc << al)
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
			p.vals[blk*d.nKept] |= int16(delta)
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
	if k := d.kept[zig]; k >= 0 {
		v := &p.vals[blk*d.nKept+int(k)]
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
	var b block
	for i := 0; i < d.nComp; i++ {
		p := &d.prog[i]
		if p.vals == nil {
			continue
		}
		v := 8 * d.comp[0].v / d.comp[i].v
		h := 8 * d.comp[0].h / d.comp[i].h
		stride := mxx * d.comp[i].h
		n := d.bs
		for by := 0; by*v < d.height; by++ {
			for bx := 0; bx*h < d.width; bx++ {
				vals := p.vals[(by*stride+bx)*d.nKept:][:d.nKept]
				for r := 0; r < n; r++ {
					for c := 0; c < n; c++ {
						b[8*r+c] = int32(vals[r*n+c])
					}
				}
				if err := d.reconstructBlock(&b, bx, by, i); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// reconstructBlock dequantizes, performs the (reduced-size) inverse DCT and
// stores the block to the image. Only the top-left bs×bs coefficients of b
// are read when bs < 8.
func (d *decoder) reconstructBlock(b *block, bx, by, compIndex int) error {
	qt := &d.quant[d.comp[compIndex].tq]
	n := d.bs
	dst, stride := []byte(nil), 0
	if d.nComp == 1 {
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
		for r := 0; r < n; r++ {
			for c := 0; c < n; c++ {
				b[8*r+c] *= qt[zigzag[8*r+c]]
			}
		}
		idctScaled(b, n, dst, stride)
		return nil
	}

	for zig := 0; zig < blockSize; zig++ {
		b[unzig[zig]] *= qt[zig]
	}
	idct(b)
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

// findRST advances past the next RST restart marker that matches expectedRST.
// Other than I/O errors, it is also an error if we encounter an {0xFF, M}
// two-byte marker sequence where M is not 0x00, 0xFF or the expectedRST.
//
// This is similar to libjpeg's jdmarker.c's next_marker function.
//
// Precondition: d.tmp[:2] holds the next two bytes of JPEG-encoded input
// (input in the d.readFull sense).
func (d *decoder) findRST(expectedRST uint8) error {
	for {
		// i is the index such that, at the bottom of the loop, we read 2-i
		// bytes into d.tmp[i:2], maintaining the invariant that d.tmp[:2]
		// holds the next two bytes of JPEG-encoded input. It is either 0 or 1,
		// so that each iteration advances by 1 or 2 bytes (or returns).
		i := 0

		if d.tmp[0] == 0xff {
			if d.tmp[1] == expectedRST {
				return nil
			} else if d.tmp[1] == 0xff {
				i = 1
			} else if d.tmp[1] != 0x00 {
				// Any marker that's not 0x00, 0xff or expectedRST is a fatal
				// FormatError; libjpeg tries harder to resynchronize.
				return FormatError("bad RST marker")
			}

		} else if d.tmp[1] == 0xff {
			d.tmp[0] = 0xff
			i = 1
		}

		if err := d.readFull(d.tmp[i:2]); err != nil {
			return err
		}
	}
}
