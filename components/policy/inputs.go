package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// Inputs are plain JSON (map[string]any, []any, string, float64, bool, nil).
// These helpers read them by dotted path, so a rule says what it checks in one
// line: str(r.Inputs, "viewerCertificate.minimumProtocolVersion").

// values returns every value found at the dotted path. Lists met on the way,
// and a list at the end of the path, are flattened, so
// values(in, "origins.s3OriginConfig.originAccessIdentity") visits every
// origin. Nil values are dropped.
func values(v any, path string) []any {
	if path == "" {
		return flatten(v)
	}
	key, rest, _ := strings.Cut(path, ".")
	var out []any
	switch v := v.(type) {
	case map[string]any:
		if child, ok := v[key]; ok {
			out = append(out, values(child, rest)...)
		}
	case []any:
		for _, e := range v {
			out = append(out, values(e, path)...)
		}
	}
	return out
}

func flatten(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		var out []any
		for _, e := range v {
			out = append(out, flatten(e)...)
		}
		return out
	case []string:
		out := make([]any, 0, len(v))
		for _, e := range v {
			out = append(out, e)
		}
		return out
	default:
		return []any{v}
	}
}

// at returns the single value at the dotted path through maps only, or nil.
func at(v any, path string) any {
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}

// str returns the string at path, or "" when it is missing or not a string.
func str(v any, path string) string {
	s, _ := at(v, path).(string)
	return s
}

// isTrue reports whether the value at path is the boolean true (or the
// string "true", as condition values and some providers write it).
func isTrue(v any, path string) bool {
	return truthy(at(v, path))
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		b, err := strconv.ParseBool(v)
		return err == nil && b
	}
	return false
}

// number returns the number at path and whether one is set.
func number(v any, path string) (float64, bool) { return toNumber(at(v, path)) }

// toNumber reads a number written as a JSON number, a Go integer or a
// string.
func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil
	}
	return 0, false
}

// list returns the list at path (a single object counts as a list of one).
func list(v any, path string) []any {
	switch l := at(v, path).(type) {
	case nil:
		return nil
	case []any:
		return l
	default:
		return []any{l}
	}
}

// strs returns every string found at the dotted path (see values).
func strs(v any, path string) []string {
	var out []string
	for _, e := range values(v, path) {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// text renders a scalar for messages and comparisons.
func text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
