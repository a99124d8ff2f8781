package pngstream

import "encoding/binary"

// convert turns one row of unfiltered samples into premultiplied 8-bit
// RGBA in dst and reports whether all its pixels were fully opaque.
func (d *decoder) convert(dst, src []byte) bool {
	switch d.cb {
	case cbG1, cbG2, cbG4, cbP1, cbP2, cbP4:
		return d.convertPacked(dst, src)
	case cbG8:
		return d.convertGray8(dst, src)
	case cbP8:
		return d.convertPaletted(dst, src)
	case cbGA8:
		opaque := true
		for x := 0; x < len(dst)/4; x++ {
			g, a := src[2*x], src[2*x+1]
			opaque = opaque && a == 0xff
			v := premul(g, a)
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = v, v, v, a
		}
		return opaque
	case cbTC8:
		return d.convertRGB8(dst, src)
	case cbTCA8:
		return convertRGBA8(dst, src)
	}
	return d.convert16(dst, src)
}

// convertPacked converts 1-, 2- and 4-bit grey or paletted pixels: it
// widens them to a byte each, grey levels scaled to 8 bits, and converts
// those as 8-bit pixels.
func (d *decoder) convertPacked(dst, src []byte) bool {
	depth := uint(d.depth)
	mask := byte(1<<depth - 1)
	scale := byte(0xff / mask) // grey levels to 8 bits: 0xff, 0x55 or 0x11
	if cbPaletted(d.cb) {
		scale = 1
	}
	n := len(dst) / 4
	if len(d.widened) < n {
		d.widened = make([]byte, n)
	}
	wide := d.widened[:n]
	for x := range wide {
		bit := uint(x) * depth
		wide[x] = (src[bit/8] >> (8 - depth - bit%8) & mask) * scale
	}
	if cbPaletted(d.cb) {
		return d.convertPaletted(dst, wide)
	}
	return d.convertGray8(dst, wide)
}

func (d *decoder) convertGray8(dst, src []byte) bool {
	opaque := true
	for x, g := range src[:len(dst)/4] {
		p := dst[4*x : 4*x+4 : 4*x+4]
		if d.useTransparent && g == d.transparent[1] {
			p[0], p[1], p[2], p[3] = 0, 0, 0, 0
			opaque = false
			continue
		}
		p[0], p[1], p[2], p[3] = g, g, g, 0xff
	}
	return opaque
}

func (d *decoder) convertPaletted(dst, src []byte) bool {
	opaque := true
	for x, i := range src[:len(dst)/4] {
		c := &d.palette[i]
		p := dst[4*x : 4*x+4 : 4*x+4]
		p[0], p[1], p[2], p[3] = c[0], c[1], c[2], c[3]
		opaque = opaque && c[3] == 0xff
	}
	return opaque
}

func (d *decoder) convertRGB8(dst, src []byte) bool {
	n := len(dst) / 4
	src = src[:3*n]
	if !d.useTransparent {
		for x := 0; x < n; x++ {
			s, p := src[3*x:3*x+3:3*x+3], dst[4*x:4*x+4:4*x+4]
			p[0], p[1], p[2], p[3] = s[0], s[1], s[2], 0xff
		}
		return true
	}
	opaque := true
	tr, tg, tb := d.transparent[1], d.transparent[3], d.transparent[5]
	for x := 0; x < n; x++ {
		s, p := src[3*x:3*x+3:3*x+3], dst[4*x:4*x+4:4*x+4]
		if s[0] == tr && s[1] == tg && s[2] == tb {
			p[0], p[1], p[2], p[3] = 0, 0, 0, 0
			opaque = false
			continue
		}
		p[0], p[1], p[2], p[3] = s[0], s[1], s[2], 0xff
	}
	return opaque
}

func convertRGBA8(dst, src []byte) bool {
	src = src[:len(dst)]
	opaque := true
	for x := 0; x < len(dst); x += 4 {
		s, p := src[x:x+4:x+4], dst[x:x+4:x+4]
		a := s[3]
		if a == 0xff {
			p[0], p[1], p[2], p[3] = s[0], s[1], s[2], 0xff
			continue
		}
		opaque = false
		p[0], p[1], p[2], p[3] = premul(s[0], a), premul(s[1], a), premul(s[2], a), a
	}
	return opaque
}

// convert16 converts 16-bit grey, grey+alpha, RGB and RGBA pixels,
// premultiplying at 16 bits before rounding to 8.
func (d *decoder) convert16(dst, src []byte) bool {
	channels := map[int]int{cbG16: 1, cbGA16: 2, cbTC16: 3, cbTCA16: 4}[d.cb]
	hasAlpha := channels == 2 || channels == 4
	colours := channels
	if hasAlpha {
		colours--
	}
	opaque := true
	for x := 0; x < len(dst)/4; x++ {
		s := src[2*channels*x : 2*channels*(x+1)]
		var c [3]uint32
		for i := range c {
			c[i] = uint32(binary.BigEndian.Uint16(s[2*min(i, colours-1):]))
		}
		a := uint32(0xffff)
		switch {
		case hasAlpha:
			a = uint32(binary.BigEndian.Uint16(s[2*colours:]))
		case d.useTransparent && string(s) == string(d.transparent[:2*channels]):
			a = 0
		}
		p := dst[4*x : 4*x+4 : 4*x+4]
		if a != 0xffff {
			opaque = false
			for i := range c {
				c[i] = (c[i]*a + 0x7fff) / 0xffff
			}
		}
		p[0], p[1], p[2], p[3] = to8(c[0]), to8(c[1]), to8(c[2]), to8(a)
	}
	return opaque
}

// premul is c·a/255, rounded.
func premul(c, a byte) byte {
	x := uint32(c)*uint32(a) + 0x80
	return byte((x + x>>8) >> 8)
}

// to8 is v/257 (a 16-bit sample to 8 bits), rounded.
func to8(v uint32) byte {
	return byte((v*0xff + 0x807f) >> 16)
}
