package local

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
}

// API emulates an API Gateway REST API stage whose routes are Lambda proxy
// integrations. It turns each HTTP request into the
// events.APIGatewayProxyRequest API Gateway would send (resource template,
// path parameters, single- and multi-value query strings and headers, a
// base64 body for binary content, and a requestContext with the stage,
// request ID, source IP and authorizer claims), invokes the function, and
// turns its events.APIGatewayProxyResponse back into HTTP.
//
// Errors API Gateway answers itself have the JSON body the stack's gateway
// responses give them: {"error":{"code":"<response type>","message":...}}.
// A path or method without a route is 403 MISSING_AUTHENTICATION_TOKEN, a
// missing or bad token 401 UNAUTHORIZED, a wrong API key 403
// INVALID_API_KEY, a failed function or a malformed answer 502, and no
// answer within 29 seconds 504 INTEGRATION_TIMEOUT.
//
// Not emulated: request validation against body models, the stage cache,
// throttling, CORS preflights (local mode serves the site and its API from
// one origin), and multi-part binary media types (binary means not UTF-8 or
// not a text content type).
type API struct {
	// Name and ID identify the API in requestContext.
	Name string
	// Stage is the first path segment, e.g. "v1".
	Stage  string
	Routes []Route
	// Tokens check AuthUser routes.
	Tokens *Tokens
	// APIKey is the key AuthAPIKey routes require.
	APIKey string
	// Log receives one line per request; nil means slog.Default().
	Log *slog.Logger
	// Timeout is the integration timeout (default 29 seconds).
	Timeout time.Duration
}

// maxRequestBytes is API Gateway's payload limit.
const maxRequestBytes = 10 << 20

// apiKeyID is the apiKeyId of the local API key.
const apiKeyID = "local-api-key"

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	status := a.serve(w, r)
	a.logger().Info("request", "api", a.Name, "method", r.Method, "path", r.URL.Path,
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
	stagePrefix := "/" + a.Stage
	if r.URL.Path != stagePrefix && !strings.HasPrefix(r.URL.Path, stagePrefix+"/") {
		return gatewayError(w, http.StatusForbidden, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
	}
	path := strings.TrimPrefix(r.URL.Path, stagePrefix)
	if path == "" {
		path = "/"
	}
	// Segments are split before they are decoded, so that an encoded "/"
	// stays inside its parameter.
	var segs []string
	for _, seg := range splitPath(strings.TrimPrefix(r.URL.EscapedPath(), stagePrefix)) {
		decoded, err := url.PathUnescape(seg)
		if err != nil {
			return gatewayError(w, http.StatusBadRequest, "BAD_REQUEST_PARAMETERS", "Invalid request path")
		}
		segs = append(segs, decoded)
	}
	route, params := a.match(r.Method, segs)
	if route == nil {
		return gatewayError(w, http.StatusForbidden, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
	}

	req := events.APIGatewayProxyRequest{
		Resource:       route.Resource,
		Path:           path,
		HTTPMethod:     r.Method,
		PathParameters: params,
	}
	switch route.Auth {
	case AuthUser:
		token := strings.TrimSpace(r.Header.Get("Authorization"))
		token = strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))
		if token == "" || a.Tokens == nil {
			return gatewayError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized")
		}
		claims, err := a.Tokens.Verify(token)
		if err != nil {
			return gatewayError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Unauthorized")
		}
		req.RequestContext.Authorizer = map[string]any{"claims": claims}
	case AuthAPIKey:
		if a.APIKey == "" || r.Header.Get("X-Api-Key") != a.APIKey {
			return gatewayError(w, http.StatusForbidden, "INVALID_API_KEY", "Forbidden")
		}
		req.RequestContext.Identity.APIKey = a.APIKey
		req.RequestContext.Identity.APIKeyID = apiKeyID
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		return gatewayError(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "Request Too Long")
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type"), body) {
			req.Body = string(body)
		} else {
			req.Body = base64.StdEncoding.EncodeToString(body)
			req.IsBase64Encoded = true
		}
	}
	a.fillRequest(&req, r, route)

	payload, err := json.Marshal(req)
	if err != nil {
		return gatewayError(w, http.StatusInternalServerError, "API_CONFIGURATION_ERROR", "Internal server error")
	}
	timeout := a.Timeout
	if timeout == 0 {
		timeout = 29 * time.Second
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	out, err := route.Function.Invoke(ctx, payload)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return gatewayError(w, http.StatusGatewayTimeout, "INTEGRATION_TIMEOUT", "Endpoint request timed out")
		}
		a.logger().Error("integration failed", "api", a.Name, "resource", route.Resource, "error", err)
		return gatewayError(w, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error")
	}
	return a.writeResponse(w, r, route, out)
}

