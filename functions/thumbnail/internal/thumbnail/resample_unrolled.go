package thumbnail

// The horizontal and vertical passes unrolled for 2 to 12 taps: without a
// loop over the taps, the compiler keeps sums and weights in registers and
// checks bounds once per output sample rather than once per tap. Each
// function is rowAny, row4Any or columnAny with n fixed;
// TestUnrolledPassesMatch checks them against those.

// rowFuncs[n] is row1 unrolled for n taps.
var rowFuncs = [13]rowFunc{
	2:  row1x2,
	3:  row1x3,
	4:  row1x4,
	5:  row1x5,
	6:  row1x6,
	7:  row1x7,
	8:  row1x8,
	9:  row1x9,
	10: row1x10,
	11: row1x11,
	12: row1x12,
}

// row4Funcs[n] is row4 unrolled for n taps.
var row4Funcs = [13]rowFunc{
	2:  row4x2,
	3:  row4x3,
	4:  row4x4,
	5:  row4x5,
	6:  row4x6,
	7:  row4x7,
	8:  row4x8,
	9:  row4x9,
	10: row4x10,
	11: row4x11,
	12: row4x12,
}

// columnFuncs[n] is column unrolled for n rows.
var columnFuncs = [13]func(dst []byte, rows [][]byte, w []int16){
	2:  column2,
	3:  column3,
	4:  column4,
	5:  column5,
	6:  column6,
	7:  column7,
	8:  column8,
	9:  column9,
	10: column10,
	11: column11,
	12: column12,
}

func row1x2(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:2*len(dst)]
	for i := range dst {
		s := src[start[i]:][:2]
		w := weights[2*i : 2*i+2 : 2*i+2]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]))
	}
}

func row1x3(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:3*len(dst)]
	for i := range dst {
		s := src[start[i]:][:3]
		w := weights[3*i : 3*i+3 : 3*i+3]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]))
	}
}

func row1x4(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:4*len(dst)]
	for i := range dst {
		s := src[start[i]:][:4]
		w := weights[4*i : 4*i+4 : 4*i+4]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]))
	}
}

func row1x5(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:5*len(dst)]
	for i := range dst {
		s := src[start[i]:][:5]
		w := weights[5*i : 5*i+5 : 5*i+5]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]))
	}
}

func row1x6(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:6*len(dst)]
	for i := range dst {
		s := src[start[i]:][:6]
		w := weights[6*i : 6*i+6 : 6*i+6]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]))
	}
}

func row1x7(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:7*len(dst)]
	for i := range dst {
		s := src[start[i]:][:7]
		w := weights[7*i : 7*i+7 : 7*i+7]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]))
	}
}

func row1x8(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:8*len(dst)]
	for i := range dst {
		s := src[start[i]:][:8]
		w := weights[8*i : 8*i+8 : 8*i+8]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]) + int32(s[7])*int32(w[7]))
	}
}

func row1x9(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:9*len(dst)]
	for i := range dst {
		s := src[start[i]:][:9]
		w := weights[9*i : 9*i+9 : 9*i+9]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]) + int32(s[7])*int32(w[7]) + int32(s[8])*int32(w[8]))
	}
}

func row1x10(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:10*len(dst)]
	for i := range dst {
		s := src[start[i]:][:10]
		w := weights[10*i : 10*i+10 : 10*i+10]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]) + int32(s[7])*int32(w[7]) + int32(s[8])*int32(w[8]) + int32(s[9])*int32(w[9]))
	}
}

func row1x11(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:11*len(dst)]
	for i := range dst {
		s := src[start[i]:][:11]
		w := weights[11*i : 11*i+11 : 11*i+11]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]) + int32(s[7])*int32(w[7]) + int32(s[8])*int32(w[8]) + int32(s[9])*int32(w[9]) + int32(s[10])*int32(w[10]))
	}
}

func row1x12(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)], t.w[:12*len(dst)]
	for i := range dst {
		s := src[start[i]:][:12]
		w := weights[12*i : 12*i+12 : 12*i+12]
		dst[i] = clampQ14(int32(s[0])*int32(w[0]) + int32(s[1])*int32(w[1]) + int32(s[2])*int32(w[2]) + int32(s[3])*int32(w[3]) + int32(s[4])*int32(w[4]) + int32(s[5])*int32(w[5]) + int32(s[6])*int32(w[6]) + int32(s[7])*int32(w[7]) + int32(s[8])*int32(w[8]) + int32(s[9])*int32(w[9]) + int32(s[10])*int32(w[10]) + int32(s[11])*int32(w[11]))
	}
}

