package thumbnail

import "math"

// Resampling
//
// A thumbnail pixel is a weighted sum of the source pixels around its centre,
// the weights given by a kernel stretched by the reduction factor, and the
// sum is separable: rows first, then columns. imaging does this in float32
// on NRGBA pixels; here it is done in fixed point on 8-bit planes (Y, Cb and
// Cr separately, or interleaved premultiplied RGBA), which needs no colour
// conversion at all for JPEG in and out, and leaves chroma at its own,
// usually halved, resolution.
//
// Weights are Q14 integers summing to exactly 1<<14, so flat areas stay
// exactly flat; sums are 32-bit. Intermediate rows are rounded to 8 bits and
// clamped, as in imaging (the reference of the quality tests).

// kernel is a resampling filter: its support, in source pixels at scale 1
// on either side of the centre, and its shape, sampled every 1/kernelSteps
// of a pixel and interpolated linearly in between (newTaps evaluates it for
// every tap of every output, and sin is costly; the interpolation error,
// under 10⁻⁶, is far below the weights' Q14 rounding).
type kernel struct {
	support float64
	samples []float64
}

// kernelSteps is the number of samples of a kernel per source pixel.
const kernelSteps = 1024

// newKernel samples the even function f over [0, support].
func newKernel(support float64, f func(x float64) float64) kernel {
	k := kernel{support: support, samples: make([]float64, int(support*kernelSteps)+2)}
	for i := range k.samples {
		k.samples[i] = f(float64(i) / kernelSteps)
	}
	return k
}

// at evaluates the kernel at x.
func (k kernel) at(x float64) float64 {
	x = math.Abs(x)
	if x >= k.support {
		return 0
	}
	p := x * kernelSteps
	i := int(p)
	a, b := k.samples[i], k.samples[i+1]
	return a + float64(float64(p-float64(i))*(b-a))
}

var (
	// catmullRom is the cubic B-spline with B = 0, C = ½: sharp, with a
	// small overshoot, 4 taps per unit of scale.
	catmullRom = newKernel(2, func(x float64) float64 {
		if x < 1 {
			return float64(float64(1.5*x-2.5)*x*x) + 1
		}
		return float64(float64(float64(-0.5*x+2.5)*x-4)*x) + 2
	})
	// lanczos3 is sinc windowed by a wider sinc, 6 taps per unit of scale.
	lanczos3 = newKernel(3, func(x float64) float64 { return sinc(x) * sinc(x/3) })
)

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	x *= math.Pi
	return math.Sin(x) / x
}

// weightOne is 1 in the Q14 fixed point of taps.
const weightOne = 1 << 14

// taps is a one-dimensional resampling from in to out samples: output i
// is Σ_k w[i*n+k] · input[start[i]+k], every output using n taps (zeros
// pad the ones near the edges).
type taps struct {
	in, out, n int
	start      []int32
	w          []int16
}

// newTaps computes the weights of resampling in samples to out samples,
// each output sample spanning scale input samples (in/out for a whole image;
// planes of subsampled chroma pass the ratio of their extents). Outputs are
// centred on their inputs, as in imaging; near the edges the kernel is
// truncated and renormalised.
func newTaps(in, out int, scale float64, k kernel) taps {
	stretch := max(scale, 1)
	reach := stretch * k.support
	// Each output's weights, at most bound of them, go to its own stretch
	// of one buffer.
	bound := min(in, 2*int(math.Ceil(reach))+1)
	buf := make([]float64, out*bound)
	spans := make([]struct{ begin, off, n int }, out)
	n := 1
	for i := range spans {
		centre := float64(float64(i)+0.5)*scale - 0.5
		begin := max(0, int(math.Ceil(centre-reach)))
		end := min(in-1, int(math.Floor(centre+reach)))
		off, w := i*bound, buf[i*bound:i*bound:(i+1)*bound]
		for u := begin; u <= end; u++ {
			w = append(w, k.at(float64(float64(u)-centre)/stretch))
		}
		// Drop zero weights at either end.
		for len(w) > 1 && w[0] == 0 {
			w, begin, off = w[1:], begin+1, off+1
		}
		for len(w) > 1 && w[len(w)-1] == 0 {
			w = w[:len(w)-1]
		}
		if len(w) == 0 { // in == 0 cannot happen; keep the type total
			w = append(w, 1)
		}
		spans[i] = struct{ begin, off, n int }{begin, off, len(w)}
		n = max(n, len(w))
	}
	t := taps{in: in, out: out, n: n, start: make([]int32, out), w: make([]int16, out*n)}
	for i, s := range spans {
		start := min(s.begin, in-n)
		t.start[i] = int32(start)
		quantizeWeights(t.w[i*n+s.begin-start:][:s.n], buf[s.off:s.off+s.n])
	}
	return t
}

