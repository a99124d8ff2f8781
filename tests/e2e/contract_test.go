package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/local/localtest"
	"github.com/gopherstack/serverless-arch/internal/app"
	"github.com/gopherstack/serverless-arch/tests/contract"
)

// contracts checks every exchange these tests have with an API against the
// API's exported OpenAPI document (see package contract); client sends
// them. A request that hangs fails its test after a minute.
var (
	contracts = &contract.Checker{}
	client    = func() *http.Client {
		c := contracts.Client()
		c.Timeout = time.Minute
		return c
	}()
)

// startLocal starts local mode for the rest of the test (localtest.LocalWith)
// and has the contract checker check every exchange with its APIs; the test
// fails with every violation.
func startLocal(t *testing.T, opts local.Options) *local.Env {
	t.Helper()
	env := localtest.LocalWith(t, opts)
	todoDoc, err := app.TodoOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	blogDoc, err := app.BlogOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	bases := []string{env.TodoAPIURL, env.BlogAPIURL, env.SiteURL + "/api"}
	if err := contracts.Register("todo", todoDoc, bases[0]); err != nil {
		t.Fatal(err)
	}
	if err := contracts.Register("blog", blogDoc, bases[1:]...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		contracts.Forget(bases...)
		if err := contracts.Err(); err != nil {
			t.Errorf("exchanges the OpenAPI documents do not describe:\n%v", err)
		}
	})
	return env
}

// reportContracts prints what the contract checker saw in the run.
func reportContracts() {
	n := contracts.Counts()
	fmt.Printf("contract: %d requests and %d responses checked against the OpenAPI documents (%d requests rejected by them), %d requests for no operation\n",
		n.Requests, n.Responses, n.Rejected, n.Unrouted)
}

// send sends a request with a raw body through the contract checker and
// returns the status, the headers and the body.
func send(t *testing.T, method, url string, headers map[string]string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body, req.ContentLength = nil, 0
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, raw
}
