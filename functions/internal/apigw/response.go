package apigw

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Responder builds the responses of one function, so that every response
// carries the same content type and caching headers. CORS headers depend on
// the request, so the Router adds them.
type Responder struct {
	// MaxAge is how long clients may reuse a successful read. Zero sends
	// "Cache-Control: no-store" on reads too.
	MaxAge time.Duration
	// Public lets shared caches (a CDN) keep successful reads. Leave it false
	// for per-user data, which is then marked "private".
	Public bool
}

// internalBody is sent when a response body cannot be encoded; it is a
// constant so that failing to encode cannot fail again.
const internalBody = `{"error":{"code":"internal","message":"internal error"}}`

// Read answers a successful read (200) with body encoded as JSON, cacheable
// for MaxAge.
func (r Responder) Read(body any) events.APIGatewayProxyResponse {
	return r.json(http.StatusOK, body, r.readCacheControl())
}

// Write answers a successful write with body encoded as JSON; writes are never
// cached.
func (r Responder) Write(status int, body any) events.APIGatewayProxyResponse {
	return r.json(status, body, "no-store")
}

// Created answers a write that created the resource id (201) with body
// encoded as JSON and its address, relative to the request's path, in
// Location (see [Location]).
func (r Responder) Created(req *events.APIGatewayProxyRequest, id string, body any) events.APIGatewayProxyResponse {
	resp := r.Write(http.StatusCreated, body)
	resp.Headers["Location"] = Location(req, id)
	return resp
}

// NoContent answers a successful write that has nothing to return (204).
func (r Responder) NoContent() events.APIGatewayProxyResponse {
	return events.APIGatewayProxyResponse{
		StatusCode: http.StatusNoContent,
		Headers:    r.headers("no-store"),
	}
}

// Error answers err. An *Error is rendered as it is; any other error becomes a
// generic 503 or 500 that does not reveal the cause (see the package doc).
func (r Responder) Error(err error) events.APIGatewayProxyResponse {
	apiErr := asError(err)
	resp := r.json(apiErr.Status, struct {
		Error *Error `json:"error"`
	}{apiErr}, "no-store")
	if apiErr.Status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = "1"
	}
	return resp
}

func (r Responder) json(status int, body any, cacheControl string) events.APIGatewayProxyResponse {
	encoded, err := json.Marshal(body)
	if err != nil {
		// Bodies are the functions' own types; failing here is a programming
		// error, reported without leaking any of the value.
		status, encoded, cacheControl = http.StatusInternalServerError, []byte(internalBody), "no-store"
	}
	headers := r.headers(cacheControl)
	headers["Content-Type"] = "application/json"
	return events.APIGatewayProxyResponse{StatusCode: status, Headers: headers, Body: string(encoded)}
}

func (r Responder) headers(cacheControl string) map[string]string {
	return map[string]string{
		"Cache-Control":          cacheControl,
		"X-Content-Type-Options": "nosniff",
	}
}

func (r Responder) readCacheControl() string {
	seconds := int64(r.MaxAge / time.Second)
	if seconds <= 0 {
		return "no-store"
	}
	scope := "private"
	if r.Public {
		scope = "public"
	}
	return scope + ", max-age=" + strconv.FormatInt(seconds, 10)
}
