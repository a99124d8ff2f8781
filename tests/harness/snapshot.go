package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Snapshot renders the recording as the reviewed snapshot format: a JSON
// array of resources sorted by URN, indented, ending in a newline. The same
// program and config always give the same bytes.
func (r *Recording) Snapshot() ([]byte, error) {
	b, err := json.MarshalIndent(r.Resources, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("rendering snapshot: %w", err)
	}
	return append(b, '\n'), nil
}

// Golden compares got with the file at path. With update set it rewrites the
// file instead. On a difference it fails the test, shows the changed lines
// and says how to update.
func Golden(tb testing.TB, path string, got []byte, update bool, updateCmd string) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("reading %s: %v\nCreate it with: %s", path, err, updateCmd)
	}
	if bytes.Equal(want, got) {
		return
	}
	tb.Fatalf("%s is out of date:\n%s\nIf the change is intended, review it and run: %s", path, Diff(string(want), string(got)), updateCmd)
}

// Diff shows the lines that differ between want and got: the common head and
// tail are dropped, a few lines of context kept, and long hunks cut.
func Diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	head := 0
	for head < len(w) && head < len(g) && w[head] == g[head] {
		head++
	}
	tail := 0
	for tail < len(w)-head && tail < len(g)-head && w[len(w)-1-tail] == g[len(g)-1-tail] {
		tail++
	}
	const context, most = 3, 60
	var b strings.Builder
	from := max(0, head-context)
	fmt.Fprintf(&b, "@@ line %d @@\n", from+1)
	for _, l := range w[from:head] {
		b.WriteString("  " + l + "\n")
	}
	lines := func(prefix string, ls []string) {
		for i, l := range ls {
			if i == most {
				fmt.Fprintf(&b, "%s ... %d more lines\n", prefix, len(ls)-most)
				break
			}
			b.WriteString(prefix + " " + l + "\n")
		}
	}
	lines("-", w[head:len(w)-tail])
	lines("+", g[head:len(g)-tail])
	for _, l := range w[len(w)-tail : min(len(w), len(w)-tail+context)] {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// toPlain turns a Go value from an awaited output into plain JSON values.
func toPlain(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}
