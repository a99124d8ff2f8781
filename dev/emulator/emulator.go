package emulator

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Service is a running stand-in for an AWS service.
type Service struct {
	Name string
	// Endpoint is its URL, such as "http://127.0.0.1:4567".
	Endpoint string
	proc     *Process
}

// Stop stops the service and anything it started.
func (s *Service) Stop() error { return s.proc.Stop() }

// Output is what the service printed so far.
func (s *Service) Output() string { return s.proc.Output() }

// Process is the service's process, for leak checks.
func (s *Service) Process() *Process { return s.proc }

// ErrNotInstalled reports a missing npm emulator; tests skip on it outside
// CI.
var ErrNotInstalled = errors.New("emulator not installed")

// startTimeout bounds how long an emulator may take to answer; node starts
// slowly on a busy machine.
const startTimeout = 30 * time.Second

// npm is an emulator installed with npm under tests/emulators.
type npm struct {
	name  string                  // binary in tests/emulators/node_modules/.bin
	args  func(port int) []string // command line listening on 127.0.0.1:port
	ready string                  // printed once listening
}

var (
	dynalite = npm{
		name: "dynalite",
		args: func(port int) []string {
			return []string{"--host", "127.0.0.1", "--port", strconv.Itoa(port),
				"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"}
		},
		ready: "Dynalite listening at",
	}
	sesLocal = npm{
		name: "aws-ses-v2-local",
		args: func(port int) []string {
			return []string{"--host", "127.0.0.1", "--port", strconv.Itoa(port)}
		},
		ready: "server running at",
	}
)

// StartDynalite starts dynalite, an in-memory DynamoDB whose tables become
// ACTIVE as soon as they are created, on port (0 picks a free one). root is
// the module root (ModuleRoot); logs receives its output, each line
// prefixed with its name (nil keeps the output for Output only).
func StartDynalite(root string, port int, logs io.Writer) (*Service, error) {
	return dynalite.start(root, port, logs)
}

// StartSES starts aws-ses-v2-local, an SES v2 emulator whose GET /store
// lists the mails it accepted, on port (0 picks a free one), as
// StartDynalite does.
func StartSES(root string, port int, logs io.Writer) (*Service, error) {
	return sesLocal.start(root, port, logs)
}

// Installed reports, as an ErrNotInstalled error, the first npm emulator
// missing under root, or nil if all are installed.
func Installed(root string) error {
	for _, e := range []npm{dynalite, sesLocal} {
		if _, err := e.binary(root); err != nil {
			return err
		}
	}
	return nil
}

func (e npm) binary(root string) (string, error) {
	bin := filepath.Join(root, "tests", "emulators", "node_modules", ".bin", e.name)
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("%w: %s (%v); run `npm ci` in %s", ErrNotInstalled, e.name, err, filepath.Join(root, "tests", "emulators"))
	}
	return bin, nil
}

// start runs the emulator on port. A port picked free may be taken by
// another process before the emulator binds it; the emulator then fails to
// start and start tries another port.
func (e npm) start(root string, port int, logs io.Writer) (*Service, error) {
	bin, err := e.binary(root)
	if err != nil {
		return nil, err
	}
	tries := 3
	if port != 0 {
		tries = 1 // a port asked for is not swapped for another
	}
	var lastErr error
	for range tries {
		p := port
		if p == 0 {
			if p, err = FreePort(); err != nil {
				return nil, err
			}
		}
		s, err := e.run(bin, p, logs)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("starting %s: %w", e.name, lastErr)
}

// run starts one emulator process and waits until it is ready. Readiness
// needs the emulator's own "listening" line, so that a stranger on the port
// is never mistaken for it, and then a first HTTP answer.
func (e npm) run(bin string, port int, logs io.Writer) (*Service, error) {
	cmd := exec.Command(bin, e.args(port)...)
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	proc, err := StartProcess(e.name, cmd, logs)
	if err != nil {
		return nil, err
	}
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := proc.waitFor(e.ready, "EADDRINUSE", startTimeout); err != nil {
		_ = proc.Stop()
		return nil, err
	}
	if err := waitHTTP(endpoint, proc); err != nil {
		_ = proc.Stop()
		return nil, err
	}
	return &Service{Name: e.name, Endpoint: endpoint, proc: proc}, nil
}

// waitHTTP waits for a first HTTP answer from endpoint.
func waitHTTP(endpoint string, proc *Process) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return nil
		}
		select {
		case <-proc.Exited():
			return fmt.Errorf("%s exited while starting; output:\n%s", proc.Name, proc.Output())
		case <-ctx.Done():
			return fmt.Errorf("%s not answering at %s: %v", proc.Name, endpoint, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// S3LocalPackage is the command serving gofakes3 with notifications.
const S3LocalPackage = "github.com/gopherstack/serverless-arch/cmd/s3local"

// BuildS3Local builds cmd/s3local into dir and returns the binary's path.
func BuildS3Local(root, dir string) (string, error) {
	out := filepath.Join(dir, "s3local")
	cmd := exec.Command("go", "build", "-o", out, S3LocalPackage)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building s3local: %w\n%s", err, b)
	}
	return out, nil
}

// StartS3Local runs the s3local binary on port (0 picks a free one, chosen
// by s3local itself, so there is no race for it) with its flags.
func StartS3Local(bin string, port int, flags []string, logs io.Writer) (*Service, error) {
	args := append([]string{"-addr", "127.0.0.1:" + strconv.Itoa(port)}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	proc, err := StartProcess("s3local", cmd, logs)
	if err != nil {
		return nil, err
	}
	const marker = "s3local listening at "
	if err := proc.WaitFor(marker, startTimeout); err != nil {
		_ = proc.Stop()
		return nil, err
	}
	var endpoint string
	sc := bufio.NewScanner(strings.NewReader(proc.Output()))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), marker); ok {
			endpoint = strings.TrimSpace(rest)
		}
	}
	if endpoint == "" {
		_ = proc.Stop()
		return nil, fmt.Errorf("s3local printed no address; output:\n%s", proc.Output())
	}
	return &Service{Name: "s3local", Endpoint: endpoint, proc: proc}, nil
}

// FreePort asks the kernel for a free loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ModuleRoot finds the directory of this module's go.mod at or above the
// working directory (under go test, the package's directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the module root: %w", err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.Contains(b, []byte("module github.com/gopherstack/serverless-arch\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding the module root: run inside the serverless-arch repository")
		}
		dir = parent
	}
}
