package dct

import (
	"math"
	"math/rand/v2"
	"testing"
)

// reference is the 2-D DCT of JPEG's definition (ITU T.81 A.3.3) of the
// level-shifted samples in x, in float64.
func reference(x *Block) (f [BlockSize]float64) {
	alpha := func(u int) float64 {
		if u == 0 {
			return 1 / math.Sqrt2
		}
		return 1
	}
	for v := range 8 {
		for u := range 8 {
			var s float64
			for y := range 8 {
				for xx := range 8 {
					s += float64(x[8*y+xx]-128) *
						math.Cos(float64(2*xx+1)*float64(u)*math.Pi/16) *
						math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			f[8*v+u] = alpha(u) * alpha(v) / 4 * s
		}
	}
	return f
}

func randomBlock(r *rand.Rand, smooth bool) (b Block) {
	for i := range b {
		if smooth { // A gradient with a little noise, like a sky.
			b[i] = int32(min(255, 40+2*(i/8)+3*(i%8)+r.IntN(4)))
		} else {
			b[i] = int32(r.IntN(256))
		}
	}
	return b
}

// TestFDCTIsEightTimesJPEGsDCT checks the encoder's transform: the JPEG
// writer divides its output by 8×quantizer, so it must be 8×F(u,v).
func TestFDCTIsEightTimesJPEGsDCT(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		x := randomBlock(r, i%2 == 0)
		want := reference(&x)
		got := x
		FDCT(&got)
		for k := range got {
			if d := math.Abs(float64(got[k]) - 8*want[k]); d > 2 {
				t.Fatalf("block %d coefficient %d: %d, want %.2f", i, k, got[k], 8*want[k])
			}
		}
	}
}

// TestIDCTInvertsJPEGsDCT checks the decoder's transform: given F(u,v) it
// gives back the level-shifted samples, each within 1 of the original.
func TestIDCTInvertsJPEGsDCT(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		x := randomBlock(r, i%2 == 0)
		f := reference(&x)
		var b Block
		for k := range b {
			b[k] = int32(math.Round(f[k]))
		}
		IDCT(&b)
		for k := range b {
			if d := b[k] + 128 - x[k]; d < -1 || d > 1 {
				t.Fatalf("block %d sample %d: %d, want %d±1", i, k, b[k]+128, x[k])
			}
		}
	}
}

// TestUnzigIsAPermutationInZigZagOrder checks the table against the
// zig-zag walk of T.81 figure A.6: along the anti-diagonals, alternating
// direction.
func TestUnzigIsAPermutationInZigZagOrder(t *testing.T) {
	var want []int
	for d := range 15 {
		var diag []int
		for y := range 8 {
			if x := d - y; x >= 0 && x < 8 {
				diag = append(diag, 8*y+x)
			}
		}
		if d%2 == 0 { // Even diagonals run from bottom-left to top-right.
			for i, j := 0, len(diag)-1; i < j; i, j = i+1, j-1 {
				diag[i], diag[j] = diag[j], diag[i]
			}
		}
		want = append(want, diag...)
	}
	for z, n := range Unzig {
		if n != want[z] {
			t.Fatalf("Unzig[%d] = %d, want %d", z, n, want[z])
		}
	}
}
