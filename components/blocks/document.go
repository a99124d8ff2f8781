package blocks

import (
	"encoding/json"
	"fmt"
)

// Document is a rendered IAM policy document, read back: the inverse of
// PolicyJSON, used to check by value what a policy allows.
type Document struct {
	Version   string
	Statement []DocumentStatement
}

// DocumentStatement is one statement of a Document. Action and Resource
// are always lists, even where the JSON has a single string.
type DocumentStatement struct {
	Sid       string
	Effect    string
	Principal map[string]any
	Action    StringOrList
	Resource  StringOrList
	Condition map[string]map[string]StringOrList
}

// StringOrList reads an IAM value that is either a string or a list of
// strings.
type StringOrList []string

// UnmarshalJSON implements json.Unmarshaler.
func (s *StringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = StringOrList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings: %w", err)
	}
	*s = many
	return nil
}

// ParseDocument reads a policy document rendered as JSON.
func ParseDocument(doc string) (Document, error) {
	var d Document
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return Document{}, fmt.Errorf("reading policy document: %w", err)
	}
	return d, nil
}

// Find returns the statement with the given Sid.
func (d Document) Find(sid string) (DocumentStatement, bool) {
	for _, s := range d.Statement {
		if s.Sid == sid {
			return s, true
		}
	}
	return DocumentStatement{}, false
}

// Allowing returns the Allow statements that grant action.
func (d Document) Allowing(action string) []DocumentStatement {
	var out []DocumentStatement
	for _, s := range d.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			if a == action {
				out = append(out, s)
				break
			}
		}
	}
	return out
}