// fillRequest sets the parts of the event every route has.
func (a *API) fillRequest(req *events.APIGatewayProxyRequest, r *http.Request, route *Route) {
	host, port, _ := net.SplitHostPort(r.Host)
	sourceIP, _, _ := net.SplitHostPort(r.RemoteAddr)
	headers := r.Header.Clone()
	headers.Set("X-Forwarded-For", sourceIP)
	headers.Set("X-Forwarded-Proto", "http")
	headers.Set("X-Forwarded-Port", port)
	headers.Set("Host", r.Host)
	req.MultiValueHeaders = map[string][]string(headers)
	req.Headers = lastValues(headers)

	if q := r.URL.Query(); len(q) > 0 {
		req.MultiValueQueryStringParameters = map[string][]string(q)
		req.QueryStringParameters = lastValues(q)
	}

	now := time.Now()
	id := requestID()
	rc := &req.RequestContext
	rc.AccountID = "123456789012"
	rc.APIID = a.Name
	rc.ResourceID = resourceID(route.Resource)
	rc.ResourcePath = route.Resource
	rc.HTTPMethod = r.Method
	rc.Stage = a.Stage
	rc.RequestID = id
	rc.ExtendedRequestID = id
	rc.Path = "/" + a.Stage + req.Path
	rc.Protocol = r.Proto
	rc.DomainName = host
	rc.RequestTime = now.UTC().Format("02/Jan/2006:15:04:05 -0700")
	rc.RequestTimeEpoch = now.UnixMilli()
	rc.Identity.SourceIP = sourceIP
	rc.Identity.UserAgent = r.UserAgent()
}

// writeResponse relays the function's proxy response.
func (a *API) writeResponse(w http.ResponseWriter, r *http.Request, route *Route, out []byte) int {
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		a.logger().Error("malformed Lambda proxy response", "api", a.Name, "resource", route.Resource, "answer", truncate(out, 200))
		return gatewayError(w, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error")
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			a.logger().Error("malformed Lambda proxy response: body is not base64", "api", a.Name, "resource", route.Resource)
			return gatewayError(w, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error")
		}
		body = decoded
	}
	h := w.Header()
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	h.Set("X-Amzn-RequestId", requestID())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	return resp.StatusCode
}

// match finds the route for method and path. Like API Gateway it prefers,
// segment by segment, a literal over a {parameter} over a greedy
// {parameter+}, and a route for the method over an ANY route.
func (a *API) match(method string, segs []string) (*Route, map[string]string) {
	var best *Route
	var bestParams map[string]string
	var bestScore []int
	for i := range a.Routes {
		rt := &a.Routes[i]
		if rt.Method != method && rt.Method != "ANY" && !(method == http.MethodHead && rt.Method == http.MethodGet) {
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

// gatewayError writes an error API Gateway answers itself, with the body
// the stack's gateway responses define.
func gatewayError(w http.ResponseWriter, status int, code, message string) int {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

// isText reports whether a body can travel as text: API Gateway passes
// bodies of types not listed as binary media types as they are.
func isText(contentType string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return contentType == ""
	}
	return strings.HasPrefix(mt, "text/") || mt == "application/x-www-form-urlencoded" ||
		strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml") || mt == "application/javascript"
}

// lastValues keeps the last value of each key, as API Gateway's
// single-value maps do.
func lastValues(m map[string][]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, vs := range m {
		if len(vs) > 0 {
			out[k] = vs[len(vs)-1]
		}
	}
	return out
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// resourceID is a stable, API Gateway-like ID for a resource template.
func resourceID(resource string) string {
	var sum uint32 = 2166136261
	for i := 0; i < len(resource); i++ {
		sum = (sum ^ uint32(resource[i])) * 16777619
	}
	return fmt.Sprintf("%06x", sum&0xffffff)
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
