package functions

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/fnbuild"
)

// embedded returns every archive, or skips outside CI when go generate has
// not been run.
func embedded(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, n := range Names {
		for _, arch := range Architectures {
			data, ok := Embedded(n, arch)
			if !ok && os.Getenv("CI") == "" {
				t.Skip("no archives embedded: run go generate ./... in provider/")
			}
			if !ok {
				t.Fatalf("%s is not embedded: CI runs go generate ./... in provider/ first", FileName(n, arch))
			}
			out[n+" "+arch] = data
		}
	}
	return out
}

// The provider deploys byte for byte what a Go program using the
// components deploys: each embedded archive equals a fresh build of the
// function from the module root, bypassing fnbuild's cache, with the same
// Go version.
func TestEmbeddedArchivesAreTheGoProgramsBuilds(t *testing.T) {
	archives := embedded(t)
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	for _, n := range Names {
		for _, arch := range Architectures {
			art, err := fnbuild.Build(blocks.FunctionsPath+n, arch, filepath.Join(t.TempDir(), "fn.zip"))
			if err != nil {
				t.Fatal(err)
			}
			if got := sum(archives[n+" "+arch]); got != art.SHA256 {
				t.Errorf("%s: embedded %s, built by a Go program %s", FileName(n, arch), got, art.SHA256)
			}
		}
	}
}

func TestRegisteredArchivesNeedNoGoToolchain(t *testing.T) {
	archives := embedded(t)
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	t.Setenv("PATH", "")
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	for _, n := range Names {
		for _, arch := range Architectures {
			art, err := fnbuild.Function(blocks.FunctionsPath+n, arch)
			if err != nil {
				t.Fatal(err)
			}
			if want := sum(archives[n+" "+arch]); art.SHA256 != want || art.Package != blocks.FunctionsPath+n {
				t.Errorf("%s for %s: %+v, want the embedded archive %s", n, arch, art, want)
			}
		}
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
