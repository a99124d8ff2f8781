package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/dev/emulator"
	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/local/localtest"
)

// startEcho runs testdata/echo under the emulator for the test.
func startEcho(t *testing.T, env map[string]string) *local.Function {
	t.Helper()
	return localtest.Function(t, local.FunctionSpec{Name: "echo", Package: "./testdata/echo", Env: env, Timeout: 5 * time.Second})
}

type echoAnswer struct {
	Env string `json:"env"`
	Pid int    `json:"pid"`
}

func invokeEcho(t *testing.T, f *local.Function, event string) (echoAnswer, error) {
	t.Helper()
	out, err := f.Invoke(context.Background(), []byte(event))
	if err != nil {
		return echoAnswer{}, err
	}
	var a echoAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("answer %s: %v", out, err)
	}
	return a, nil
}

func TestFunctionRunsUnderTheEmulator(t *testing.T) {
	t.Setenv("LEAKED_FROM_PARENT", "should not be seen")
	f := startEcho(t, map[string]string{"GREETING": "hello"})

	for _, tc := range []struct{ variable, want string }{
		{"GREETING", "hello"},
		{"AWS_LAMBDA_FUNCTION_NAME", "echo"},
		{"AWS_LAMBDA_FUNCTION_TIMEOUT", "5"},
		{"LEAKED_FROM_PARENT", ""},
	} {
		a, err := invokeEcho(t, f, `{"env":"`+tc.variable+`"}`)
		if err != nil {
			t.Fatal(err)
		}
		if a.Env != tc.want {
			t.Errorf("%s = %q, want %q", tc.variable, a.Env, tc.want)
		}
	}

	for _, tc := range []struct{ event, wantType, wantMessage string }{
		{`{"fail":"error"}`, "errorString", "asked to fail"},
		{`{"fail":"panic"}`, "string", "asked to panic"},
		{`{"fail":"exit"}`, "Runtime.ExitError", "exit status 2"},
		{`not json`, "SyntaxError", "invalid character"},
	} {
		_, err := invokeEcho(t, f, tc.event)
		var fe *local.FunctionError
		if !errors.As(err, &fe) || fe.Type != tc.wantType || !strings.Contains(fe.Message, tc.wantMessage) {
			t.Errorf("%s: error %v, want a FunctionError %s containing %q", tc.event, err, tc.wantType, tc.wantMessage)
		}
	}
	// After a crash the emulator starts a fresh runtime, as Lambda would.
	if _, err := invokeEcho(t, f, `{"env":"GREETING"}`); err != nil {
		t.Fatalf("invoke after a crash: %v", err)
	}
}

func TestFunctionInvocationsAreQueued(t *testing.T) {
	f := startEcho(t, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			_, err := invokeEcho(t, f, `{"sleepMs":50}`)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent invoke: %v", err)
		}
	}
}

func TestFunctionThatCannotStartIsAnError(t *testing.T) {
	f := startEcho(t, map[string]string{"ECHO_CRASH_AT_START": "1"})
	_, err := invokeEcho(t, f, `{}`)
	var fe *local.FunctionError
	if !errors.As(err, &fe) {
		t.Fatalf("invoking a function whose init fails: %v, want a FunctionError", err)
	}
}

func TestStopEndsTheEmulatorAndTheFunction(t *testing.T) {
	f := startEcho(t, nil)
	a, err := invokeEcho(t, f, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	tree := f.Process().Tree()
	if !slices.Contains(tree, a.Pid) {
		t.Fatalf("the function's pid %d is not among the emulator's descendants %v", a.Pid, tree)
	}
	if err := f.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range tree {
		if emulator.Alive(pid) {
			t.Errorf("process %d is still running", pid)
		}
	}
}
