package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/internal/app"
	"github.com/gopherstack/serverless-arch/tests/contract"
)

const todo = `{"id":"019ac0ffee008f3a2b1c4d5e6f70","title":"Buy milk","done":false,"version":1,` +
	`"createdAt":"2026-11-27T10:00:00Z","updatedAt":"2026-11-27T10:00:00Z"}`

// The checker fails exactly the exchanges the to-do API's document does not
// describe: an undeclared status, a wrong field type, an error without the
// error body, a redirect, a success for a request the document rejects.
func TestCheckerFailsWhatTheDocumentDoesNotDescribe(t *testing.T) {
	doc, err := app.TodoOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		answer                   string
		header                   map[string]string
		want                     string // "" for no violation
	}{
		{name: "a read as documented", method: "GET", path: "/v1/todos/x", status: 200, answer: todo},
		{name: "a create as documented", method: "POST", path: "/v1/todos", body: `{"title":"Buy milk"}`, status: 201, answer: todo,
			header: map[string]string{"Location": "todos/019ac0ffee008f3a2b1c4d5e6f70"}},
		{name: "a documented error", method: "GET", path: "/v1/todos/x", status: 404, answer: `{"error":{"code":"not_found","message":"no such to-do"}}`},
		{name: "an undeclared status", method: "GET", path: "/v1/todos/x", status: 418, answer: `{"error":{"code":"teapot","message":"x"}}`, want: "status is not supported"},
		{name: "a wrong field type", method: "GET", path: "/v1/todos/x", status: 200, answer: strings.Replace(todo, `"version":1`, `"version":"1"`, 1), want: "version"},
		{name: "a missing field", method: "GET", path: "/v1/todos/x", status: 200, answer: `{"id":"x","title":"t"}`, want: "done"},
		{name: "an error without the error body", method: "GET", path: "/v1/todos/x", status: 404, answer: `{"message":"Not Found"}`, want: "error"},
		{name: "an error in plain text", method: "GET", path: "/v1/todos/x", status: 500, answer: `Internal Server Error`, want: "text/plain"},
		{name: "a create without Location", method: "POST", path: "/v1/todos", body: `{"title":"Buy milk"}`, status: 201, answer: todo, want: "Location"},
		{name: "a redirect", method: "GET", path: "/v1/todos/../todos", status: 307, header: map[string]string{"Location": "/v1/todos"}, want: "redirect"},
		{name: "success for a body the document rejects", method: "POST", path: "/v1/todos", body: `{"title":5}`, status: 201, answer: todo,
			header: map[string]string{"Location": "todos/x"}, want: "rejects the request"},
		{name: "400 for a body the document rejects", method: "POST", path: "/v1/todos", body: `{"title":5}`, status: 400,
			answer: `{"error":{"code":"BAD_REQUEST_BODY","message":"Invalid request body","details":"[...]"}}`},
		{name: "no operation, JSON error", method: "PATCH", path: "/v1/todos", status: 403, answer: `{"error":{"code":"MISSING_AUTHENTICATION_TOKEN","message":"Missing Authentication Token"}}`},
		{name: "no operation, success", method: "GET", path: "/v1/nothing", status: 200, answer: `{}`, want: "no operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.answer != "" {
					ct := "application/json"
					if !strings.HasPrefix(tc.answer, "{") {
						ct = "text/plain"
					}
					w.Header().Set("Content-Type", ct)
				}
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.answer)
			}))
			defer srv.Close()
			var c contract.Checker
			if err := c.Register("todo", doc, srv.URL+"/v1"); err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer token")
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := c.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			err = c.Err()
			if tc.want == "" && err != nil {
				t.Fatalf("violation: %v", err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("violation %v, want one about %q", err, tc.want)
			}
		})
	}
}
