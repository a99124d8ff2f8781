package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a child process that Stop ends together with everything it
// started.
//
// It runs in its own process group, so a Ctrl-C in the terminal reaches
// the parent only (local mode, or go test), which then stops its children
// in order. Grandchildren may leave the group (the runtime interface
// emulator starts each function in a group of its own), so Stop also finds
// the process's descendants through /proc before it signals anything.
// Should the parent itself be killed, the kernel kills the direct children
// (PR_SET_PDEATHSIG), and a function whose emulator died exits when its
// runtime API connection breaks.
type Process struct {
	Name string
	cmd  *exec.Cmd
	out  *outputLog
	done chan struct{}
	err  error // from Wait, valid once done is closed
}

// stopGrace is how long a process has to exit after SIGTERM before it is
// killed.
var stopGrace = 5 * time.Second

// StartProcess starts cmd as name. Its output goes to logs, each line
// prefixed with the name, and is kept for Output.
func StartProcess(name string, cmd *exec.Cmd, logs io.Writer) (*Process, error) {
	out := newOutputLog(name, logs)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	// Don't wait forever on output pipes a surviving grandchild might hold.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &Process{Name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		out.flush()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process ID.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed once the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// Tree returns the process's ID and those of its live descendants.
func (p *Process) Tree() []int { return append(descendants(p.Pid()), p.Pid()) }

// Descendants returns the live descendants of pid, found through /proc.
func Descendants(pid int) []int { return descendants(pid) }

// Alive reports whether pid is a running process (not a zombie).
func Alive(pid int) bool { return alive(pid) }

// Output returns what the process has printed so far.
func (p *Process) Output() string { return p.out.String() }

// WaitFor waits until the process prints marker, exits, or timeout passes.
func (p *Process) WaitFor(marker string, timeout time.Duration) error {
	return p.waitFor(marker, "", timeout)
}

// waitFor is WaitFor that also gives up as soon as the process prints
// failure (if not empty): a node server that cannot bind its port may keep
// running without ever listening.
func (p *Process) waitFor(marker, failure string, timeout time.Duration) error {
	seen, unwatch := p.out.watch(marker)
	defer unwatch()
	var failed <-chan struct{} // nil never fires
	if failure != "" {
		var unwatchFailure func()
		failed, unwatchFailure = p.out.watch(failure)
		defer unwatchFailure()
	}
	select {
	case <-seen:
		return nil
	case <-failed:
		return fmt.Errorf("%s failed to start (%s); output:\n%s", p.Name, failure, p.Output())
	case <-p.done:
		return fmt.Errorf("%s exited before it was ready (%v); output:\n%s", p.Name, p.err, p.Output())
	case <-time.After(timeout):
		return fmt.Errorf("%s did not print %q within %v; output:\n%s", p.Name, marker, timeout, p.Output())
	}
}

// Stop ends the process and its descendants: SIGTERM first, SIGKILL for
// whatever still runs after stopGrace. It returns once all of them are gone,
// or an error naming the ones that are not.
func (p *Process) Stop() error {
	select {
	case <-p.done:
		// Exited by itself; its descendants may still run.
		return killAll(descendantsOfGroup(p.Pid()), syscall.SIGKILL)
	default:
	}
	tree := append(descendants(p.Pid()), p.Pid())
	_ = syscall.Kill(-p.Pid(), syscall.SIGTERM)
	for _, pid := range tree {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	select {
	case <-p.done:
	case <-time.After(stopGrace):
	}
	// Whatever was started meanwhile is found again.
	tree = append(tree, descendants(p.Pid())...)
	_ = syscall.Kill(-p.Pid(), syscall.SIGKILL)
	return killAll(tree, syscall.SIGKILL)
}

// killAll signals pids that are still alive and waits until they are gone.
func killAll(pids []int, sig syscall.Signal) error {
	for _, pid := range pids {
		if alive(pid) {
			_ = syscall.Kill(pid, sig)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var left []string
		for _, pid := range pids {
			if alive(pid) {
				left = append(left, strconv.Itoa(pid))
			}
		}
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes %s did not exit", strings.Join(left, ", "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid runs and is not a zombie waiting to be reaped
// (zombies hold no resources, and one reaped by init is gone for good).
func alive(pid int) bool {
	st, err := readStat(pid)
	return err == nil && st.state != 'Z' && st.state != 'X'
}

type procStat struct {
	pid, ppid, pgid int
	state           byte
}

// readStat parses /proc/<pid>/stat. The command name in parentheses may
// contain spaces and parentheses, so the fields are read after the last ')'.
func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, errors.New("unexpected /proc stat format")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return procStat{}, errors.New("unexpected /proc stat format")
	}
	ppid, _ := strconv.Atoi(f[1])
	pgid, _ := strconv.Atoi(f[2])
	return procStat{pid: pid, ppid: ppid, pgid: pgid, state: f[0][0]}, nil
}

func allStats() []procStat {
	entries, _ := os.ReadDir("/proc")
	var out []procStat
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(pid); err == nil {
			out = append(out, st)
		}
	}
	return out
}

// descendants returns the live descendants of pid.
func descendants(pid int) []int {
	children := map[int][]int{}
	for _, st := range allStats() {
		if st.state != 'Z' {
			children[st.ppid] = append(children[st.ppid], st.pid)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// descendantsOfGroup finds what is left of an exited process: the members of
// its process group (orphans are reparented, but keep their group) and their
// descendants.
func descendantsOfGroup(pgid int) []int {
	var out []int
	for _, st := range allStats() {
		if st.pgid == pgid && st.state != 'Z' {
			out = append(out, st.pid)
			out = append(out, descendants(st.pid)...)
		}
	}
	return out
}

// outputLog keeps a process's output and copies it, line by line and
// prefixed with the process's name, to a log.
type outputLog struct {
	mu       sync.Mutex
	prefix   string
	log      io.Writer
	all      bytes.Buffer
	partial  []byte
	watchers []watcher
}

type watcher struct {
	marker string
	seen   chan struct{}
}

// maxKept bounds the output kept in memory per process.
const maxKept = 1 << 20

func newOutputLog(name string, log io.Writer) *outputLog {
	if log == nil {
		log = io.Discard
	}
	return &outputLog{prefix: "[" + name + "] ", log: log}
}

func (o *outputLog) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.all.Len() > maxKept {
		rest := o.all.Bytes()[o.all.Len()-maxKept/2:]
		o.all = *bytes.NewBuffer(append([]byte("…\n"), rest...))
	}
	o.all.Write(b)
	o.partial = append(o.partial, b...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		fmt.Fprintf(o.log, "%s%s\n", o.prefix, o.partial[:i])
		o.partial = o.partial[i+1:]
	}
	o.notify()
	return len(b), nil
}

func (o *outputLog) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.partial) > 0 {
		fmt.Fprintf(o.log, "%s%s\n", o.prefix, o.partial)
		o.partial = nil
	}
}

// notify closes the channels of watchers whose marker appeared; o.mu is held.
func (o *outputLog) notify() {
	kept := o.watchers[:0]
	for _, w := range o.watchers {
		if bytes.Contains(o.all.Bytes(), []byte(w.marker)) {
			close(w.seen)
		} else {
			kept = append(kept, w)
		}
	}
	o.watchers = kept
}

// watch returns a channel closed once the output contains marker, and a
// func that stops watching (each watcher costs a scan of every write).
func (o *outputLog) watch(marker string) (seen <-chan struct{}, unwatch func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	w := watcher{marker: marker, seen: make(chan struct{})}
	o.watchers = append(o.watchers, w)
	o.notify()
	return w.seen, func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.watchers = slices.DeleteFunc(o.watchers, func(x watcher) bool { return x.seen == w.seen })
	}
}

func (o *outputLog) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.TrimSpace(o.all.String())
}
