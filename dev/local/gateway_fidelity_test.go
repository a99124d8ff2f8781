package local

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// gatewayError is the JSON body of API Gateway's own errors.
type gatewayError struct {
	Error struct{ Code, Message, Details string } `json:"error"`
}

func decodeGatewayError(t *testing.T, body string) gatewayError {
	t.Helper()
	var e gatewayError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("body %q is not the JSON error body: %v", truncate([]byte(body), 200), err)
	}
	return e
}

// The request validator checks bodies against the stack's own models,
// whatever their content type, before the function runs.
func TestGatewayValidatesBodiesAgainstTheStacksModels(t *testing.T) {
	fn := &recorder{resp: events.APIGatewayProxyResponse{StatusCode: 201}}
	api := &API{Stage: "v1", Routes: Routes(app.TodoRoutes(nil), fn)}
	for i := range api.Routes {
		api.Routes[i].Auth = AuthNone
	}
	huge := `{"title":"` + strings.Repeat("a", 7<<20) + `"}`
	for _, tc := range []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantDetails                           string
	}{
		{"valid", "POST", "/v1/todos", "application/json", `{"title":"Buy milk","done":false}`, 201, ""},
		{"valid JSON labelled text", "POST", "/v1/todos", "text/plain", `{"title":"Buy milk"}`, 201, ""},
		{"empty title", "POST", "/v1/todos", "application/json", `{"title":""}`, 400, "/title"},
		{"title too long", "POST", "/v1/todos", "application/json", `{"title":"` + strings.Repeat("é", 201) + `"}`, 400, "/title"},
		{"7 MiB title", "POST", "/v1/todos", "application/json", huge, 400, "/title"},
		{"7 MiB of text", "POST", "/v1/todos", "text/plain", strings.Repeat("a", 7<<20), 400, "not JSON"},
		{"unknown property", "POST", "/v1/todos", "application/json", `{"title":"a","owner":"x"}`, 400, "owner"},
		{"wrong type", "PUT", "/v1/todos/1", "application/json", `{"title":"a","done":"yes","version":1}`, 400, "/done"},
		{"missing version", "PUT", "/v1/todos/1", "application/json", `{"title":"a","done":true}`, 400, "version"},
		{"array", "POST", "/v1/todos", "application/json", `[{"title":"a"}]`, 400, "array"},
		{"not JSON", "POST", "/v1/todos", "application/x-www-form-urlencoded", `title=a`, 400, "not JSON"},
		{"empty body", "POST", "/v1/todos", "application/json", ``, 400, "empty"},
		{"route without a model", "DELETE", "/v1/todos/1", "", ``, 201, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn.events = nil
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, body := serveAPI(t, api, req)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, truncate([]byte(body), 200), tc.wantStatus)
			}
			if tc.wantStatus != 400 {
				if len(fn.events) != 1 {
					t.Fatalf("%d invocations, want 1", len(fn.events))
				}
				return
			}
			e := decodeGatewayError(t, body)
			if e.Error.Code != "BAD_REQUEST_BODY" || e.Error.Message != "Invalid request body" || !strings.Contains(e.Error.Details, tc.wantDetails) {
				t.Errorf("error %+v, want BAD_REQUEST_BODY with details about %q", e.Error, tc.wantDetails)
			}
			if len(fn.events) != 0 {
				t.Errorf("the function ran for an invalid body")
			}
		})
	}
}

