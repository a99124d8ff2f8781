package updateoffload_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/gopherstack/serverless-arch/components/updateoffload"
)

// Check reports each problem by field, so a program that validates its own
// configuration first can name its own key; it applies New's defaults
// before it looks.
func TestCheckNamesEachBadField(t *testing.T) {
	if problems := updateoffload.Check(demoArgs()); problems != nil {
		t.Errorf("valid demo args: %v", problems)
	}
	args := existingArgs()
	args.AlbTargetGroupArn = nil
	args.PriceClass = "PriceClass_Some"
	args.OriginReadTimeout = 181
	args.Paths = nil
	for i := range updateoffload.MaxPaths + 1 {
		args.Paths = append(args.Paths, fmt.Sprintf("/p%d/*", i))
	}
	paths, _ := json.Marshal(args.Paths)
	got := map[string]string{}
	for _, p := range updateoffload.Check(args) {
		got[p.Field] = p.Value
	}
	want := map[string]string{
		"AlbTargetGroupArn": "",
		"PriceClass":        "PriceClass_Some",
		"OriginReadTimeout": "181",
		"Paths":             string(paths),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems by field %v, want %v", got, want)
	}
}

func TestSecretMatchesOnlyItselfInListenerRules(t *testing.T) {
	for secret, ok := range map[string]bool{
		"0123456789abcdef0123456789abcdef":  true,
		"0123456789abcdef0123456789abcde":   false, // 31 characters
		"0123456789abcdef0123456789abcde*":  false, // a wildcard
		"0123456789abcdef 123456789abcdef0": false,
	} {
		if updateoffload.ValidOriginSecret(secret) != ok {
			t.Errorf("ValidOriginSecret(%q) = %v, want %v", secret, !ok, ok)
		}
	}
}