// quantizeWeights writes w, normalised, as Q14 integers summing to exactly
// weightOne: the rounding error goes to the largest weight.
func quantizeWeights(dst []int16, w []float64) {
	var sum float64
	for _, v := range w {
		sum += v
	}
	total, largest := 0, 0
	for k, v := range w {
		q := int(math.Round(v / sum * weightOne))
		dst[k] = int16(q)
		total += q
		if math.Abs(v) > math.Abs(w[largest]) {
			largest = k
		}
	}
	dst[largest] += int16(weightOne - total)
}

// clampQ14 rounds a Q14 sum to an 8-bit sample.
func clampQ14(s int32) byte {
	s = (s + weightOne/2) >> 14
	if uint32(s) > 255 {
		if s < 0 {
			return 0
		}
		return 255
	}
	return byte(s)
}

// rowFunc resamples one row of dst from src with t.
type rowFunc = func(t *taps, dst, src []byte)

// pass returns the function that resamples rows with t: the one of unrolled
// for t's number of taps when there is one, general otherwise.
func (t *taps) pass(unrolled *[13]rowFunc, general rowFunc) rowFunc {
	if t.n < len(unrolled) && unrolled[t.n] != nil {
		return unrolled[t.n]
	}
	return general
}

// row1 resamples a row of single-channel samples.
func (t *taps) row1(dst, src []byte) { t.pass(&rowFuncs, (*taps).rowAny)(t, dst, src) }

// rowAny is row1 for any number of taps.
func (t *taps) rowAny(dst, src []byte) {
	n := t.n
	for i := range dst {
		s := src[t.start[i]:]
		w := t.w[i*n : i*n+n]
		s = s[:len(w)]
		var sum int32
		for k, wk := range w {
			sum += int32(s[k]) * int32(wk)
		}
		dst[i] = clampQ14(sum)
	}
}

// row4 resamples a row of four-channel (RGBA) pixels.
func (t *taps) row4(dst, src []byte) { t.pass(&row4Funcs, (*taps).row4Any)(t, dst, src) }

// row4Any is row4 for any number of taps.
func (t *taps) row4Any(dst, src []byte) {
	n := t.n
	for i := 0; i < len(dst)/4; i++ {
		s := src[4*t.start[i]:]
		w := t.w[i*n : i*n+n]
		s = s[:4*len(w)]
		var r, g, b, a int32
		for k, wk := range w {
			p := s[4*k : 4*k+4 : 4*k+4]
			r += int32(p[0]) * int32(wk)
			g += int32(p[1]) * int32(wk)
			b += int32(p[2]) * int32(wk)
			a += int32(p[3]) * int32(wk)
		}
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = clampQ14(r), clampQ14(g), clampQ14(b), clampQ14(a)
	}
}

// column sums rows weighted by w into dst, one output row of the vertical
// pass, through an unrolled function for the usual numbers of taps; acc is
// scratch space as long as dst.
func column(dst []byte, rows [][]byte, w []int16, acc []int32) {
	if len(w) < len(columnFuncs) && columnFuncs[len(w)] != nil {
		columnFuncs[len(w)](dst, rows, w)
		return
	}
	columnAny(dst, rows, w, acc)
}

