package fnbuild

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

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

var (
	hostMu     sync.Mutex
	hostBuilds = map[string]*hostResult{}
)

type hostResult struct {
	once sync.Once
	path string
	err  error
}

// Host builds the Go main package pkg as an unzipped bootstrap binary for
// the machine running this process (linux on its own architecture), with the
// flags Build uses, once per process. It returns the binary's path under
// the build directory. The binary is what local runs and tests execute
// under the Lambda runtime interface emulator: the deployed code, compiled
// for the CPU at hand.
func Host(pkg string) (string, error) {
	hostMu.Lock()
	r, ok := hostBuilds[pkg]
	if !ok {
		r = &hostResult{}
		hostBuilds[pkg] = r
	}
	hostMu.Unlock()
	r.once.Do(func() {
		dir, err := outputDir()
		if err != nil {
			r.err = err
			return
		}
		name := strings.NewReplacer("/", "_", ".", "_").Replace(strings.TrimLeft(pkg, "./"))
		r.path = filepath.Join(dir, "host", name, "bootstrap")
		r.err = BuildHost(pkg, r.path)
	})
	return r.path, r.err
}

// BuildHost compiles pkg for the host into the executable out, replacing it
// atomically so that a running copy is never overwritten in place.
func BuildHost(pkg, out string) error {
	arch := HostArch()
	if runtime.GOOS != "linux" || arch == "" {
		return fmt.Errorf("building %s for this machine: Lambda runs linux on arm64 or x86_64, this is %s/%s", pkg, runtime.GOOS, runtime.GOARCH)
	}
	goarch, err := GOARCH(arch)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("building %s for this machine: %w", pkg, err)
	}
	part := out + fmt.Sprintf(".%d.tmp", os.Getpid())
	// The same command line and environment as Build: the host binary must
	// be the deployed code, only for another CPU.
	if err := compile(pkg, goarch, part); err != nil {
		os.Remove(part)
		return fmt.Errorf("building %s for this machine: %w", pkg, err)
	}
	if err := os.Rename(part, out); err != nil {
		os.Remove(part)
		return fmt.Errorf("building %s for this machine: %w", pkg, err)
	}
	return nil
}
