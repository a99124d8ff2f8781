// Package fnbuild compiles Go Lambda handlers into deployable, reproducible
// zip archives, from any Go module that imports them. A Pulumi program builds
// each function while it runs (during preview and up), so a fresh clone needs
// no separate build step and nothing depends on an artifact left over:
//
//	art, err := fnbuild.Function("github.com/you/app/functions/hello", fnbuild.ARM64)
//	// art.Path is the zip, art.Base64SHA256 the Lambda source code hash
//
// A package is built inside the module that holds it, with that module's own
// go.mod and go.sum: a function shipped by a library you import (the
// components' welcome mailer, say) is built from the library's module in your
// module cache, with the dependency versions the library tested; your own
// functions are built in your module as `go build` would. Your environment is
// used as it is (GOFLAGS, GOTOOLCHAIN, GOPROXY, GOMODCACHE), except that
// another module's function is built with -mod=readonly and GOWORK=off.
//
// The binary is bootstrap for provided.al2023: CGO_ENABLED=0, -trimpath, -tags
// lambda.norpc, -buildvcs=false, -ldflags "-s -w -buildid=", GOAMD64=v1 or
// GOARM64=v8.0, zipped with a fixed timestamp and mode. The same source and Go
// version give the same bytes on every machine (pin Go with a toolchain line
// or GOTOOLCHAIN). Archives are cached under the user cache directory (or
// $SERVERLESS_ARCH_BUILD_DIR) by a key over everything that decides their
// bytes (Go version, target, flags, the dependencies' versions or contents),
// so an unchanged function runs no compiler, and a failed build leaves nothing.
package fnbuild

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
	// Package is the import path of the main package built.
	Package string
	// Path is the zip file.
	Path string
	// SHA256 is the hex SHA-256 of the zip.
	SHA256 string
	// Base64SHA256 is the SHA-256 in the form Lambda's sourceCodeHash uses.
	Base64SHA256 string
	// Size is the zip's size in bytes.
	Size int64
}

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

// HostArch is the Lambda architecture of the machine running this process,
// or "" when Lambda has no such architecture.
func HostArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return X86_64
	case "arm64":
		return ARM64
	}
	return ""
}

// memo keeps this process's successful results by request, so a program
// that creates a function twice asks the go command once. Failures are
// not kept.
var memo sync.Map // request -> *Artifact or string (host binary path)

// request is what a caller asks for, resolved against the working
// directory of this process.
type request struct{ pkg, arch, wd string }

// building serialises work on one cache key inside this process.
var building sync.Map // key -> *sync.Mutex

// Function builds the Go main package pkg (an import path, or a ./relative
// path resolved from the working directory) for the Lambda architecture
// arch and returns its zip, from the cache when the sources are unchanged,
// or the archive registered with Prebuilt.
func Function(pkg, arch string) (*Artifact, error) {
	goarch, err := GOARCH(arch)
	if err != nil {
		return nil, err
	}
	if art, ok, err := prebuiltArtifact(pkg, arch); ok {
		return art, err
	}
	req, err := newRequest(pkg, arch)
	if err != nil {
		return nil, err
	}
	if v, ok := memo.Load(req); ok {
		return v.(*Artifact), nil
	}
	p, err := plan(pkg, goarch)
	if err != nil {
		return nil, fmt.Errorf("building %s for %s: %w", pkg, arch, err)
	}
	out := filepath.Join(p.cacheDir, p.key+".zip")
	unlock := lockKey(p.key)
	defer unlock()
	art, err := readArtifact(out)
	if err != nil {
		if art, err = p.buildZip(out); err != nil {
			return nil, fmt.Errorf("building %s for %s: %w", pkg, arch, err)
		}
	}
	art.Package = p.importPath
	memo.Store(req, art)
	return art, nil
}

