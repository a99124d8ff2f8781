package serverlessapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Auth is how a route authenticates its callers. Every route names one:
// a public route says so with AuthNone rather than by omission.
type Auth string

const (
	// AuthCognito accepts a Cognito user pool token (the ID token, or an
	// access token when the route has Scopes) in the Authorization header;
	// the function sees its claims in requestContext.authorizer.claims.
	AuthCognito Auth = "COGNITO_USER_POOLS"
	// AuthIAM accepts requests signed with AWS Signature Version 4.
	AuthIAM Auth = "AWS_IAM"
	// AuthAPIKey requires an API key of the API's usage plan in the
	// x-api-key header. Keys identify clients; they do not authenticate
	// users.
	AuthAPIKey Auth = "API_KEY"
	// AuthNone makes the route public.
	AuthNone Auth = "NONE"
)

// Param is a query string parameter or header a route declares.
type Param struct {
	// Name is the parameter's name, e.g. limit or X-Request-Id.
	Name string
	// Required parameters are checked by API Gateway's request validator
	// before the function runs (400 when missing).
	Required bool
	// CacheKey makes the parameter part of the cache key of a cached route,
	// so responses that differ by it are cached apart.
	CacheKey bool
	// Description documents the parameter in the API's OpenAPI document.
	Description string
	// Schema is a JSON Schema of the value for the OpenAPI document, e.g.
	// {"type":"integer","minimum":1,"maximum":100}; default a string. API
	// Gateway checks only that required parameters are present, so the
	// function must check the value.
	Schema string
}

// Route is one method on one path, served by a Lambda function through a
// proxy integration. Routes are data: the component derives the resource
// tree, methods, integrations, permissions, validation, caching and the
// OpenAPI document from them.
type Route struct {
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD or ANY.
	Method string
	// Path starts with "/"; a segment in braces is a path parameter
	// ("/todos/{id}"), and "{name+}" a greedy one as the last segment.
	Path string
	// Summary and Description document the route in the OpenAPI document.
	Summary, Description string
	// OperationID names the operation in the OpenAPI document (and so in
	// generated client SDKs); default: method and path, e.g. getTodosById.
	OperationID string

	// FunctionArn is the ARN of the Lambda function that serves the route:
	// one made with blocks.NewFunction (its Function.Arn), a
	// lambda.Function of your own, or one that exists already. The
	// component derives the integration's invoke ARN and grants this API,
	// and only this API, the right to invoke it.
	FunctionArn pulumi.StringInput

	// Auth is required; see the Auth constants.
	Auth Auth
	// PublicReason says why an AuthNone route is public ("the blog's
	// posts are public"). It excuses the method from the policy check that
	// every method needs authorization (components/policy); without it
	// that check reports the route. Other routes ignore it.
	PublicReason string
	// Scopes, for AuthCognito, are OAuth scopes an access token must carry;
	// none means the ID token is accepted.
	Scopes []string

	// Query and Headers are the parameters the route declares.
	Query, Headers []Param
	// BodySchema, for writes, is a JSON Schema (draft 4, as API Gateway
	// models use) that request bodies must match before the function runs.
	BodySchema string

	// Cache caches successful responses of a GET route in the stage's
	// cache, when the API has one. The cache key always holds the path
	// parameters, the parameters marked CacheKey and, on a route that needs
	// auth, the caller's credentials (the Authorization or x-api-key
	// header), so no caller is ever served another caller's response.
	Cache bool
	// CacheTTLSeconds overrides the API's default cache TTL for this route.
	CacheTTLSeconds int

	// SuccessStatus documents the status of a successful answer (default
	// 200), and ResponseSchema its JSON body, in the OpenAPI document. A
	// 201 answer is documented with a Location header.
	SuccessStatus  int
	ResponseSchema string
	// Errors are the client errors the function answers besides those the
	// OpenAPI document gives every route (400, 413, 429 and the 5xx; 401 and
	// 403 with auth; 415 with a body): 404, 409, 410, 412 or 422. Each is
	// documented with the JSON error body.
	Errors []int
}

