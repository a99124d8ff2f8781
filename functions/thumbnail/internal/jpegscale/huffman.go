// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// This file started as a copy of Go's image/jpeg/huffman.go. Changes: a
// 64-bit bit accumulator filled several bytes at a time (refill), and a
// look-up table that decodes a whole AC coefficient at once (fastAC).

package jpegscale

import (
	"encoding/binary"
	"io"
)

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutSize is the log-2 size of the Huffman decoder's look-up table
// (image/jpeg's is 8): the common codes of detailed photographs are up to 10
// bits long.
const lutSize = 10

// fastACBits is the log-2 size of the fastAC look-up table.
const fastACBits = 10

// acEntry describes one AC coefficient decodable from fastACBits bits: the
// low 8 bits are the number of bits it takes (code plus magnitude), the next
// 8 the run of zeros before it (acEOB for end of block), the high 16 its
// value. Zero means "use the general decoder".
type acEntry int32

const acEOB = 0xff

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// length is the number of codes in the tree.
	nCodes int32
	// lut is the look-up table for the next lutSize bits in the bit-stream.
	// The high 8 bits of the uint16 are the encoded value. The low 8 bits
	// are 1 plus the code length, or 0 if the value is too large to fit in
	// lutSize bits.
	lut [1 << lutSize]uint16
	// fastAC decodes a whole AC coefficient (code and magnitude bits) from
	// the next fastACBits bits, for the common short codes; see acEntry.
	fastAC [1 << fastACBits]acEntry
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] is the minimum code of length i, or -1 if there are no
	// codes of that length.
	minCodes [maxCodeLength]int32
	// maxCodes[i] is the maximum code of length i, or -1 if there are no
	// codes of that length.
	maxCodes [maxCodeLength]int32
	// valsIndices[i] is the index into vals of minCodes[i].
	valsIndices [maxCodeLength]int32
}

// errShortHuffmanData means that an unexpected EOF occurred while decoding
// Huffman data.
var errShortHuffmanData = FormatError("short Huffman data")

// refill moves entropy-coded bytes already in the byte buffer into the
// accumulator, unstuffing 0xff 0x00, until it holds more than 56 bits, a
// marker is next, or fewer than two bytes are buffered. It never reads from
// d.r and never consumes a marker, so it can run ahead of the decoder freely.
//
// Most of the time the next eight buffered bytes hold no 0xff: they are
// then loaded at once, as many as fit.
func (d *decoder) refill() {
	if i := d.bytes.i; i+8 <= d.bytes.j && d.bits.n <= 56 {
		v := binary.BigEndian.Uint64(d.bytes.buf[i : i+8])
		if x := ^v; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
			k := (63 - d.bits.n) >> 3 // whole bytes that fit: 1 to 7
			d.bits.a = d.bits.a<<(8*uint(k)) | v>>(64-8*uint(k))
			d.bits.n += 8 * k
			d.bytes.i += int(k)
			d.bytes.nUnreadable = 1
			return
		}
	}
	for d.bits.n <= 56 && d.bytes.i+1 < d.bytes.j {
		x := d.bytes.buf[d.bytes.i]
		if x != 0xff {
			d.bytes.i++
			d.bytes.nUnreadable = 1
		} else if d.bytes.buf[d.bytes.i+1] == 0x00 {
			d.bytes.i += 2
			d.bytes.nUnreadable = 2
		} else {
			return
		}
		d.bits.a = d.bits.a<<8 | uint64(x)
		d.bits.n += 8
	}
}

// ensureNBits reads bytes from the byte buffer to ensure that d.bits.n is at
// least n. For best performance (avoiding function calls inside hot loops),
// the caller is the one responsible for first checking that d.bits.n < n.
func (d *decoder) ensureNBits(n int32) error {
	for {
		d.refill()
		if d.bits.n >= n {
			return nil
		}
		// Near the end of the buffer or at a marker: one byte at a time,
		// refilling the buffer from d.r, as image/jpeg does.
		c, err := d.readByteStuffedByte()
		if err != nil {
			if err == io.ErrUnexpectedEOF {
				return errShortHuffmanData
			}
			return err
		}
		d.bits.a = d.bits.a<<8 | uint64(c)
		d.bits.n += 8
		if d.bits.n >= n {
			return nil
		}
	}
}

