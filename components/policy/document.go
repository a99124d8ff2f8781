package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// document is an IAM policy document (identity or resource policy) in the
// shape rules need: every list-or-string field is a list.
type document struct {
	Statements []statement
}

type statement struct {
	Sid          string
	Effect       string
	Principal    any // "*" or {"AWS": ..., "Service": ...}
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	// Conditions maps operator ("Bool") to condition key to values, all as
	// strings ("false").
	Conditions map[string]map[string][]string
}

// parseDocument reads a policy input: a JSON string, as the AWS provider
// takes it, or an already-decoded object.
func parseDocument(v any) (document, error) {
	raw, ok := v.(string)
	if !ok {
		b, err := json.Marshal(v)
		if err != nil {
			return document{}, err
		}
		raw = string(b)
	}
	var doc struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return document{}, fmt.Errorf("policy is not a JSON document: %w", err)
	}
	var rawStatements []map[string]any
	if len(doc.Statement) > 0 && doc.Statement[0] == '{' {
		var one map[string]any
		if err := json.Unmarshal(doc.Statement, &one); err != nil {
			return document{}, fmt.Errorf("reading Statement: %w", err)
		}
		rawStatements = append(rawStatements, one)
	} else if len(doc.Statement) > 0 {
		if err := json.Unmarshal(doc.Statement, &rawStatements); err != nil {
			return document{}, fmt.Errorf("reading Statement: %w", err)
		}
	}
	var out document
	for _, st := range rawStatements {
		s := statement{
			Sid:          text(st["Sid"]),
			Effect:       text(st["Effect"]),
			Principal:    st["Principal"],
			Actions:      stringList(st["Action"]),
			NotActions:   stringList(st["NotAction"]),
			Resources:    stringList(st["Resource"]),
			NotResources: stringList(st["NotResource"]),
			Conditions:   map[string]map[string][]string{},
		}
		if cond, ok := st["Condition"].(map[string]any); ok {
			for op, keys := range cond {
				km, ok := keys.(map[string]any)
				if !ok {
					continue
				}
				s.Conditions[op] = map[string][]string{}
				for k, vals := range km {
					s.Conditions[op][k] = stringList(vals)
				}
			}
		}
		out.Statements = append(out.Statements, s)
	}
	return out, nil
}

func stringList(v any) []string {
	var out []string
	for _, e := range flatten(v) {
		out = append(out, text(e))
	}
	return out
}

func (s statement) allows() bool { return strings.EqualFold(s.Effect, "Allow") }

// everyone reports whether the statement's principal is anybody: "*" or
// {"AWS": "*"}.
func (s statement) everyone() bool {
	switch p := s.Principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		for _, v := range stringList(p["AWS"]) {
			if v == "*" {
				return true
			}
		}
	}
	return false
}

// conditionValues returns the values of the condition key under any of the
// operators, matching operator and key case-insensitively as IAM does for
// keys.
func (s statement) conditionValues(key string, operators ...string) []string {
	var out []string
	for op, keys := range s.Conditions {
		if !containsFold(operators, op) {
			continue
		}
		for k, vals := range keys {
			if strings.EqualFold(k, key) {
				out = append(out, vals...)
			}
		}
	}
	return out
}

// deniesInsecureTransport reports whether the statement denies everyone every
// action of service (or every action at all) when aws:SecureTransport is
// false: the standard "TLS only" resource-policy statement.
func (s statement) deniesInsecureTransport(service string) bool {
	if !strings.EqualFold(s.Effect, "Deny") || !s.everyone() {
		return false
	}
	allActions := false
	for _, a := range s.Actions {
		if a == "*" || strings.EqualFold(a, service+":*") {
			allActions = true
		}
	}
	if !allActions {
		return false
	}
	for _, v := range s.conditionValues("aws:SecureTransport", "Bool", "BoolIfExists") {
		if strings.EqualFold(v, "false") {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// anyStatement reports whether a statement of one of docs satisfies ok. The
// documents it cannot read are problems, each named by its label.
func anyStatement(labels []string, docs []any, ok func(statement) bool) (found bool, problems []string) {
	for i, raw := range docs {
		doc, err := parseDocument(raw)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s cannot be read: %v", labels[i], err))
			continue
		}
		if slices.ContainsFunc(doc.Statements, ok) {
			return true, nil
		}
	}
	return false, problems
}
