// Package recorded reads a stack recorded by the mock harness: resources by
// type, lists of objects in their plain JSON inputs, and the paths of an API
// Gateway REST API's resources. Local mode and the access proof read the
// same recordings through it.
package recorded

import (
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/recording"
)

// Stack is a recorded stack, indexed by package policy (its OfType,
// Resource and Children).
type Stack struct{ *policy.Stack }

// New indexes the recorded resources of one stack.
func New(resources []recording.Resource) Stack { return Stack{policy.NewStack(resources)} }

// APIResourcePaths maps the ID of each API Gateway resource, the REST APIs'
// root resources included, to its full path ("/posts/{slug}"; "" for a
// root), walking the parents.
func (s Stack) APIResourcePaths() map[string]string {
	paths := map[string]string{}
	for _, api := range s.OfType("aws:apigateway/restApi:RestApi") {
		paths[Str(api.Outputs, "rootResourceId")] = ""
	}
	parent, part := map[string]string{}, map[string]string{}
	for _, r := range s.OfType("aws:apigateway/resource:Resource") {
		parent[r.ID], part[r.ID] = Str(r.Inputs, "parentId"), Str(r.Inputs, "pathPart")
	}
	var walk func(string) string
	walk = func(id string) string {
		if p, ok := paths[id]; ok {
			return p
		}
		paths[id] = walk(parent[id]) + "/" + part[id]
		return paths[id]
	}
	for id := range parent {
		walk(id)
	}
	return paths
}

// Str returns the string at key k of m, "" if there is none.
func Str(m map[string]any, k string) string { v, _ := m[k].(string); return v }

// Maps returns the objects of the list v; anything else in it is skipped.
func Maps(v any) []map[string]any {
	var out []map[string]any
	list, _ := v.([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
