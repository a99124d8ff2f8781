package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// planBinary builds cmd/plan, which evaluates a stack's program under mocks
// as `pulumi preview` evaluates it against AWS, function builds included.
func planBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "plan")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/plan").CombinedOutput(); err != nil {
		tb.Fatalf("building cmd/plan: %v\n%s", err, out)
	}
	return bin
}

// evaluate runs the plan of stack in a new process, as each `pulumi
// preview` is one, with the function cache in cache and the given PATH.
func evaluate(tb testing.TB, bin, stack, cache, path string) {
	tb.Helper()
	cmd := exec.Command(bin, "-stack", stack)
	cmd.Dir = projectDir
	cmd.Env = append(os.Environ(), "SERVERLESS_ARCH_BUILD_DIR="+cache, "PATH="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("plan -stack %s: %v\n%s", stack, err, out)
	}
}

// TestSecondPreviewRunsNoCompiler evaluates the prod stack twice in fresh
// processes, with a go command that logs how it is called: the first
// evaluation builds the functions, the second, with nothing changed, runs
// no compiler or linker (only go list and go env, to see that nothing did).
func TestSecondPreviewRunsNoCompiler(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("builds every function from scratch")
	}
	bin := planBinary(t)
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	wrapDir, log := t.TempDir(), filepath.Join(t.TempDir(), "go.log")
	wrapper := "#!/bin/sh\necho \"$1\" >> " + log + "\nexec " + goCmd + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrapDir, "go"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	path := wrapDir + string(os.PathListSeparator) + os.Getenv("PATH")
	cache := t.TempDir()
	commands := func() map[string]int {
		data, _ := os.ReadFile(log)
		os.Remove(log)
		n := map[string]int{}
		for _, c := range strings.Fields(string(data)) {
			n[c]++
		}
		return n
	}
	evaluate(t, bin, "prod", cache, path)
	if first := commands(); first["build"] == 0 {
		t.Fatalf("the first evaluation ran %v and built nothing; the wrapper does not see the builds", first)
	}
	evaluate(t, bin, "prod", cache, path)
	if second := commands(); second["build"] != 0 || len(second) == 0 {
		t.Errorf("the second evaluation ran the go command as %v, want no build (and the lookups)", second)
	}
}

// BenchmarkPreview measures an evaluation of the prod stack in a fresh
// process with the function cache empty (cold: what a first preview costs)
// and filled (warm: every later preview). Compare the two in one run:
//
//	go test ./tests -run '^$' -bench Preview -benchtime 5x
func BenchmarkPreview(b *testing.B) {
	bin := planBinary(b)
	path := os.Getenv("PATH")
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			evaluate(b, bin, "prod", b.TempDir(), path)
		}
	})
	cache := b.TempDir()
	evaluate(b, bin, "prod", cache, path)
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			evaluate(b, bin, "prod", cache, path)
		}
	})
}
