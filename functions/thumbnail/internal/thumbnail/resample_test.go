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

// The unrolled passes must agree with the loops they unroll, for every
// number of taps, with weights of either sign.
func TestUnrolledPassesMatch(t *testing.T) {
	src := make([]byte, 4*300)
	for i := range src {
		src[i] = byte(i*37 + i*i)
	}
	rows := make([][]byte, 12)
	for k := range rows {
		rows[k] = src[k*7 : k*7+200]
	}
	for n := 2; n < len(rowFuncs); n++ {
		tp := syntheticTaps(200, 100, n)
		want, got := make([]byte, 100), make([]byte, 100)
		tp.rowAny(want, src)
		rowFuncs[n](&tp, got, src)
		if string(got) != string(want) {
			t.Errorf("row1x%d differs from rowAny", n)
		}
		want4, got4 := make([]byte, 4*100), make([]byte, 4*100)
		tp.row4Any(want4, src)
		row4Funcs[n](&tp, got4, src)
		if string(got4) != string(want4) {
			t.Errorf("row4x%d differs from row4Any", n)
		}
		w := tp.w[:n]
		columnAny(want, rows[:n], w, make([]int32, 100))
		columnFuncs[n](got, rows[:n], w)
		if string(got) != string(want) {
			t.Errorf("column%d differs from columnAny", n)
		}
	}
}

// syntheticTaps resamples in samples to out with n taps each, spread over
// the input, with weights of both signs summing to one.
func syntheticTaps(in, out, n int) taps {
	t := taps{in: in, out: out, n: n, start: make([]int32, out), w: make([]int16, out*n)}
	for i := range out {
		t.start[i] = int32(i * (in - n) / (out - 1))
		sum := 0
		for k := range n - 1 {
			w := (i*31+k*17)%3000 - 900
			t.w[i*n+k] = int16(w)
			sum += w
		}
		t.w[i*n+n-1] = int16(weightOne - sum)
	}
	return t
}
