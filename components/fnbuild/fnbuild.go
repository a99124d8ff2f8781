// Package fnbuild compiles Go Lambda handlers into deployable, reproducible
// zip archives.
//
// The Pulumi program builds each function while it runs (during preview and
// up), so a fresh clone needs no separate build step, and no test depends on
// an artifact left over from an earlier build. Builds are reproducible: the
// same source and Go toolchain give byte-identical zips, so `pulumi preview`
// shows no change when nothing changed.
//
// A function is built for the provided.al2023 runtime as a static binary named
// bootstrap: CGO_ENABLED=0, -trimpath, -tags lambda.norpc, -buildvcs=false and
// -ldflags "-s -w -buildid=", then zipped with a fixed timestamp and mode 0755.
//
// Builds use exactly the Go toolchain named by Toolchain (the go command
// fetches it through the module proxy when the installed one differs), so
// every developer and CI machine produces the same bytes, and a reviewer's
// preview matches CI's.
package fnbuild

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Lambda instruction set architectures, as Lambda names them.
const (
	ARM64  = "arm64"
	X86_64 = "x86_64"
)

// Artifact is a built function archive.
type Artifact struct {
	// Path is the zip file.
	Path string
	// SHA256 is the hex SHA-256 of the zip.
	SHA256 string
	// Base64SHA256 is the SHA-256 in the form Lambda's sourceCodeHash uses.
	Base64SHA256 string
	// Size is the zip's size in bytes.
	Size int64
}

// Toolchain is the Go toolchain functions are built with.
const Toolchain = "go1.26.8"

// zipTime is the modification time stored for bootstrap: fixed, so that the
// archive depends only on the binary.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// GOARCH returns the Go architecture for a Lambda architecture.
func GOARCH(arch string) (string, error) {
	switch arch {
	case ARM64:
		return "arm64", nil
	case X86_64:
		return "amd64", nil
	}
	return "", fmt.Errorf("unknown Lambda architecture %q (want %q or %q)", arch, ARM64, X86_64)
}

type result struct {
	once sync.Once
	art  *Artifact
	err  error
}

var (
	mu     sync.Mutex
	builds = map[string]*result{}
)

// Function builds the Go main package pkg (an import path or a ./relative
// path, resolved from the working directory) for arch, once per process, and
// returns the zip under the user cache directory.
func Function(pkg, arch string) (*Artifact, error) {
	key := pkg + "@" + arch
	mu.Lock()
	r, ok := builds[key]
	if !ok {
		r = &result{}
		builds[key] = r
	}
	mu.Unlock()
	r.once.Do(func() {
		dir, err := outputDir()
		if err != nil {
			r.err = err
			return
		}
		name := strings.NewReplacer("/", "_", ".", "_").Replace(strings.TrimLeft(pkg, "./")) + "-" + arch + ".zip"
		r.art, r.err = Build(pkg, arch, filepath.Join(dir, name))
	})
	return r.art, r.err
}

func outputDir() (string, error) {
	if d := os.Getenv("SERVERLESS_ARCH_BUILD_DIR"); d != "" {
		return d, os.MkdirAll(d, 0o755)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding a build directory: %w", err)
	}
	d := filepath.Join(base, "serverless-arch", "functions")
	return d, os.MkdirAll(d, 0o755)
}

// Build compiles pkg for arch and writes the zip to out, replacing it
// atomically, so concurrent builds of the same function never expose a torn
// file.
func Build(pkg, arch, out string) (*Artifact, error) {
	goarch, err := GOARCH(arch)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "fnbuild-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "bootstrap")
	if err := compile(pkg, goarch, bin); err != nil {
		return nil, fmt.Errorf("building %s for %s: %w", pkg, arch, err)
	}

	zipped, err := zipBootstrap(bin)
	if err != nil {
		return nil, fmt.Errorf("zipping %s: %w", pkg, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, err
	}
	part := out + fmt.Sprintf(".%d.tmp", os.Getpid())
	if err := os.WriteFile(part, zipped, 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(part, out); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(zipped)
	return &Artifact{
		Path:         out,
		SHA256:       hex.EncodeToString(sum[:]),
		Base64SHA256: base64.StdEncoding.EncodeToString(sum[:]),
		Size:         int64(len(zipped)),
	}, nil
}

// compile runs the one go build command line every function build uses,
// deployed (Build) or local (BuildHost), so the two cannot drift apart.
func compile(pkg, goarch, out string) error {
	cmd := exec.Command("go", "build",
		"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc",
		"-ldflags", "-s -w -buildid=", "-o", out, pkg)
	cmd.Env = append(os.Environ(),
		"CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch,
		// Pin the instruction-set levels so a user's environment cannot
		// change the binary.
		"GOAMD64=v1", "GOARM64=v8.0", "GOFLAGS=-mod=readonly", "GOTOOLCHAIN="+Toolchain)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w\n%s", err, stderr.String())
	}
	return nil
}

func zipBootstrap(bin string) ([]byte, error) {
	f, err := os.Open(bin)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipTime}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
