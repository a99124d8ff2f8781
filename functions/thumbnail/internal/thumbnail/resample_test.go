package thumbnail

import (
	"testing"
)

// Every output's weights sum to exactly one, whatever the sizes and scale,
// and stay within the input.
func TestTapsSumToOne(t *testing.T) {
	for _, k := range []kernel{catmullRom, lanczos3} {
		for _, c := range [][2]int{{1, 1}, {5, 1}, {100, 37}, {1920, 1024}, {1024, 1024}, {37, 100}, {3, 7}, {8192, 128}} {
			in, out := c[0], c[1]
			tp := newTaps(in, out, float64(in)/float64(out), k)
			for i := range out {
				sum := 0
				for _, w := range tp.w[i*tp.n : (i+1)*tp.n] {
					sum += int(w)
				}
				if sum != weightOne {
					t.Fatalf("%d→%d output %d: weights sum to %d", in, out, i, sum)
				}
				if s := int(tp.start[i]); s < 0 || s+tp.n > in {
					t.Fatalf("%d→%d output %d: taps [%d, %d) outside the input", in, out, i, s, s+tp.n)
				}
			}
		}
	}
}

// A flat plane stays exactly flat, and a plane resized to its own size is
// unchanged.
func TestResizeFlatAndIdentity(t *testing.T) {
	flat := newPlane(301, 155, 4)
	for i := range flat.pix {
		flat.pix[i] = byte(77 + i%4)
	}
	got := resize(flat, 64, 33, 301.0/64, 155.0/33, lanczos3)
	for i, v := range got.pix {
		if v != byte(77+i%4) {
			t.Fatalf("flat plane: sample %d is %d, want %d", i, v, 77+i%4)
		}
	}
	ramp := newPlane(50, 20, 1)
	for i := range ramp.pix {
		ramp.pix[i] = byte(i * 7)
	}
	same := resize(ramp, 50, 20, 1, 1, catmullRom)
	for i, v := range same.pix {
		if v != ramp.pix[i] {
			t.Fatalf("identity: sample %d is %d, want %d", i, v, ramp.pix[i])
		}
	}
}
