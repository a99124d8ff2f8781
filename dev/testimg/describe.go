package testimg

import (
	"encoding/binary"
	"fmt"
)

// Class is what matters about a picture for thumbnailing speed, read from
// its headers.
type Class struct {
	Format        string // "jpeg" or "png"; empty when unknown
	Width, Height int
	// Mode is "baseline" or "progressive" for JPEG; for PNG the colour type
	// and depth, such as "RGBA 8-bit" or "RGB 16-bit".
	Mode string
	// Sampling is the JPEG chroma subsampling: "4:4:4", "4:2:2", "4:2:0",
	// "4:4:0", "4:1:1", "gray" or "cmyk".
	Sampling string
	// BitsPerPixel is the file size per pixel: under 1 for smooth
	// photographs, over 2 for detailed ones.
	BitsPerPixel float64
	// Orientation is the JPEG's EXIF Orientation tag, 1 if none.
	Orientation int
}

// Describe reads the class of a JPEG or PNG file from its headers.
func Describe(data []byte) Class {
	c := Class{Orientation: 1}
	switch {
	case len(data) > 24 && string(data[:8]) == "\x89PNG\r\n\x1a\n":
		describePNG(data, &c)
	case len(data) > 4 && data[0] == 0xFF && data[1] == 0xD8:
		describeJPEG(data, &c)
	}
	if c.Width > 0 && c.Height > 0 {
		c.BitsPerPixel = float64(8*len(data)) / float64(c.Width*c.Height)
	}
	return c
}

// String is a short description such as "baseline 4:4:4, 1.2 bpp".
func (c Class) String() string {
	s := c.Mode
	if c.Sampling != "" {
		s += " " + c.Sampling
	}
	s += fmt.Sprintf(", %.1f bpp", c.BitsPerPixel)
	if c.Orientation != 1 {
		s += fmt.Sprintf(", EXIF orientation %d", c.Orientation)
	}
	return s
}

// ShrinkOnLoad is the strongest power-of-two reduction (1, 2, 4 or 8) a
// JPEG decoder such as libjpeg can apply while still covering a size×size
// thumbnail: what libvips uses. It is 1 for formats without it.
func (c Class) ShrinkOnLoad(size int) int {
	if c.Format != "jpeg" {
		return 1
	}
	tw, th := c.Width, c.Height
	if tw > size || th > size {
		if tw >= th {
			tw, th = size, max(1, (c.Height*size+c.Width/2)/c.Width)
		} else {
			tw, th = max(1, (c.Width*size+c.Height/2)/c.Height), size
		}
	}
	for _, s := range []int{8, 4, 2} {
		if (c.Width+s-1)/s >= tw && (c.Height+s-1)/s >= th {
			return s
		}
	}
	return 1
}

func describePNG(data []byte, c *Class) {
	c.Format = "png"
	c.Width = int(binary.BigEndian.Uint32(data[16:]))
	c.Height = int(binary.BigEndian.Uint32(data[20:]))
	types := map[byte]string{0: "gray", 2: "RGB", 3: "palette", 4: "gray+alpha", 6: "RGBA"}
	c.Mode = fmt.Sprintf("PNG %s %d-bit", types[data[25]], data[24])
}

func describeJPEG(data []byte, c *Class) {
	c.Format = "jpeg"
	exif := false
	for p := 2; p+4 <= len(data) && data[p] == 0xFF; {
		marker := data[p+1]
		if marker == 0xDA || marker == 0xD9 {
			return
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if p+2+n > len(data) || n < 2 {
			return
		}
		seg := data[p+4 : p+2+n]
		switch {
		case marker >= 0xC0 && marker <= 0xC2 && len(seg) >= 6:
			c.Mode = map[byte]string{0xC0: "baseline", 0xC1: "extended", 0xC2: "progressive"}[marker]
			c.Height = int(binary.BigEndian.Uint16(seg[1:]))
			c.Width = int(binary.BigEndian.Uint16(seg[3:]))
			c.Sampling = sampling(seg[5:])
		case marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" && !exif:
			// The first Exif segment counts, as for the thumbnailer.
			c.Orientation, exif = exifOrientation(seg[6:]), true
		}
		p += 2 + n
	}
}

// sampling names the chroma subsampling of an SOF's component list.
func sampling(comps []byte) string {
	n := int(comps[0])
	if len(comps) < 1+3*n || n == 0 {
		return ""
	}
	switch n {
	case 1:
		return "gray"
	case 4:
		return "cmyk"
	}
	y, cb := comps[2], comps[5]
	h, v := (y>>4)/max(1, cb>>4), (y&15)/max(1, cb&15)
	names := map[[2]byte]string{{1, 1}: "4:4:4", {2, 1}: "4:2:2", {2, 2}: "4:2:0", {1, 2}: "4:4:0", {4, 1}: "4:1:1", {4, 2}: "4:1:0"}
	return names[[2]byte{h, v}]
}

// exifOrientation reads tag 0x0112 of IFD0 from a TIFF structure, 1 if none.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder = binary.BigEndian
	if string(t[:2]) == "II" {
		bo = binary.LittleEndian
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 0 || ifd+2 > len(t) {
		return 1
	}
	for i := 0; i < int(bo.Uint16(t[ifd:])); i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 1
}
