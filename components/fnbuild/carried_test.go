package fnbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestPrebuiltIsReturnedWithoutTheGoCommand(t *testing.T) {
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	t.Setenv("PATH", "") // no go command to fall back on
	const pkg = "example.com/carried/fn"
	zip := []byte("PK\x03\x04 not really a zip, but bytes to carry")
	Prebuilt(pkg, ARM64, zip)
	zip[0] = 'X' // the caller's slice is copied

	art, err := Function(pkg, ARM64)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("PK\x03\x04 not really a zip, but bytes to carry"))
	if art.SHA256 != hex.EncodeToString(sum[:]) || art.Package != pkg {
		t.Errorf("artifact %+v, want SHA-256 %x of package %s", art, sum, pkg)
	}
	got, err := os.ReadFile(art.Path)
	if err != nil || !bytes.HasPrefix(got, []byte("PK")) || art.Size != int64(len(got)) {
		t.Errorf("stored archive %q (%v), size %d", got, err, art.Size)
	}
	again, err := Function(pkg, ARM64)
	if err != nil || again.Path != art.Path {
		t.Errorf("second call: %+v, %v; want the same archive", again, err)
	}
	if _, err := Function(pkg, X86_64); err == nil {
		t.Error("an architecture without a prebuilt archive was answered without a build")
	}
}

func TestBuildFromResolvesPackagesFromTheGivenDirectory(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Build(hello, ARM64, filepath.Join(t.TempDir(), "want.zip"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	t.Chdir(t.TempDir()) // not in any module, like a TypeScript project
	const prefix = "github.com/gopherstack/serverless-arch/components/fnbuild/testdata/"
	if _, err := Function(prefix+"hello", ARM64); err == nil {
		t.Fatal("built a package that the working directory cannot resolve")
	}
	BuildFrom(prefix, root)
	art, err := Function(prefix+"hello", ARM64)
	if err != nil {
		t.Fatal(err)
	}
	if art.SHA256 != want.SHA256 {
		t.Errorf("built from the registered directory: %s, from the module itself: %s", art.SHA256, want.SHA256)
	}
}
