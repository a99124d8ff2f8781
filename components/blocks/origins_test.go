package blocks_test

import (
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
		"api.example.com": true, "example.com": true, "a-b.c.example.co": true,
		"localhost": false, "API.example.com": false, "-a.example.com": false, "api.example.com.": false,
	} {
		if got := blocks.IsHostname(s); got != want {
			t.Errorf("IsHostname(%q) = %v", s, got)
		}
	}
}
