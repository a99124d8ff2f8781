package jpegscale_test

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/jpegscale"
)

// BenchmarkDecode decodes each test photograph at every scale and, as the
// baseline in the same run, with image/jpeg.
func BenchmarkDecode(b *testing.B) {
	photos, err := testimg.Photos(testimg.DefaultCacheDir())
	if err != nil {
		b.Skip(err)
	}
	for _, p := range photos {
		src, err := os.ReadFile(p.Path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.Name+"/image-jpeg", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(src)); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, scale := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("%s/1:%d", p.Name, scale), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := jpegscale.Decode(bytes.NewReader(src), scale); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
