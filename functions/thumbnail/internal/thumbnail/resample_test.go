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

// The unrolled passes must agree with the loops they unroll.
func TestUnrolledPassesMatch(t *testing.T) {
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*37 + i*i)
	}
	rows := make([][]byte, 12)
	for k := range rows {
		rows[k] = src[k*7 : k*7+200]
	}
	for n := 2; n < len(rowFuncs); n++ {
		in := 100 + 13*n
		tp := newTaps(in, 100, float64(in)/100, catmullRom)
		if tp.n > n {
			continue
		}
		tp = padTaps(tp, n)
		want, got := make([]byte, 100), make([]byte, 100)
		tp.rowAny(want, src)
		rowFuncs[n](&tp, got, src)
		if string(got) != string(want) {
			t.Errorf("row1x%d differs from rowAny", n)
		}
		w := tp.w[:n]
		columnAny(want, rows[:n], w, make([]int32, 100))
		columnFuncs[n](got, rows[:n], w)
		if string(got) != string(want) {
			t.Errorf("column%d differs from columnAny", n)
		}
	}
}

// padTaps widens t to n taps per output with zero weights.
func padTaps(t taps, n int) taps {
	out := taps{in: t.in, out: t.out, n: n, start: make([]int32, t.out), w: make([]int16, t.out*n)}
	for i := range t.out {
		out.start[i] = min(t.start[i], int32(t.in-n))
		copy(out.w[i*n+int(t.start[i]-out.start[i]):], t.w[i*t.n:(i+1)*t.n])
	}
	return out
}