// columnAny is column for any number of taps.
func columnAny(dst []byte, rows [][]byte, w []int16, acc []int32) {
	acc = acc[:len(dst)]
	r0, w0 := rows[0][:len(acc)], int32(w[0])
	for x := range acc {
		acc[x] = int32(r0[x]) * w0
	}
	for k := 1; k < len(w); k++ {
		r, wk := rows[k][:len(acc)], int32(w[k])
		for x := range acc {
			acc[x] += int32(r[x]) * wk
		}
	}
	for x, s := range acc {
		dst[x] = clampQ14(s)
	}
}

// plane is one 8-bit channel group of a picture: w×h pixels of c
// interleaved channels (1, or 4 for RGBA), row r at pix[r*stride:].
type plane struct {
	pix    []byte
	stride int
	w, h   int
	c      int
}

// row returns row y of p.
func (p *plane) row(y int) []byte { return p.pix[y*p.stride : y*p.stride+p.w*p.c] }

func newPlane(w, h, c int) plane {
	return plane{pix: make([]byte, w*h*c), stride: w * c, w: w, h: h, c: c}
}

// resizer resamples a plane that arrives row by row (from a decoder, or
// from a plane in memory): each row goes through the horizontal pass at
// once, into a ring of as many rows as the vertical pass has taps, and each
// output row is made as soon as its last input row is in. Memory is the
// output plane and the ring, whatever the size of the input.
type resizer struct {
	h, v taps
	c    int
	ring [][]byte // horizontally resampled rows; input row y is in ring[y%len(ring)]
	rows [][]byte // scratch: the rows of one output, in order
	acc  []int32
	dst  plane
	in   int // rows pushed so far
	out  int // output rows made so far
}

// newResizer prepares resampling a plane of inW×inH pixels of c channels to
// outW×outH; scaleX and scaleY are the input extent per output pixel.
func newResizer(inW, inH, outW, outH, c int, scaleX, scaleY float64, k kernel) *resizer {
	return newResizerTaps(newTaps(inW, outW, scaleX, k), newTaps(inH, outH, scaleY, k), c)
}

// newResizerTaps is newResizer with the horizontal and vertical taps given.
func newResizerTaps(h, v taps, c int) *resizer {
	outW, outH := h.out, v.out
	r := &resizer{h: h, v: v, c: c, acc: make([]int32, outW*c), dst: newPlane(outW, outH, c)}
	r.ring = make([][]byte, r.v.n)
	buf := make([]byte, r.v.n*outW*c)
	for i := range r.ring {
		r.ring[i] = buf[i*outW*c : (i+1)*outW*c]
	}
	r.rows = make([][]byte, r.v.n)
	return r
}

// push adds the next input row (inW*c bytes).
func (r *resizer) push(row []byte) {
	slot := r.ring[r.in%len(r.ring)]
	if r.c == 4 {
		r.h.row4(slot, row)
	} else {
		r.h.row1(slot, row)
	}
	r.in++
	n := r.v.n
	for r.out < r.v.out && int(r.v.start[r.out])+n <= r.in {
		start := int(r.v.start[r.out])
		for k := range r.rows {
			r.rows[k] = r.ring[(start+k)%len(r.ring)]
		}
		column(r.dst.row(r.out), r.rows, r.v.w[r.out*n:(r.out+1)*n], r.acc)
		r.out++
	}
}

// resize resamples a whole plane to w×h; scaleX and scaleY are as for
// newResizer.
func resize(src plane, w, h int, scaleX, scaleY float64, k kernel) plane {
	return resizeTaps(src, newTaps(src.w, w, scaleX, k), newTaps(src.h, h, scaleY, k))
}

// resizeTaps resamples a whole plane with the taps given.
func resizeTaps(src plane, h, v taps) plane {
	r := newResizerTaps(h, v, src.c)
	for y := range src.h {
		r.push(src.row(y))
	}
	return r.dst
}
