package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/testenv"
)

// TestCtrlCStopsEverything runs the command as a user would, waits until it
// serves, interrupts it like Ctrl-C does, and checks that it exits cleanly
// and that none of the processes it started is left.
func TestCtrlCStopsEverything(t *testing.T) {
	root, err := emulator.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := emulator.Installed(root); err != nil {
		testenv.SkipIfNotInstalled(t, err)
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "local")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, out)
	}
	state := filepath.Join(dir, "state.json")
	stdout, stderr := emulator.NewSyncBuffer(), emulator.NewSyncBuffer()
	cmd := exec.Command(bin, "-port", "0", "-quiet", "-state", state)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var tree []int
	t.Cleanup(func() {
		// Should the test fail half-way, nothing may outlive it.
		_ = cmd.Process.Kill()
		for _, pid := range tree {
			if emulator.Alive(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	})

	var s State
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if b, err := os.ReadFile(state); err == nil && json.Unmarshal(b, &s) == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("exited before serving: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("not serving after 5 minutes")
		}
	}
	if s.PID != cmd.Process.Pid {
		t.Fatalf("state names PID %d, the command is %d", s.PID, cmd.Process.Pid)
	}
	stderrBefore := stderr.String()
	for _, url := range []string{s.Site + "/", s.BlogAPI + "/posts", s.TokenURL + "?user=alice", s.SES + "/store"} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s", url, resp.Status)
		}
	}
	checkTheBlockStaysLast(t, stdout.String(), stderrBefore, stderr.String(), s)

	tree = emulator.Descendants(cmd.Process.Pid)
	if len(tree) < 7 { // 3 emulators + 4 emulated functions, at least
		t.Fatalf("only %d descendants: %v", len(tree), tree)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("exit after Ctrl-C: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("still running a minute after Ctrl-C")
	}
	for _, pid := range tree {
		if emulator.Alive(pid) {
			t.Errorf("process %d outlived local mode", pid)
		}
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("the state file is left behind (%v)", err)
	}
}

// checkTheBlockStaysLast checks that the URLs and the API key are the last
// lines printed, and that once local mode serves, the requests' and the
// processes' output goes to the log file the block names, not under it.
func checkTheBlockStaysLast(t *testing.T, stdout, stderrBefore, stderrAfter string, s State) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "API key") || !strings.Contains(last, s.APIKey) {
		t.Errorf("the last line printed is %q, want the API key", last)
	}
	for _, url := range []string{s.Site, s.TodoAPI, s.BlogAPI, s.TokenURL, s.SES, s.S3, s.DynamoDB} {
		if !strings.Contains(strings.Join(lines[max(0, len(lines)-8):], "\n"), url) {
			t.Errorf("%s is not in the block at the end:\n%s", url, stdout)
		}
	}
	if stderrAfter != stderrBefore {
		t.Errorf("output under the block once serving:\n%s", strings.TrimPrefix(stderrAfter, stderrBefore))
	}
	if s.Logs == "" || !strings.Contains(stdout, "tail -f "+s.Logs) {
		t.Fatalf("the log file %q is not named in the output", s.Logs)
	}
	logs, err := os.ReadFile(s.Logs)
	if err != nil || !strings.Contains(string(logs), "path=/v1/posts status=200") {
		t.Errorf("the request log is not in %s (%v):\n%s", s.Logs, err, logs)
	}
	_ = os.Remove(s.Logs)
}
