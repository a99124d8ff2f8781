package testimg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"

	"github.com/disintegration/imaging"
)

// CorpusPackages are the Debian packages whose pictures the corpus uses.
var CorpusPackages = []string{"lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04", "ukui-wallpapers", "mate-backgrounds"}

// corpusFiles are the packaged pictures of the thumbnail corpus, chosen to
// cover what users upload: baseline and progressive JPEGs in 4:2:0, 4:2:2
// and 4:4:4, smooth (under 1 bit per pixel) and detailed (over 2), from 2 to
// 24 megapixels, so that the power-of-two shrink-on-load factor for a 1024 px
// thumbnail is 1 (none), 1/2 and 1/4; and 8-bit RGBA PNGs, opaque and
// transparent. Corpus adds built files for what no package has.
var corpusFiles = []packagedFile{
	{"greentraditional-2mp-baseline-444", "mate-backgrounds", "mate/desktop/GreenTraditional.jpg"},
	{"raindrops-2mp-baseline-420", "mate-backgrounds", "mate/nature/RainDrops.jpg"},
	{"storm-2mp-baseline-422", "mate-backgrounds", "mate/nature/Storm.jpg"},
	{"elephants-2mp-progressive-444", "mate-backgrounds", "mate/abstract/Elephants.jpg"},
	{"freshflower-2mp-progressive-420", "mate-backgrounds", "mate/nature/FreshFlower.jpg"},
	{"garden-4mp-baseline-420", "mate-backgrounds", "mate/nature/Garden.jpg"},
	{"analogpattern-6mp-baseline-420", "lomiri-wallpapers-16.04", "analogpattern_by_Peter_Nerlich.jpg"},
	{"friends-6mp-progressive-420", "lomiri-wallpapers-16.04", "friends_by_Aitzol_Berasategi.jpg"},
	{"string-9mp-baseline-444", "ukui-wallpapers", "string.jpg"},
	{"the-mouse-9mp-baseline-444", "ukui-wallpapers", "the-mouse.jpg"},
	{"2004default-9mp-baseline-444", "ukui-wallpapers", "2004default.jpg"},
	{"rhythm-9mp-progressive-444", "ukui-wallpapers", "rhythm.jpg"},
	{"fossa-9mp-baseline-444", "lomiri-wallpapers-20.04", "Fossa_by_Jasper_Roks.jpg"},
	{"wine-10mp-progressive-422", "lomiri-wallpapers-16.04", "Wine_by_Jakkub_Mede.jpg"},
	{"dragonfly-13mp-progressive-422", "lomiri-wallpapers-16.04", "Dragonfly_by_Bolly.jpg"},
	{"seeding-16mp-progressive-420", "lomiri-wallpapers-16.04", "seeding_by_Clements_Engelhardt.jpg"},
	{"infinite-sea-17mp-progressive-444", "lomiri-wallpapers-20.04", "Infinite-Sea_by_Aury88.jpg"},
	{"elephants-18mp-progressive-422", "mate-backgrounds", "mate/abstract/Elephants_5640x3172.jpg"},
	{"kleiber-20mp-baseline-422", "lomiri-wallpapers-20.04", "Kleiber_by_Lukas_Baubkus.jpg"},
	{"painting-24mp-baseline-444", "lomiri-wallpapers-20.04", "Painting-Colors_by__herobrine7gamer.jpg"},
	{"gulp-2mp-rgba", "mate-backgrounds", "mate/abstract/Gulp.png"},
	{"calla-9mp-rgba-opaque", "ukui-wallpapers", "calla.png"},
}

// builtFiles are corpus files no package has, built deterministically from
// packaged ones on first use.
var builtFiles = []builtFile{
	{Built24MP, ".jpg", "Kleiber_by_Lukas_Baubkus.jpg", "enlarged 8.5% with Lanczos, re-encoded by image/jpeg at quality 92",
		func(src string) ([]byte, error) { return enlargedJPEG(src, 6532, 3675) }},
	{Built50MP, ".jpg", "Kleiber_by_Lukas_Baubkus.jpg", "enlarged 56% with Lanczos, re-encoded by image/jpeg at quality 92",
		func(src string) ([]byte, error) { return enlargedJPEG(src, 9416, 5297) }},
	{"dune-2mp-baseline-422-exif6", ".jpg", "mate/nature/Dune.jpg", "its EXIF Orientation tag set to 6 (rotate 90° clockwise)",
		func(src string) ([]byte, error) { return rotatedJPEG(src, 6) }},
	{"kleiber-5mp-rgb16", ".png", "Kleiber_by_Lukas_Baubkus.jpg", "2×2 cells averaged into 16-bit RGB, encoded by image/png",
		png16},
}

