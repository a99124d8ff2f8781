package testenv

import (
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 serves an in-memory S3 (gofakes3) on a loopback port for the rest of the
// test and returns its endpoint URL, e.g. "http://127.0.0.1:41234".
//
// The server starts empty: create buckets through the SDK. Clients must use
// path-style addressing (s3.Options.UsePathStyle), because virtual-hosted
// names like bucket.127.0.0.1 do not resolve.
func S3(t testing.TB) string {
	t.Helper()
	faker := gofakes3.New(s3mem.New())
	srv := httptest.NewServer(faker.Server())
	t.Cleanup(srv.Close)
	return srv.URL
}
