// Package localtest runs local mode (dev/local), or a single function
// under the Lambda runtime interface emulator, for the rest of a test, and
// stops it when the test ends, whether it passed or failed:
//
//	func TestSignUp(t *testing.T) {
//		env := localtest.Local(t)
//		resp, err := http.Post(env.BlogAPIURL+"/users", "application/json", body)
//		...
//	}
//
// A missing npm emulator skips the test, or fails it when CI is "true"
// (testenv.SkipIfNotInstalled).
//
// It is apart from dev/testenv because local mode imports the handler
// packages, whose own integration tests import testenv: one package for
// both would be an import cycle.
package localtest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/testenv"
)

// Local starts local mode on free ports for the rest of the test:
// dynalite, aws-ses-v2-local and s3local, the four functions under the
// runtime interface emulator, the stream feeder and the HTTP front doors.
// When the test ends, passed or failed, everything is stopped and the test
// fails if any process it started is still running; local mode's output is
// logged when the test failed.
func Local(t testing.TB) *local.Env {
	t.Helper()
	return LocalWith(t, local.Options{})
}

// LocalWith is Local with options, e.g. other CORS origins; their Port,
// Logs and Log are ignored.
func LocalWith(t testing.TB, opts local.Options) *local.Env {
	t.Helper()
	logs := emulator.NewSyncBuffer()
	opts.Port, opts.Logs, opts.Log = 0, logs, slog.New(slog.NewTextHandler(logs, nil))
	if opts.Recorder == nil {
		opts.Recorder = Recorder
	}
	env, err := local.Start(context.Background(), opts)
	if err != nil {
		testenv.SkipIfNotInstalled(t, err)
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
			if emulator.Alive(pid) {
				t.Errorf("process %d is still running after local mode stopped", pid)
			}
		}
		if t.Failed() {
			t.Logf("local mode output:\n%s", tail(logs.String(), 32<<10))
		}
	})
	return env
}

// Recorder, if set, records the AWS calls of the functions of every local
// mode Local starts (see local.CallRecorder).
var Recorder *local.CallRecorder

// Function builds spec.Package for this machine and runs it under the
// Lambda runtime interface emulator for the rest of the test, as Lambda
// would run the deployed zip: invoke it with f.Invoke and the event JSON
// AWS sends. The emulator and the function are stopped when the test ends,
// whether it passed or not, and their output is logged when it failed.
func Function(t testing.TB, spec local.FunctionSpec) *local.Function {
	t.Helper()
	root, err := emulator.ModuleRoot()
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

// tail is the last n bytes of s, marked as cut when they are not all of it.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
