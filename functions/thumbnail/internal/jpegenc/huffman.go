// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// The Huffman specifications below are copied from Go's image/jpeg/writer.go;
// the code tables, quantization and bit writer are new.

package jpegenc

import (
	"math/bits"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// huffmanSpec specifies a Huffman encoding.
type huffmanSpec struct {
	// count[i] is the number of codes of length i+1 bits.
	count [16]byte
	// value[i] is the decoded value of the i'th codeword.
	value []byte
}

// theHuffmanSpec is the Huffman encoding specifications.
//
// This encoder uses the same Huffman encoding for all images. It is also the
// same Huffman encoding used by section K.3 of the spec.
//
// The DC tables have 12 decoded values, called categories.
//
// The AC tables have 162 decoded values: bytes that pack a 4-bit Run and a
// 4-bit Size. There are 16 valid Runs and 10 valid Sizes, plus two special R|S
// cases: 0|0 (meaning EOB) and F|0 (meaning ZRL).
var theHuffmanSpec = [4]huffmanSpec{
	// Luminance DC.
	{
		[16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
		[]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
	},
	// Luminance AC.
	{
		[16]byte{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125},
		[]byte{
			0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12,
			0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
			0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
			0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
			0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16,
			0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
			0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39,
			0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
			0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
			0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
			0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
			0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
			0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
			0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
			0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
			0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
			0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4,
			0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
			0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
			0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
			0xf9, 0xfa,
		},
	},
	// Chrominance DC.
	{
		[16]byte{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
		[]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
	},
	// Chrominance AC.
	{
		[16]byte{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119},
		[]byte{
			0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21,
			0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
			0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
			0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
			0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34,
			0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
			0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38,
			0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
			0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
			0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
			0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
			0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
			0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96,
			0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
			0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
			0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
			0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2,
			0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
			0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9,
			0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
			0xf9, 0xfa,
		},
	},
}

// codeTable maps a Huffman symbol (a DC category, or an AC run<<4|size) to
// its code: the code length in bits in the high 8 bits, the code in the low
// 24.
type codeTable [256]uint32

// theCodes are the code tables of theHuffmanSpec: luminance DC, luminance AC,
// chrominance DC, chrominance AC.
var theCodes = func() (t [4]codeTable) {
	for i, s := range theHuffmanSpec {
		code, k := uint32(0), 0
		for n := range len(s.count) {
			for range s.count[n] {
				t[i][s.value[k]] = uint32(n+1)<<24 | code
				code++
				k++
			}
			code <<= 1
		}
	}
	return t
}()

// divisor divides by d = 8*quant, rounding to nearest (halves away from
// zero) as image/jpeg's div does, with a multiplication: for t < 2^24 and
// d < 2^11, floor(t/d) = (t * ceil(2^35/d)) >> 35 exactly (Granlund and
// Montgomery, "Division by invariant integers using multiplication", 1994).
// Forward DCT outputs are below 2^14 in magnitude. Most coefficients
// quantize to zero, which one comparison tells: |v| < d/2, that is
// uint32(v + d/2 - 1) <= d - 2.
type divisor struct {
	half uint64
	mul  uint64
	t    int32  // d/2 - 1
	zero uint32 // d - 2
}

func newDivisor(d uint32) divisor {
	return divisor{half: uint64(d / 2), mul: (1<<35 + uint64(d) - 1) / uint64(d), t: int32(d/2) - 1, zero: d - 2}
}

// writeBlock writes a block of pixel data using the given quantization table,
// returning the post-quantized DC value of the DCT-transformed block. b is in
// natural (not zig-zag) order.
func (e *encoder) writeBlock(b *dct.Block, q int, prevDC int32) int32 {
	dct.FDCT(b)
	var z [dct.BlockSize]int32
	nz := e.quantize(b, q, &z)
	dc := z[0]
	bw := e.bits
	bw.value(&theCodes[2*q], 0, dc-prevDC)
	// The AC coefficients: each non-zero one is coded with the run of zeros
	// before it, runs over 15 as ZRL (0xf0) codes, trailing zeros as EOB.
	ac := &theCodes[2*q+1]
	last := 0
	for m := nz &^ 1; m != 0; m &= m - 1 {
		zig := bits.TrailingZeros64(m)
		run := zig - last - 1
		for ; run > 15; run -= 16 {
			bw.code(ac[0xf0])
		}
		bw.value(ac, run, z[zig])
		last = zig
	}
	if last != dct.BlockSize-1 {
		bw.code(ac[0x00])
	}
	e.bits = bw
	return dc
}

// quantize divides the coefficients of b by the quantization table q into
// z, in zig-zag order, and returns the mask of the non-zero ones.
func (e *encoder) quantize(b *dct.Block, q int, z *[dct.BlockSize]int32) uint64 {
	var nz uint64
	div := &e.div[q]
	for zig := range dct.BlockSize {
		v := b[dct.Unzig[zig]&(dct.BlockSize-1)]
		d := &div[zig]
		if uint32(v+d.t) <= d.zero {
			z[zig] = 0
			continue
		}
		s := v >> 31 // -1 if negative, else 0
		a := uint64((v ^ s) - s)
		z[zig] = (int32((a+d.half)*d.mul>>35) ^ s) - s
		nz |= 1 << zig
	}
	return nz
}

// bitWriter accumulates the entropy-coded bit-stream: n bits, in the low
// bits of acc, not yet appended to *out. It is copied into a local variable
// for each block so that acc and n stay in registers.
type bitWriter struct {
	acc uint64
	n   uint
	out *[]byte
}

// value emits the code of run<<4|size, size being the bit length of
// value's magnitude, followed by size bits of value (one's complement for
// negative values), as specified in section F.1.2.
func (w *bitWriter) value(t *codeTable, run int, value int32) {
	a, b := value, value
	if a < 0 {
		a, b = -value, value-1
	}
	n := uint(bits.Len32(uint32(a)))
	c := t[run<<4|int(n)]
	w.emit(uint64(c&(1<<24-1))<<n|uint64(uint32(b)&(1<<n-1)), uint(c>>24)+n)
}

// code emits a code from a codeTable.
func (w *bitWriter) code(c uint32) {
	w.emit(uint64(c&(1<<24-1)), uint(c>>24))
}

// emit appends the n low bits of v (n ≤ 32) to the bit-stream.
func (w *bitWriter) emit(v uint64, n uint) {
	w.acc = w.acc<<n | v
	w.n += n
	if w.n >= 32 {
		w.flush32()
	}
}

// flush32 appends the oldest 32 accumulated bits to the output.
func (w *bitWriter) flush32() {
	w.n -= 32
	v := uint32(w.acc >> w.n)
	// A 0xff byte must be followed by a stuffed 0x00: v has one when ^v has
	// a zero byte.
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 {
		*w.out = append(*w.out, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
		return
	}
	for s := 24; s >= 0; s -= 8 {
		*w.out = append(*w.out, byte(v>>s))
		if byte(v>>s) == 0xff {
			*w.out = append(*w.out, 0x00)
		}
	}
}

// flushBytes writes the whole bytes left in the accumulator, dropping any
// remaining bits (the caller has padded the stream).
func (w *bitWriter) flushBytes() {
	for w.n >= 8 {
		w.n -= 8
		c := byte(w.acc >> w.n)
		*w.out = append(*w.out, c)
		if c == 0xff {
			*w.out = append(*w.out, 0x00)
		}
	}
}
