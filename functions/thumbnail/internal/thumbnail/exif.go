package thumbnail

import (
	"encoding/binary"
	"image"

	"github.com/disintegration/imaging"
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

// apply transforms a stored image into its upright form.
func (o orientation) apply(img image.Image) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // 90° clockwise
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img) // 90° counter-clockwise
	}
	return img
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
