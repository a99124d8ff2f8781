// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/scan.go (its progressive
// parts are in progressive.go, the image and block reconstruction in
// blocks.go). Changes: sequential AC coefficients are decoded through a
// table that yields a whole coefficient per look-up (decodeAC); restart
// intervals in non-interleaved scans count blocks.

package jpegscale

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
