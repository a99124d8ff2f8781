package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/testenv"
	"github.com/gopherstack/serverless-arch/dev/testimg"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/internal/thumbnail"
)

// FuzzHandle feeds the function's event decoder arbitrary payloads: S3,
// SQS and SNS deliveries, test events, sweep requests and anything else,
// against a store holding the fixtures' uploads. Whatever arrives, the
// handler answers or errs, and never panics.
//
//	go test ./functions/thumbnail -run '^$' -fuzz FuzzHandle -fuzztime 1000000x -parallel 1
func FuzzHandle(f *testing.F) {
	testenv.SeedFixtures(f, "*.json")
	f.Add([]byte(`{"sweep":"retired-sizes","sizes":"256,64"}`))
	f.Add([]byte(`{"Records":[{"eventSource":"aws:s3","eventName":"LifecycleExpiration:Delete","s3":{"bucket":{"name":"myblog-media"},"object":{"key":"uploads/a.jpg"}}}]}`))
	photo := testimg.JPEG(f, testimg.Quadrants(16, 12), 80)
	f.Fuzz(func(t *testing.T, payload []byte) {
		store := newMemS3()
		for _, k := range []string{"uploads/a.jpg", "uploads/b.jpg", "uploads/c.jpg"} {
			store.add(bucket, k, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", photo)
		}
		h := newTestHandler(store, testConfig(thumbnail.FormatAuto))
		_, _ = h.Handle(context.Background(), json.RawMessage(payload))
	})
}
