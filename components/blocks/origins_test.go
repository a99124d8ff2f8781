package blocks_test

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

func TestOriginsAndHostnames(t *testing.T) {
	for s, want := range map[string]bool{
		"https://app.example.com": true, "https://app.example.com:8443": true, "https://localhost": true, "https://a.b": true,
		"http://app.example.com": false, "https://app.example.com/": false, "https://*.example.com": false,
		"*": false, "https://App.example.com": false, "": false,
	} {
		if got := blocks.IsOrigin(s); got != want {
			t.Errorf("IsOrigin(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{
		"api.example.com": true, "example.com": true, "a-b.c.example.co": true, "xn--e1afmkfd.xn--p1ai": true,
		"example.123": false, "example.x-n": false,
		"localhost": false, "API.example.com": false, "-a.example.com": false, "api.example.com.": false,
	} {
		if got := blocks.IsHostname(s); got != want {
			t.Errorf("IsHostname(%q) = %v", s, got)
		}
	}
}

func TestInZone(t *testing.T) {
	for _, tc := range []struct {
		name, zone string
		want       bool
	}{
		{"api.example.com", "example.com", true},
		{"example.com", "example.com", true},
		{"a.b.example.com", "example.com", true},
		{"api.example.com", "example.com.", true},
		{"api.example.com.", "example.com", true},
		{"api.dev.example.com", "dev.example.com", true},
		{"api.badexample.com", "example.com", false},
		{"example.com", "api.example.com", false},
		{"api.example.org", "example.com", false},
		{"api.example.com", "", false},
		{"api.example.com", "com", false},
		{"api.Example.com", "Example.com", false},
		{"", "example.com", false},
	} {
		if got := blocks.InZone(tc.name, tc.zone); got != tc.want {
			t.Errorf("InZone(%q, %q) = %v, want %v", tc.name, tc.zone, got, tc.want)
		}
	}
}

func TestCheckOriginsNamesEachRefusedOrigin(t *testing.T) {
	if err := blocks.CheckOrigins([]string{"https://app.example.com"}); err != nil {
		t.Errorf("a valid origin gave %v", err)
	}
	err := blocks.CheckOrigins([]string{"http://a.example.com", "https://app.example.com", "*"})
	if err == nil || !strings.Contains(err.Error(), `"http://a.example.com"`) || !strings.Contains(err.Error(), `"*"`) ||
		strings.Contains(err.Error(), "app.example.com\"") {
		t.Errorf("CheckOrigins gave %v, want both refused origins and only them", err)
	}
}