func column2(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:2], w[:2]
	r0, r1 := rows[0][:len(dst)], rows[1][:len(dst)]
	w0, w1 := int32(w[0]), int32(w[1])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1)
	}
}

func column3(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:3], w[:3]
	r0, r1, r2 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)]
	w0, w1, w2 := int32(w[0]), int32(w[1]), int32(w[2])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2)
	}
}

func column4(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:4], w[:4]
	r0, r1, r2, r3 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)]
	w0, w1, w2, w3 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3)
	}
}

func column5(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:5], w[:5]
	r0, r1, r2, r3, r4 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)]
	w0, w1, w2, w3, w4 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4)
	}
}

func column6(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:6], w[:6]
	r0, r1, r2, r3, r4, r5 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)]
	w0, w1, w2, w3, w4, w5 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5)
	}
}

func column7(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:7], w[:7]
	r0, r1, r2, r3, r4, r5, r6 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6)
	}
}

func column8(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:8], w[:8]
	r0, r1, r2, r3, r4, r5, r6, r7 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)], rows[7][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6 + int32(r7[x])*w7)
	}
}

func column9(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:9], w[:9]
	r0, r1, r2, r3, r4, r5, r6, r7, r8 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)], rows[7][:len(dst)], rows[8][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7, w8 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6 + int32(r7[x])*w7 + int32(r8[x])*w8)
	}
}

func column10(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:10], w[:10]
	r0, r1, r2, r3, r4, r5, r6, r7, r8, r9 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)], rows[7][:len(dst)], rows[8][:len(dst)], rows[9][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7, w8, w9 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6 + int32(r7[x])*w7 + int32(r8[x])*w8 + int32(r9[x])*w9)
	}
}

func column11(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:11], w[:11]
	r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)], rows[7][:len(dst)], rows[8][:len(dst)], rows[9][:len(dst)], rows[10][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9]), int32(w[10])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6 + int32(r7[x])*w7 + int32(r8[x])*w8 + int32(r9[x])*w9 + int32(r10[x])*w10)
	}
}

func column12(dst []byte, rows [][]byte, w []int16) {
	rows, w = rows[:12], w[:12]
	r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11 := rows[0][:len(dst)], rows[1][:len(dst)], rows[2][:len(dst)], rows[3][:len(dst)], rows[4][:len(dst)], rows[5][:len(dst)], rows[6][:len(dst)], rows[7][:len(dst)], rows[8][:len(dst)], rows[9][:len(dst)], rows[10][:len(dst)], rows[11][:len(dst)]
	w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9]), int32(w[10]), int32(w[11])
	for x := range dst {
		dst[x] = clampQ14(int32(r0[x])*w0 + int32(r1[x])*w1 + int32(r2[x])*w2 + int32(r3[x])*w3 + int32(r4[x])*w4 + int32(r5[x])*w5 + int32(r6[x])*w6 + int32(r7[x])*w7 + int32(r8[x])*w8 + int32(r9[x])*w9 + int32(r10[x])*w10 + int32(r11[x])*w11)
	}
}

func row4x2(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:2*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:8]
		w := weights[2*i : 2*i+2 : 2*i+2]
		w0, w1 := int32(w[0]), int32(w[1])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1)
	}
}

func row4x3(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:3*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:12]
		w := weights[3*i : 3*i+3 : 3*i+3]
		w0, w1, w2 := int32(w[0]), int32(w[1]), int32(w[2])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2)
	}
}

func row4x4(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:4*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:16]
		w := weights[4*i : 4*i+4 : 4*i+4]
		w0, w1, w2, w3 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3)
	}
}

func row4x5(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:5*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:20]
		w := weights[5*i : 5*i+5 : 5*i+5]
		w0, w1, w2, w3, w4 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4)
	}
}

func row4x6(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:6*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:24]
		w := weights[6*i : 6*i+6 : 6*i+6]
		w0, w1, w2, w3, w4, w5 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5)
	}
}

