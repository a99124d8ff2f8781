package emulator_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/testenv"
)

func root(t *testing.T) string {
	t.Helper()
	root, err := emulator.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := emulator.Installed(root); err != nil {
		testenv.SkipIfNotInstalled(t, err)
		t.Fatal(err)
	}
	return root
}

func TestStopLeavesNothingRunning(t *testing.T) {
	db, err := emulator.StartDynalite(root(t), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Stop() })
	resp, err := http.Get(db.Endpoint)
	if err != nil {
		t.Fatalf("dynalite is not answering at %s: %v", db.Endpoint, err)
	}
	resp.Body.Close()
	tree := db.Process().Tree()
	if err := db.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range tree {
		if emulator.Alive(pid) {
			t.Errorf("process %d is still running after Stop", pid)
		}
	}
}

func TestAPortInUseIsAnError(t *testing.T) {
	root := root(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	// A port asked for is not swapped for another, and the error says why.
	db, err := emulator.StartDynalite(root, port, nil)
	if err == nil {
		_ = db.Stop()
		t.Fatalf("StartDynalite on port %d, which is taken, succeeded", port)
	}
	if !strings.Contains(err.Error(), "EADDRINUSE") {
		t.Errorf("error = %v, want one naming EADDRINUSE", err)
	}
}

func TestInstalledReportsAMissingEmulator(t *testing.T) {
	err := emulator.Installed(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm ci") {
		t.Fatalf("Installed(an empty directory) = %v, want an error saying to run npm ci", err)
	}
	if !errors.Is(err, emulator.ErrNotInstalled) {
		t.Fatalf("Installed(an empty directory) = %v, want ErrNotInstalled", err)
	}
}
