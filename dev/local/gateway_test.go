package local

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// invokerFunc adapts a function to Invoker.
type invokerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f invokerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// recorder is a function that remembers its event and answers with resp.
type recorder struct {
	events []events.APIGatewayProxyRequest
	resp   events.APIGatewayProxyResponse
}

func (r *recorder) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	r.events = append(r.events, ev)
	resp := r.resp
	if resp.StatusCode == 0 {
		resp.StatusCode = 200
	}
	return json.Marshal(resp)
}

func serveAPI(t *testing.T, api *API, req *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	api.ServeHTTP(w, req)
	resp := w.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestGatewayMatchesResourcesLikeAPIGateway(t *testing.T) {
	fns := map[string]*recorder{}
	var routes []Route
	for _, r := range []struct{ method, resource string }{
		{"GET", "/todos"},
		{"POST", "/todos"},
		{"GET", "/todos/{id}"},
		{"GET", "/todos/search"},
		{"ANY", "/todos/{id}"},
		{"GET", "/files/{path+}"},
		{"GET", "/"},
	} {
		fn := &recorder{}
		fns[r.method+" "+r.resource] = fn
		routes = append(routes, Route{Method: r.method, Resource: r.resource, Auth: AuthNone, Function: fn})
	}
	api := &API{Name: "test", Stage: "v1", Routes: routes}

	for _, tc := range []struct {
		method, path string
		want         string // route key, "" for none
		params       map[string]string
	}{
		{"GET", "/v1/todos", "GET /todos", nil},
		{"POST", "/v1/todos", "POST /todos", nil},
		{"GET", "/v1/todos/abc", "GET /todos/{id}", map[string]string{"id": "abc"}},
		{"GET", "/v1/todos/search", "GET /todos/search", nil},
		{"DELETE", "/v1/todos/abc", "ANY /todos/{id}", map[string]string{"id": "abc"}},
		{"GET", "/v1/todos/a%2Fb", "GET /todos/{id}", map[string]string{"id": "a/b"}},
		{"GET", "/v1/todos/caf%C3%A9", "GET /todos/{id}", map[string]string{"id": "café"}},
		{"GET", "/v1/files/a/b/c.txt", "GET /files/{path+}", map[string]string{"path": "a/b/c.txt"}},
		{"GET", "/v1/", "GET /", nil},
		{"GET", "/v1/files", "", nil},
		{"GET", "/v1/todos/abc/more", "", nil},
		{"DELETE", "/v1/todos", "", nil},
		{"GET", "/v2/todos", "", nil},
		{"GET", "/todos", "", nil},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			for _, fn := range fns {
				fn.events = nil
			}
			resp, body := serveAPI(t, api, httptest.NewRequest(tc.method, tc.path, nil))
			if tc.want == "" {
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `"code":"MISSING_AUTHENTICATION_TOKEN"`) {
					t.Fatalf("status %d, body %s; want 403 MISSING_AUTHENTICATION_TOKEN", resp.StatusCode, body)
				}
				return
			}
			if resp.StatusCode != 200 {
				t.Fatalf("status %d, body %s", resp.StatusCode, body)
			}
			for key, fn := range fns {
				if got := len(fn.events); (key == tc.want) != (got == 1) {
					t.Errorf("route %s got %d events", key, got)
				}
			}
			ev := fns[tc.want].events[0]
			if !reflect.DeepEqual(ev.PathParameters, tc.params) {
				t.Errorf("pathParameters = %v, want %v", ev.PathParameters, tc.params)
			}
			if want := strings.SplitN(tc.want, " ", 2)[1]; ev.Resource != want || ev.RequestContext.ResourcePath != want {
				t.Errorf("resource = %q / %q, want %q", ev.Resource, ev.RequestContext.ResourcePath, want)
			}
		})
	}
}

