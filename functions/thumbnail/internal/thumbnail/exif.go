package thumbnail

import (
	"encoding/binary"
)

// orientation is the EXIF Orientation tag (1..8): how the stored pixels must
// be transformed to show the picture upright.
type orientation int

// transposed reports whether the orientation swaps width and height.
func (o orientation) transposed() bool { return o >= 5 && o <= 8 }

// upright returns the dimensions of a w×h stored image once oriented.
func (o orientation) upright(w, h int) (int, int) {
	if o.transposed() {
		return h, w
	}
	return w, h
}

// apply transforms a stored picture into its upright form.
func (o orientation) apply(p picture) picture {
	if o < 2 || o > 8 {
		return p
	}
	out := p
	out.planes = make([]plane, len(p.planes))
	for i, pl := range p.planes {
		out.planes[i] = o.applyPlane(pl)
	}
	out.w, out.h = o.upright(p.w, p.h)
	if o.transposed() {
		out.cx, out.cy = p.cy, p.cx
	}
	return out
}

// applyPlane transforms one plane. Upright pixel (x, y) comes from stored
// sample origin + x*stepX + y*stepY.
func (o orientation) applyPlane(p plane) plane {
	w, h := o.upright(p.w, p.h)
	d := newPlane(w, h, p.c)
	last, bottom := (p.w-1)*p.c, (p.h-1)*p.stride
	var origin, stepX, stepY int
	switch o {
	case 2: // mirrored horizontally
		origin, stepX, stepY = last, -p.c, p.stride
	case 3: // rotated 180°
		origin, stepX, stepY = bottom+last, -p.c, -p.stride
	case 4: // mirrored vertically
		origin, stepX, stepY = bottom, p.c, -p.stride
	case 5: // transposed
		origin, stepX, stepY = 0, p.stride, p.c
	case 6: // to be rotated 90° clockwise
		origin, stepX, stepY = bottom, -p.stride, p.c
	case 7: // transversed
		origin, stepX, stepY = bottom+last, -p.stride, -p.c
	case 8: // to be rotated 90° counter-clockwise
		origin, stepX, stepY = last, p.stride, -p.c
	}
	for y := range h {
		row, s := d.row(y), origin+y*stepY
		if p.c == 1 {
			for x := range row {
				row[x] = p.pix[s]
				s += stepX
			}
			continue
		}
		for x := 0; x < len(row); x += 4 {
			copy(row[x:x+4], p.pix[s:s+4])
			s += stepX
		}
	}
	return d
}

// exifOrientation finds the Orientation tag in a JPEG's APP1 Exif segment.
// Anything missing, malformed or out of range means 1 (as stored): a broken
// EXIF block must not stop a thumbnail.
func exifOrientation(jpg []byte) orientation {
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return 1
	}
	p := 2
	for p+4 <= len(jpg) {
		if jpg[p] != 0xFF {
			return 1
		}
		marker := jpg[p+1]
		if marker == 0xFF { // fill byte
			p++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no more metadata
			return 1
		}
		n := int(binary.BigEndian.Uint16(jpg[p+2:]))
		if n < 2 || p+2+n > len(jpg) {
			return 1
		}
		seg := jpg[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF structure.
func tiffOrientation(t []byte) orientation {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 1
	}
	count := int(bo.Uint16(t[ifd:]))
	for i := 0; i < count; i++ {
		e := ifd + 2 + int64(i)*12
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		// Type SHORT (3), count 1: the value sits in the first two bytes of the
		// value field.
		if bo.Uint16(t[e+2:]) != 3 {
			return 1
		}
		if v := orientation(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}
