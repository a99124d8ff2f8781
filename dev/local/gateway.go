package local

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Invoker runs a function synchronously with a JSON payload.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Auth is how a local route authenticates callers, after the cloud's kinds.
type Auth string

const (
	// AuthNone: a public route.
	AuthNone Auth = "NONE"
	// AuthUser stands in for a Cognito user pool authorizer: the
	// Authorization header must carry a token from Tokens (with or without
	// "Bearer "), whose claims reach the function in
	// requestContext.authorizer.claims.
	AuthUser Auth = "COGNITO_USER_POOLS"
	// AuthAPIKey requires the API's key in the x-api-key header; the
	// function sees requestContext.identity.apiKey and apiKeyId.
	AuthAPIKey Auth = "API_KEY"
)

// Route is one method on one resource of a local REST API.
type Route struct {
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD or ANY.
	Method string
	// Resource is the resource template, e.g. "/todos/{id}" or
	// "/files/{path+}".
	Resource string
	Auth     Auth
	Function Invoker
	// Model is the JSON Schema (draft 4) the request validator checks
	// bodies against, whatever their content type; empty for none.
	Model string
	// Required are the parameters the request validator requires, as API
	// Gateway names them after "method.request.": "querystring.limit",
	// "header.X-Request-Id".
	Required []string
}

// API emulates an API Gateway REST API stage whose routes are Lambda proxy
// integrations, wherever a client can tell the difference. Each request goes
// through API Gateway's steps in API Gateway's order:
//
//  1. the payload limit: a body over 10 MB is 413 REQUEST_TOO_LARGE;
//  2. routing, of the path as sent, never cleaned or redirected: no route is
//     403 MISSING_AUTHENTICATION_TOKEN;
//  3. CORS preflights (OPTIONS with CORSOrigins), as the stack answers them;
//  4. authorization: a missing or bad token is 401 UNAUTHORIZED, a wrong API
//     key 403 INVALID_API_KEY;
//  5. the request validator: missing required parameters are 400
//     BAD_REQUEST_PARAMETERS, a body that does not match the route's model,
//     whatever its content type, 400 BAD_REQUEST_BODY with reasons in details;
//  6. the Lambda proxy integration: the events.APIGatewayProxyRequest API
//     Gateway would send (resource template, path parameters, single- and
//     multi-value query strings and headers, the body as text with bytes that
//     are not UTF-8 as U+FFFD, and a requestContext with the stage, request ID,
//     source IP and authorizer claims); an event or answer over Lambda's 6 MB,
//     a failed function or a malformed answer is 502 INTEGRATION_FAILURE, no
//     answer within 29 seconds 504 INTEGRATION_TIMEOUT.
//
// API Gateway's own errors have the JSON body and CORS header of the stack's
// gateway responses: {"error":{"code":"<response type>","message":...}}. Not
// emulated: the stage cache, throttling, and multi-part binary media types.
type API struct {
	// Name identifies the API in the log, ID (default Name) in
	// requestContext.
	Name, ID string
	// Stage is the first path segment, e.g. "v1".
	Stage  string
	Routes []Route
	// Tokens check AuthUser routes.
	Tokens *Tokens
	// APIKey is the key AuthAPIKey routes require.
	APIKey string
	// CORSOrigins are the origins the API's preflights allow, as
	// serverlessapi.Args.CORSOrigins; none answers no preflight.
	CORSOrigins []string
	// BinaryMediaTypes are the content types whose bodies reach the function
	// in base64, as the REST API's binaryMediaTypes ("image/png", "image/*",
	// "*/*"); the stacks' APIs have none.
	BinaryMediaTypes []string
	// Log receives one line per request; nil means slog.Default().
	Log *slog.Logger
	// Timeout is the integration timeout (default 29 seconds).
	Timeout time.Duration

	models sync.Map // model JSON -> compiled model
}

// The limits a client meets.
const (
	// MaxRequestBytes is API Gateway's payload limit (10 MB).
	MaxRequestBytes = 10 << 20
	// MaxInvokeBytes is Lambda's limit on a synchronous invocation's event
	// and on its answer (6 MB).
	MaxInvokeBytes = 6 << 20
)

// apiKeyID is the apiKeyId of the local API key.
const apiKeyID = "local-api-key"

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	status := a.serve(w, r)
	a.logger().Info("request", "api", a.Name, "method", r.Method, "path", r.URL.EscapedPath(),
		"status", status, "ms", time.Since(start).Milliseconds())
}

