// Package plan runs the real program offline for one stack and renders what
// it would create, like `pulumi preview` without credentials.
package plan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// Record runs the program for stack with the configuration in dir
// (Pulumi.yaml and Pulumi.<stack>.yaml), under mocks. Extra options override
// configuration values.
func Record(dir, stack string, extra ...stacktest.Option) (*stacktest.Recording, error) {
	opts := append([]stacktest.Option{stacktest.StackConfig(dir, stack)}, extra...)
	rec, err := stacktest.Run(app.Run, opts...)
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", stack, err)
	}
	return rec, nil
}

// ProjectDir finds the directory holding Pulumi.yaml at or above dir.
func ProjectDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Pulumi.yaml")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no Pulumi.yaml at or above " + abs)
		}
	}
}

// Tree renders the resource tree: each component with its children, their
// type and name, indented by depth.
func Tree(rec *stacktest.Recording) string {
	children := map[string][]stacktest.Resource{}
	for _, r := range rec.Resources {
		children[r.Parent] = append(children[r.Parent], r)
	}
	for _, list := range children {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Type != list[j].Type {
				return list[i].Type < list[j].Type
			}
			return list[i].Name < list[j].Name
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "pulumi:pulumi:Stack  %s-%s\n", rec.Project, rec.Stack)
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		list := children[parent]
		for i, r := range list {
			branch, next := "├─ ", "│  "
			if i == len(list)-1 {
				branch, next = "└─ ", "   "
			}
			mark := ""
			if r.Protect {
				mark = "  [protected]"
			}
			fmt.Fprintf(&b, "%s%s%s  %s%s\n", indent, branch, r.Type, r.Name, mark)
			walk(r.URN, indent+next)
		}
	}
	walk("", "")
	return b.String()
}

// Counts renders how many resources of each type the stack has.
func Counts(rec *stacktest.Recording) string {
	n := map[string]int{}
	for _, r := range rec.Resources {
		n[r.Type]++
	}
	types := make([]string, 0, len(n))
	for t := range n {
		types = append(types, t)
	}
	sort.Strings(types)
	var b strings.Builder
	for _, t := range types {
		fmt.Fprintf(&b, "%5d  %s\n", n[t], t)
	}
	fmt.Fprintf(&b, "%5d  resources in all\n", len(rec.Resources))
	return b.String()
}

// WriteOpenAPI writes every stack output named *OpenApi (each API's OpenAPI 3
// document) to dir as <output>.json, and returns the paths written.
func WriteOpenAPI(rec *stacktest.Recording, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for name := range rec.Outputs {
		if strings.HasSuffix(name, "OpenApi") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var written []string
	for _, name := range names {
		doc, ok := rec.Outputs[name].(string)
		if !ok {
			return written, fmt.Errorf("stack output %s is not a document", name)
		}
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	if len(written) == 0 {
		return nil, errors.New("the stack exports no OpenAPI document")
	}
	return written, nil
}
