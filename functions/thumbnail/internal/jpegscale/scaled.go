// Copyright 2026 The serverless-arch Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

import "github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"

// Reduced-size inverse DCT.
//
// An 8×8 block's pixels are samples of the continuous function
//
//	f(x, y) = 1/4 Σ C(u) C(v) F(v, u) cos((2x+1)uπ/16) cos((2y+1)vπ/16),  C(0) = 1/√2, else 1.
//
// To produce an n×n block (n from 1 to 7) we sample f at the centres of n×n
// cells, x = (2i+1)·8/(2n) − ½, which turns cos((2x+1)uπ/16) into
// cos((2i+1)uπ/(2n)): an n-point IDCT with the 8-point normalisation.
// Frequencies u, v ≥ n cannot be represented at the lower sampling rate and
// are dropped, which makes this an ideal low-pass filter within the block, so
// only the top-left n×n coefficients are ever needed. libjpeg's scaled IDCTs
// (jidctint.c, IJG v7 and later) use the same construction. The transform is
// separable, so a block may shrink by different factors across and down:
// the chroma of a 4:2:2 picture, already halved across, can be halved down
// at decoding to make it 4:2:0.

// idctFrac is the number of fractional bits of the fixed-point cosines;
// the row pass keeps pass1Bits of its result's fraction, as libjpeg's
// jidctint.c does (CONST_BITS 13, PASS1_BITS 2). For the coefficients of
// 8-bit images every sum fits in 32 bits.
const (
	idctFrac  = 13
	pass1Bits = 2
)

// idctScaled turns the top-left nx×ny dequantized coefficients of b
// (natural order) into a block of nx×ny pixels (nx across, ny down) written
// to dst with the given stride; nx and ny are 1 to 7. Only the top-left k×k
// coefficients may be non-zero: only the first min(k, ny) rows are
// transformed before the nx columns, so the smooth blocks that dominate most
// photographs, with only a few low frequencies, cost little, and a block
// with only its DC coefficient is a flat fill. It may overwrite those rows
// of b up to column nx.
func idctScaled(b *dct.Block, nx, ny, k int, dst []byte, stride int) {
	if k <= 1 {
		// f = F(0,0)/8, rounded, level-shifted by 128.
		v := clamp((int64(b[0])+4)>>3 + 128)
		for j := 0; j < ny; j++ {
			row := dst[j*stride : j*stride+nx]
			for i := range row {
				row[i] = v
			}
		}
		return
	}
	if nx*ny == 2 {
		// 2×1 or 1×2: (F00 ± F01)/8 or (F00 ± F10)/8, exact in integers.
		f0, f1 := int64(b[0]), int64(b[1])
		if ny == 2 {
			f1 = int64(b[8])
		}
		dst[0] = clamp((f0+f1+4)>>3 + 128)
		dst[(nx-1)+(ny-1)*stride] = clamp((f0-f1+4)>>3 + 128)
		return
	}
	if nx == 2 && ny == 2 {
		// All four 2-point basis values are ±1/(2√2), so each pixel is
		// (F00 ± F01 ± F10 ± F11)/8: exact in integers.
		f00, f01, f10, f11 := int64(b[0]), int64(b[1]), int64(b[8]), int64(b[9])
		s0, d0 := f00+f10, f00-f10 // column sums and differences
		s1, d1 := f01+f11, f01-f11
		dst[0] = clamp((s0+s1+4)>>3 + 128)
		dst[1] = clamp((s0-s1+4)>>3 + 128)
		dst[stride] = clamp((d0+d1+4)>>3 + 128)
		dst[stride+1] = clamp((d0-d1+4)>>3 + 128)
		return
	}
	if nx == ny && nx <= 4 {
		if nx == 3 {
			idct3(b, k, dst, stride)
		} else {
			idct4(b, k, dst, stride)
		}
		return
	}
	// Rows of coefficients, transformed in place in b, then columns.
	const s1 = idctFrac - pass1Bits
	kr := min(k, ny)
	for v := 0; v < kr; v++ {
		f := (*[8]int32)(b[8*v : 8*v+8])
		idct1D(nx, f)
		for i := 0; i < nx; i++ {
			f[i] = (f[i] + 1<<(s1-1)) >> s1
		}
	}
	const shift = idctFrac + pass1Bits
	const bias = 128<<shift + 1<<(shift-1)
	for i := 0; i < nx; i++ {
		var c [8]int32 // rows from kr on are zero
		for v := 0; v < kr; v++ {
			c[v] = b[8*v+i]
		}
		idct1D(ny, &c)
		for j := 0; j < ny; j++ {
			dst[j*stride+i] = clamp32((c[j] + bias) >> shift)
		}
	}
}

// idct1D is the n-point inverse DCT of f[:n] in place, with the 8-point
// normalisation's ½·C(u) folded in: outputs in Q.idctFrac more than the
// inputs.
func idct1D(n int, f *[8]int32) {
	switch n {
	case 1:
		f[0] *= k1Sqrt8
	case 2:
		f[0], f[1] = (f[0]+f[1])*k1Sqrt8, (f[0]-f[1])*k1Sqrt8
	case 3:
		idct3x(f)
	case 4:
		idct4x(f)
	case 5:
		idct5x(f)
	case 6:
		idct6x(f)
	default:
		idct7x(f)
	}
}

