package local

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTokensRoundTrip(t *testing.T) {
	tokens, err := NewTokens()
	if err != nil {
		t.Fatal(err)
	}
	token, err := tokens.Mint("alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	claims, err := tokens.Verify(token)
	if err != nil {
		t.Fatalf("Verify of a fresh token: %v", err)
	}
	if claims["sub"] != Subject("alice@example.com") || claims["cognito:username"] != "alice@example.com" ||
		claims["token_use"] != "id" || claims["iss"] != TokenIssuer {
		t.Fatalf("claims = %v", claims)
	}
	if claims["exp"] == "" || claims["iat"] == "" {
		t.Fatalf("claims lack exp or iat: %v", claims)
	}
}

func TestTokensRefuse(t *testing.T) {
	tokens, _ := NewTokens()
	now := time.Now()
	tokens.now = func() time.Time { return now }
	good, _ := tokens.Mint("alice")
	parts := strings.Split(good, ".")
	other, _ := NewTokens()
	foreign, _ := other.Mint("alice")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	bob := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"bob","iss":"serverless-arch-local","token_use":"id","exp":99999999999}`))

	for _, tc := range []struct {
		name, token string
		later       time.Duration
	}{
		{"expired", good, time.Hour},
		{"signed with another key", foreign, 0},
		{"claims swapped", parts[0] + "." + bob + "." + parts[2], 0},
		{"alg none", none + "." + parts[1] + ".", 0},
		{"two parts", parts[0] + "." + parts[1], 0},
		{"empty", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tokens.now = func() time.Time { return now.Add(tc.later) }
			if claims, err := tokens.Verify(tc.token); err == nil {
				t.Fatalf("Verify accepted it: %v", claims)
			}
		})
	}
}

func TestMintRefusesOddUserNames(t *testing.T) {
	tokens, _ := NewTokens()
	for _, user := range []string{"", "a b", strings.Repeat("a", 65), "ali\u00e7e", "x/y"} {
		if _, err := tokens.Mint(user); err == nil {
			t.Errorf("Mint(%q) succeeded", user)
		}
	}
}

func TestSubjectIsAStableUUIDPerUser(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := Subject("alice"), Subject("bob")
	if !uuid.MatchString(a) || !uuid.MatchString(b) {
		t.Fatalf("subjects %q, %q are not version 5 UUIDs", a, b)
	}
	if a == b || a != Subject("alice") {
		t.Fatalf("Subject must differ per user and be stable: %q %q %q", a, b, Subject("alice"))
	}
}
