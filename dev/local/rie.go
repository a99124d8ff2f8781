package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/dev/emulator"
)

// rieTool is the runtime interface emulator's command, declared with
// `tool` in go.mod so that its version is pinned with the module.
const rieTool = "aws-lambda-rie"

// invokePath is where the emulator takes invocations, as the Lambda Invoke
// API does for a function named "function".
const invokePath = "/2015-03-31/functions/function/invocations"

var (
	rieOnce sync.Once
	riePath string
	rieErr  error
)

// RIE builds the Lambda runtime interface emulator (once per process; the
// Go build cache makes later runs instant) and returns its path.
func RIE(root string) (string, error) {
	rieOnce.Do(func() {
		cmd := exec.Command("go", "tool", "-n", rieTool)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			rieErr = fmt.Errorf("building %s: %w\n%s", rieTool, err, stderr.String())
			return
		}
		riePath = strings.TrimSpace(string(out))
	})
	return riePath, rieErr
}

// FunctionSpec describes a function to run locally.
type FunctionSpec struct {
	// Name is the function's name (AWS_LAMBDA_FUNCTION_NAME).
	Name string
	// Package is the function's Go main package as an import path, e.g.
	// "github.com/gopherstack/serverless-arch/functions/todo", or a path
	// relative to the working directory.
	Package string
	// Env is the function's environment, as the stack sets it.
	Env map[string]string
	// Timeout is the function's timeout (default 30 seconds).
	Timeout time.Duration
	// MemoryMB is reported to the function (default 256).
	MemoryMB int
}

// Function is a function's real bootstrap binary, built for this machine,
// running under the Lambda runtime interface emulator (RIE) on a loopback
// port. The emulator runs one invocation at a time, like a function with a
// reserved concurrency of one; Invoke queues the rest.
type Function struct {
	Name string
	// URL is the emulator's invocation endpoint.
	URL string

	proc   *emulator.Process
	mu     sync.Mutex
	client *http.Client
}

// StartFunction builds spec's bootstrap and starts it under the emulator at
// rie. The emulator starts the bootstrap on the first invocation, as Lambda
// does on a cold start. The function sees only spec.Env and the variables
// Lambda sets, never the caller's environment (and so never a developer's
// AWS credentials or profile).
func StartFunction(spec FunctionSpec, rie string, logs io.Writer) (*Function, error) {
	bootstrap, err := fnbuild.Host(spec.Package)
	if err != nil {
		return nil, err
	}
	return RunBootstrap(spec, bootstrap, rie, logs)
}

// RunBootstrap runs an already built bootstrap binary as StartFunction does.
func RunBootstrap(spec FunctionSpec, bootstrap, rie string, logs io.Writer) (*Function, error) {
	if spec.Timeout == 0 {
		spec.Timeout = 30 * time.Second
	}
	if spec.MemoryMB == 0 {
		spec.MemoryMB = 256
	}
	var lastErr error
	for range 3 { // a port picked free may be taken before the emulator binds it
		f, err := runRIE(spec, bootstrap, rie, logs)
		if err == nil {
			return f, nil
		}
		lastErr = err
	}
	return nil, fmt.Errorf("starting function %s: %w", spec.Name, lastErr)
}