func TestGatewayBuildsTheProxyEvent(t *testing.T) {
	fn := &recorder{}
	api := &API{Name: "todo", Stage: "v1", Routes: []Route{{Method: "POST", Resource: "/todos/{id}", Auth: AuthNone, Function: fn}}}
	req := httptest.NewRequest("POST", "/v1/todos/42?tag=a&tag=b&limit=5", strings.NewReader(`{"title":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Add("X-Multi", "one")
	req.Header.Add("X-Multi", "two")
	req.Header.Set("User-Agent", "test-agent")
	req.RemoteAddr = "127.0.0.9:5555"
	resp, body := serveAPI(t, api, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	ev := fn.events[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"httpMethod", ev.HTTPMethod, "POST"},
		{"path", ev.Path, "/todos/42"},
		{"body", ev.Body, `{"title":"x"}`},
		{"isBase64Encoded", ev.IsBase64Encoded, false},
		{"query", ev.QueryStringParameters, map[string]string{"tag": "b", "limit": "5"}},
		{"multi query", ev.MultiValueQueryStringParameters, map[string][]string{"tag": {"a", "b"}, "limit": {"5"}}},
		{"last header value", ev.Headers["X-Multi"], "two"},
		{"multi header", ev.MultiValueHeaders["X-Multi"], []string{"one", "two"}},
		{"content type", ev.Headers["Content-Type"], "application/json"},
		{"forwarded for", ev.Headers["X-Forwarded-For"], "127.0.0.9"},
		{"stage", ev.RequestContext.Stage, "v1"},
		{"context path", ev.RequestContext.Path, "/v1/todos/42"},
		{"context method", ev.RequestContext.HTTPMethod, "POST"},
		{"source ip", ev.RequestContext.Identity.SourceIP, "127.0.0.9"},
		{"user agent", ev.RequestContext.Identity.UserAgent, "test-agent"},
		{"api id", ev.RequestContext.APIID, "todo"},
		{"no authorizer", len(ev.RequestContext.Authorizer), 0},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if ev.RequestContext.RequestID == "" || ev.RequestContext.RequestTimeEpoch == 0 {
		t.Errorf("requestContext lacks a request ID or time: %+v", ev.RequestContext)
	}
}

// Without binary media types (the stacks' APIs have none) API Gateway hands
// every body over as text, each byte that is not UTF-8 replaced by U+FFFD;
// bodies of a binary media type arrive in base64, byte for byte.
func TestGatewayPassesBodiesAsAPIGatewayDoes(t *testing.T) {
	binary := []byte{0xff, 0xd8, 0xff, 0x00, 0x01}
	for _, tc := range []struct {
		name, contentType string
		binaryTypes       []string
		body              []byte
		wantBody          string
		wantBase64        bool
	}{
		{"json", "application/json; charset=utf-8", nil, []byte(`{"a":1}`), `{"a":1}`, false},
		{"text", "text/plain", nil, []byte("héllo"), "héllo", false},
		{"invalid utf-8 claimed as json", "application/json", nil, []byte("{\"title\":\"bad \xff\xfe utf8\"}"),
			"{\"title\":\"bad \ufffd\ufffd utf8\"}", false},
		{"jpeg without binary media types", "image/jpeg", nil, binary, "\ufffd\ufffd\ufffd\x00\x01", false},
		{"jpeg, a binary media type", "image/jpeg", []string{"image/*"}, binary, string(binary), true},
		{"any type binary", "application/json", []string{"*/*"}, []byte(`{}`), `{}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := &recorder{}
			api := &API{Stage: "v1", BinaryMediaTypes: tc.binaryTypes, Routes: []Route{{Method: "PUT", Resource: "/x", Auth: AuthNone, Function: fn}}}
			req := httptest.NewRequest("PUT", "/v1/x", strings.NewReader(string(tc.body)))
			req.Header.Set("Content-Type", tc.contentType)
			serveAPI(t, api, req)
			ev := fn.events[0]
			if ev.IsBase64Encoded != tc.wantBase64 {
				t.Fatalf("isBase64Encoded = %v, want %v", ev.IsBase64Encoded, tc.wantBase64)
			}
			got := []byte(ev.Body)
			if ev.IsBase64Encoded {
				var err error
				if got, err = base64.StdEncoding.DecodeString(ev.Body); err != nil {
					t.Fatal(err)
				}
			}
			if string(got) != tc.wantBody {
				t.Fatalf("body = %q, want %q", got, tc.wantBody)
			}
		})
	}
}

