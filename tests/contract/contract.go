// Package contract checks, from the client's side, that the APIs do what
// their OpenAPI documents say: the documents are the contract clients
// generate their SDKs from.
//
// A Checker is an http.RoundTripper. Every exchange with a URL under one of
// its registered APIs is checked with kin-openapi's openapi3filter against
// that API's document:
//
//   - the response must be one the document describes for the operation:
//     a declared status (the documents have no "default"), the declared
//     content type, a body that matches the declared schema (the JSON
//     error body for every error), and the declared headers (Location on
//     201);
//   - a request the document rejects (a wrong type, a missing property, an
//     unsupported content type, no credentials) must not succeed: it must
//     be answered with a 4xx;
//   - a request for no operation of the document (an unknown path or
//     method) must be answered with a 4xx and the JSON error body;
//   - no answer is a redirect: the documents declare none.
//
// Requests to other URLs (the token endpoint, S3, SES) pass unchecked.
// Violations are recorded, not returned, so a test sees the real answer
// and fails at the end with every violation (see Checker.Err).
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Checker checks exchanges against the registered APIs' documents.
type Checker struct {
	// Next sends the requests; nil means http.DefaultTransport.
	Next http.RoundTripper

	mu         sync.Mutex
	apis       []*api
	violations []string
	counts     Counts
}

// Counts are what a Checker has checked.
type Counts struct {
	// Requests and Responses are the exchanges checked against an
	// operation of a document: every request, whether the document accepts
	// it or not, and every response.
	Requests, Responses int
	// Rejected are the requests the document rejects (each answered with a
	// 4xx, or recorded as a violation).
	Rejected int
	// Unrouted are the requests for no operation of a document.
	Unrouted int
}

// api is one document served under one or more base URLs.
type api struct {
	name   string
	doc    *openapi3.T
	router routers.Router
	bases  []string
}

// Register adds the API whose OpenAPI document is doc, served under each
// of baseURLs (e.g. "http://127.0.0.1:3001/v1", or a site's ".../api").
// The document's own servers are ignored.
func (c *Checker) Register(name string, doc []byte, baseURLs ...string) error {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return fmt.Errorf("loading the %s document: %w", name, err)
	}
	t.Servers = nil
	if err := t.Validate(context.Background()); err != nil {
		return fmt.Errorf("the %s document is not valid OpenAPI: %w", name, err)
	}
	router, err := legacy.NewRouter(t)
	if err != nil {
		return fmt.Errorf("routing the %s document: %w", name, err)
	}
	bases := make([]string, len(baseURLs))
	for i, b := range baseURLs {
		bases[i] = strings.TrimSuffix(b, "/")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apis = append(c.apis, &api{name: name, doc: t, router: router, bases: bases})
	return nil
}

// Forget removes the APIs served under any of baseURLs.
func (c *Checker) Forget(baseURLs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.apis = slices.DeleteFunc(c.apis, func(a *api) bool {
		return slices.ContainsFunc(a.bases, func(b string) bool { return slices.Contains(baseURLs, b) })
	})
}

// Counts returns what the Checker has checked so far.
func (c *Checker) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts
}

// Err returns every violation recorded since the last call, joined, and
// forgets them; nil if there is none.
func (c *Checker) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.violations) == 0 {
		return nil
	}
	err := errors.New(strings.Join(c.violations, "\n"))
	c.violations = nil
	return err
}

// Client returns an HTTP client whose exchanges the Checker checks. It
// follows no redirects, so that one is seen as the answer it is.
func (c *Checker) Client() *http.Client {
	return &http.Client{Transport: c, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// find returns the API and the path under its base that url addresses.
func (c *Checker) find(req *http.Request) (*api, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	full := req.URL.Scheme + "://" + req.URL.Host + req.URL.EscapedPath()
	for _, a := range c.apis {
		for _, b := range a.bases {
			if rest, ok := strings.CutPrefix(full, b); ok && (rest == "" || rest[0] == '/') {
				return a, rest
			}
		}
	}
	return nil, ""
}

func (c *Checker) record(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, fmt.Sprintf(format, args...))
}

func (c *Checker) count(f func(*Counts)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.counts)
}

// RoundTrip sends req and checks the exchange.
func (c *Checker) RoundTrip(req *http.Request) (*http.Response, error) {
	next := c.Next
	if next == nil {
		next = http.DefaultTransport
	}
	a, rest := c.find(req)
	if a == nil {
		return next.RoundTrip(req)
	}
	body, err := readAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := readAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	c.check(a, rest, req, body, resp, respBody)
	return resp, nil
}

func readAll(r io.ReadCloser) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading a body: %w", err)
	}
	return b, nil
}