func (a *API) logger() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// serve answers r and returns the status sent.
func (a *API) serve(w http.ResponseWriter, r *http.Request) int {
	body, status := a.readBody(w, r)
	if status != 0 {
		return status
	}
	path, segs, ok := a.resourcePath(r)
	if !ok {
		return a.fail(w, r, http.StatusForbidden, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", "")
	}
	if r.Method == http.MethodOptions && len(a.CORSOrigins) > 0 {
		if methods := a.methodsOn(segs); len(methods) > 0 {
			return a.preflight(w, r, methods)
		}
	}
	route, params := a.match(r.Method, segs)
	if route == nil {
		return a.fail(w, r, http.StatusForbidden, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", "")
	}
	req := events.APIGatewayProxyRequest{
		Resource:       route.Resource,
		Path:           path,
		HTTPMethod:     r.Method,
		PathParameters: params,
	}
	if status := a.authorize(w, r, route, &req); status != 0 {
		return status
	}
	if status := a.validate(w, r, route, body); status != 0 {
		return status
	}
	req.Body, req.IsBase64Encoded = a.eventBody(r.Header.Get("Content-Type"), body)
	a.fillRequest(&req, r, route)
	return a.invoke(w, r, route, &req)
}

// resourcePath returns the path under the stage and its segments, each
// decoded on its own, so that an encoded "/" stays inside its parameter.
func (a *API) resourcePath(r *http.Request) (string, []string, bool) {
	stagePrefix := "/" + a.Stage
	if r.URL.Path != stagePrefix && !strings.HasPrefix(r.URL.Path, stagePrefix+"/") {
		return "", nil, false
	}
	path := strings.TrimPrefix(r.URL.Path, stagePrefix)
	if path == "" {
		path = "/"
	}
	var segs []string
	for _, seg := range splitPath(strings.TrimPrefix(r.URL.EscapedPath(), stagePrefix)) {
		decoded, err := url.PathUnescape(seg)
		if err != nil {
			return "", nil, false
		}
		segs = append(segs, decoded)
	}
	return path, segs, true
}

// authorize checks the route's credentials, as the Cognito authorizer and
// the usage plan's API keys do, and returns the status sent when it refuses
// the request, else 0.
func (a *API) authorize(w http.ResponseWriter, r *http.Request, route *Route, req *events.APIGatewayProxyRequest) int {
	switch route.Auth {
	case AuthUser:
		token := strings.TrimSpace(r.Header.Get("Authorization"))
		token = strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))
		if token == "" || a.Tokens == nil {
			return a.fail(w, r, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized", "")
		}
		claims, err := a.Tokens.Verify(token)
		if err != nil {
			return a.fail(w, r, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized", "")
		}
		req.RequestContext.Authorizer = map[string]any{"claims": claims}
	case AuthAPIKey:
		if a.APIKey == "" || r.Header.Get("X-Api-Key") != a.APIKey {
			return a.fail(w, r, http.StatusForbidden, "INVALID_API_KEY", "Forbidden", "")
		}
		req.RequestContext.Identity.APIKey = a.APIKey
		req.RequestContext.Identity.APIKeyID = apiKeyID
	}
	return 0
}

// match finds the route for method and path. Like API Gateway it prefers,
// segment by segment, a literal over a {parameter} over a greedy
// {parameter+}, and a route for the method over an ANY route. There is no
// implicit HEAD: like any other method it needs a route of its own.
func (a *API) match(method string, segs []string) (*Route, map[string]string) {
	var best *Route
	var bestParams map[string]string
	var bestScore []int
	for i := range a.Routes {
		rt := &a.Routes[i]
		if rt.Method != method && rt.Method != "ANY" {
			continue
		}
		params, score, ok := matchTemplate(splitPath(rt.Resource), segs)
		if !ok {
			continue
		}
		if rt.Method == method {
			score = append(score, 1) // exact method beats ANY on the same resource
		} else {
			score = append(score, 0)
		}
		if best == nil || compareScores(score, bestScore) > 0 {
			best, bestParams, bestScore = rt, params, score
		}
	}
	return best, bestParams
}

// matchTemplate matches path segments against a resource template. The
// score has one entry per template segment: 3 literal, 2 parameter, 1
// greedy.
func matchTemplate(tmpl, segs []string) (map[string]string, []int, bool) {
	var params map[string]string
	var score []int
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "+}") {
			if i >= len(segs) {
				return nil, nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[t[1:len(t)-2]] = strings.Join(segs[i:], "/")
			return params, append(score, 1), true
		}
		if i >= len(segs) {
			return nil, nil, false
		}
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[t[1:len(t)-1]] = segs[i]
			score = append(score, 2)
			continue
		}
		if t != segs[i] {
			return nil, nil, false
		}
		score = append(score, 3)
	}
	if len(tmpl) != len(segs) {
		return nil, nil, false
	}
	return params, score, true
}

func compareScores(a, b []int) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return len(a) - len(b)
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}
