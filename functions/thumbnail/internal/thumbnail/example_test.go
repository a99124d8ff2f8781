package thumbnail_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

func ExampleGenerate() {
	var photo bytes.Buffer
	_ = jpeg.Encode(&photo, image.NewGray(image.Rect(0, 0, 1600, 1200)), nil)

	out, err := thumbnail.Generate(photo.Bytes(),
		[]thumbnail.Spec{{Size: 1024}, {Size: 128, Format: thumbnail.FormatPNG}},
		thumbnail.Limits{MaxBytes: 20 << 20, MaxPixels: 50e6})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range out {
		fmt.Println(o.ContentType, o.Width, o.Height)
	}

	_, err = thumbnail.Generate([]byte("GIF89a"), []thumbnail.Spec{{Size: 64}}, thumbnail.Limits{})
	fmt.Println(errors.Is(err, thumbnail.ErrCorrupt))
	// Output:
	// image/jpeg 1024 768
	// image/png 128 96
	// true
}
