package pngstream

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkConvert measures the per-row colour conversion of the 8-bit and
// packed formats on a 2048-pixel row: go test -run '^$' -bench Convert.
func BenchmarkConvert(b *testing.B) {
	const width = 2048
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name        string
		cb, depth   int
		transparent bool
	}{
		{"grey8", cbG8, 8, false},
		{"grey8+tRNS", cbG8, 8, true},
		{"grey2", cbG2, 2, false},
		{"grey4+tRNS", cbG4, 4, true},
		{"paletted8", cbP8, 8, false},
		{"paletted4", cbP4, 4, false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d := decoder{cb: tc.cb, depth: tc.depth, width: width, useTransparent: tc.transparent}
			d.transparent[1] = 0x55
			for i := range d.palette {
				d.palette[i] = [4]byte{byte(i), byte(i), byte(i), 0xff}
			}
			src := make([]byte, (width*tc.depth+7)/8)
			for i := range src {
				src[i] = byte(rng.IntN(256))
			}
			dst := make([]byte, 4*width)
			b.SetBytes(int64(len(dst)))
			for b.Loop() {
				d.convert(dst, src)
			}
		})
	}
}
