package thumbnail

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegenc"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

// model is how a picture's planes hold its colours.
type model int

const (
	modelGray  model = iota // one plane of grey levels
	modelYCbCr              // Y, Cb and Cr planes, chroma possibly subsampled
	modelRGBA               // one plane of RGBA pixels, alpha premultiplied
)

// picture is an image as the engine works on it: planes in the form the
// decoder produced them, resampled plane by plane, encoded without a detour
// through image.Image's per-pixel interface.
type picture struct {
	model  model
	planes []plane
	w, h   int // size in pixels: the size of the first plane
	// cx and cy are the chroma samples per pixel of a YCbCr picture across
	// and down: 1 or ½ for the layouts the encoders take, ¼ for 4:1:1
	// sources, any fraction for chroma decoded at a scale of its own.
	cx, cy float64
	opaque bool
}

// pictureOf wraps a decoded image, sharing its pixels where its layout is
// already a picture's (YCbCr, grey), converting it to premultiplied RGBA
// otherwise.
func pictureOf(img image.Image) picture {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := img.(type) {
	case *jpegscale.Planes:
		cw, ch := m.CRect.Dx(), m.CRect.Dy()
		return picture{model: modelYCbCr, w: w, h: h, cx: m.CX, cy: m.CY, opaque: true, planes: []plane{
			{pix: m.Y, stride: m.YStride, w: w, h: h, c: 1},
			{pix: m.Cb, stride: m.CStride, w: cw, h: ch, c: 1},
			{pix: m.Cr, stride: m.CStride, w: cw, h: ch, c: 1},
		}}
	case *image.Gray:
		p := plane{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, w: w, h: h, c: 1}
		return picture{model: modelGray, planes: []plane{p}, w: w, h: h, opaque: true}
	case *image.YCbCr:
		if block, ok := chromaBlocks[m.SubsampleRatio]; ok && b.Min == (image.Point{}) {
			sx, sy := block[0], block[1]
			cw, ch := (w+sx-1)/sx, (h+sy-1)/sy
			return picture{model: modelYCbCr, w: w, h: h, cx: 1 / float64(sx), cy: 1 / float64(sy), opaque: true, planes: []plane{
				{pix: m.Y, stride: m.YStride, w: w, h: h, c: 1},
				{pix: m.Cb, stride: m.CStride, w: cw, h: ch, c: 1},
				{pix: m.Cr, stride: m.CStride, w: cw, h: ch, c: 1},
			}}
		}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	p := plane{pix: rgba.Pix, stride: rgba.Stride, w: w, h: h, c: 4}
	return picture{model: modelRGBA, planes: []plane{p}, w: w, h: h, opaque: isOpaque(img)}
}

// chromaBlocks are the pixels per chroma sample across and down of each
// subsampling ratio.
var chromaBlocks = map[image.YCbCrSubsampleRatio][2]int{
	image.YCbCrSubsampleRatio444: {1, 1},
	image.YCbCrSubsampleRatio422: {2, 1},
	image.YCbCrSubsampleRatio420: {2, 2},
	image.YCbCrSubsampleRatio440: {1, 2},
	image.YCbCrSubsampleRatio411: {4, 1},
	image.YCbCrSubsampleRatio410: {4, 2},
}

// hasChroma reports whether p's chroma is subsampled by sub both ways (the
// only layouts the encoders take: 2 for JPEG, 1 for conversion to RGB).
// Pictures without chroma have it.
func (p picture) hasChroma(sub int) bool {
	c := 1 / float64(sub)
	return p.model != modelYCbCr || p.cx == c && p.cy == c
}

// resized resamples p to w×h with kernel k, chroma subsampled by sub both
// ways. Planes that already have their target size are shared.
func (p picture) resized(w, h, sub int, k kernel) picture {
	out := picture{model: p.model, w: w, h: h, cx: 1 / float64(sub), cy: 1 / float64(sub), opaque: p.opaque, planes: make([]plane, len(p.planes))}
	scaleX, scaleY := float64(p.w)/float64(w), float64(p.h)/float64(h)
	var hTaps, vTaps taps // Cb's, for Cr
	for i, src := range p.planes {
		tw, th, sx, sy := w, h, scaleX, scaleY
		if i > 0 { // chroma: extents in chroma samples
			tw, th = (w+sub-1)/sub, (h+sub-1)/sub
			sx = float64(float64(p.w)*p.cx) / float64(float64(w)/float64(sub))
			sy = float64(float64(p.h)*p.cy) / float64(float64(h)/float64(sub))
		}
		if src.w == tw && src.h == th && sx == 1 && sy == 1 {
			out.planes[i] = src
			continue
		}
		if i < 2 {
			hTaps, vTaps = newTaps(src.w, tw, sx, k), newTaps(src.h, th, sy, k)
		}
		out.planes[i] = resizeTaps(src, hTaps, vTaps)
	}
	return out
}

// encodeJPEG appends p as a baseline JPEG; RGBA pictures are composed over
// white first, JPEG having no alpha.
func (p picture) encodeJPEG(dst []byte, quality int) ([]byte, error) {
	r := image.Rect(0, 0, p.w, p.h)
	switch p.model {
	case modelGray:
		return jpegenc.Append(dst, &image.Gray{Pix: p.planes[0].pix, Stride: p.planes[0].stride, Rect: r}, quality)
	case modelYCbCr:
		ratio := image.YCbCrSubsampleRatio420
		if p.cx == 1 {
			ratio = image.YCbCrSubsampleRatio444
		}
		return jpegenc.Append(dst, &image.YCbCr{Y: p.planes[0].pix, Cb: p.planes[1].pix, Cr: p.planes[2].pix,
			YStride: p.planes[0].stride, CStride: p.planes[1].stride, SubsampleRatio: ratio, Rect: r}, quality)
	}
	// Premultiplied RGBA over white is c + (255 - a) per channel.
	m := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	src := p.planes[0]
	for y := range p.h {
		row := src.row(y)
		for x := range p.w {
			px := row[4*x : 4*x+4 : 4*x+4]
			bg := 255 - px[3]
			yy, cb, cr := color.RGBToYCbCr(px[0]+bg, px[1]+bg, px[2]+bg)
			i := y*m.YStride + x
			m.Y[i], m.Cb[i], m.Cr[i] = yy, cb, cr
		}
	}
	return jpegenc.Append(dst, m, quality)
}

// encodePNG writes p as a PNG: grey, RGB when opaque, RGBA otherwise. YCbCr
// pictures must have full-resolution chroma.
func (p picture) encodePNG() ([]byte, error) {
	r := image.Rect(0, 0, p.w, p.h)
	var img image.Image
	switch p.model {
	case modelGray:
		img = &image.Gray{Pix: p.planes[0].pix, Stride: p.planes[0].stride, Rect: r}
	case modelYCbCr:
		rgba := image.NewRGBA(r)
		for y := range p.h {
			yr, cbr, crr := p.planes[0].row(y), p.planes[1].row(y), p.planes[2].row(y)
			for x := range p.w {
				px := rgba.Pix[y*rgba.Stride+4*x : y*rgba.Stride+4*x+4 : y*rgba.Stride+4*x+4]
				px[0], px[1], px[2] = color.YCbCrToRGB(yr[x], cbr[x], crr[x])
				px[3] = 255
			}
		}
		img = rgba
	default:
		img = p.straightAlpha()
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// straightAlpha returns an RGBA picture as an image: *image.RGBA when
// opaque (premultiplied and straight alpha agree), *image.NRGBA otherwise.
func (p picture) straightAlpha() image.Image {
	src := p.planes[0]
	r := image.Rect(0, 0, p.w, p.h)
	if p.opaque {
		return &image.RGBA{Pix: src.pix, Stride: src.stride, Rect: r}
	}
	n := image.NewNRGBA(r)
	for y := range p.h {
		row, out := src.row(y), n.Pix[y*n.Stride:]
		for x := 0; x < 4*p.w; x += 4 {
			a := uint32(row[x+3])
			out[x+3] = byte(a)
			if a == 0 {
				continue
			}
			for c := range 3 {
				out[x+c] = byte(min(255, (uint32(row[x+c])*255+a/2)/a))
			}
		}
	}
	return n
}
