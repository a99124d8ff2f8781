// Copyright 2026 The serverless-arch Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

import "math"

// Reduced-size inverse DCT.
//
// An 8×8 block's pixels are samples of the continuous function
//
//	f(x, y) = 1/4 Σ C(u) C(v) F(v, u) cos((2x+1)uπ/16) cos((2y+1)vπ/16),  C(0) = 1/√2, else 1.
//
// To produce an n×n block (n = 4, 2 or 1) we sample f at the centres of n×n
// cells, x = (2i+1)·8/(2n) − ½, which turns cos((2x+1)uπ/16) into
// cos((2i+1)uπ/(2n)): an n-point IDCT with the 8-point normalisation.
// Frequencies u, v ≥ n cannot be represented at the lower sampling rate and
// are dropped, which makes this an ideal low-pass filter within the block, so
// only the top-left n×n coefficients are ever needed. libjpeg's scaled IDCTs
// (jidctint.c, IJG v7 and later) use the same construction.

// idctFrac is the number of fractional bits of the fixed-point cosines.
const idctFrac = 13

// idctMatrix[n][i][u] = ½·C(u)·cos((2i+1)uπ/(2n)) in fixed point, for n = 4.
// (n = 2 has an exact integer form in idctScaled.)
var idctMatrix = func() (m [5][4][4]int64) {
	for _, n := range []int{4} {
		for i := 0; i < n; i++ {
			for u := 0; u < n; u++ {
				c := 1.0
				if u == 0 {
					c = 1 / math.Sqrt2
				}
				v := 0.5 * c * math.Cos(float64((2*i+1)*u)*math.Pi/float64(2*n))
				m[n][i][u] = int64(math.Round(v * (1 << idctFrac)))
			}
		}
	}
	return m
}()

// idctScaled turns the top-left n×n dequantized coefficients of b (natural
// order) into n×n pixels written to dst with the given stride. n is 1, 2 or 4.
func idctScaled(b *block, n int, dst []byte, stride int) {
	if n == 1 {
		// f = F(0,0)/8, rounded, level-shifted by 128.
		dst[0] = clamp((int64(b[0])+4)>>3 + 128)
		return
	}
	if n == 2 {
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
	m := &idctMatrix[n]
	// Rows: t[v][i] = Σ_u m[i][u]·F(v, u), in Q.idctFrac.
	var t [4][4]int64
	for v := 0; v < n; v++ {
		row := b[8*v : 8*v+n]
		for i := 0; i < n; i++ {
			var s int64
			for u, f := range row {
				s += m[i][u] * int64(f)
			}
			t[v][i] = s
		}
	}
	// Columns: p[j][i] = Σ_v m[j][v]·t[v][i], in Q.2·idctFrac.
	const half = 1 << (2*idctFrac - 1)
	for j := 0; j < n; j++ {
		out := dst[j*stride : j*stride+n]
		for i := range out {
			var s int64
			for v := 0; v < n; v++ {
				s += m[j][v] * t[v][i]
			}
			out[i] = clamp((s+half)>>(2*idctFrac) + 128)
		}
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
