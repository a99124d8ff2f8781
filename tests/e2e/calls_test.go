package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/local/localtest"
)

var updateCalls = flag.Bool("update-calls", false, "rewrite testdata/access/calls.json from the calls this run recorded")

// callsFile is the record of every AWS call the functions make in the
// end-to-end run, which the access proof (tests/access_test.go) evaluates
// against each stack's IAM.
const callsFile = "../testdata/access/calls.json"

// TestMain records the functions' AWS calls while the suite runs, and
// fails it when a function made a call the record does not hold: the
// access proof has not seen that call, so it cannot say the stack allows
// it. With the whole suite run, a recorded call no longer made fails too.
func TestMain(m *testing.M) {
	localtest.Recorder = local.NewCallRecorder()
	code := m.Run()
	reportContracts()
	if code == 0 {
		if err := checkCalls(localtest.Recorder.Calls()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func checkCalls(got []local.RecordedCall) error {
	if *updateCalls {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(callsFile), 0o755); err != nil {
			return err
		}
		return os.WriteFile(callsFile, append(b, '\n'), 0o644)
	}
	data, err := os.ReadFile(callsFile)
	if err != nil {
		return fmt.Errorf("reading %s: %w (create it with go test ./tests/e2e -update-calls)", callsFile, err)
	}
	var want []local.RecordedCall
	if err := json.Unmarshal(data, &want); err != nil {
		return fmt.Errorf("reading %s: %w", callsFile, err)
	}
	key := func(c local.RecordedCall) string { b, _ := json.Marshal(c); return string(b) }
	known := map[string]bool{}
	for _, c := range want {
		known[key(c)] = true
	}
	var unseen []string
	seen := map[string]bool{}
	for _, c := range got {
		seen[key(c)] = true
		if !known[key(c)] {
			unseen = append(unseen, key(c))
		}
	}
	if len(unseen) > 0 {
		return fmt.Errorf("the functions made %d AWS call(s) the access proof has not seen:\n  %v\nreview them, then run: go test ./tests/e2e -update-calls", len(unseen), unseen)
	}
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" && !testing.Short() {
		var gone []string
		for k := range known {
			if !seen[k] {
				gone = append(gone, k)
			}
		}
		slices.Sort(gone)
		if len(gone) > 0 {
			return fmt.Errorf("%d recorded call(s) were not made in this run:\n  %v\nrun: go test ./tests/e2e -update-calls", len(gone), gone)
		}
	}
	return nil
}
