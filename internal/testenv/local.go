package testenv

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/gopherstack/serverless-arch/internal/local"
)

// Local starts local mode (see internal/local) on free ports for the rest of
// the test: dynalite, aws-ses-v2-local and s3local, the four functions under
// the runtime interface emulator, the stream feeder and the HTTP front
// doors. When the test ends, passed or failed, everything is stopped and
// the test fails if any process it started is still running. A missing
// emulator skips the test (fails it when CI is "true").
func Local(t testing.TB) *local.Env {
	t.Helper()
	logs := &lockedBuilder{}
	env, err := local.Start(context.Background(), local.Options{Logs: logs, Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		skipIfNotInstalled(t, err)
		t.Fatalf("starting local mode: %v", err)
	}
	t.Cleanup(func() {
		var tree []int
		for _, p := range env.Processes() {
			tree = append(tree, p.Tree()...)
		}
		if err := env.Stop(); err != nil {
			t.Errorf("stopping local mode: %v", err)
		}
		for _, pid := range tree {
			if local.Alive(pid) {
				t.Errorf("process %d is still running after local mode stopped", pid)
			}
		}
		if t.Failed() {
			t.Logf("local mode output:\n%s", tail(logs.String(), 32<<10))
		}
	})
	return env
}

// lockedBuilder collects output written from several goroutines.
type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
