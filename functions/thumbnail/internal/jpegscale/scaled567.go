// Copyright 2026 The serverless-arch Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpegscale

// The 5-, 6- and 7-point inverse DCTs (see idct1D), factored into even and
// odd halves:
// output n−1−i sees the even frequencies as output i does and the odd ones
// negated, so x[i] = E[i] + O[i] and x[n−1−i] = E[i] − O[i], and within
// each half equal cosines are shared. A 1-D transform then takes 10 (n = 5,
// 6) or 22 (n = 7) multiplications instead of n². The constants are
// ½·cos(θ) in Q.idctFrac; a = ½·F0/√2 is common to every output.

const (
	kCos18 = 3896 // ½·cos 18°
	kCos36 = 3314 // ½·cos 36°
	kCos54 = 2408 // ½·cos 54°
	kCos72 = 1266 // ½·cos 72°
	kHalf  = 4096 // ½·1

	kCos15 = 3956 // ½·cos 15°
	kCos45 = 2896 // ½·cos 45°
	kCos75 = 1060 // ½·cos 75°

	kCosPi7   = 3690 // ½·cos(π/7)
	kCos2Pi7  = 2554 // ½·cos(2π/7)
	kCos3Pi7  = 911  // ½·cos(3π/7)
	kCosPi14  = 3993 // ½·cos(π/14)
	kCos3Pi14 = 3202 // ½·cos(3π/14)
	kCos5Pi14 = 1777 // ½·cos(5π/14)
)

func idct5x(f *[8]int32) {
	a := f[0] * k1Sqrt8
	e0 := a + f[2]*kCos36 + f[4]*kCos72
	e1 := a - f[2]*kCos72 - f[4]*kCos36
	e2 := a + (f[4]-f[2])*kHalf
	o0 := f[1]*kCos18 + f[3]*kCos54
	o1 := f[1]*kCos54 - f[3]*kCos18
	f[0], f[1], f[2], f[3], f[4] = e0+o0, e1+o1, e2, e1-o1, e0-o0
}

func idct6x(f *[8]int32) {
	a, b, c := f[0]*k1Sqrt8, f[2]*kSqrt3_4, f[4]*kQuarter
	e0, e1, e2 := a+b+c, a-2*c, a-b+c
	o0 := f[1]*kCos15 + f[3]*kCos45 + f[5]*kCos75
	o1 := (f[1] - f[3] - f[5]) * kCos45
	o2 := f[1]*kCos75 - f[3]*kCos45 + f[5]*kCos15
	f[0], f[1], f[2], f[3], f[4], f[5] = e0+o0, e1+o1, e2+o2, e2-o2, e1-o1, e0-o0
}

func idct7x(f *[8]int32) {
	a := f[0] * k1Sqrt8
	e0 := a + f[2]*kCosPi7 + f[4]*kCos2Pi7 + f[6]*kCos3Pi7
	e1 := a + f[2]*kCos3Pi7 - f[4]*kCosPi7 - f[6]*kCos2Pi7
	e2 := a - f[2]*kCos2Pi7 - f[4]*kCos3Pi7 + f[6]*kCosPi7
	e3 := a - (f[2]-f[4]+f[6])*kHalf
	o0 := f[1]*kCosPi14 + f[3]*kCos3Pi14 + f[5]*kCos5Pi14
	o1 := f[1]*kCos3Pi14 - f[3]*kCos5Pi14 - f[5]*kCosPi14
	o2 := f[1]*kCos5Pi14 - f[3]*kCosPi14 + f[5]*kCos3Pi14
	f[0], f[1], f[2], f[3], f[4], f[5], f[6] = e0+o0, e1+o1, e2+o2, e3, e2-o2, e1-o1, e0-o0
}