func TestGatewayRequiresDeclaredParameters(t *testing.T) {
	fn := &recorder{}
	api := &API{Stage: "v1", Routes: Routes([]serverlessapi.Route{{Method: "GET", Path: "/x", Auth: serverlessapi.AuthNone,
		Query:   []serverlessapi.Param{{Name: "q", Required: true}, {Name: "page"}},
		Headers: []serverlessapi.Param{{Name: "X-Tenant", Required: true}}}}, fn)}
	for _, tc := range []struct {
		name, query, tenant string
		wantStatus          int
		wantMissing         string
	}{
		{"all there", "?q=a", "t1", 200, ""},
		{"query missing", "?page=2", "t1", 400, "[q]"},
		{"query empty", "?q=", "t1", 400, "[q]"},
		{"both missing", "", "", 400, "[q, X-Tenant]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/v1/x"+tc.query, nil)
			if tc.tenant != "" {
				req.Header.Set("X-Tenant", tc.tenant)
			}
			resp, body := serveAPI(t, api, req)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tc.wantStatus)
			}
			if tc.wantMissing != "" {
				if e := decodeGatewayError(t, body); e.Error.Code != "BAD_REQUEST_PARAMETERS" || !strings.HasSuffix(e.Error.Message, tc.wantMissing) {
					t.Errorf("error %+v, want BAD_REQUEST_PARAMETERS naming %s", e.Error, tc.wantMissing)
				}
			}
		})
	}
}

// A body within API Gateway's 10 MB but over Lambda's 6 MB (one no model
// refused) is API Gateway's 502, as in AWS; over 10 MB it is a 413.
func TestGatewayEnforcesAPIGatewayAndLambdaLimits(t *testing.T) {
	invoked := 0
	answer := []byte(`{"statusCode":200,"body":"ok"}`)
	fn := invokerFunc(func(context.Context, []byte) ([]byte, error) { invoked++; return answer, nil })
	api := &API{Stage: "v1", Routes: []Route{{Method: "POST", Resource: "/x", Auth: AuthNone, Function: fn}}}
	for _, tc := range []struct {
		name       string
		body       int
		answer     []byte
		wantStatus int
		wantCode   string
		wantCalls  int
	}{
		{"small", 10, answer, 200, "", 1},
		{"just under Lambda's limit", MaxInvokeBytes - 64<<10, answer, 200, "", 1},
		{"over Lambda's limit", 7 << 20, answer, 502, "INTEGRATION_FAILURE", 0},
		{"over API Gateway's limit", MaxRequestBytes + 1, answer, 413, "REQUEST_TOO_LARGE", 0},
		{"answer over Lambda's limit", 10, []byte(`{"statusCode":200,"body":"` + strings.Repeat("a", MaxInvokeBytes) + `"}`), 502, "INTEGRATION_FAILURE", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			invoked, answer = 0, tc.answer
			req := httptest.NewRequest("POST", "/v1/x", bytes.NewReader(bytes.Repeat([]byte(" "), tc.body)))
			resp, body := serveAPI(t, api, req)
			if resp.StatusCode != tc.wantStatus || invoked != tc.wantCalls {
				t.Fatalf("status %d after %d invocations, want %d after %d", resp.StatusCode, invoked, tc.wantStatus, tc.wantCalls)
			}
			if tc.wantCode != "" && decodeGatewayError(t, body).Error.Code != tc.wantCode {
				t.Errorf("body %s, want code %s", body, tc.wantCode)
			}
		})
	}
}

// Paths are routed as sent: nothing is cleaned, nothing redirected, and a
// method needs a route of its own (no implicit HEAD).
func TestGatewayRoutesThePathAsSent(t *testing.T) {
	fn := &recorder{}
	api := &API{Stage: "v1", Routes: []Route{
		{Method: "GET", Resource: "/todos", Auth: AuthNone, Function: fn},
		{Method: "GET", Resource: "/todos/{id}", Auth: AuthNone, Function: fn},
	}}
	for _, tc := range []struct {
		method, path string
		wantStatus   int
		wantID       string
	}{
		{"GET", "/v1/todos/../todos", 403, ""},
		{"GET", "/v1/todos/./x/..", 403, ""},
		{"GET", "/v1/todos/..", 200, ".."},
		{"GET", "/v1/todos/%2e%2e", 200, ".."},
		{"GET", "/v1/../v1/todos", 403, ""},
		{"HEAD", "/v1/todos", 403, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			fn.events = nil
			req := httptest.NewRequest(tc.method, "http://local"+tc.path, nil)
			resp, body := serveAPI(t, api, req)
			if resp.StatusCode != tc.wantStatus || resp.Header.Get("Location") != "" {
				t.Fatalf("status %d Location %q (%s), want %d and no redirect", resp.StatusCode, resp.Header.Get("Location"), body, tc.wantStatus)
			}
			if tc.wantID != "" && fn.events[0].PathParameters["id"] != tc.wantID {
				t.Errorf("id %q, want %q", fn.events[0].PathParameters["id"], tc.wantID)
			}
			if tc.wantStatus == 403 && tc.method != "HEAD" {
				decodeGatewayError(t, body)
			}
		})
	}
}

