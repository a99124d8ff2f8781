package thumbnail_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// BenchmarkGenerate thumbnails each corpus picture to 1024, 512 and 128 px
// with the engine and, as the baseline in the same run, with the naive
// imaging pipeline (full decode, then imaging.Fit with Lanczos per size).
// Compare the engine/naive pairs; tests/bench/thumbnails/compare.sh adds
// sharp and peak RSS. To see where the time goes for one kind of picture:
//
//	go test -run '^$' -bench 'Generate/the-mouse.*/engine' -cpuprofile cpu.out ./functions/thumbnail/internal/thumbnail
//	go tool pprof -top functions/thumbnail/internal/thumbnail/thumbnail.test cpu.out
func BenchmarkGenerate(b *testing.B) {
	photos, err := testimg.Corpus(testimg.DefaultCacheDir())
	if err != nil {
		b.Skip(err)
	}
	sizes := []int{1024, 512, 128}
	for _, p := range photos {
		src, err := os.ReadFile(p.Path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.Name+"/engine", func(b *testing.B) {
			specs := []thumbnail.Spec{{Size: 1024}, {Size: 512}, {Size: 128}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := thumbnail.Generate(src, specs, thumbnail.Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.Name+"/naive", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				img, err := imaging.Decode(bytes.NewReader(src), imaging.AutoOrientation(true))
				if err != nil {
					b.Fatal(err)
				}
				for _, s := range sizes {
					var out bytes.Buffer
					if err := imaging.Encode(&out, imaging.Fit(img, s, s, imaging.Lanczos), imaging.JPEG, imaging.JPEGQuality(80)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
