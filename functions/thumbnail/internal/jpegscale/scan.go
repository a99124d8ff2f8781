// Copyright 2012 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/scan.go (its progressive
// parts are in progressive.go, the image and block reconstruction in
// blocks.go). Changes: sequential AC coefficients are decoded through a
// table that yields a whole coefficient per look-up (decodeAC); restart
// intervals in non-interleaved scans count blocks.

package jpegscale

import "github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"

// scanState is what changes while a scan is decoded.
type scanState struct {
	// b is the decoded coefficients of a sequential block, in natural (not
	// zig-zag) order.
	b  dct.Block
	dc [maxComponents]int32
	// unit counts the restart units (MCUs, or blocks in a non-interleaved
	// scan) done; mcu the MCUs; blockCount the blocks of a non-interleaved
	// scan, including those outside the image.
	unit, mcu, blockCount int
	expectedRST           uint8
}

// Specified in section B.2.3.
func (d *decoder) processSOS(n int) error {
	s, err := d.readSOS(n)
	if err != nil {
		return err
	}
	// mxx and myy are the number of MCUs (Minimum Coded Units) in the image.
	h0, v0 := d.comp[0].h, d.comp[0].v // The h and v values from the Y components.
	mxx := (d.width + 8*h0 - 1) / (8 * h0)
	myy := (d.height + 8*v0 - 1) / (8 * v0)
	if d.img1 == nil && d.img3 == nil && d.planes == nil {
		d.makeImg(mxx, myy)
	}
	if d.progressive {
		if c := d.comps[s.comp[0].compIndex]; s.zigStart > 0 && c.bx == 1 && c.by == 1 {
			// At 1/8 scale only DC coefficients matter: skip the AC scan.
			return d.skipEntropyCodedData()
		}
		for i := 0; i < s.nComp; i++ {
			compIndex := s.comp[i].compIndex
			p := &d.prog[compIndex]
			if p.vals == nil {
				c := &d.comps[compIndex]
				nBlocks := mxx * myy * d.comp[compIndex].h * d.comp[compIndex].v
				p.vals = make([]int16, nBlocks*c.nKept)
				if c.bx > 1 || c.by > 1 {
					p.nz = make([]uint64, nBlocks)
				}
				p.compScale = c
			}
		}
	}
	return d.decodeScan(&s, mxx, myy)
}

// decodeScan decodes the entropy-coded data of a scan over mxx×myy MCUs.
func (d *decoder) decodeScan(s *scanHeader, mxx, myy int) error {
	d.bits = bits{}
	d.naturalQuant()
	st := scanState{expectedRST: rst0Marker}
	for my := 0; my < myy; my++ {
		for mx := 0; mx < mxx; mx++ {
			for i := 0; i < s.nComp; i++ {
				compIndex := s.comp[i].compIndex
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
					bx, by := hi*mx+j%hi, vi*my+j/hi
					if s.nComp == 1 {
						q := mxx * hi
						bx, by = st.blockCount%q, st.blockCount/q
						st.blockCount++
						if bx*8 >= d.width || by*8 >= d.height {
							continue
						}
						// In a non-interleaved scan every block is an MCU, and
						// restart intervals count blocks (section A.2.2).
						// image/jpeg counts interleaved MCUs here, and fails on
						// progressive files with restart markers.
						if st.unit > 0 {
							if err := d.restart(&st); err != nil {
								return err
							}
						}
						st.unit++
					}
					if err := d.decodeBlock(s, i, bx, by, mxx, &st); err != nil {
						return err
					}
				} // for j
			} // for i
			st.mcu++
			if s.nComp != 1 && st.mcu < mxx*myy {
				st.unit = st.mcu
				if err := d.restart(&st); err != nil {
					return err
				}
			}
		} // for mx
	} // for my
	return nil
}

// restart consumes the RST marker expected after every d.ri restart units
// and resets the decoder state.
func (d *decoder) restart(st *scanState) error {
	if d.ri == 0 || st.unit%d.ri != 0 {
		return nil
	}
	// For well-formed input, the RST[0-7] restart marker follows
	// immediately. For corrupt input, call findRST to try to
	// resynchronize.
	if err := d.readFull(d.tmp[:2]); err != nil {
		return err
	} else if d.tmp[0] != 0xff || d.tmp[1] != st.expectedRST {
		if err := d.findRST(st.expectedRST); err != nil {
			return err
		}
	}
	st.expectedRST++
	if st.expectedRST == rst7Marker+1 {
		st.expectedRST = rst0Marker
	}
	// Reset the Huffman decoder.
	d.bits = bits{}
	// Reset the DC components, as per section F.2.1.3.1.
	st.dc = [maxComponents]int32{}
	// Reset the progressive decoder state, as per section G.1.2.2.
	d.eobRun = 0
	return nil
}

// decodeBlock decodes the block at (bx, by) of the scan's i-th component:
// into the progressive state, or, for a sequential scan, through to the
// image.
func (d *decoder) decodeBlock(s *scanHeader, i, bx, by, mxx int, st *scanState) error {
	c := s.comp[i]
	compIndex := int(c.compIndex)
	if d.progressive {
		p := &d.prog[compIndex]
		blk := by*mxx*d.comp[compIndex].h + bx
		if s.ah != 0 {
			return d.refine(p, blk, &d.huff[acTable][c.ta], s.zigStart, s.zigEnd, 1<<s.al)
		}
		return d.decodeFirst(p, blk, &d.huff[dcTable][c.td], &d.huff[acTable][c.ta], s.zigStart, s.zigEnd, s.al, &st.dc[compIndex])
	}

	dcDelta, err := d.decodeDC(&d.huff[dcTable][c.td])
	if err != nil {
		return err
	}
	st.dc[compIndex] += dcDelta
	b := &st.b
	b[0] = st.dc[compIndex]
	last, err := d.decodeAC(b, &d.huff[acTable][c.ta], s.zigEnd)
	if err != nil {
		return err
	}
	err = d.reconstructBlock(b, bx, by, compIndex, last)
	// Leave b zero for the next block. The reduced IDCT reads only the
	// top-left bs×bs coefficients (d.bs is the largest of any component),
	// decodeAC wrote only inside the zigSpan[last] square and the IDCT only
	// in its first rows: only those rows of the top-left bs×bs need
	// clearing.
	if bs := d.bs; bs == 8 {
		*b = dct.Block{}
	} else {
		for r := 0; r < min(bs, int(zigSpan[last])); r++ {
			clear(b[8*r : 8*r+bs])
		}
	}
	return err
}

