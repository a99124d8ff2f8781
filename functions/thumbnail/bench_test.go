package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// BenchmarkThumbnail measures one upload end to end, as the function runs it
// with SIZES=1024,512,128 FORMAT=auto QUALITY=80: event parsing, the
// idempotency checks, download (from memory), decode, resize, encode and the
// three writes. The baseline in the same run is decoding the photo with
// image/jpeg alone, the part no thumbnailer can skip.
//
// Lambda gives a function of 1769 MB one vCPU, and less below that, so run it
// on one core:
//
//	go test -run='^$' -bench=Thumbnail -cpu=1 ./functions/thumbnail
//
// peak-heap-MB is the highest live-plus-garbage heap seen during an
// operation, above the heap before it: what the function's memory size must
// hold. The photos are the real 12 to 24 megapixel photographs testimg
// provides (Debian's lomiri-wallpapers); without them a generated 12 MP
// picture is used.
func BenchmarkThumbnail(b *testing.B) {
	cfg := Config{
		Bucket: bucket, Prefix: "thumbnails/", UploadPrefix: "uploads/",
		Specs: []thumbnail.Spec{
			{Size: 1024, Quality: 80}, {Size: 512, Quality: 80}, {Size: 128, Quality: 80},
		},
		Limits: thumbnail.Limits{MaxBytes: 50 << 20, MaxPixels: 50_000_000},
	}
	for _, p := range benchPhotos(b) {
		cfgImg, err := jpeg.DecodeConfig(bytes.NewReader(p.data))
		if err != nil {
			b.Fatalf("%s: %v", p.name, err)
		}
		mp := float64(cfgImg.Width*cfgImg.Height) / 1e6

		b.Run(p.name+"/baseline-decode", func(b *testing.B) {
			b.ReportAllocs()
			peak := watchHeap(b)
			for b.Loop() {
				peak.begin(b)
				if _, err := jpeg.Decode(bytes.NewReader(p.data)); err != nil {
					b.Fatal(err)
				}
				peak.end()
			}
			peak.report(b)
			b.ReportMetric(mp, "MP")
		})
		b.Run(p.name+"/handler", func(b *testing.B) {
			b.ReportAllocs()
			store := newMemS3()
			h := &Handler{S3: store, Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			peak := watchHeap(b)
			i := 0
			for b.Loop() {
				// A new version each time, or the idempotency check would skip it.
				i++
				etag := fmt.Sprintf("%032x", i)
				store.add(bucket, "uploads/photo.jpg", etag, p.data)
				ev := benchEvent(b, etag, int64(len(p.data)))
				peak.begin(b)
				if _, err := h.Handle(context.Background(), ev); err != nil {
					b.Fatal(err)
				}
				peak.end()
			}
			peak.report(b)
			b.ReportMetric(mp, "MP")
			if n := len(store.keys(bucket, "thumbnails/")); n != 3 {
				b.Fatalf("%d thumbnails written, want 3", n)
			}
		})
	}
}

type benchPhoto struct {
	name string
	data []byte
}

func benchPhotos(b *testing.B) []benchPhoto {
	photos, err := testimg.Photos(testimg.DefaultCacheDir())
	if err != nil {
		b.Logf("real photographs unavailable (%v); using a generated 12 MP picture", err)
		return []benchPhoto{{"generated-12mp", generatedPhoto(b, 4000, 3000)}}
	}
	var out []benchPhoto
	for _, p := range photos {
		data, err := os.ReadFile(p.Path)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, benchPhoto{p.Name, data})
	}
	return out
}

// generatedPhoto is smooth shading plus sensor-like noise, so that the JPEG
// is about as large and as costly to decode as a photograph's.
func generatedPhoto(b *testing.B, w, h int) []byte {
	img := testimg.Smooth(w, h)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(min(255, max(0, int(img.Pix[i])+rng.IntN(25)-12)))
		}
	}
	return testimg.JPEG(b, image.Image(img), 90)
}

func benchEvent(b *testing.B, etag string, size int64) json.RawMessage {
	ev := events.S3Event{Records: []events.S3EventRecord{{
		EventSource: "aws:s3", EventName: "ObjectCreated:Put",
		S3: events.S3Entity{Bucket: events.S3Bucket{Name: bucket},
			Object: events.S3Object{Key: "uploads/photo.jpg", Size: size, ETag: etag}},
	}}}
	raw, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// heapWatch samples the heap every millisecond in the background and keeps
// the largest rise above the heap at the start of an operation. On one core
// the sampler runs when the scheduler preempts the operation (every 10ms at
// the latest), which is fine for operations of hundreds of milliseconds.
type heapWatch struct {
	base, peak atomic.Uint64
	maxRise    uint64
	active     atomic.Bool
	stop       chan struct{}
	done       sync.WaitGroup
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func heapBytes() uint64 {
	s := make([]metrics.Sample, len(heapSample))
	copy(s, heapSample)
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func watchHeap(b *testing.B) *heapWatch {
	w := &heapWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				if w.active.Load() {
					if h := heapBytes(); h > w.peak.Load() {
						w.peak.Store(h)
					}
				}
			}
		}
	}()
	b.Cleanup(func() { close(w.stop); w.done.Wait() })
	return w
}

// begin starts an operation from a collected heap. The collection is not
// part of the operation's time.
func (w *heapWatch) begin(b *testing.B) {
	b.StopTimer()
	runtime.GC()
	h := heapBytes()
	w.base.Store(h)
	w.peak.Store(h)
	w.active.Store(true)
	b.StartTimer()
}

func (w *heapWatch) end() {
	w.active.Store(false)
	if h := heapBytes(); h > w.peak.Load() {
		w.peak.Store(h)
	}
	if rise := w.peak.Load() - w.base.Load(); rise > w.maxRise {
		w.maxRise = rise
	}
}

func (w *heapWatch) report(b *testing.B) {
	b.ReportMetric(float64(w.maxRise)/(1<<20), "peak-heap-MB")
}