// Fixed-point constants of the 3- and 4-point IDCTs: ½·C(u)·cos(θ) in
// Q.idctFrac, with the even part's 1/√2 from C(0) and cos(π/4).
const (
	k1Sqrt8  = 2896 // ½·(1/√2)
	kSqrt3_4 = 3547 // ½·(√3/2)
	kQuarter = 2048 // ½·½
	kCos1_8  = 3784 // ½·cos(π/8)
	kCos3_8  = 1567 // ½·cos(3π/8)
)

// idct3x: with a = F0/√2, b = (√3/2)·F1 and c = ½·F2, the 3-point IDCT is
// ½·(a+b+c, a−2c, a−b+c).
func idct3x(f *[8]int32) {
	a, b, c := f[0]*k1Sqrt8, f[1]*kSqrt3_4, f[2]*kQuarter
	f[0], f[1], f[2] = a+b+c, a-2*c, a-b+c
}

// idct4x: even part e = (F0 ± F2)/√2, odd part o = (F1·cos(π/8) +
// F3·cos(3π/8), F1·cos(3π/8) − F3·cos(π/8)), outputs ½·(e0+o0, e1+o1,
// e1−o1, e0−o0).
func idct4x(f *[8]int32) {
	e0, e1 := (f[0]+f[2])*k1Sqrt8, (f[0]-f[2])*k1Sqrt8
	o0, o1 := f[1]*kCos1_8+f[3]*kCos3_8, f[1]*kCos3_8-f[3]*kCos1_8
	f[0], f[1], f[2], f[3] = e0+o0, e1+o1, e1-o1, e0-o0
}

// idct3 is idctScaled for 3×3 blocks, with idct3x unrolled: with
// a = F0/√2, b = (√3/2)·F1 and c = ½·F2, the 3-point IDCT is
// ½·(a+b+c, a−2c, a−b+c).
func idct3(b *dct.Block, k int, dst []byte, stride int) {
	var t [3][3]int32 // rows pass, in Q.pass1Bits
	const r1 = 1 << (idctFrac - pass1Bits - 1)
	for v := 0; v < k; v++ {
		f := b[8*v : 8*v+3 : 8*v+3]
		a, bb, c := f[0]*k1Sqrt8+r1, f[1]*kSqrt3_4, f[2]*kQuarter
		t[v] = [3]int32{(a + bb + c) >> (idctFrac - pass1Bits), (a - 2*c) >> (idctFrac - pass1Bits), (a - bb + c) >> (idctFrac - pass1Bits)}
	}
	const shift = idctFrac + pass1Bits
	const bias = 128<<shift + 1<<(shift-1)
	for i := 0; i < 3; i++ {
		a, bb, c := t[0][i]*k1Sqrt8+bias, t[1][i]*kSqrt3_4, t[2][i]*kQuarter
		dst[i] = clamp32((a + bb + c) >> shift)
		dst[stride+i] = clamp32((a - 2*c) >> shift)
		dst[2*stride+i] = clamp32((a - bb + c) >> shift)
	}
}

// idct4 is idctScaled for 4×4 blocks, with idct4x unrolled: even part
// e = (F0 ± F2)/√2, odd part o = (F1·cos(π/8) + F3·cos(3π/8),
// F1·cos(3π/8) − F3·cos(π/8)), outputs ½·(e0+o0, e1+o1, e1−o1, e0−o0).
func idct4(b *dct.Block, k int, dst []byte, stride int) {
	var t [4][4]int32 // rows pass, in Q.pass1Bits
	const r1 = 1 << (idctFrac - pass1Bits - 1)
	const s1 = idctFrac - pass1Bits
	for v := 0; v < k; v++ {
		f := b[8*v : 8*v+4 : 8*v+4]
		e0, e1 := (f[0]+f[2])*k1Sqrt8+r1, (f[0]-f[2])*k1Sqrt8+r1
		o0, o1 := f[1]*kCos1_8+f[3]*kCos3_8, f[1]*kCos3_8-f[3]*kCos1_8
		t[v] = [4]int32{(e0 + o0) >> s1, (e1 + o1) >> s1, (e1 - o1) >> s1, (e0 - o0) >> s1}
	}
	const shift = idctFrac + pass1Bits
	const bias = 128<<shift + 1<<(shift-1)
	for i := 0; i < 4; i++ {
		e0, e1 := (t[0][i]+t[2][i])*k1Sqrt8+bias, (t[0][i]-t[2][i])*k1Sqrt8+bias
		o0, o1 := t[1][i]*kCos1_8+t[3][i]*kCos3_8, t[1][i]*kCos3_8-t[3][i]*kCos1_8
		dst[i] = clamp32((e0 + o0) >> shift)
		dst[stride+i] = clamp32((e1 + o1) >> shift)
		dst[2*stride+i] = clamp32((e1 - o1) >> shift)
		dst[3*stride+i] = clamp32((e0 - o0) >> shift)
	}
}

func clamp(v int64) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

func clamp32(v int32) byte {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return byte(v)
}
