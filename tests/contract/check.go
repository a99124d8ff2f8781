package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// check checks one exchange with a: req, sent to rest under a's base,
// with body, answered by resp with respBody.
func (c *Checker) check(a *api, rest string, req *http.Request, body []byte, resp *http.Response, respBody []byte) {
	what := fmt.Sprintf("%s %s %s → %d", a.name, req.Method, req.URL.RequestURI(), resp.StatusCode)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		c.record("%s: a redirect (to %q); the document declares none", what, resp.Header.Get("Location"))
		return
	}
	// The operation is found on the path under the base, as sent.
	under := req.Clone(req.Context())
	under.URL = &url.URL{Path: pathOnly(rest), RawPath: rest, RawQuery: req.URL.RawQuery}
	under.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := a.router.FindRoute(under)
	if err != nil {
		c.count(func(n *Counts) { n.Unrouted++ })
		c.checkUnrouted(a, what, req, resp, respBody)
		return
	}
	c.count(func(n *Counts) { n.Requests++; n.Responses++ })
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    presentCredentials,
	}
	in := &openapi3filter.RequestValidationInput{Request: under, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		c.count(func(n *Counts) { n.Rejected++ })
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			c.record("%s: the document rejects the request (%s), yet it was answered with %d", what, short(err), resp.StatusCode)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		c.record("%s: the answer is not what the document describes: %s\n\tbody: %s", what, short(err), clip(respBody))
		return
	}
	if declared := route.Operation.Responses.Status(resp.StatusCode); declared != nil && len(declared.Value.Content) == 0 && len(respBody) > 0 {
		c.record("%s: the document declares no body, the answer has %d bytes", what, len(respBody))
	}
}

// checkUnrouted checks the answer to a request for no operation: a 4xx with
// the JSON error body of the document's Error schema.
func (c *Checker) checkUnrouted(a *api, what string, req *http.Request, resp *http.Response, respBody []byte) {
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		c.record("%s: a request for no operation of the document, answered with %d", what, resp.StatusCode)
		return
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.record("%s: an error answered as %q, not JSON", what, ct)
		return
	}
	if req.Method == http.MethodHead {
		return // no body
	}
	schema := a.doc.Components.Schemas["Error"]
	var v any
	if err := json.Unmarshal(respBody, &v); err != nil {
		c.record("%s: the error body is not JSON: %v\n\tbody: %s", what, err, clip(respBody))
		return
	}
	if err := schema.Value.VisitJSON(v); err != nil {
		c.record("%s: the error body is not the Error schema: %s\n\tbody: %s", what, short(err), clip(respBody))
	}
}

// presentCredentials accepts a security requirement when the header it
// names is present: checking the credentials is the API's part, and a
// request without them is one the document rejects.
func presentCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme.Type == "apiKey" && scheme.In == "header" && in.RequestValidationInput.Request.Header.Get(scheme.Name) != "" {
		return nil
	}
	return fmt.Errorf("no %s header", scheme.Name)
}

// pathOnly decodes an escaped path for routing; a path that does not decode
// is routed as it is, and matches nothing.
func pathOnly(escaped string) string {
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return escaped
	}
	return p
}

// short is the first lines of a validation error.
func short(err error) string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		parts := make([]string, 0, len(multi))
		for _, e := range multi {
			parts = append(parts, firstLine(e.Error()))
		}
		return strings.Join(parts, "; ")
	}
	var routeErr *routers.RouteError
	if errors.As(err, &routeErr) {
		return routeErr.Reason
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
