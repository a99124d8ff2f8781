package thumbnail

// rowSink takes the rows of a plane in order.
type rowSink interface{ push(row []byte) }

// boxShrinker averages k×k cells of a plane arriving row by row and passes
// the reduced rows on: a cheap first step before a resizer when a picture
// must shrink many times over, as libvips's shrink before its reduce. A
// box of k leaves the kernel a reduction of the rest, so resampling 3700
// pixels to 1024 costs 8 taps per output rather than 15. Cells at the right
// and bottom edges may be partial and average what they hold.
type boxShrinker struct {
	k, c int
	inW  int
	outW int
	sum  []uint32 // per output sample: the sum of the rows so far
	rows int      // rows summed so far
	out  []byte
	next rowSink
}

// newBoxShrinker shrinks rows of inW pixels of c channels by k.
func newBoxShrinker(inW, c, k int, next rowSink) *boxShrinker {
	outW := (inW + k - 1) / k
	return &boxShrinker{k: k, c: c, inW: inW, outW: outW, sum: make([]uint32, outW*c), out: make([]byte, outW*c), next: next}
}

// push adds the next input row.
func (b *boxShrinker) push(row []byte) {
	k, c := b.k, b.c
	for x := 0; x < b.outW; x++ {
		cell := row[x*k*c : min(x*k+k, b.inW)*c]
		s := b.sum[x*c : x*c+c]
		for i := 0; i < len(cell); i += c {
			for ch := range s {
				s[ch] += uint32(cell[i+ch])
			}
		}
	}
	b.rows++
	if b.rows == k {
		b.emit()
	}
}

// flush passes on a last, partial row of cells.
func (b *boxShrinker) flush() {
	if b.rows > 0 {
		b.emit()
	}
}

// emit passes on the averages of the rows summed so far.
func (b *boxShrinker) emit() {
	for x := 0; x < b.outW; x++ {
		n := uint32(b.rows * min(b.k, b.inW-x*b.k))
		for ch := 0; ch < b.c; ch++ {
			i := x*b.c + ch
			b.out[i] = byte((b.sum[i] + n/2) / n)
			b.sum[i] = 0
		}
	}
	b.rows = 0
	b.next.push(b.out)
}
