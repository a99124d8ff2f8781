// Command thumbbench thumbnails local image files the way the thumbnail
// function does and prints, per file, the time taken and the process's peak
// memory, so that engines can be compared on real photographs.
//
//	go run ./functions/thumbnail/thumbbench [-sizes 1024,512,128] [-quality 80] [-n 3] [-engine fast|naive] [-out DIR] FILE...
//	go run ./functions/thumbnail/thumbbench -photos   # print the test photographs, building the 24 MP one if needed
//	go run ./functions/thumbnail/thumbbench -corpus   # print the benchmark corpus, building what needs building
//	go run ./functions/thumbnail/thumbbench -describe FILE...   # print each file's class (format, mode, sampling, bpp, shrink-on-load)
//
// Engines:
//   - fast: functions/thumbnail/internal/thumbnail (shrink-on-load JPEG decoding, sizes chained
//     from the nearest larger intermediate);
//   - naive: decode at full size with imaging, then imaging.Fit with Lanczos
//     straight to every size.
//
// Each line is tab-separated: file, source size, best wall time over -n runs
// in milliseconds, peak resident set size of the process so far in MiB (run
// one file per process to read it per file), and total output bytes.
// tests/bench/thumbnails/compare.sh runs it against sharp.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/disintegration/imaging"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

func main() {
	sizesFlag := flag.String("sizes", "1024,512,128", "comma-separated thumbnail sizes (px)")
	quality := flag.Int("quality", thumbnail.DefaultQuality, "JPEG quality")
	runs := flag.Int("n", 1, "runs per file; the best time is printed")
	engine := flag.String("engine", "fast", "fast (functions/thumbnail/internal/thumbnail) or naive (full decode + imaging.Fit)")
	outDir := flag.String("out", "", "directory to write the thumbnails to (optional)")
	photos := flag.Bool("photos", false, "print the paths of the test photographs and exit")
	corpus := flag.Bool("corpus", false, "print the paths of the corpus files and exit, building what needs building")
	describe := flag.Bool("describe", false, "print each file's class and exit")
	flag.Parse()

	if *describe {
		describeFiles(flag.Args())
		return
	}

	if *photos || *corpus {
		list := testimg.Photos
		if *corpus {
			list = testimg.Corpus
		}
		ps, err := list(testimg.DefaultCacheDir())
		if err != nil {
			fail(err)
		}
		for _, p := range ps {
			fmt.Println(p.Path)
		}
		return
	}
	var sizes []int
	for _, f := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fail(fmt.Errorf("bad size %q", f))
		}
		sizes = append(sizes, n)
	}
	run := map[string]func([]byte, []int, int) ([][]byte, error){"fast": fast, "naive": naive}[*engine]
	if run == nil {
		fail(fmt.Errorf("unknown engine %q", *engine))
	}

	fmt.Println("file\tsource\tms\tpeak_rss_mib\toutput_bytes")
	for _, path := range flag.Args() {
		src, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(src))
		if err != nil {
			fail(fmt.Errorf("%s: %w", path, err))
		}
		best := time.Duration(1<<63 - 1)
		var outs [][]byte
		for range max(1, *runs) {
			start := time.Now()
			outs, err = run(src, sizes, *quality)
			if err != nil {
				fail(fmt.Errorf("%s: %w", path, err))
			}
			best = min(best, time.Since(start))
		}
		total := 0
		for i, o := range outs {
			total += len(o)
			if *outDir != "" {
				name := fmt.Sprintf("%s-%d-%s.jpg", strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), sizes[i], *engine)
				if err := os.WriteFile(filepath.Join(*outDir, name), o, 0o644); err != nil {
					fail(err)
				}
			}
		}
		fmt.Printf("%s\t%dx%d\t%.1f\t%.1f\t%d\n", path, cfg.Width, cfg.Height,
			float64(best.Microseconds())/1000, peakRSSMiB(), total)
	}
}

// describeFiles prints, per file: path, class (testimg.Describe), size and
// the power-of-two shrink-on-load factor libvips uses for a 1024 px
// thumbnail.
func describeFiles(paths []string) {
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		c := testimg.Describe(src)
		fmt.Printf("%s\t%s\t%dx%d\t1/%d\n", path, c, c.Width, c.Height, c.ShrinkOnLoad(1024))
	}
}

func fast(src []byte, sizes []int, quality int) ([][]byte, error) {
	specs := make([]thumbnail.Spec, len(sizes))
	for i, s := range sizes {
		specs[i] = thumbnail.Spec{Size: s, Format: thumbnail.FormatJPEG, Quality: quality}
	}
	out, err := thumbnail.Generate(src, specs, thumbnail.Limits{})
	if err != nil {
		return nil, err
	}
	data := make([][]byte, len(out))
	for i, o := range out {
		data[i] = o.Data
	}
	return data, nil
}

// naive is the obvious imaging code the issue measured: decode at full size,
// then fit every size from the full image.
func naive(src []byte, sizes []int, quality int) ([][]byte, error) {
	img, err := imaging.Decode(bytes.NewReader(src), imaging.AutoOrientation(true))
	if err != nil {
		return nil, err
	}
	data := make([][]byte, len(sizes))
	for i, s := range sizes {
		var b bytes.Buffer
		if err := imaging.Encode(&b, imaging.Fit(img, s, s, imaging.Lanczos), imaging.JPEG, imaging.JPEGQuality(quality)); err != nil {
			return nil, err
		}
		data[i] = b.Bytes()
	}
	return data, nil
}

// peakRSSMiB is the process's peak resident set size (Linux reports KiB).
func peakRSSMiB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Maxrss) / 1024
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "thumbbench:", err)
	os.Exit(1)
}
