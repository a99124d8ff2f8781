package emulator

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// treeOf starts script under sh and waits until the process has at least
// want descendants; it returns the process and the whole tree.
func treeOf(t *testing.T, script string, want int) (*Process, []int) {
	t.Helper()
	p, err := StartProcess("sh", exec.Command("sh", "-c", script), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	deadline := time.Now().Add(5 * time.Second)
	for {
		d := descendants(p.Pid())
		if len(d) >= want {
			return p, append(d, p.Pid())
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d descendants after 5s: %v", len(d), d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func assertGone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("process %d is still running", pid)
		}
	}
}

func TestStopEndsTheWholeTree(t *testing.T) {
	// The grandchild started with setsid leaves the process group, like a
	// function the runtime interface emulator starts.
	p, tree := treeOf(t, "setsid sleep 300 & sleep 300 & wait", 2)
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, tree)
}

func TestStopKillsWhatIgnoresSIGTERM(t *testing.T) {
	old := stopGrace
	stopGrace = 200 * time.Millisecond
	t.Cleanup(func() { stopGrace = old })
	p, tree := treeOf(t, `trap "" TERM; sleep 300 & while :; do sleep 1; done`, 2)
	start := time.Now()
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < stopGrace {
		t.Errorf("Stop returned after %v, before the grace period; SIGTERM should have been ignored", time.Since(start))
	}
	assertGone(t, tree)
}

func TestStopFindsOrphansOfAnExitedProcess(t *testing.T) {
	p, err := StartProcess("sh", exec.Command("sh", "-c", "sleep 300 & echo started"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	select {
	case <-p.Exited():
	case <-time.After(5 * time.Second):
		t.Fatal("sh did not exit")
	}
	orphans := descendantsOfGroup(p.Pid())
	if len(orphans) == 0 {
		t.Fatal("the orphaned sleep is not found in the exited process's group")
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, orphans)
}

func TestProcessOutputIsPrefixedAndWatched(t *testing.T) {
	var log bytes.Buffer
	p, err := StartProcess("talker", exec.Command("sh", "-c", "echo one; sleep 0.2; echo ready now; printf tail"), &log)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor("ready", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	<-p.Exited()
	if err := p.WaitFor("never printed", time.Second); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("WaitFor after exit = %v, want an error saying it exited", err)
	}
	if got, want := log.String(), "[talker] one\n[talker] ready now\n[talker] tail\n"; got != want {
		t.Fatalf("log = %q, want %q", got, want)
	}
	if p.Output() != "one\nready now\ntail" {
		t.Fatalf("Output = %q", p.Output())
	}
}

func TestReadStatHandlesOddCommandNames(t *testing.T) {
	// A command name with spaces and parentheses must not shift the fields.
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	odd := filepath.Join(t.TempDir(), "x) (y")
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(odd, b, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := StartProcess("odd", exec.Command(odd, "300"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	st, err := readStat(p.Pid())
	if err != nil {
		t.Fatal(err)
	}
	if st.pgid != p.Pid() || st.ppid != os.Getpid() {
		t.Fatalf("stat %+v, want pgid %d (its own group) and ppid %d", st, p.Pid(), os.Getpid())
	}
}

func TestWaitGivesUpOnTheFailureMarker(t *testing.T) {
	// Like a node server that cannot bind its port yet keeps running.
	p, err := StartProcess("stuck", exec.Command("sh", "-c", "echo 'listen EADDRINUSE'; sleep 300"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Stop() })
	err = p.waitFor("listening", "EADDRINUSE", time.Minute)
	if err == nil || !strings.Contains(err.Error(), "failed to start (EADDRINUSE)") {
		t.Fatalf("waitFor = %v, want an error naming the failure marker", err)
	}
	select {
	case <-p.Exited():
		t.Fatal("the process exited; the failure marker was not what ended the wait")
	default:
	}
	p.out.mu.Lock()
	left := len(p.out.watchers)
	p.out.mu.Unlock()
	if left != 0 {
		t.Errorf("%d watchers left after the wait; each would scan every later write", left)
	}
}