var (
	methods      = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY"}
	paramSegment = regexp.MustCompile(`^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$`)
	plainSegment = regexp.MustCompile(`^[A-Za-z0-9._~-]+$`)
	paramName    = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

// key names the route, e.g. "GET /todos/{id}".
func (r *Route) key() string { return r.Method + " " + r.Path }

// segments returns the path's segments, none for "/".
func (r *Route) segments() []string { return pathSegments(r.Path) }

func pathSegments(path string) []string {
	if path == "/" {
		return nil
	}
	return strings.Split(strings.TrimPrefix(path, "/"), "/")
}

// pathParams returns the names of the route's path parameters, in order.
func (r *Route) pathParams() []string {
	var out []string
	for _, s := range r.segments() {
		if m := paramSegment.FindStringSubmatch(s); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// needsAuth reports whether callers must present credentials.
func (r *Route) needsAuth() bool { return r.Auth != AuthNone }

// identityHeader is the request header carrying the caller's credentials,
// "" for public routes.
func (r *Route) identityHeader() string {
	switch r.Auth {
	case AuthCognito, AuthIAM:
		return "Authorization"
	case AuthAPIKey:
		return "x-api-key"
	}
	return ""
}

// requestParameters are the method's declared parameters, as API Gateway
// names them, mapped to whether they are required. keyOrigin declares the
// Origin header too, for the cache key (see cacheKeyParameters).
func (r *Route) requestParameters(keyOrigin bool) map[string]bool {
	out := map[string]bool{}
	for _, p := range r.pathParams() {
		out["method.request.path."+p] = true
	}
	for _, q := range r.Query {
		out["method.request.querystring."+q.Name] = q.Required
	}
	for _, h := range r.Headers {
		out["method.request.header."+h.Name] = h.Required
	}
	// The credentials header is declared so it can be a cache key; the
	// authorizer, not the validator, answers when it is missing (401).
	optional := []string{r.identityHeader()}
	if keyOrigin && r.Cache {
		optional = append(optional, originHeader)
	}
	for _, h := range optional {
		if _, declared := out["method.request.header."+h]; h != "" && !declared {
			out["method.request.header."+h] = false
		}
	}
	return out
}

// originHeader is the request header browsers name their origin in.
const originHeader = "Origin"

// cacheKeyParameters are the parameters a cached route's responses are
// keyed on, sorted: every path parameter, the caller's credentials on
// routes that need auth, and the parameters marked CacheKey. keyOrigin adds
// the Origin header: with several CORS origins the function's answer names
// the caller's origin (Access-Control-Allow-Origin), so an answer cached
// for one origin must not be served to another.
func (r *Route) cacheKeyParameters(keyOrigin bool) []string {
	if !r.Cache {
		return nil
	}
	keys := []string{}
	for _, p := range r.pathParams() {
		keys = append(keys, "method.request.path."+p)
	}
	if h := r.identityHeader(); h != "" {
		keys = append(keys, "method.request.header."+h)
	}
	for _, q := range r.Query {
		if q.CacheKey {
			keys = append(keys, "method.request.querystring."+q.Name)
		}
	}
	for _, h := range r.Headers {
		if h.CacheKey && !strings.EqualFold(h.Name, r.identityHeader()) && !(keyOrigin && strings.EqualFold(h.Name, originHeader)) {
			keys = append(keys, "method.request.header."+h.Name)
		}
	}
	if keyOrigin {
		keys = append(keys, "method.request.header."+originHeader)
	}
	slices.Sort(keys)
	return keys
}

// operationID returns OperationID or one derived from method and path:
// "GET /todos/{id}" gives "getTodosById".
func (r *Route) operationID() string {
	if r.OperationID != "" {
		return r.OperationID
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(r.Method))
	for _, s := range r.segments() {
		if m := paramSegment.FindStringSubmatch(s); m != nil {
			b.WriteString("By")
			s = m[1]
		}
		for _, word := range strings.FieldsFunc(s, func(c rune) bool { return !isAlnum(c) }) {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// modelName is the name of the route's body model: alphanumeric, as API
// Gateway requires.
func (r *Route) modelName() string {
	id := []rune(r.operationID())
	out := make([]rune, 0, len(id)+4)
	for _, c := range id {
		if isAlnum(c) {
			out = append(out, c)
		}
	}
	if len(out) > 0 && out[0] >= 'a' && out[0] <= 'z' {
		out[0] -= 'a' - 'A'
	}
	return string(out) + "Body"
}

// arnPath is the route's path as it appears in an execute-api ARN: path
// parameters become "*", since the ARN names the invoked URL.
func (r *Route) arnPath() string {
	segs := r.segments()
	out := make([]string, len(segs))
	for i, s := range segs {
		if paramSegment.MatchString(s) {
			s = "*"
		}
		out[i] = s
	}
	return "/" + strings.Join(out, "/")
}

// methodPath is how stage method settings name the route: the resource path
// with "/" escaped as "~1", then the method ("~1todos~1{id}/GET").
func (r *Route) methodPath() string {
	return strings.ReplaceAll(r.Path, "/", "~1") + "/" + r.Method
}

// slug turns a path into a resource-name part: "/todos/{id}" gives
// "todos-id", "/" gives "root".
func slug(path string) string {
	if path == "/" {
		return "root"
	}
	r := strings.NewReplacer("{", "", "}", "", "+", "", ".", "-", "~", "-", "_", "-")
	return strings.ToLower(r.Replace(strings.Join(pathSegments(path), "-")))
}

// routeSlug names a route's resources: "GET /todos/{id}" gives
// "get-todos-id".
func (r *Route) slug() string { return strings.ToLower(r.Method) + "-" + slug(r.Path) }

// validate checks one route on its own.
func (r *Route) validate(needFunction bool) error {
	if !slices.Contains(methods, r.Method) {
		return fmt.Errorf("method %q: want one of %s (OPTIONS is answered by the CORS settings)", r.Method, strings.Join(methods, ", "))
	}
	if !strings.HasPrefix(r.Path, "/") || (r.Path != "/" && strings.HasSuffix(r.Path, "/")) {
		return fmt.Errorf("path %q: want a path starting with / and not ending with one", r.Path)
	}
	seen := map[string]bool{}
	segs := r.segments()
	for i, s := range segs {
		m := paramSegment.FindStringSubmatch(s)
		switch {
		case m != nil:
			if seen[m[1]] {
				return fmt.Errorf("path %q: parameter %s appears twice", r.Path, m[1])
			}
			seen[m[1]] = true
			if m[2] == "+" && i != len(segs)-1 {
				return fmt.Errorf("path %q: a greedy parameter {%s+} must be the last segment", r.Path, m[1])
			}
		case !plainSegment.MatchString(s):
			return fmt.Errorf("path %q: segment %q: want letters, digits, ._~- or a {parameter}", r.Path, s)
		}
	}
	switch r.Auth {
	case AuthCognito, AuthIAM, AuthAPIKey, AuthNone:
	case "":
		return fmt.Errorf("no Auth: name one, and AuthNone for a deliberately public route")
	default:
		return fmt.Errorf("auth %q: want AuthCognito, AuthIAM, AuthAPIKey or AuthNone", r.Auth)
	}
	if len(r.Scopes) > 0 && r.Auth != AuthCognito {
		return fmt.Errorf("scopes need AuthCognito")
	}
	if needFunction && r.FunctionArn == nil {
		return fmt.Errorf("no function: set FunctionArn")
	}
	if err := r.validateParams(); err != nil {
		return err
	}
	if r.BodySchema != "" {
		if r.Method == "GET" || r.Method == "HEAD" || r.Method == "DELETE" {
			return fmt.Errorf("a %s route takes no body schema", r.Method)
		}
		var schema map[string]any
		if err := json.Unmarshal([]byte(r.BodySchema), &schema); err != nil {
			return fmt.Errorf("body schema is not a JSON object: %w", err)
		}
	}
	if r.ResponseSchema != "" {
		var schema map[string]any
		if err := json.Unmarshal([]byte(r.ResponseSchema), &schema); err != nil {
			return fmt.Errorf("response schema is not a JSON object: %w", err)
		}
	}
	for _, status := range r.Errors {
		if _, ok := routeErrors[status]; !ok {
			return fmt.Errorf("error status %d: want one of 404, 409, 410, 412, 422", status)
		}
	}
	if r.Cache && r.Method != "GET" {
		return fmt.Errorf("only GET routes can be cached")
	}
	if r.CacheTTLSeconds < 0 || r.CacheTTLSeconds > 3600 {
		return fmt.Errorf("cache TTL %d: want 0 to 3600 seconds", r.CacheTTLSeconds)
	}
	if r.SuccessStatus != 0 && (r.SuccessStatus < 200 || r.SuccessStatus > 299) {
		return fmt.Errorf("success status %d: want a 2xx status", r.SuccessStatus)
	}
	return nil
}

// validateParams checks the route's query and header parameters.
func (r *Route) validateParams() error {
	for _, list := range [][]Param{r.Query, r.Headers} {
		names := map[string]bool{}
		for _, p := range list {
			if !paramName.MatchString(p.Name) {
				return fmt.Errorf("parameter %q: want letters, digits, ._-", p.Name)
			}
			var schema map[string]any
			if err := json.Unmarshal([]byte(cmp.Or(p.Schema, "{}")), &schema); err != nil {
				return fmt.Errorf("parameter %q: schema is not a JSON object: %w", p.Name, err)
			}
			if names[strings.ToLower(p.Name)] {
				return fmt.Errorf("parameter %q is declared twice", p.Name)
			}
			names[strings.ToLower(p.Name)] = true
		}
	}
	return nil
}

// validateRoutes checks every route and the set of them, and reports every
// problem at once. Rendering documentation needs no functions.
func validateRoutes(routes []Route, needFunctions bool) error {
	if len(routes) == 0 {
		return fmt.Errorf("no routes")
	}
	var problems []string
	seen := map[string]bool{}
	slugs := map[string]string{}
	ops := map[string]string{}
	for i := range routes {
		r := &routes[i]
		if err := r.validate(needFunctions); err != nil {
			problems = append(problems, fmt.Sprintf("route %s: %v", r.key(), err))
			continue
		}
		if seen[r.key()] {
			problems = append(problems, fmt.Sprintf("route %s is declared twice", r.key()))
		}
		seen[r.key()] = true
		if other, ok := slugs[slug(r.Path)]; ok && other != r.Path {
			problems = append(problems, fmt.Sprintf("paths %s and %s are too alike to name their resources apart", other, r.Path))
		}
		slugs[slug(r.Path)] = r.Path
		if other, ok := ops[r.operationID()]; ok && other != r.key() {
			problems = append(problems, fmt.Sprintf("routes %s and %s have the same operation ID %s", other, r.key(), r.operationID()))
		}
		ops[r.operationID()] = r.key()
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid routes:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}