func TestGatewayRelaysTheProxyResponse(t *testing.T) {
	for _, tc := range []struct {
		name       string
		answer     func() ([]byte, error)
		wantStatus int
		wantBody   string
		wantHeader map[string][]string
	}{
		{
			name: "plain",
			answer: func() ([]byte, error) {
				return json.Marshal(events.APIGatewayProxyResponse{StatusCode: 201, Body: `{"ok":true}`,
					Headers:           map[string]string{"Content-Type": "application/json", "Location": "/v1/x/1"},
					MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}}})
			},
			wantStatus: 201, wantBody: `{"ok":true}`,
			wantHeader: map[string][]string{"Location": {"/v1/x/1"}, "Set-Cookie": {"a=1", "b=2"}},
		},
		{
			name: "base64 body",
			answer: func() ([]byte, error) {
				return json.Marshal(events.APIGatewayProxyResponse{StatusCode: 200, IsBase64Encoded: true,
					Body: base64.StdEncoding.EncodeToString([]byte{0, 1, 2})})
			},
			wantStatus: 200, wantBody: "\x00\x01\x02",
		},
		{
			name:       "function error",
			answer:     func() ([]byte, error) { return nil, &FunctionError{Type: "errorString", Message: "boom"} },
			wantStatus: 502, wantBody: `{"error":{"code":"INTEGRATION_FAILURE","message":"Internal server error"}}`,
		},
		{
			name:       "not a proxy response",
			answer:     func() ([]byte, error) { return []byte(`{"hello":"world"}`), nil },
			wantStatus: 502, wantBody: `{"error":{"code":"INTEGRATION_FAILURE","message":"Internal server error"}}`,
		},
		{
			name:       "timeout",
			answer:     func() ([]byte, error) { return nil, context.DeadlineExceeded },
			wantStatus: 504, wantBody: `{"error":{"code":"INTEGRATION_TIMEOUT","message":"Endpoint request timed out"}}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := invokerFunc(func(context.Context, []byte) ([]byte, error) { return tc.answer() })
			api := &API{Stage: "v1", Routes: []Route{{Method: "GET", Resource: "/x", Auth: AuthNone, Function: fn}}}
			resp, body := serveAPI(t, api, httptest.NewRequest("GET", "/v1/x", nil))
			if resp.StatusCode != tc.wantStatus || body != tc.wantBody {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
			for k, want := range tc.wantHeader {
				if got := resp.Header.Values(k); !reflect.DeepEqual(got, want) {
					t.Errorf("header %s = %v, want %v", k, got, want)
				}
			}
		})
	}
}

func TestGatewayTimesOutSlowFunctions(t *testing.T) {
	fn := invokerFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	api := &API{Stage: "v1", Timeout: 50 * time.Millisecond, Routes: []Route{{Method: "GET", Resource: "/x", Auth: AuthNone, Function: fn}}}
	resp, _ := serveAPI(t, api, httptest.NewRequest("GET", "/v1/x", nil))
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504", resp.StatusCode)
	}
}

func TestGatewayAuthorizesLikeCognitoAndAPIKeys(t *testing.T) {
	tokens, err := NewTokens()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewTokens()
	alice, _ := tokens.Mint("alice")
	forged, _ := other.Mint("alice")

	fn := &recorder{}
	api := &API{Stage: "v1", Tokens: tokens, APIKey: "secret-key", Routes: []Route{
		{Method: "GET", Resource: "/mine", Auth: AuthUser, Function: fn},
		{Method: "POST", Resource: "/posts", Auth: AuthAPIKey, Function: fn},
		{Method: "GET", Resource: "/posts", Auth: AuthNone, Function: fn},
	}}
	for _, tc := range []struct {
		name, method, path string
		headers            map[string]string
		wantStatus         int
		wantCode           string
	}{
		{"no token", "GET", "/v1/mine", nil, 401, "UNAUTHORIZED"},
		{"token of another key", "GET", "/v1/mine", map[string]string{"Authorization": forged}, 401, "UNAUTHORIZED"},
		{"garbage token", "GET", "/v1/mine", map[string]string{"Authorization": "Bearer abc.def.ghi"}, 401, "UNAUTHORIZED"},
		{"raw token", "GET", "/v1/mine", map[string]string{"Authorization": alice}, 200, ""},
		{"bearer token", "GET", "/v1/mine", map[string]string{"Authorization": "Bearer " + alice}, 200, ""},
		{"no api key", "POST", "/v1/posts", nil, 403, "INVALID_API_KEY"},
		{"wrong api key", "POST", "/v1/posts", map[string]string{"X-Api-Key": "nope"}, 403, "INVALID_API_KEY"},
		{"api key", "POST", "/v1/posts", map[string]string{"X-Api-Key": "secret-key"}, 200, ""},
		{"public", "GET", "/v1/posts", nil, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn.events = nil
			req := httptest.NewRequest(tc.method, tc.path, nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, body := serveAPI(t, api, req)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tc.wantStatus)
			}
			if tc.wantCode != "" {
				if !strings.Contains(body, `"code":"`+tc.wantCode+`"`) || len(fn.events) != 0 {
					t.Fatalf("body %s, %d invocations; want code %s and no invocation", body, len(fn.events), tc.wantCode)
				}
				return
			}
			rc := fn.events[0].RequestContext
			switch tc.path {
			case "/v1/mine":
				claims, _ := rc.Authorizer["claims"].(map[string]any)
				if claims["sub"] != Subject("alice") || claims["cognito:username"] != "alice" || claims["token_use"] != "id" {
					t.Fatalf("authorizer claims = %v", rc.Authorizer)
				}
			case "/v1/posts":
				if tc.method == "POST" && (rc.Identity.APIKey != "secret-key" || rc.Identity.APIKeyID == "") {
					t.Fatalf("identity = %+v, want the API key and its ID", rc.Identity)
				}
				if tc.method == "GET" && (rc.Identity.APIKey != "" || rc.Authorizer != nil) {
					t.Fatalf("public route got credentials: %+v", rc)
				}
			}
		})
	}
}

func TestGatewayRefusesOversizedRequests(t *testing.T) {
	called := false
	fn := invokerFunc(func(context.Context, []byte) ([]byte, error) { called = true; return nil, errors.New("unreachable") })
	api := &API{Stage: "v1", Routes: []Route{{Method: "POST", Resource: "/x", Auth: AuthNone, Function: fn}}}
	req := httptest.NewRequest("POST", "/v1/x", strings.NewReader(strings.Repeat("a", MaxRequestBytes+1)))
	resp, _ := serveAPI(t, api, req)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || called {
		t.Fatalf("status %d, invoked %v; want 413 without an invocation", resp.StatusCode, called)
	}
}
