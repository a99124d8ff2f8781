package testenv

import (
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
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Dynalite starts an in-memory dynalite (a DynamoDB emulator) for the test
// and returns its endpoint, such as "http://127.0.0.1:40123". Tables become
// ACTIVE as soon as they are created.
func Dynalite(t testing.TB) (endpoint string) {
	t.Helper()
	return emulator{
		name: "dynalite",
		args: func(port int) []string {
			return []string{"--host", "127.0.0.1", "--port", strconv.Itoa(port),
				"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"}
		},
		ready: "Dynalite listening at",
	}.start(t)
}

// AWSConfig returns an aws.Config for a client of the emulator at endpoint:
// region us-east-1, static fake credentials, and nothing read from the
// environment or ~/.aws, so that a developer's real settings never leak in.
func AWSConfig(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTESTENV", "testenv-secret", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// startTimeout bounds how long an emulator may take to answer; node starts
// slowly on a busy machine.
const startTimeout = 30 * time.Second

// emulator describes an npm-installed emulator binary. Helpers for other
// services can reuse it.
type emulator struct {
	name  string                  // binary in tests/emulators/node_modules/.bin
	args  func(port int) []string // command line listening on 127.0.0.1:port
	ready string                  // printed on stdout or stderr once listening
}

// start runs the emulator on a free port and returns its endpoint. The port
// is picked before the emulator binds it, so another process may take it in
// between; the emulator then fails to start and start tries another port.
// Readiness needs the emulator's own "listening" line, so that a stranger on
// the port is never mistaken for it.
func (e emulator) start(t testing.TB) string {
	t.Helper()
	bin := e.binary(t)
	var lastErr error
	for range 3 {
		endpoint, err := e.run(t, bin)
		if err == nil {
			return endpoint
		}
		lastErr = err
	}
	t.Fatalf("starting %s: %v", e.name, lastErr)
	return ""
}

// binary returns the emulator's path, skipping the test if it is not
// installed outside CI.
func (e emulator) binary(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("locating %s: %v", e.name, err)
	}
	bin := filepath.Join(root, "tests", "emulators", "node_modules", ".bin", e.name)
	if _, err := os.Stat(bin); err != nil {
		msg := fmt.Sprintf("%s is not installed (%v); run `npm ci` in %s", e.name, err, filepath.Join(root, "tests", "emulators"))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// run starts one emulator process and waits until it answers HTTP. On
// success the process is stopped by t.Cleanup; on failure it is already
// stopped.
func (e emulator) run(t testing.TB, bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	out := &watchedBuffer{markers: [][]byte{[]byte(e.ready), []byte("EADDRINUSE")}, seen: make(chan string, 1)}
	cmd := exec.Command(bin, e.args(port)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second // don't hang on output pipes a grandchild might hold
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("running %s: %w", bin, err)
	}
	p := &process{done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	stop := func() {
		_ = cmd.Process.Kill() // in-memory state only: nothing to shut down gracefully
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			t.Logf("%s (pid %d) did not exit after SIGKILL", e.name, cmd.Process.Pid)
		}
	}

	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	if err := waitReady(endpoint, e.ready, out.seen, p); err != nil {
		stop()
		return "", fmt.Errorf("%w; output:\n%s", err, out.String())
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("%s output:\n%s", e.name, out.String())
		}
	})
	return endpoint, nil
}

// process is a started emulator; done is closed once it has exited.
type process struct {
	done chan struct{}
	err  error // valid after done is closed
}

// waitReady waits for the emulator's ready line and for a first HTTP answer.
// Node emulators that fail to bind may keep running, so the bind error is
// watched for too.
func waitReady(endpoint, ready string, seen <-chan string, p *process) error {
	deadline := time.After(startTimeout)
	select {
	case marker := <-seen:
		if marker != ready {
			return fmt.Errorf("failed to listen (%s)", marker)
		}
	case <-p.done:
		return fmt.Errorf("exited before listening: %v", p.err)
	case <-deadline:
		return fmt.Errorf("not listening after %v", startTimeout)
	}
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
		case <-p.done:
			return fmt.Errorf("exited while starting: %v", p.err)
		case <-ctx.Done():
			return fmt.Errorf("not answering at %s: %v", endpoint, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// moduleRoot walks up from the working directory (the package directory under
// go test) to the directory holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("finding the module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// watchedBuffer collects a process's output and sends on seen the first of
// markers that the output contains.
type watchedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	markers [][]byte
	seen    chan string // buffered, receives at most one marker
	found   bool
}

func (w *watchedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, m := range w.markers {
		if !w.found && bytes.Contains(w.buf.Bytes(), m) {
			w.found = true
			w.seen <- string(m)
		}
	}
	return len(p), nil
}

func (w *watchedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(w.buf.String())
}