func row4x7(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:7*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:28]
		w := weights[7*i : 7*i+7 : 7*i+7]
		w0, w1, w2, w3, w4, w5, w6 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6)
	}
}

func row4x8(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:8*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:32]
		w := weights[8*i : 8*i+8 : 8*i+8]
		w0, w1, w2, w3, w4, w5, w6, w7 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6 + int32(s[28])*w7)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6 + int32(s[29])*w7)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6 + int32(s[30])*w7)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6 + int32(s[31])*w7)
	}
}

func row4x9(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:9*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:36]
		w := weights[9*i : 9*i+9 : 9*i+9]
		w0, w1, w2, w3, w4, w5, w6, w7, w8 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6 + int32(s[28])*w7 + int32(s[32])*w8)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6 + int32(s[29])*w7 + int32(s[33])*w8)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6 + int32(s[30])*w7 + int32(s[34])*w8)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6 + int32(s[31])*w7 + int32(s[35])*w8)
	}
}

func row4x10(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:10*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:40]
		w := weights[10*i : 10*i+10 : 10*i+10]
		w0, w1, w2, w3, w4, w5, w6, w7, w8, w9 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6 + int32(s[28])*w7 + int32(s[32])*w8 + int32(s[36])*w9)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6 + int32(s[29])*w7 + int32(s[33])*w8 + int32(s[37])*w9)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6 + int32(s[30])*w7 + int32(s[34])*w8 + int32(s[38])*w9)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6 + int32(s[31])*w7 + int32(s[35])*w8 + int32(s[39])*w9)
	}
}

func row4x11(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:11*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:44]
		w := weights[11*i : 11*i+11 : 11*i+11]
		w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9]), int32(w[10])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6 + int32(s[28])*w7 + int32(s[32])*w8 + int32(s[36])*w9 + int32(s[40])*w10)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6 + int32(s[29])*w7 + int32(s[33])*w8 + int32(s[37])*w9 + int32(s[41])*w10)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6 + int32(s[30])*w7 + int32(s[34])*w8 + int32(s[38])*w9 + int32(s[42])*w10)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6 + int32(s[31])*w7 + int32(s[35])*w8 + int32(s[39])*w9 + int32(s[43])*w10)
	}
}

func row4x12(t *taps, dst, src []byte) {
	start, weights := t.start[:len(dst)/4], t.w[:12*(len(dst)/4)]
	for i := range start {
		s := src[4*start[i]:][:48]
		w := weights[12*i : 12*i+12 : 12*i+12]
		w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11 := int32(w[0]), int32(w[1]), int32(w[2]), int32(w[3]), int32(w[4]), int32(w[5]), int32(w[6]), int32(w[7]), int32(w[8]), int32(w[9]), int32(w[10]), int32(w[11])
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0] = clampQ14(int32(s[0])*w0 + int32(s[4])*w1 + int32(s[8])*w2 + int32(s[12])*w3 + int32(s[16])*w4 + int32(s[20])*w5 + int32(s[24])*w6 + int32(s[28])*w7 + int32(s[32])*w8 + int32(s[36])*w9 + int32(s[40])*w10 + int32(s[44])*w11)
		d[1] = clampQ14(int32(s[1])*w0 + int32(s[5])*w1 + int32(s[9])*w2 + int32(s[13])*w3 + int32(s[17])*w4 + int32(s[21])*w5 + int32(s[25])*w6 + int32(s[29])*w7 + int32(s[33])*w8 + int32(s[37])*w9 + int32(s[41])*w10 + int32(s[45])*w11)
		d[2] = clampQ14(int32(s[2])*w0 + int32(s[6])*w1 + int32(s[10])*w2 + int32(s[14])*w3 + int32(s[18])*w4 + int32(s[22])*w5 + int32(s[26])*w6 + int32(s[30])*w7 + int32(s[34])*w8 + int32(s[38])*w9 + int32(s[42])*w10 + int32(s[46])*w11)
		d[3] = clampQ14(int32(s[3])*w0 + int32(s[7])*w1 + int32(s[11])*w2 + int32(s[15])*w3 + int32(s[19])*w4 + int32(s[23])*w5 + int32(s[27])*w6 + int32(s[31])*w7 + int32(s[35])*w8 + int32(s[39])*w9 + int32(s[43])*w10 + int32(s[47])*w11)
	}
}
