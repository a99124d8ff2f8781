package testenv

import (
	"errors"
	"os"
	"testing"

	"github.com/gopherstack/serverless-arch/internal/local"
)

// Function builds spec.Package for this machine and runs it under the Lambda
// runtime interface emulator for the rest of the test, as Lambda would run
// the deployed zip: invoke it with f.Invoke and the event JSON AWS sends.
// The emulator and the function are stopped when the test ends, whether it
// passed or not, and their output is logged when it failed.
func Function(t testing.TB, spec local.FunctionSpec) *local.Function {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	rie, err := local.RIE(root)
	if err != nil {
		t.Fatalf("building the runtime interface emulator: %v", err)
	}
	f, err := local.StartFunction(spec, rie, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Stop(); err != nil {
			t.Errorf("stopping %s: %v", spec.Name, err)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", spec.Name, tail(f.Output(), 8<<10))
		}
	})
	return f
}

// skipIfNotInstalled skips the test, or fails it in CI, when err says an
// emulator is missing.
func skipIfNotInstalled(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, local.ErrNotInstalled) {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(err)
	}
	t.Skip(err)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
