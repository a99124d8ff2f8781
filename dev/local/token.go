package local

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Tokens mints and checks local sign-in tokens: the stand-in for a Cognito
// user pool, which local mode does not have.
//
// A token is a JWT signed with HMAC-SHA256 under a key drawn at random when
// local mode starts, so tokens die with it. Its claims imitate a Cognito ID
// token: sub (derived from the user name, so the same name is the same user
// in every run), cognito:username, token_use "id", iss, aud, iat, auth_time
// and exp. The local gateway checks it on routes that need a signed-in user
// and puts the claims into requestContext.authorizer.claims, as API
// Gateway's Cognito authorizer does; the functions cannot tell the
// difference. Tokens are for development only: anyone who can reach the
// local gateway can mint one for any user.
type Tokens struct {
	key []byte
	// TTL is how long a minted token is valid (default one hour, as
	// Cognito's ID tokens).
	TTL time.Duration
	now func() time.Time
}

// TokenIssuer is the iss claim of local tokens.
const TokenIssuer = "serverless-arch-local"

var userPattern = regexp.MustCompile(`^[A-Za-z0-9._@+-]{1,64}$`)

// NewTokens returns Tokens with a fresh random key.
func NewTokens() (*Tokens, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("drawing a token key: %w", err)
	}
	return &Tokens{key: key, TTL: time.Hour, now: time.Now}, nil
}

// Subject is the sub claim of user's tokens: a UUID derived from the name,
// shaped like the ones Cognito assigns.
func Subject(user string) string {
	sum := sha256.Sum256([]byte(TokenIssuer + ":" + user))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5 (name-based)
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Mint returns a token for user, a name of 1 to 64 letters, digits and
// ._@+- characters.
func (t *Tokens) Mint(user string) (string, error) {
	if !userPattern.MatchString(user) {
		return "", fmt.Errorf("user %q: want 1 to 64 letters, digits or ._@+-", user)
	}
	now := t.now().Unix()
	claims := map[string]any{
		"sub":              Subject(user),
		"cognito:username": user,
		"token_use":        "id",
		"iss":              TokenIssuer,
		"aud":              TokenIssuer,
		"iat":              now,
		"auth_time":        now,
		"exp":              now + int64(t.TTL/time.Second),
	}
	header, _ := json.Marshal(map[string]string{"alg": "HS256", "typ": "JWT"})
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := b64(header) + "." + b64(payload)
	return signed + "." + b64(t.sign(signed)), nil
}

// Verify checks token's signature, algorithm, issuer and expiry, and
// returns its claims as strings, the form API Gateway hands them to a
// function in.
func (t *Tokens) Verify(token string) (map[string]string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, t.sign(parts[0]+"."+parts[1])) {
		return nil, errors.New("bad signature")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &header); err != nil || header.Alg != "HS256" {
		return nil, errors.New("unexpected token header")
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, errors.New("unreadable claims")
	}
	if claims["iss"] != TokenIssuer || claims["token_use"] != "id" {
		return nil, errors.New("not a local ID token")
	}
	exp, ok := claims["exp"].(float64)
	if !ok || t.now().Unix() >= int64(exp) {
		return nil, errors.New("token expired")
	}
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			out[k] = strconv.FormatInt(int64(v), 10)
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out, nil
}

func (t *Tokens) sign(s string) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func decodeSegment(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
