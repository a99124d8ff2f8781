package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// Error is one bad configuration value. A problem a component finds in a
// field no key sets names the field as Key instead, such as
// "updateoffload.Args.DemoInstanceType".
type Error struct {
	Key     string // the full key, e.g. "serverless-arch:apiCacheSizeGb"
	Value   string // the value as given ("" when missing)
	Allowed string // what the key accepts
}

func (e *Error) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("config %s is missing: want %s", e.Key, e.Allowed)
	}
	return fmt.Sprintf("config %s = %q is not allowed: want %s", e.Key, e.Value, e.Allowed)
}

// Errors is every bad value of a configuration, in the order the keys were
// read, so a user fixes them all in one go.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return fmt.Sprintf("%d invalid config value(s):\n  %s", len(es), strings.Join(lines, "\n  "))
}

// Source looks up a configuration value by its full key.
type Source func(key string) (string, bool)

// reader reads typed values from a Source and collects every problem
// instead of stopping at the first.
type reader struct {
	project string
	get     Source
	errs    Errors
	// read records each key read, so tests can keep Pulumi.yaml in step.
	read []string
}

func (r *reader) key(k string) string {
	if strings.Contains(k, ":") {
		return k
	}
	return r.project + ":" + k
}

func (r *reader) raw(k string) (string, bool) {
	full := r.key(k)
	r.read = append(r.read, full)
	return r.get(full)
}

// fail records a bad value of key k.
func (r *reader) fail(k, value, allowed string) {
	r.errs = append(r.errs, &Error{Key: r.key(k), Value: value, Allowed: allowed})
}

// String returns key k, or def when it is unset.
func (r *reader) String(k, def string) string {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	return v
}

// Required returns key k, recording an error when it is unset or empty.
func (r *reader) Required(k, allowed string) string {
	v, _ := r.raw(k)
	if v == "" {
		r.fail(k, "", allowed)
	}
	return v
}

// OneOf returns key k if it is one of allowed.
func (r *reader) OneOf(k, def string, allowed ...string) string {
	v := r.String(k, def)
	if !slices.Contains(allowed, v) {
		r.fail(k, v, "one of "+strings.Join(quoteAll(allowed), ", "))
		return def
	}
	return v
}

// Int returns key k if it is a whole number within [min, max].
func (r *reader) Int(k string, def, min, max int) int {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min || n > max {
		r.fail(k, v, fmt.Sprintf("a whole number from %d to %d", min, max))
		return def
	}
	return n
}

// IntIn returns key k if it is one of allowed.
func (r *reader) IntIn(k string, def int, allowed ...int) int {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || !slices.Contains(allowed, n) {
		strs := make([]string, len(allowed))
		for i, a := range allowed {
			strs[i] = strconv.Itoa(a)
		}
		r.fail(k, v, "one of "+strings.Join(strs, ", "))
		return def
	}
	return n
}

// Bool returns key k if it is true or false.
func (r *reader) Bool(k string, def bool) bool {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(k, v, "true or false")
		return def
	}
	return b
}

// Strings returns key k, a JSON array of strings (how the Pulumi CLI passes
// a list), or def when unset.
func (r *reader) Strings(k string, def []string) []string {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.fail(k, v, "a list of strings")
		return def
	}
	return out
}

// Ints returns key k, a JSON array of whole numbers each within [min, max].
func (r *reader) Ints(k string, def []int, min, max int) []int {
	v, ok := r.raw(k)
	if !ok {
		return def
	}
	var out []int
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.fail(k, v, fmt.Sprintf("a list of whole numbers from %d to %d", min, max))
		return def
	}
	for _, n := range out {
		if n < min || n > max {
			r.fail(k, v, fmt.Sprintf("a list of whole numbers from %d to %d", min, max))
			return def
		}
	}
	return out
}

// Email returns key k if it is a plain e-mail address (no display name).
func (r *reader) Email(k, def string) string {
	v := r.String(k, def)
	if v == "" {
		return v
	}
	if !IsEmail(v) {
		r.fail(k, v, "an e-mail address such as noreply@example.com")
		return def
	}
	return v
}

// IsEmail reports whether s is a single plain address such as a@example.com.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@")+1:], ".")
}

// Region returns key k if it is a known AWS commercial region.
func (r *reader) Region(k, def string) string {
	v := r.String(k, def)
	if !slices.Contains(Regions, v) {
		r.fail(k, v, "an AWS region such as us-east-1 (one of "+strings.Join(Regions, ", ")+")")
		return def
	}
	return v
}

func (r *reader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return r.errs
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// As is errors.As for Errors: it returns the bad keys of err.
func As(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return nil
}
