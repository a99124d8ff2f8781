package thumbnail

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkResize measures the resampling passes alone, on a synthetic
// 2048×1536 plane, to the tap counts the engine uses most (Lanczos 3 at
// ratios 2 and 4, Catmull-Rom at ratio 2) and to one past the unrolled
// functions (Lanczos 3 at ratio 8): go test -run '^$' -bench Resize.
func BenchmarkResize(b *testing.B) {
	const w, h = 2048, 1536
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []int{1, 4} {
		src := newPlane(w, h, c)
		for i := range src.pix {
			src.pix[i] = byte(rng.IntN(256))
		}
		for _, tc := range []struct {
			name  string
			ratio int
			k     kernel
		}{
			{"lanczos3/2", 2, lanczos3},
			{"lanczos3/4", 4, lanczos3},
			{"lanczos3/8", 8, lanczos3},
			{"catmullrom/2", 2, catmullRom},
		} {
			name := map[int]string{1: "grey/", 4: "rgba/"}[c] + tc.name
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(src.pix)))
				for b.Loop() {
					resize(src, w/tc.ratio, h/tc.ratio, 1/float64(tc.ratio), 1/float64(tc.ratio), tc.k)
				}
			})
		}
	}
}