// Host builds the Go main package pkg as an unzipped bootstrap binary for
// the machine running this process (linux on its own architecture), with
// the flags Function uses, and returns its path in the cache. The binary is
// what local runs and tests execute under the Lambda runtime interface
// emulator: the deployed code, compiled for the CPU at hand.
func Host(pkg string) (string, error) {
	arch := HostArch()
	if runtime.GOOS != "linux" || arch == "" {
		return "", fmt.Errorf("building %s for this machine: Lambda runs linux on arm64 or x86_64, this is %s/%s", pkg, runtime.GOOS, runtime.GOARCH)
	}
	req, err := newRequest(pkg, "host")
	if err != nil {
		return "", err
	}
	if v, ok := memo.Load(req); ok {
		return v.(string), nil
	}
	goarch, _ := GOARCH(arch)
	p, err := plan(pkg, goarch)
	if err != nil {
		return "", fmt.Errorf("building %s for this machine: %w", pkg, err)
	}
	out := filepath.Join(p.cacheDir, p.key, "bootstrap")
	unlock := lockKey(p.key)
	defer unlock()
	if _, err := os.Stat(out); err != nil {
		if err := p.buildFile(out); err != nil {
			return "", fmt.Errorf("building %s for this machine: %w", pkg, err)
		}
	}
	memo.Store(req, out)
	return out, nil
}

// Build compiles pkg for arch and writes the zip to out, bypassing the
// cache: for tools that compare builds.
func Build(pkg, arch, out string) (*Artifact, error) {
	goarch, err := GOARCH(arch)
	if err != nil {
		return nil, err
	}
	p, err := locate(pkg, goarch)
	if err != nil {
		return nil, fmt.Errorf("building %s for %s: %w", pkg, arch, err)
	}
	art, err := p.buildZip(out)
	if err != nil {
		return nil, fmt.Errorf("building %s for %s: %w", pkg, arch, err)
	}
	art.Package = p.importPath
	return art, nil
}

// BuildHost compiles pkg for this machine into the executable out,
// bypassing the cache.
func BuildHost(pkg, out string) error {
	arch := HostArch()
	if runtime.GOOS != "linux" || arch == "" {
		return fmt.Errorf("building %s for this machine: Lambda runs linux on arm64 or x86_64, this is %s/%s", pkg, runtime.GOOS, runtime.GOARCH)
	}
	goarch, _ := GOARCH(arch)
	p, err := locate(pkg, goarch)
	if err == nil {
		err = p.buildFile(out)
	}
	if err != nil {
		return fmt.Errorf("building %s for this machine: %w", pkg, err)
	}
	return nil
}

func newRequest(pkg, arch string) (request, error) {
	wd, err := workDir(pkg)
	if err != nil {
		return request{}, fmt.Errorf("building %s: %w", pkg, err)
	}
	return request{pkg: pkg, arch: arch, wd: wd}, nil
}

func lockKey(key string) (unlock func()) {
	m, _ := building.LoadOrStore(key, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// buildZip compiles and zips the build into out, replacing it atomically,
// so concurrent builds never expose a torn file.
func (b *build) buildZip(out string) (*Artifact, error) {
	tmp, err := os.MkdirTemp("", "fnbuild-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bootstrap")
	if err := b.compile(bin); err != nil {
		return nil, err
	}
	zipped, err := zipBootstrap(bin)
	if err != nil {
		return nil, fmt.Errorf("zipping: %w", err)
	}
	if err := writeAtomic(out, zipped, 0o644); err != nil {
		return nil, err
	}
	return artifact(out, zipped), nil
}

// buildFile compiles the build into the executable out, replacing it
// atomically so that a running copy is never overwritten in place.
func (b *build) buildFile(out string) error { return replaceAtomic(out, b.compile) }

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	return replaceAtomic(path, func(part string) error { return os.WriteFile(part, data, mode) })
}

// replaceAtomic makes path with write, which writes a temporary file beside
// it, then renames that file over path: readers never see a partial file.
func replaceAtomic(path string, write func(part string) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	part := path + fmt.Sprintf(".%d.tmp", os.Getpid())
	if err := write(part); err != nil {
		os.Remove(part)
		return err
	}
	if err := os.Rename(part, path); err != nil {
		os.Remove(part)
		return err
	}
	return nil
}

// readArtifact returns the archive already at path.
func readArtifact(path string) (*Artifact, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errors.New("empty archive")
	}
	return artifact(path, data), nil
}

func artifact(path string, zipped []byte) *Artifact {
	sum := sha256.Sum256(zipped)
	return &Artifact{
		Path:         path,
		SHA256:       hex.EncodeToString(sum[:]),
		Base64SHA256: base64.StdEncoding.EncodeToString(sum[:]),
		Size:         int64(len(zipped)),
	}
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