// receiveExtend is the composition of RECEIVE and EXTEND, specified in section
// F.2.2.1.
func (d *decoder) receiveExtend(t uint8) (int32, error) {
	if d.bits.n < int32(t) {
		if err := d.ensureNBits(int32(t)); err != nil {
			return 0, err
		}
	}
	d.bits.n -= int32(t)
	s := int32(1) << t
	x := int32(d.bits.a>>uint8(d.bits.n)) & (s - 1)
	if x < s>>1 {
		x += ((-1) << t) + 1
	}
	return x, nil
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(d.tmp[:17]); err != nil {
			return err
		}
		tc := d.tmp[0] >> 4
		if tc > maxTc {
			return FormatError("bad Tc value")
		}
		th := d.tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return FormatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// Read nCodes and h.vals (and derive h.nCodes).
		// nCodes[i] is the number of codes with code length i.
		// h.nCodes is the total number of codes.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(d.tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return FormatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return FormatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return FormatError("DHT has wrong length")
		}
		if err := d.readFull(h.vals[:h.nCodes]); err != nil {
			return err
		}

		h.deriveLUT(&nCodes)
		h.deriveFastAC(&nCodes)
		h.deriveCodes(&nCodes)
	}
	return nil
}

// deriveLUT fills h.lut: every code of length l ≤ lutSize, at every
// lutSize-bit index it prefixes.
func (h *huffman) deriveLUT(nCodes *[maxCodeLength]int32) {
	clear(h.lut[:])
	var x, code uint32
	for i := uint32(0); i < lutSize; i++ {
		code <<= 1
		for j := int32(0); j < nCodes[i]; j++ {
			// The codeLength is 1+i, so shift code by lutSize-(1+i) to
			// calculate the high bits for every lutSize-bit sequence
			// whose codeLength's high bits matches code.
			// The high 8 bits of lutValue are the encoded value.
			// The low 8 bits are 1 plus the codeLength.
			// code < 1<<(i+1) holds for valid (prefix-free) tables only.
			if code < 1<<(i+1) {
				base := code << (lutSize - 1 - i)
				lutValue := uint16(h.vals[x])<<8 | uint16(2+i)
				for k := uint32(0); k < 1<<(lutSize-1-i); k++ {
					h.lut[base|k] = lutValue
				}
			}
			code++
			x++
		}
	}
}

// deriveFastAC fills h.fastAC: every code of length l ≤ fastACBits whose
// magnitude bits also fit, at every fastACBits-bit index it prefixes.
func (h *huffman) deriveFastAC(nCodes *[maxCodeLength]int32) {
	clear(h.fastAC[:])
	var code, x uint32
	for l := uint32(1); l <= maxCodeLength; l++ {
		for j := int32(0); j < nCodes[l-1]; j++ {
			sym := h.vals[x]
			run, size := uint32(sym>>4), uint32(sym&0x0f)
			// code < 1<<l holds for valid (prefix-free) tables only.
			if l+size <= fastACBits && code < 1<<l && (size != 0 || run == 0 || run == 0x0f) {
				for k := uint32(0); k < 1<<(fastACBits-l); k++ {
					idx := code<<(fastACBits-l) | k
					var e acEntry
					switch {
					case size == 0 && run == 0:
						e = acEntry(acEOB<<8 | l)
					case size == 0: // ZRL: sixteen zeros.
						e = acEntry(run<<8 | l)
					default:
						v := int32(k >> (fastACBits - l - size)) // the magnitude bits
						if v < 1<<(size-1) {
							v += -1<<size + 1
						}
						e = acEntry(v<<16 | int32(run<<8|(l+size)))
					}
					h.fastAC[idx] = e
				}
			}
			code++
			x++
		}
		code <<= 1
	}
}

