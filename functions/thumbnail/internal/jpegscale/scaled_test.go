package jpegscale

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/dct"
)

// Every reduced IDCT, square or not, whatever the number k of non-zero rows
// and columns, must be within one level of the exact IDCT in floating point.
func TestScaledIDCTMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	trials := 200
	if testing.Short() {
		trials = 20
	}
	for nxy := 0; nxy < 7*7; nxy++ {
		nx, ny := 1+nxy%7, 1+nxy/7
		for k := 1; k <= max(nx, ny); k++ {
			for range trials {
				var b dct.Block
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
				want := exactIDCT(&b, nx, ny)
				var got [64]byte
				c := b
				idctScaled(&c, nx, ny, k, got[:], 8)
				for j := 0; j < ny; j++ {
					for i := 0; i < nx; i++ {
						if d := int(got[8*j+i]) - int(want[8*j+i]); d < -1 || d > 1 {
							t.Fatalf("%dx%d k=%d: pixel (%d, %d) is %d, want %d", nx, ny, k, i, j, got[8*j+i], want[8*j+i])
						}
					}
				}
			}
		}
	}
}

// exactIDCT is the nx×ny-point IDCT with the 8-point normalisation, in
// float64.
func exactIDCT(b *dct.Block, nx, ny int) (out [64]byte) {
	c := func(u int) float64 {
		if u == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			var s float64
			for v := 0; v < ny; v++ {
				for u := 0; u < nx; u++ {
					s += c(u) * c(v) * float64(b[8*v+u]) *
						math.Cos(float64((2*i+1)*u)*math.Pi/float64(2*nx)) * math.Cos(float64((2*j+1)*v)*math.Pi/float64(2*ny))
				}
			}
			out[8*j+i] = byte(min(255, max(0, math.Round(s/4+128))))
		}
	}
	return out
}
