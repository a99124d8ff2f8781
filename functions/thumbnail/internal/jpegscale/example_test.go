package jpegscale_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

func ExampleDecode() {
	var photo bytes.Buffer
	_ = jpeg.Encode(&photo, image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420), nil)

	// Check the declared size before decoding anything.
	cfg, err := jpegscale.DecodeConfig(bytes.NewReader(photo.Bytes()))
	if err != nil || cfg.Width*cfg.Height > 50e6 {
		return
	}
	// A 1024 px thumbnail needs at least 1024 px: 1/2 gives 2000, 1/4 gives 1000.
	img, err := jpegscale.Decode(bytes.NewReader(photo.Bytes()), 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 2000 1500
}
