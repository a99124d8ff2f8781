package policy

import (
	"reflect"
	"testing"
)

func TestParseDocument(t *testing.T) {
	// A single statement object with string fields and a JSON bool condition,
	// as hand-written policies often are.
	d, err := parseDocument(`{"Version":"2012-10-17","Statement":{"Sid":"TLS","Effect":"Deny","Principal":{"AWS":["*"]},
		"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := statement{
		Sid: "TLS", Effect: "Deny", Principal: map[string]any{"AWS": []any{"*"}},
		Actions:    []string{"s3:*"},
		Resources:  []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"},
		Conditions: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
	}
	if len(d.Statements) != 1 || !reflect.DeepEqual(d.Statements[0], want) {
		t.Fatalf("parsed %+v\nwant %+v", d.Statements, want)
	}

	// An already-decoded document (a map) reads the same.
	d2, err := parseDocument(map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": []any{"sqs:SendMessage"}, "Resource": "*"}}})
	if err != nil || len(d2.Statements) != 1 || !d2.Statements[0].allows() || d2.Statements[0].Actions[0] != "sqs:SendMessage" {
		t.Fatalf("parsed map = %+v, %v", d2, err)
	}

	for _, bad := range []any{"{", "[1,2]", `{"Statement":"nope"}`} {
		if _, err := parseDocument(bad); err == nil {
			t.Errorf("parseDocument(%v) succeeded", bad)
		}
	}
}

func TestDeniesInsecureTransport(t *testing.T) {
	base := func() obj { return denyInsecure("sqs:*", "*") }
	tests := []struct {
		name string
		edit func(st obj)
		want bool
	}{
		{"standard statement", func(obj) {}, true},
		{"all actions", func(st obj) { st["Action"] = "*" }, true},
		{"AWS * principal", func(st obj) { st["Principal"] = obj{"AWS": "*"} }, true},
		{"BoolIfExists", func(st obj) { st["Condition"] = obj{"BoolIfExists": obj{"aws:securetransport": "false"}} }, true},
		{"allow, not deny", func(st obj) { st["Effect"] = "Allow" }, false},
		{"one principal", func(st obj) { st["Principal"] = obj{"AWS": "arn:aws:iam::123456789012:root"} }, false},
		{"some actions", func(st obj) { st["Action"] = arr{"sqs:SendMessage"} }, false},
		{"another service", func(st obj) { st["Action"] = "s3:*" }, false},
		{"denies TLS traffic", func(st obj) { st["Condition"] = obj{"Bool": obj{"aws:SecureTransport": "true"}} }, false},
		{"no condition", func(st obj) { delete(st, "Condition") }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := base()
			tc.edit(st)
			d, err := parseDocument(doc(st))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Statements[0].deniesInsecureTransport("sqs"); got != tc.want {
				t.Errorf("deniesInsecureTransport = %v, want %v", got, tc.want)
			}
		})
	}
}
