package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// SeedFixtures adds every file matching pattern under testdata (such as
// "*.json", the events a function's tests replay) to the fuzz corpus, and
// fails when there is none.
func SeedFixtures(f *testing.F, pattern string) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no fixtures testdata/%s: %v", pattern, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