// Preflights are answered as the stack's OPTIONS methods answer them, and
// API Gateway's own errors carry the CORS header its gateway responses
// give them.
func TestGatewayAnswersCORSLikeTheStack(t *testing.T) {
	tokens, _ := NewTokens()
	one, two := []string{"https://app.example.com"}, []string{"https://app.example.com", "https://admin.example.com"}
	for _, tc := range []struct {
		name, method, path, origin string
		origins                    []string
		wantStatus                 int
		wantOrigin, wantMethods    string
	}{
		{"preflight, one origin", "OPTIONS", "/v1/todos", "https://app.example.com", one, 204, "https://app.example.com", "GET,OPTIONS,POST"},
		{"preflight, second origin", "OPTIONS", "/v1/todos/1", "https://admin.example.com", two, 204, "https://admin.example.com", "DELETE,GET,OPTIONS,PUT"},
		{"preflight, other origin", "OPTIONS", "/v1/todos", "https://evil.example", two, 204, "", "GET,OPTIONS,POST"},
		{"preflight without CORS", "OPTIONS", "/v1/todos", "https://app.example.com", nil, 403, "", ""},
		{"preflight of no resource", "OPTIONS", "/v1/nothing", "https://app.example.com", two, 403, "https://app.example.com", ""},
		{"401, one origin", "GET", "/v1/todos", "https://admin.example.com", one, 401, "https://app.example.com", ""},
		{"401, second origin", "GET", "/v1/todos", "https://admin.example.com", two, 401, "https://admin.example.com", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := &recorder{}
			api := &API{Stage: "v1", Tokens: tokens, CORSOrigins: tc.origins, Routes: Routes(app.TodoRoutes(nil), fn)}
			req := httptest.NewRequest(tc.method, tc.path, nil)
			req.Header.Set("Origin", tc.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			resp, body := serveAPI(t, api, req)
			h := resp.Header
			if resp.StatusCode != tc.wantStatus || h.Get("Access-Control-Allow-Origin") != tc.wantOrigin || h.Get("Access-Control-Allow-Methods") != tc.wantMethods {
				t.Fatalf("got %d origin %q methods %q (%s), want %d %q %q", resp.StatusCode, h.Get("Access-Control-Allow-Origin"),
					h.Get("Access-Control-Allow-Methods"), body, tc.wantStatus, tc.wantOrigin, tc.wantMethods)
			}
			if tc.wantStatus == 204 && (h.Get("Access-Control-Allow-Headers") != serverlessapi.CORSAllowHeaders || len(fn.events) != 0) {
				t.Errorf("preflight allows headers %q and ran the function %d times", h.Get("Access-Control-Allow-Headers"), len(fn.events))
			}
			if vary := h.Get("Vary") == "Origin"; vary != (len(tc.origins) > 1) {
				t.Errorf("Vary %q with %d origins", h.Get("Vary"), len(tc.origins))
			}
		})
	}
}

// The gateway compiles every model of the stacks' routes as API Gateway
// would accept them.
func TestStackModelsCompile(t *testing.T) {
	for _, routes := range [][]serverlessapi.Route{app.TodoRoutes(nil), app.BlogRoutes(nil)} {
		for _, r := range routes {
			if r.BodySchema == "" {
				continue
			}
			if _, err := CompileModel(r.BodySchema); err != nil {
				t.Errorf("%s %s: %v", r.Method, r.Path, err)
			}
		}
	}
}
