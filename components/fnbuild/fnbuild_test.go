package fnbuild

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

const hello = "./testdata/hello"

func TestBuildIsReproducible(t *testing.T) {
	dir := t.TempDir()
	a, err := Build(hello, ARM64, filepath.Join(dir, "a.zip"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(hello, ARM64, filepath.Join(dir, "b.zip"))
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a.Path)
	bb, _ := os.ReadFile(b.Path)
	if !bytes.Equal(ab, bb) || a.SHA256 != b.SHA256 {
		t.Fatalf("two builds of the same source differ: %s vs %s", a.SHA256, b.SHA256)
	}
	if a.Size != int64(len(ab)) {
		t.Errorf("Size = %d, file has %d bytes", a.Size, len(ab))
	}
}

func TestArchiveHoldsExecutableBootstrap(t *testing.T) {
	for _, arch := range []string{ARM64, X86_64} {
		t.Run(arch, func(t *testing.T) {
			art, err := Build(hello, arch, filepath.Join(t.TempDir(), "f.zip"))
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.OpenReader(art.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
				t.Fatalf("archive members: %v, want only bootstrap", zr.File)
			}
			f := zr.File[0]
			if f.Mode().Perm() != 0o755 {
				t.Errorf("bootstrap mode %v, want 0755", f.Mode().Perm())
			}
			if !f.Modified.Equal(zipTime) {
				t.Errorf("bootstrap time %v, want the fixed %v", f.Modified, zipTime)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			head := make([]byte, 20)
			if _, err := rc.Read(head); err != nil {
				t.Fatal(err)
			}
			rc.Close()
			// ELF e_machine: 0xB7 is AArch64, 0x3E is x86-64.
			wantMachine := map[string]byte{ARM64: 0xB7, X86_64: 0x3E}[arch]
			if string(head[:4]) != "\x7fELF" || head[18] != wantMachine {
				t.Errorf("bootstrap is not a Linux %s ELF binary: % x", arch, head)
			}
		})
	}
}

func TestFunctionBuildsOncePerProcess(t *testing.T) {
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	a, err := Function(hello, ARM64)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Function(hello, ARM64)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("second Function call rebuilt instead of reusing the first build")
	}
}

func TestUnknownArchitecture(t *testing.T) {
	_, err := Build(hello, "sparc", filepath.Join(t.TempDir(), "f.zip"))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`"sparc"`)) {
		t.Fatalf("err = %v, want one naming the bad architecture", err)
	}
}
