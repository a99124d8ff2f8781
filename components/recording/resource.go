package recording

import "strings"

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
	// ID is the provider ID the mocks gave the resource (what other
	// resources' inputs hold when they refer to it); "" for components.
	ID string `json:"id,omitempty"`
	// Provider is the URN of the explicit provider the resource uses, or ""
	// for the default provider.
	Provider string `json:"provider,omitempty"`
	// Protect reports pulumi.Protect(true).
	Protect bool `json:"protect,omitempty"`
	// Aliases are the URNs the resource was known by before
	// (pulumi.Aliases): a deployed stack that holds one of them sees this
	// resource as the same one, not a replacement.
	Aliases []string       `json:"aliases,omitempty"`
	Inputs  map[string]any `json:"inputs"`
	// Outputs are the resource's state as the mocks answered it (ARNs,
	// names, endpoints), plain JSON like Inputs. They are kept in memory
	// for tools that need a resource's ARN, not written to snapshots.
	Outputs map[string]any `json:"-"`
}

// Custom reports whether the resource is managed by a provider, as opposed to
// a component that only groups other resources. Recordings know it from the
// ID; for hand-built resources the AWS and provider type tokens tell.
func (r Resource) Custom() bool {
	return r.ID != "" || strings.HasPrefix(r.Type, "aws:") || strings.HasPrefix(r.Type, "pulumi:providers:")
}