func runRIE(spec FunctionSpec, bootstrap, rie string, logs io.Writer) (*Function, error) {
	invokePort, err := emulator.FreePort()
	if err != nil {
		return nil, err
	}
	runtimePort, err := emulator.FreePort()
	if err != nil {
		return nil, err
	}
	invokeAddr := "127.0.0.1:" + strconv.Itoa(invokePort)
	cmd := exec.Command(rie,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(runtimePort),
		"--log-level", "warn",
		bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = functionEnv(spec)
	proc, err := emulator.StartProcess(spec.Name, cmd, logs)
	if err != nil {
		return nil, err
	}
	if err := waitListening(invokeAddr, proc, 10*time.Second); err != nil {
		_ = proc.Stop()
		return nil, err
	}
	return &Function{
		Name:   spec.Name,
		URL:    "http://" + invokeAddr + invokePath,
		proc:   proc,
		client: &http.Client{Timeout: spec.Timeout + 10*time.Second},
	}, nil
}

// functionEnv is the emulator's environment, which it passes on to the
// function: what Lambda sets, then the function's own variables.
func functionEnv(spec FunctionSpec) []string {
	env := map[string]string{
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
		"TZ":                              ":UTC",
		"LANG":                            "en_US.UTF-8",
		"AWS_LAMBDA_FUNCTION_NAME":        spec.Name,
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     strconv.Itoa(int(spec.Timeout / time.Second)),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(spec.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + spec.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      "local",
		// The emulator's own log level; the function's output is unaffected.
		"LOG_LEVEL": "warn",
	}
	maps.Copy(env, spec.Env)
	out := make([]string, 0, len(env))
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// waitListening waits until addr accepts connections while proc is alive.
func waitListening(addr string, proc *emulator.Process, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			// A stranger on the port would make proc fail to bind and exit.
			select {
			case <-proc.Exited():
				return fmt.Errorf("%s exited; output:\n%s", proc.Name, proc.Output())
			case <-time.After(20 * time.Millisecond):
				return nil
			}
		}
		select {
		case <-proc.Exited():
			return fmt.Errorf("%s exited before listening; output:\n%s", proc.Name, proc.Output())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s is not listening on %s after %v: %v", proc.Name, addr, timeout, err)
		}
	}
}

// FunctionError is a function's failure as Lambda reports it: the handler
// returned an error or panicked, or the runtime crashed or timed out.
type FunctionError struct {
	Function string
	Type     string `json:"errorType"`
	Message  string `json:"errorMessage"`
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("function %s failed: %s: %s", e.Function, e.Type, e.Message)
}

// Invoke runs the function synchronously (RequestResponse) with payload and
// returns its answer. A function error is a *FunctionError.
func (f *Function) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoking %s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("invoking %s: reading the answer: %w", f.Name, err)
	}
	if resp.StatusCode != http.StatusOK {
		// The emulator answers 502 when the function failed to start or
		// crashed, with the runtime's error as the body when there is one.
		if fe := parseFunctionError(f.Name, body); fe != nil {
			return nil, fe
		}
		return nil, &FunctionError{Function: f.Name, Type: "Runtime." + http.StatusText(resp.StatusCode),
			Message: strings.TrimSpace(string(body))}
	}
	if fe := parseFunctionError(f.Name, body); fe != nil {
		return nil, fe
	}
	if bytes.HasPrefix(body, []byte("Task timed out after")) {
		return nil, &FunctionError{Function: f.Name, Type: "Sandbox.Timedout", Message: string(body)}
	}
	return body, nil
}

// parseFunctionError recognises the error document the Lambda runtime API
// carries back from a failed invocation. The emulator drops Lambda's
// X-Amz-Function-Error header, so the document's shape is all there is: an
// object with errorType and errorMessage and nothing a successful answer of
// this project's functions would hold.
func parseFunctionError(name string, body []byte) *FunctionError {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	if _, ok := doc["errorMessage"]; !ok {
		return nil
	}
	for k := range doc {
		switch k {
		case "errorMessage", "errorType", "stackTrace", "requestId", "trace", "cause":
		default:
			return nil
		}
	}
	fe := &FunctionError{Function: name}
	if err := json.Unmarshal(body, fe); err != nil {
		return nil
	}
	return fe
}

// Stop stops the emulator and the function's process.
func (f *Function) Stop() error { return f.proc.Stop() }

// Output is what the emulator and the function printed so far.
func (f *Function) Output() string { return f.proc.Output() }

// Process is the emulator's process (the function runs under it), for leak
// checks.
func (f *Function) Process() *emulator.Process { return f.proc }
