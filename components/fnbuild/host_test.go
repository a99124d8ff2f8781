package fnbuild

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The host binary must be exactly what the deployed zip holds for the same
// architecture: same flags, same bytes.
func TestHostBinaryIsTheZippedBootstrap(t *testing.T) {
	arch := HostArch()
	if runtime.GOOS != "linux" || arch == "" {
		t.Skipf("Lambda has no %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "host", "bootstrap")
	if err := BuildHost(hello, bin); err != nil {
		t.Fatal(err)
	}
	art, err := Build(hello, arch, filepath.Join(dir, "f.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(art.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	host, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(host, zipped) {
		t.Fatalf("host binary (%d bytes) differs from the %s bootstrap in the zip (%d bytes)", len(host), arch, len(zipped))
	}
	info, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm()&0o100 == 0 {
		t.Errorf("host binary mode %v is not executable", info.Mode())
	}
	if leftovers, _ := filepath.Glob(bin + ".*.tmp"); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestHostBuildsOncePerProcess(t *testing.T) {
	if HostArch() == "" || runtime.GOOS != "linux" {
		t.Skip("no Lambda architecture here")
	}
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	a, err := Host(hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	b, err := Host(hello)
	if err != nil || a != b {
		t.Fatalf("second Host = %q, %v; want the first result %q", b, err, a)
	}
	if _, err := os.Stat(b); !os.IsNotExist(err) {
		t.Fatalf("second Host rebuilt the binary (stat: %v); want the cached result", err)
	}
}

func TestBuildHostReportsCompileErrors(t *testing.T) {
	if HostArch() == "" || runtime.GOOS != "linux" {
		t.Skip("no Lambda architecture here")
	}
	out := filepath.Join(t.TempDir(), "bootstrap")
	err := BuildHost("./testdata/no-such-package", out)
	if err == nil {
		t.Fatal("BuildHost of a missing package succeeded")
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("a failed build left %s behind", out)
	}
}