// builtFile is a corpus file made from a packaged picture.
type builtFile struct {
	name, ext string
	from      string // the packaged picture, under PhotoDir
	how       string
	build     func(src string) ([]byte, error)
}

// photo builds the file into cacheDir unless it is there already.
func (b builtFile) photo(cacheDir string) (Photo, error) {
	dst := filepath.Join(cacheDir, b.name+b.ext)
	if err := buildOnce(dst, func() ([]byte, error) { return b.build(filepath.Join(PhotoDir, b.from)) }); err != nil {
		return Photo{}, fmt.Errorf("building %s: %w", dst, err)
	}
	return Photo{Name: b.name, Path: dst, Source: "built from " + filepath.Base(b.from) + ": " + b.how}, nil
}

// Built50MP is the name of the 50-megapixel photograph built by Corpus: at
// 9416 px wide, the only one whose 1024 px thumbnail allows 1/8
// shrink-on-load.
const Built50MP = "kleiber-50mp-baseline-420"

// Corpus returns the thumbnail benchmark and quality corpus: the packaged
// pictures listed in corpusFiles, then the built ones (made into cacheDir if
// not there yet). It fails if a package is not installed.
func Corpus(cacheDir string) ([]Photo, error) {
	var out []Photo
	for _, f := range corpusFiles {
		p, err := f.photo()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	for _, b := range builtFiles {
		p, err := b.photo(cacheDir)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// enlargedJPEG resizes a photograph to w×h with Lanczos and encodes it at
// quality 92 (baseline 4:2:0, as image/jpeg writes).
func enlargedJPEG(src string, w, h int) ([]byte, error) {
	img, err := imaging.Open(src)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, imaging.Resize(img, w, h, imaging.Lanczos), &jpeg.Options{Quality: 92}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// rotatedJPEG is a JPEG with its EXIF Orientation tag set, its pixels
// untouched.
func rotatedJPEG(src string, orientation uint16) ([]byte, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	if !setOrientation(b, orientation) {
		return nil, fmt.Errorf("%s has no EXIF Orientation tag to set", src)
	}
	return b, nil
}

// setOrientation overwrites the Orientation tag of the first APP1 Exif
// segment of a JPEG in place, reporting whether there was one.
func setOrientation(jpg []byte, orientation uint16) bool {
	for p := 2; p+4 <= len(jpg) && jpg[p] == 0xFF && jpg[p+1] != 0xDA; {
		n := int(binary.BigEndian.Uint16(jpg[p+2:]))
		if n < 2 || p+2+n > len(jpg) {
			return false
		}
		if seg := jpg[p+4 : p+2+n]; jpg[p+1] == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return setTIFFOrientation(seg[6:], orientation)
		}
		p += 2 + n
	}
	return false
}

// setTIFFOrientation overwrites tag 0x0112 of IFD0 of a TIFF structure.
func setTIFFOrientation(t []byte, orientation uint16) bool {
	var bo binary.ByteOrder = binary.BigEndian
	if string(t[:2]) == "II" {
		bo = binary.LittleEndian
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 0 || ifd+2 > len(t) {
		return false
	}
	for i := 0; i < int(bo.Uint16(t[ifd:])); i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return false
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			bo.PutUint16(t[e+8:], orientation)
			return true
		}
	}
	return false
}

// png16 halves a photograph by averaging 2×2 cells at 16-bit precision, so
// the low byte of every sample carries information, as in a 16-bit export
// from a raw converter.
func png16(src string) ([]byte, error) {
	img, err := imaging.Open(src)
	if err != nil {
		return nil, err
	}
	n := imaging.Clone(img)
	w, h := n.Rect.Dx()/2, n.Rect.Dy()/2
	out := image.NewRGBA64(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [3]int
			for _, o := range []int{n.PixOffset(2*x, 2*y), n.PixOffset(2*x+1, 2*y), n.PixOffset(2*x, 2*y+1), n.PixOffset(2*x+1, 2*y+1)} {
				for c := range sum {
					sum[c] += int(n.Pix[o+c])
				}
			}
			v := func(s int) uint16 { return uint16((s*257 + 2) / 4) }
			out.SetRGBA64(x, y, color.RGBA64{v(sum[0]), v(sum[1]), v(sum[2]), 0xffff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// buildOnce writes the bytes build returns to dst unless dst exists. Test
// binaries of several packages may build it at once: each writes its own
// temporary file and renames it into place atomically.
func buildOnce(dst string, build func() ([]byte, error)) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	data, err := build()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".building-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
