package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-lambda-go/events"
)

func (f *StreamFeeder) matches(r events.DynamoDBEventRecord) bool {
	if f.filter == nil {
		return true
	}
	b, err := json.Marshal(r)
	if err != nil {
		return false
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return false
	}
	return matchPattern(f.filter, doc)
}

// matchPattern applies a Lambda filter pattern: every key of the pattern
// must match; a list accepts the value if it equals one of its elements; an
// object descends.
func matchPattern(pattern map[string]any, doc map[string]any) bool {
	for k, want := range pattern {
		got, ok := doc[k]
		if !ok {
			return false
		}
		switch want := want.(type) {
		case map[string]any:
			sub, ok := got.(map[string]any)
			if !ok || !matchPattern(want, sub) {
				return false
			}
		case []any:
			if !slices.ContainsFunc(want, func(w any) bool { return w == got }) {
				return false
			}
		}
	}
	return true
}

// checkPattern refuses what matchPattern does not implement.
func checkPattern(pattern map[string]any) error {
	for k, v := range pattern {
		switch v := v.(type) {
		case map[string]any:
			if err := checkPattern(v); err != nil {
				return err
			}
		case []any:
			for _, e := range v {
				switch e.(type) {
				case string, float64, bool, nil:
				default:
					return fmt.Errorf("key %s: only exact values are supported locally, not %v", k, e)
				}
			}
		default:
			return errors.New("key " + k + ": want an object or a list of values")
		}
	}
	return nil
}