// zigSpan[z] is the side of the smallest top-left square of a block that
// holds the coefficients at zig-zag indices 0 to z: a block whose last
// non-zero coefficient is at z needs only that square of its IDCT.
var zigSpan = func() (s [dct.BlockSize]int8) {
	m := 0
	for z, n := range dct.Unzig {
		m = max(m, n/8+1, n%8+1)
		s[z] = int8(m)
	}
	return s
}()

// decodeDC decodes the difference of a block's DC coefficient with the
// previous block's, as specified in section F.2.2.1: in the usual case, a
// code of up to lutSize bits, with one look-up in lut and the magnitude
// read inline.
func (d *decoder) decodeDC(h *huffman) (int32, error) {
	if d.bits.n < 32 {
		d.refill()
	}
	if d.bits.n >= 32 {
		if v := h.lut[(d.bits.a>>uint32(d.bits.n-lutSize))&(1<<lutSize-1)]; v != 0 && v>>8 <= 16 {
			n := d.bits.n - (int32(v&0xff) - 1)
			size := uint32(v >> 8)
			if size == 0 {
				d.bits.n = n
				return 0, nil
			}
			n -= int32(size)
			x := int32(d.bits.a>>uint32(n)) & (1<<size - 1)
			if x < 1<<(size-1) {
				x += -1<<size + 1
			}
			d.bits.n = n
			return x, nil
		}
	}
	value, err := d.decodeHuffman(h)
	if err != nil {
		return 0, err
	}
	if value > 16 {
		return 0, UnsupportedError("excessive DC component")
	}
	return d.receiveExtend(value)
}

// decodeAC decodes the AC coefficients of a sequential block into b, as
// specified in section F.2.2.2. It is the hot loop of baseline decoding,
// with the bit accumulator held in locals and refilled whenever it holds
// fewer than 32 bits, enough for any code of up to lutSize bits with its
// magnitude: most coefficients take one fastAC look-up (code and magnitude
// together); other codes of up to lutSize bits take one look-up in lut and
// read their magnitude inline; only longer codes, and the last bits before
// a marker, go through decodeHuffman. It returns the zig-zag index of the last
// non-zero coefficient it stored (0 if none).
func (d *decoder) decodeAC(b *dct.Block, huff *huffman, zigEnd int32) (last int32, err error) {
	acc, n := d.bits.a, d.bits.n
	for zig := int32(1); zig <= zigEnd; zig++ {
		if n < 32 {
			d.bits.a, d.bits.n = acc, n
			d.refill()
			acc, n = d.bits.a, d.bits.n
		}
		if n >= 32 {
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
					b[dct.Unzig[zig]&(dct.BlockSize-1)] = v
					last = zig
				}
				continue
			}
			if v := huff.lut[(acc>>uint32(n-lutSize))&(1<<lutSize-1)]; v != 0 {
				n -= int32(v&0xff) - 1
				run, size := int32(v>>12), uint32(v>>8)&0x0f
				if size == 0 {
					if run != 0x0f {
						break // End of block.
					}
					zig += 0x0f
					continue
				}
				zig += run
				if zig > zigEnd {
					break
				}
				// RECEIVE and EXTEND (section F.2.2.1).
				n -= int32(size)
				x := int32(acc>>uint32(n)) & (1<<size - 1)
				if x < 1<<(size-1) {
					x += -1<<size + 1
				}
				b[dct.Unzig[zig]&(dct.BlockSize-1)] = x
				last = zig
				continue
			}
		}

		// A long code, or the end of the segment is near.
		d.bits.a, d.bits.n = acc, n
		z, stored, end, err := d.decodeACSlow(b, huff, zig, zigEnd)
		if err != nil {
			return 0, err
		}
		if stored {
			last = z
		}
		zig = z
		acc, n = d.bits.a, d.bits.n
		if end {
			break
		}
	}
	d.bits.a, d.bits.n = acc, n
	return last, nil
}

// decodeACSlow decodes the coefficient at zig-zag index zig on (after its
// run of zeros) through the general decoder. It returns the index reached,
// whether it stored a coefficient there, and whether the block ended.
func (d *decoder) decodeACSlow(b *dct.Block, huff *huffman, zig, zigEnd int32) (int32, bool, bool, error) {
	value, err := d.decodeHuffman(huff)
	if err != nil {
		return 0, false, false, err
	}
	val0 := value >> 4
	val1 := value & 0x0f
	if val1 == 0 {
		if val0 != 0x0f {
			return zig, false, true, nil // End of block.
		}
		return zig + 0x0f, false, false, nil
	}
	zig += int32(val0)
	if zig > zigEnd {
		return zig, false, true, nil
	}
	ac, err := d.receiveExtend(val1)
	if err != nil {
		return 0, false, false, err
	}
	b[dct.Unzig[zig]] = ac
	return zig, true, false, nil
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
