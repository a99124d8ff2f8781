package local

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// readBody reads the request body within API Gateway's payload limit, and
// returns the status sent when it is over it, else 0.
func (a *API) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			return nil, a.fail(w, r, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "Request Too Long", "")
		}
		return nil, a.fail(w, r, http.StatusBadRequest, "BAD_REQUEST_BODY", "Invalid request body", "")
	}
	return body, 0
}

// eventBody is the body as the function receives it: in base64 for a
// binary media type, else as text. API Gateway turns a body that is not a
// binary media type into text by decoding it as UTF-8, each byte that is
// not UTF-8 becoming U+FFFD, so the function never sees invalid UTF-8.
func (a *API) eventBody(contentType string, body []byte) (string, bool) {
	if len(body) == 0 {
		return "", false
	}
	if a.isBinary(contentType) {
		return base64.StdEncoding.EncodeToString(body), true
	}
	return toValidUTF8(body), false
}

// isBinary reports whether contentType is one of BinaryMediaTypes, where
// "image/*" covers every image type and "*/*" every type.
func (a *API) isBinary(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	for _, b := range a.BinaryMediaTypes {
		if ok, _ := path.Match(b, mt); ok {
			return true
		}
	}
	return false
}

// toValidUTF8 replaces each byte that is not part of a UTF-8 sequence with
// U+FFFD.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var out bytes.Buffer
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			out.WriteRune(utf8.RuneError)
			b = b[1:]
			continue
		}
		out.Write(b[:size])
		b = b[size:]
	}
	return out.String()
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
	rc.APIID = cmp.Or(a.ID, a.Name)
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

// invoke runs the route's function with req, as Lambda runs a synchronous
// invocation, and relays its answer.
func (a *API) invoke(w http.ResponseWriter, r *http.Request, route *Route, req *events.APIGatewayProxyRequest) int {
	payload, err := json.Marshal(req)
	if err != nil {
		return a.fail(w, r, http.StatusInternalServerError, "API_CONFIGURATION_ERROR", "Internal server error", "")
	}
	if len(payload) > MaxInvokeBytes {
		// Lambda refuses the invocation (RequestTooLargeException).
		a.logger().Error("the event is over Lambda's 6 MB limit", "api", a.Name, "resource", route.Resource, "bytes", len(payload))
		return a.fail(w, r, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error", "")
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
			return a.fail(w, r, http.StatusGatewayTimeout, "INTEGRATION_TIMEOUT", "Endpoint request timed out", "")
		}
		a.logger().Error("integration failed", "api", a.Name, "resource", route.Resource, "error", err)
		return a.fail(w, r, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error", "")
	}
	if len(out) > MaxInvokeBytes {
		a.logger().Error("the answer is over Lambda's 6 MB limit", "api", a.Name, "resource", route.Resource, "bytes", len(out))
		return a.fail(w, r, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error", "")
	}
	return a.writeResponse(w, r, route, out)
}

// writeResponse relays the function's proxy response.
func (a *API) writeResponse(w http.ResponseWriter, r *http.Request, route *Route, out []byte) int {
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		a.logger().Error("malformed Lambda proxy response", "api", a.Name, "resource", route.Resource, "answer", truncate(out, 200))
		return a.fail(w, r, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error", "")
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			a.logger().Error("malformed Lambda proxy response: body is not base64", "api", a.Name, "resource", route.Resource)
			return a.fail(w, r, http.StatusBadGateway, "INTEGRATION_FAILURE", "Internal server error", "")
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
