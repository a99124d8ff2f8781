package jpegscale

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Every reduced IDCT, whatever the number k of non-zero rows and columns,
// must be within one level of the exact n-point IDCT in floating point.
func TestScaledIDCTMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 8; n++ {
		for k := 1; k <= n; k++ {
			for trial := 0; trial < 200; trial++ {
				var b block
				for v := 0; v < k; v++ {
					for u := 0; u < k; u++ {
						// Dequantized coefficients of 8-bit images: a DC up
						// to ±1024 and smaller AC terms.
						b[8*v+u] = int32(rng.IntN(2049) - 1024)
						if u+v > 0 {
							b[8*v+u] /= int32(1 + u + v)
						}
					}
				}
				want := exactIDCT(&b, n)
				var got [64]byte
				c := b
				idctScaled(&c, n, k, got[:], 8)
				for j := 0; j < n; j++ {
					for i := 0; i < n; i++ {
						if d := int(got[8*j+i]) - int(want[8*j+i]); d < -1 || d > 1 {
							t.Fatalf("n=%d k=%d: pixel (%d, %d) is %d, want %d", n, k, i, j, got[8*j+i], want[8*j+i])
						}
					}
				}
			}
		}
	}
}

// exactIDCT is the n-point IDCT with the 8-point normalisation, in float64.
func exactIDCT(b *block, n int) (out [64]byte) {
	c := func(u int) float64 {
		if u == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			var s float64
			for v := 0; v < n; v++ {
				for u := 0; u < n; u++ {
					s += c(u) * c(v) * float64(b[8*v+u]) *
						math.Cos(float64((2*i+1)*u)*math.Pi/float64(2*n)) * math.Cos(float64((2*j+1)*v)*math.Pi/float64(2*n))
				}
			}
			out[8*j+i] = byte(min(255, max(0, math.Round(s/4+128))))
		}
	}
	return out
}
