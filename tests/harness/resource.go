package harness

// Resource is one resource a program registered, as the offline plan and the
// snapshots show it.
//
// Inputs are plain JSON values (string, float64, bool, []any, map[string]any,
// nil): secrets appear as the string "[secret]", assets and archives as
// {"sha256": "<hex>"} of their content, and references to other resources as
// the referenced resource's URN.
type Resource struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
	// Provider is the URN of the explicit provider the resource uses, or ""
	// for the default provider.
	Provider string `json:"provider,omitempty"`
	// Protect reports pulumi.Protect(true).
	Protect bool           `json:"protect,omitempty"`
	Inputs  map[string]any `json:"inputs"`
}

// Custom reports whether the resource is managed by a provider, as opposed to
// a component that only groups other resources.
func (r Resource) Custom() bool {
	// Component tokens are "<project>:<module>:<Type>" with a project other
	// than a provider package; provider packages used here are aws and pulumi.
	return r.Type != "" && (len(r.Type) > 4 && r.Type[:4] == "aws:" || len(r.Type) > 7 && r.Type[:7] == "pulumi:")
}