// deriveCodes fills h.minCodes, h.maxCodes and h.valsIndices.
func (h *huffman) deriveCodes(nCodes *[maxCodeLength]int32) {
	var c, index int32
	for i, n := range nCodes {
		if n == 0 {
			h.minCodes[i] = -1
			h.maxCodes[i] = -1
			h.valsIndices[i] = -1
		} else {
			h.minCodes[i] = c
			h.maxCodes[i] = c + n - 1
			h.valsIndices[i] = index
			c += n
			index += n
		}
		c <<= 1
	}
}

// decodeHuffman returns the next Huffman-coded value from the bit-stream,
// decoded according to h.
func (d *decoder) decodeHuffman(h *huffman) (uint8, error) {
	if h.nCodes == 0 {
		return 0, FormatError("uninitialized Huffman table")
	}

	if d.bits.n < lutSize {
		if err := d.ensureNBits(lutSize); err != nil {
			if err != errMissingFF00 && err != errShortHuffmanData {
				return 0, err
			}
			// There are no more bytes of data in this segment, but we may still
			// be able to read the next symbol out of the previously read bits.
			// First, undo the readByte that the ensureNBits call made: it
			// consumed bytes without adding them to d.bits, so, unlike
			// unreadByteStuffedByte, leave d.bits alone (image/jpeg only
			// gets here with fewer than 8 bits, where the two agree).
			d.bytes.i -= d.bytes.nUnreadable
			d.bytes.nUnreadable = 0
			goto slowPath
		}
	}
	if v := h.lut[(d.bits.a>>uint32(d.bits.n-lutSize))&(1<<lutSize-1)]; v != 0 {
		n := (v & 0xff) - 1
		d.bits.n -= int32(n)
		return uint8(v >> 8), nil
	}
	if d.bits.n < maxCodeLength {
		d.refill()
	}
	if d.bits.n >= maxCodeLength {
		return h.decodeLong(&d.bits)
	}

slowPath:
	for i, code := 0, int32(0); i < maxCodeLength; i++ {
		if d.bits.n == 0 {
			if err := d.ensureNBits(1); err != nil {
				return 0, err
			}
		}
		if d.bits.a>>uint32(d.bits.n-1)&1 != 0 {
			code |= 1
		}
		d.bits.n--
		if code <= h.maxCodes[i] {
			return h.vals[h.valsIndices[i]+code-h.minCodes[i]], nil
		}
		code <<= 1
	}
	return 0, FormatError("bad Huffman code")
}

// decodeLong decodes a code longer than lutSize bits from the next 16 bits
// of b: the code of length l is the first l bits if they are at most
// maxCodes[l-1], as in section F.2.2.3, but with the bits peeked at once
// rather than read one by one.
func (h *huffman) decodeLong(b *bits) (uint8, error) {
	peek := int32(b.a>>uint32(b.n-maxCodeLength)) & (1<<maxCodeLength - 1)
	for l := lutSize + 1; l <= maxCodeLength; l++ {
		code := peek >> (maxCodeLength - l)
		if code <= h.maxCodes[l-1] {
			// For a valid table the lut has every shorter code, and code
			// is at least minCodes[l-1]; a corrupt one may break both.
			i := h.valsIndices[l-1] + code - h.minCodes[l-1]
			if code < h.minCodes[l-1] || i >= h.nCodes {
				return 0, FormatError("bad Huffman code")
			}
			b.n -= int32(l)
			return h.vals[i], nil
		}
	}
	return 0, FormatError("bad Huffman code")
}

func (d *decoder) decodeBit() (bool, error) {
	if d.bits.n == 0 {
		if err := d.ensureNBits(1); err != nil {
			return false, err
		}
	}
	ret := d.bits.a>>uint32(d.bits.n-1)&1 != 0
	d.bits.n--
	return ret, nil
}

func (d *decoder) decodeBits(n int32) (uint32, error) {
	if d.bits.n < n {
		if err := d.ensureNBits(n); err != nil {
			return 0, err
		}
	}
	ret := uint32(d.bits.a >> uint32(d.bits.n-n))
	ret &= (1 << uint32(n)) - 1
	d.bits.n -= n
	return ret, nil
}
