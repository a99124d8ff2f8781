package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// errorBody is the JSON error shape every 4xx and 5xx answer has.
type errorBody struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Field   string         `json:"field"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

func decodeError(t *testing.T, resp events.APIGatewayProxyResponse) errorBody {
	t.Helper()
	var body errorBody
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("error body %q is not JSON: %v", resp.Body, err)
	}
	if body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("error body %q lacks code or message", resp.Body)
	}
	return body
}

func TestDecodeJSON(t *testing.T) {
	type target struct {
		Title   string `json:"title"`
		Version int64  `json:"version"`
		Done    bool   `json:"done"`
	}
	jsonHeaders := map[string]string{"content-type": "application/json; charset=utf-8"}
	tests := []struct {
		name       string
		req        events.APIGatewayProxyRequest
		max        int
		wantStatus int // 0: success
		wantCode   string
		wantField  string
		want       target
	}{
		{name: "valid", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a","version":2,"done":true}`},
			want: target{Title: "a", Version: 2, Done: true}},
		{name: "header name in any case", req: events.APIGatewayProxyRequest{Headers: map[string]string{"CONTENT-TYPE": "application/json"}, Body: `{"title":"a"}`},
			want: target{Title: "a"}},
		{name: "multi-value header", req: events.APIGatewayProxyRequest{MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}}, Body: `{}`}},
		{name: "base64 body", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, IsBase64Encoded: true,
			Body: base64.StdEncoding.EncodeToString([]byte(`{"title":"b"}`))}, want: target{Title: "b"}},
		{name: "no content type", req: events.APIGatewayProxyRequest{Body: `{}`},
			wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "form content type", req: events.APIGatewayProxyRequest{Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: `title=a`},
			wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "body at the limit", max: 13, req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a"}`},
			want: target{Title: "a"}},
		{name: "body over the limit", max: 12, req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a"}`},
			wantStatus: 413, wantCode: "payload_too_large"},
		{name: "base64 body over the limit", max: 100, req: events.APIGatewayProxyRequest{Headers: jsonHeaders, IsBase64Encoded: true,
			Body: base64.StdEncoding.EncodeToString(bytes.Repeat([]byte(" "), 101))}, wantStatus: 413, wantCode: "payload_too_large"},
		{name: "bad base64", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, IsBase64Encoded: true, Body: "!!"},
			wantStatus: 400, wantCode: "invalid_body"},
		{name: "empty body", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: " \n"},
			wantStatus: 400, wantCode: "missing_body"},
		{name: "syntax error", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":}`},
			wantStatus: 400, wantCode: "invalid_json"},
		{name: "truncated", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a"`},
			wantStatus: 400, wantCode: "invalid_json"},
		{name: "array instead of object", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `[1]`},
			wantStatus: 400, wantCode: "invalid_json"},
		{name: "trailing data", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a"} {}`},
			wantStatus: 400, wantCode: "invalid_json"},
		{name: "unknown field", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"title":"a","owner":"someone-else"}`},
			wantStatus: 400, wantCode: "unknown_field", wantField: "owner"},
		{name: "wrong type", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"version":"2"}`},
			wantStatus: 400, wantCode: "invalid_field", wantField: "version"},
		{name: "fraction for integer", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: `{"version":1.5}`},
			wantStatus: 400, wantCode: "invalid_field", wantField: "version"},
		// Only binary media types arrive in base64, with the client's bytes.
		{name: "invalid UTF-8", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, IsBase64Encoded: true,
			Body: base64.StdEncoding.EncodeToString([]byte("{\"title\":\"bad \xff\xfe utf8\"}"))}, wantStatus: 400, wantCode: "invalid_body"},
		{name: "invalid UTF-8 as text", req: events.APIGatewayProxyRequest{Headers: jsonHeaders, Body: "{\"title\":\"bad \xff\"}"},
			wantStatus: 400, wantCode: "invalid_body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			max := tt.max
			if max == 0 {
				max = DefaultMaxBodyBytes
			}
			var got target
			err := DecodeJSON(&tt.req, max, &got)
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				if got != tt.want {
					t.Errorf("decoded %+v, want %+v", got, tt.want)
				}
				return
			}
			apiErr, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("DecodeJSON error = %v, want an *Error", err)
			}
			if apiErr.Status != tt.wantStatus || apiErr.Code != tt.wantCode || apiErr.Field != tt.wantField {
				t.Errorf("got %d %s field %q, want %d %s field %q", apiErr.Status, apiErr.Code, apiErr.Field, tt.wantStatus, tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestQueryInt(t *testing.T) {
	tests := []struct {
		query   map[string]string
		want    int
		wantErr bool
	}{
		{query: nil, want: 20},
		{query: map[string]string{"limit": "1"}, want: 1},
		{query: map[string]string{"limit": "100"}, want: 100},
		{query: map[string]string{"limit": "0"}, wantErr: true},
		{query: map[string]string{"limit": "101"}, wantErr: true},
		{query: map[string]string{"limit": ""}, wantErr: true},
		{query: map[string]string{"limit": "ten"}, wantErr: true},
		{query: map[string]string{"limit": "99999999999999999999999"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.query), func(t *testing.T) {
			got, err := QueryInt(&events.APIGatewayProxyRequest{QueryStringParameters: tt.query}, "limit", 20, 1, 100)
			if tt.wantErr {
				if apiErr, ok := errors.AsType[*Error](err); !ok || apiErr.Status != 400 || apiErr.Field != "limit" {
					t.Fatalf("QueryInt error = %v, want 400 on field limit", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("QueryInt = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}

func TestCursor(t *testing.T) {
	key := map[string]types.AttributeValue{
		"owner": &types.AttributeValueMemberS{Value: "user-1"},
		"id":    &types.AttributeValueMemberS{Value: "0193a/+x"},
	}
	c, err := CursorFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	token := c.Encode()
	if strings.ContainsAny(token, "+/=") {
		t.Errorf("token %q is not unpadded base64url", token)
	}
	if again := (Cursor{"id": "0193a/+x", "owner": "user-1"}).Encode(); again != token {
		t.Errorf("equal cursors encode differently: %q and %q", token, again)
	}

	t.Run("round trip", func(t *testing.T) {
		parsed, err := ParseCursor(token, "owner", "id")
		if err != nil {
			t.Fatal(err)
		}
		got := parsed.Key()
		if len(got) != 2 || got["owner"].(*types.AttributeValueMemberS).Value != "user-1" ||
			got["id"].(*types.AttributeValueMemberS).Value != "0193a/+x" {
			t.Errorf("ExclusiveStartKey = %#v", got)
		}
	})
	t.Run("empty token is the first page", func(t *testing.T) {
		parsed, err := ParseCursor("", "owner", "id")
		if err != nil || parsed != nil || parsed.Key() != nil {
			t.Fatalf("ParseCursor(\"\") = %v, %v", parsed, err)
		}
	})
	t.Run("empty key gives no token", func(t *testing.T) {
		c, err := CursorFromKey(nil)
		if err != nil || c.Encode() != "" {
			t.Fatalf("CursorFromKey(nil) = %v, %v", c, err)
		}
	})
	t.Run("non-string key attribute", func(t *testing.T) {
		_, err := CursorFromKey(map[string]types.AttributeValue{"n": &types.AttributeValueMemberN{Value: "1"}})
		if err == nil {
			t.Fatal("no error for a numeric key attribute")
		}
		if asError(err).Status != 500 {
			t.Errorf("a bad stored key must be a server error, got %v", asError(err))
		}
	})

	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, bad := range map[string]string{
		"not base64":       "%%%",
		"padded std b64":   base64.StdEncoding.EncodeToString([]byte(`{"id":"a","owner":"b"}`)),
		"not JSON":         enc("owner=b"),
		"JSON array":       enc(`["a","b"]`),
		"missing key":      enc(`{"owner":"b"}`),
		"extra key":        enc(`{"id":"a","owner":"b","x":"c"}`),
		"wrong key":        enc(`{"id":"a","user":"b"}`),
		"empty value":      enc(`{"id":"","owner":"b"}`),
		"non-string value": enc(`{"id":1,"owner":"b"}`),
		"too long":         enc(`{"id":"` + strings.Repeat("a", 2000) + `","owner":"b"}`),
	} {
		t.Run("rejects "+name, func(t *testing.T) {
			_, err := ParseCursor(bad, "owner", "id")
			if apiErr, ok := errors.AsType[*Error](err); !ok || apiErr.Status != 400 || apiErr.Field != "cursor" {
				t.Fatalf("ParseCursor(%q) error = %v, want 400 on field cursor", bad, err)
			}
		})
	}
}

func TestCognitoSub(t *testing.T) {
	tests := []struct {
		name       string
		authorizer map[string]any
		want       string
	}{
		{name: "decoded claims", authorizer: map[string]any{"claims": map[string]any{"sub": "abc", "email": "a@example.com"}}, want: "abc"},
		{name: "string claims", authorizer: map[string]any{"claims": map[string]string{"sub": "abc"}}, want: "abc"},
		{name: "no authorizer"},
		{name: "no claims", authorizer: map[string]any{"principalId": "abc"}},
		{name: "claims not an object", authorizer: map[string]any{"claims": "sub=abc"}},
		{name: "empty sub", authorizer: map[string]any{"claims": map[string]any{"sub": ""}}},
		{name: "sub not a string", authorizer: map[string]any{"claims": map[string]any{"sub": 42.0}}},
		{name: "sub too long", authorizer: map[string]any{"claims": map[string]any{"sub": strings.Repeat("a", 129)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := events.APIGatewayProxyRequest{RequestContext: events.APIGatewayProxyRequestContext{Authorizer: tt.authorizer}}
			got, err := CognitoSub(&req)
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("CognitoSub = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if apiErr, ok := errors.AsType[*Error](err); !ok || apiErr.Status != http.StatusUnauthorized {
				t.Fatalf("CognitoSub = %q, %v; want a 401", got, err)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		value     string
		min, max  int
		multiline bool
		ok        bool
	}{
		{value: "a", min: 1, max: 3, ok: true},
		{value: "äöü", min: 1, max: 3, ok: true}, // characters, not bytes
		{value: "abcd", min: 1, max: 3},
		{value: "", min: 1, max: 3},
		{value: "  ", min: 1, max: 3},
		{value: "", min: 0, max: 3, ok: true},
		{value: "a\nb", min: 1, max: 10},
		{value: "a\r\n\tb", min: 1, max: 10, multiline: true, ok: true},
		{value: "a\x00b", min: 1, max: 10, multiline: true},
		{value: "a\u0085b", min: 1, max: 10}, // NEL, a C1 control
		// What API Gateway makes of invalid UTF-8 ("bad \xff\xfe utf8").
		{value: "bad \ufffd\ufffd utf8", min: 1, max: 30, multiline: true},
		{value: "bad \xff utf8", min: 1, max: 30},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.value), func(t *testing.T) {
			err := CheckText("title", tt.value, tt.min, tt.max, tt.multiline)
			if tt.ok != (err == nil) {
				t.Fatalf("CheckText(%q) = %v, want ok=%v", tt.value, err, tt.ok)
			}
			if err != nil {
				if apiErr, ok := errors.AsType[*Error](err); !ok || apiErr.Field != "title" || apiErr.Status != 400 {
					t.Errorf("error %v does not name the field", err)
				}
			}
		})
	}
}

// The client resolves Location against the URL it called, so the answer is
// right whichever domain and prefix the API was reached through.
func TestLocation(t *testing.T) {
	tests := []struct {
		path, id string
		calls    []string // URLs the request may have been sent to
		want     []string // where Location points from each
	}{
		{path: "/posts", id: "hello", want: []string{"https://site.example/api/posts/hello", "https://abc.execute-api.example/v1/posts/hello", "https://api.example/blog/posts/hello"},
			calls: []string{"https://site.example/api/posts", "https://abc.execute-api.example/v1/posts", "https://api.example/blog/posts"}},
		{path: "/todos/", id: "a b", calls: []string{"https://site.example/v1/todos/"}, want: []string{"https://site.example/v1/todos/a%20b"}},
		{path: "/a:b", id: "x", calls: []string{"https://site.example/v1/a:b"}, want: []string{"https://site.example/v1/a:b/x"}},
	}
	for _, tt := range tests {
		req := events.APIGatewayProxyRequest{Path: tt.path}
		loc := Location(&req, tt.id)
		if strings.HasPrefix(loc, "/") || strings.Contains(loc, "//") {
			t.Errorf("Location %q for %s is not a relative-path reference", loc, tt.path)
		}
		for i, call := range tt.calls {
			base, _ := url.Parse(call)
			ref, err := url.Parse(loc)
			if err != nil {
				t.Fatalf("Location %q: %v", loc, err)
			}
			if got := base.ResolveReference(ref).String(); got != tt.want[i] {
				t.Errorf("Location %q from %s points to %s, want %s", loc, call, got, tt.want[i])
			}
		}
	}
}

func TestResponderHeaders(t *testing.T) {
	tests := []struct {
		name      string
		responder Responder
		resp      func(Responder) events.APIGatewayProxyResponse
		wantCache string
		wantCORS  string
	}{
		{name: "read without caching", responder: Responder{}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.Read(1) }, wantCache: "no-store"},
		{name: "private read", responder: Responder{MaxAge: 30 * time.Second}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.Read(1) }, wantCache: "private, max-age=30"},
		{name: "public read", responder: Responder{MaxAge: time.Minute, Public: true}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.Read(1) }, wantCache: "public, max-age=60"},
		{name: "write", responder: Responder{MaxAge: time.Minute}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.Write(201, 1) }, wantCache: "no-store"},
		{name: "error on a cached API", responder: Responder{MaxAge: time.Minute}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.Error(NotFound("x")) }, wantCache: "no-store"},
		{name: "no content", responder: Responder{}, resp: func(r Responder) events.APIGatewayProxyResponse { return r.NoContent() }, wantCache: "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.resp(tt.responder)
			if got := resp.Headers["Cache-Control"]; got != tt.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.wantCache)
			}
			if got, ok := resp.Headers["Access-Control-Allow-Origin"]; got != tt.wantCORS || ok != (tt.wantCORS != "") {
				t.Errorf("Access-Control-Allow-Origin = %q (set %v), want %q", got, ok, tt.wantCORS)
			}
			if resp.StatusCode == http.StatusNoContent {
				if resp.Body != "" || resp.Headers["Content-Type"] != "" {
					t.Errorf("204 has body %q or content type %q", resp.Body, resp.Headers["Content-Type"])
				}
			} else if ct := resp.Headers["Content-Type"]; ct != "application/json" || !json.Valid([]byte(resp.Body)) {
				t.Errorf("Content-Type %q, body %q: want JSON", ct, resp.Body)
			}
		})
	}
	t.Run("unencodable body", func(t *testing.T) {
		resp := Responder{}.Write(201, func() {})
		if resp.StatusCode != 500 || decodeError(t, resp).Error.Code != "internal" {
			t.Errorf("got %d %s", resp.StatusCode, resp.Body)
		}
	})
}

func TestRouter(t *testing.T) {
	ok := func(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return Responder{}.Read(map[string]string{"method": req.HTTPMethod}), nil
	}
	failWith := func(err error) Endpoint {
		return func(context.Context, *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{}, err
		}
	}
	secret := "table arn:aws:dynamodb:us-east-1:123456789012:table/secret"
	tests := []struct {
		name       string
		endpoint   Endpoint
		method     string
		resource   string
		wantStatus int
		wantCode   string
		wantHeader map[string]string
		wantLogged bool
	}{
		{name: "match", endpoint: ok, method: "GET", resource: "/items", wantStatus: 200},
		// API Gateway forwards only declared routes: anything else is a
		// deployment fault, not a client's mistake.
		{name: "unknown resource", endpoint: ok, method: "GET", resource: "/nope", wantStatus: 500, wantCode: "internal", wantLogged: true},
		{name: "unknown method", endpoint: ok, method: "PATCH", resource: "/items", wantStatus: 500, wantCode: "internal", wantLogged: true},
		{name: "OPTIONS", endpoint: ok, method: "OPTIONS", resource: "/items", wantStatus: 500, wantCode: "internal", wantLogged: true},
		{name: "client error", endpoint: failWith(Invalid("title", "bad title")), method: "GET", resource: "/items", wantStatus: 400, wantCode: "invalid_field"},
		{name: "wrapped client error", endpoint: failWith(fmt.Errorf("validating: %w", Conflict("taken", nil))), method: "GET", resource: "/items", wantStatus: 409, wantCode: "conflict"},
		{name: "unexpected error", endpoint: failWith(errors.New(secret)), method: "GET", resource: "/items",
			wantStatus: 500, wantCode: "internal", wantLogged: true},
		{name: "throttled", endpoint: failWith(fmt.Errorf("querying: %w", &types.ProvisionedThroughputExceededException{Message: &secret})), method: "GET", resource: "/items",
			wantStatus: 503, wantCode: "unavailable", wantHeader: map[string]string{"Retry-After": "1"}, wantLogged: true},
		{name: "connection refused", endpoint: failWith(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New(secret)}), method: "GET", resource: "/items",
			wantStatus: 503, wantCode: "unavailable", wantLogged: true},
		{name: "deadline", endpoint: failWith(fmt.Errorf("querying %s: %w", secret, context.DeadlineExceeded)), method: "GET", resource: "/items",
			wantStatus: 503, wantCode: "unavailable", wantLogged: true},
		{name: "validation exception is our bug", endpoint: failWith(fmt.Errorf("querying: %w", &smithy.GenericAPIError{Code: "ValidationException", Message: secret, Fault: smithy.FaultClient})), method: "GET", resource: "/items",
			wantStatus: 500, wantCode: "internal", wantLogged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			r := Router{Log: slog.New(slog.NewJSONHandler(&logs, nil))}
			r.Handle("GET", "/items", tt.endpoint)
			r.Handle("POST", "/items", ok)
			resp := r.Serve(context.Background(), events.APIGatewayProxyRequest{
				HTTPMethod: tt.method, Resource: tt.resource,
				RequestContext: events.APIGatewayProxyRequestContext{RequestID: "req-1"},
			})
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if tt.wantCode != "" {
				if got := decodeError(t, resp).Error.Code; got != tt.wantCode {
					t.Errorf("code %q, want %q", got, tt.wantCode)
				}
			}
			for k, v := range tt.wantHeader {
				if resp.Headers[k] != v {
					t.Errorf("header %s = %q, want %q", k, resp.Headers[k], v)
				}
			}
			if strings.Contains(resp.Body, "secret") {
				t.Errorf("response leaks the cause: %s", resp.Body)
			}
			if logged := logs.Len() > 0; logged != tt.wantLogged {
				t.Fatalf("logged %v, want %v: %s", logged, tt.wantLogged, logs.String())
			}
			cause := "secret"
			if tt.resource != "/items" || tt.method != "GET" {
				cause = "no endpoint for " + tt.method + " " + tt.resource
			}
			if tt.wantLogged && (!strings.Contains(logs.String(), cause) || !strings.Contains(logs.String(), `"requestId":"req-1"`)) {
				t.Errorf("log lacks the cause or request id: %s", logs.String())
			}
		})
	}
}

// API Gateway's preflight allows each configured origin; the function's
// answers must then name the same origin, or the browser refuses them.
func TestRouterAnswersEachAllowedOrigin(t *testing.T) {
	origins := []string{"https://app.example.com", "https://admin.example.com"}
	tests := []struct {
		name, origin string
		allow        []string
		fail         bool
		wantOrigin   string // "" for no Access-Control-Allow-Origin
		wantVary     bool
	}{
		{name: "first origin", origin: origins[0], allow: origins, wantOrigin: origins[0], wantVary: true},
		{name: "second origin", origin: origins[1], allow: origins, wantOrigin: origins[1], wantVary: true},
		{name: "second origin, error answer", origin: origins[1], allow: origins, fail: true, wantOrigin: origins[1], wantVary: true},
		{name: "other origin", origin: "https://evil.example", allow: origins, wantVary: true},
		{name: "origin that extends an allowed one", origin: origins[0] + ".evil.example", allow: origins, wantVary: true},
		{name: "no origin (not a browser)", allow: origins, wantVary: true},
		{name: "CORS off", origin: origins[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Router{AllowOrigins: tt.allow, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			r.Handle("GET", "/items", func(context.Context, *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				if tt.fail {
					return events.APIGatewayProxyResponse{}, NotFound("no such item")
				}
				return Responder{}.Read("ok"), nil
			})
			req := events.APIGatewayProxyRequest{HTTPMethod: "GET", Resource: "/items"}
			if tt.origin != "" {
				req.Headers = map[string]string{"origin": tt.origin}
			}
			resp := r.Serve(context.Background(), req)
			if got, ok := resp.Headers["Access-Control-Allow-Origin"]; got != tt.wantOrigin || ok != (tt.wantOrigin != "") {
				t.Errorf("Access-Control-Allow-Origin = %q (set %v), want %q", got, ok, tt.wantOrigin)
			}
			if got := resp.Headers["Vary"] == "Origin"; got != tt.wantVary {
				t.Errorf("Vary = %q, want Origin: %v", resp.Headers["Vary"], tt.wantVary)
			}
			if tt.wantOrigin != "" && !strings.Contains(resp.Headers["Access-Control-Expose-Headers"], "Location") {
				t.Errorf("Access-Control-Expose-Headers = %q, want Location exposed", resp.Headers["Access-Control-Expose-Headers"])
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		env     map[string]string
		want    Config
		wantErr bool
	}{
		{env: map[string]string{"TABLE_NAME": "t"}, want: Config{TableName: "t"}},
		{env: map[string]string{"TABLE_NAME": "t", "CACHE_TTL_SECONDS": "0"}, want: Config{TableName: "t"}},
		{env: map[string]string{"TABLE_NAME": "t", "CACHE_TTL_SECONDS": "30", "CORS_ORIGINS": "https://myblog.com"},
			want: Config{TableName: "t", CacheTTL: 30 * time.Second, CORSOrigins: []string{"https://myblog.com"}}},
		{env: map[string]string{"TABLE_NAME": "t", "CORS_ORIGINS": "https://a.example,http://localhost:3000"},
			want: Config{TableName: "t", CORSOrigins: []string{"https://a.example", "http://localhost:3000"}}},
		{env: map[string]string{"TABLE_NAME": "t", "CORS_ORIGINS": "https://a.example/"}, wantErr: true},
		{env: map[string]string{"TABLE_NAME": "t", "CORS_ORIGINS": "https://a.example, https://b.example"}, wantErr: true},
		{env: map[string]string{"TABLE_NAME": "t", "CORS_ORIGINS": "*"}, wantErr: true},
		{env: map[string]string{}, wantErr: true},
		{env: map[string]string{"TABLE_NAME": "t", "CACHE_TTL_SECONDS": "-1"}, wantErr: true},
		{env: map[string]string{"TABLE_NAME": "t", "CACHE_TTL_SECONDS": "1m"}, wantErr: true},
		{env: map[string]string{"TABLE_NAME": "t", "CACHE_TTL_SECONDS": "999999999999"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.env), func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ConfigFromEnv = %+v, %v; want %+v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNextPage(t *testing.T) {
	keyOf := func(id string) Cursor { return Cursor{"id": id} }
	lek := map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "b"}}
	tests := []struct {
		name      string
		items     []string
		lek       map[string]types.AttributeValue
		wantItems string
		wantNext  string
	}{
		{name: "more items than the page", items: []string{"a", "b", "c"}, lek: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "c"}},
			wantItems: "[a b]", wantNext: "b"},
		{name: "exactly a page", items: []string{"a", "b"}, wantItems: "[a b]"},
		{name: "short page", items: []string{"a"}, wantItems: "[a]"},
		{name: "no items", items: nil, wantItems: "[]"},
		{name: "stopped early by DynamoDB", items: []string{"a", "b"}, lek: lek, wantItems: "[a b]", wantNext: "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, next, err := NextPage(tt.items, 2, keyOf, tt.lek)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(items) != tt.wantItems {
				t.Errorf("items %v, want %s", items, tt.wantItems)
			}
			wantToken := ""
			if tt.wantNext != "" {
				wantToken = Cursor{"id": tt.wantNext}.Encode()
			}
			if next != wantToken {
				t.Errorf("next %q, want the cursor of %q", next, tt.wantNext)
			}
		})
	}
	if _, _, err := NextPage([]string{"a"}, 2, keyOf, map[string]types.AttributeValue{"id": &types.AttributeValueMemberN{Value: "1"}}); err == nil {
		t.Error("no error for a non-string LastEvaluatedKey")
	}
}

func TestConditionFailed(t *testing.T) {
	if !ConditionFailed(fmt.Errorf("operation error DynamoDB: PutItem: %w", &types.ConditionalCheckFailedException{})) {
		t.Error("wrapped ConditionalCheckFailedException not recognised")
	}
	if ConditionFailed(&types.TransactionCanceledException{}) || ConditionFailed(nil) {
		t.Error("other errors taken for a failed condition")
	}
}

func TestSetUp(t *testing.T) {
	newHandler := func(db *dynamodb.Client, cfg Config) *Service[*dynamodb.Client] {
		s := NewService(db, cfg, PublicReads)
		return &s
	}
	env := map[string]string{"TABLE_NAME": "posts", "CACHE_TTL_SECONDS": "60"}
	getenv := func(k string) string { return env[k] }
	t.Setenv("AWS_REGION", "eu-west-1")
	s, err := setUp(context.Background(), "blog API", getenv, newHandler)
	if err != nil {
		t.Fatal(err)
	}
	if s.Table != "posts" || s.DB == nil || s.Router.Responder != (Responder{MaxAge: time.Minute, Public: true}) {
		t.Errorf("service %+v", s)
	}
	delete(env, "TABLE_NAME")
	if _, err := setUp(context.Background(), "blog API", getenv, newHandler); err == nil ||
		err.Error() != "configuring the blog API: TABLE_NAME is not set" {
		t.Errorf("without TABLE_NAME: %v", err)
	}
}
