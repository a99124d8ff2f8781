package stacktest

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

// Diff shows the lines that differ between want and got as a unified diff
// with three lines of context; very long outputs are cut.
func Diff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	ops := editScript(a, b)
	const context, most = 3, 400
	var out strings.Builder
	lines := 0
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: changes joined when fewer than 2*context equal lines
		// separate them.
		start := max(0, i-context)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(len(ops), end+context)
				break
			}
			end = run
		}
		fmt.Fprintf(&out, "@@ want line %d @@\n", ops[start].a+1)
		for _, op := range ops[start:end] {
			if lines == most {
				out.WriteString("... (diff cut)\n")
				return out.String()
			}
			out.WriteString(string(op.kind) + " " + op.text + "\n")
			lines++
		}
		i = end
	}
	return out.String()
}

type diffOp struct {
	kind byte // ' ', '-' or '+'
	text string
	a    int // line index in want
}

// editScript returns a shortest edit script from a to b (Myers' algorithm),
// which is fast when the two differ in few places, as snapshots do.
func editScript(a, b []string) []diffOp {
	n, m := len(a), len(b)
	maxD := n + m
	v := make([]int, 2*maxD+2)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[maxD+k-1] < v[maxD+k+1]) {
				x = v[maxD+k+1]
			} else {
				x = v[maxD+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[maxD+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, maxD, d, k, x, y)
			}
		}
	}
	return nil
}

func backtrack(a, b []string, trace [][]int, off, d, k, x, y int) []diffOp {
	var ops []diffOp
	for ; d > 0; d-- {
		v := trace[d]
		var prevK int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			ops = append(ops, diffOp{' ', a[x], x})
		}
		if x == prevX {
			y--
			ops = append(ops, diffOp{'+', b[y], x})
		} else {
			x--
			ops = append(ops, diffOp{'-', a[x], x})
		}
		k = prevK
	}
	for x > 0 {
		x, y = x-1, y-1
		ops = append(ops, diffOp{' ', a[x], x})
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
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
