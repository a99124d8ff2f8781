package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopherstack/serverless-arch/dev/local"
)

// corsOrigins are the to-do API's browser origins in these tests: two, so
// that the second one is proven to work too.
var corsOrigins = []string{"https://app.todo.example.com", "https://admin.todo.example.com"}

// TestClientSide tries the APIs as clients do, in one local mode: the fixes
// of what clients found, a suite of hostile requests and uploads, and the
// clients generated from the OpenAPI documents. Every exchange with an API
// is checked against its document (startLocal).
func TestClientSide(t *testing.T) {
	env := startLocal(t, local.Options{TodoCORSOrigins: corsOrigins})
	t.Run("Location is right on every domain", func(t *testing.T) { testLocation(t, env) })
	t.Run("sign-up reveals no account", func(t *testing.T) { testSignUpOracle(t, env) })
	t.Run("invalid UTF-8 is a 400", func(t *testing.T) { testInvalidUTF8(t, env) })
	t.Run("oversized and non-JSON bodies are 4xx", func(t *testing.T) { testOversized(t, env) })
	t.Run("every CORS origin works", func(t *testing.T) { testCORS(t, env) })
	t.Run("hostile requests", func(t *testing.T) { testHostileRequests(t, env) })
	t.Run("hostile uploads", func(t *testing.T) { testHostileUploads(t, env) })
	t.Run("generated to-do client", func(t *testing.T) { testTodoClient(t, env) })
	t.Run("generated blog client", func(t *testing.T) { testBlogClient(t, env) })
}

// resolve is where a Location answered to a request to base points.
func resolve(t *testing.T, base, location string) string {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	l, err := url.Parse(location)
	if err != nil {
		t.Fatalf("Location %q: %v", location, err)
	}
	return b.ResolveReference(l).String()
}

// The site serves the blog API under /api/, the stage under /v1/: the
// Location of a created post leads to it from both.
func testLocation(t *testing.T, env *local.Env) {
	key := map[string]string{"x-api-key": env.Settings.APIKey, "Content-Type": "application/json"}
	alice := signIn(t, env, "alice")
	alice["Content-Type"] = "application/json"
	for _, tc := range []struct {
		name, create, want string
		headers            map[string]string
		body               string
	}{
		{"through the site", env.SiteURL + "/api/posts", env.SiteURL + "/api/posts/located-on-the-site", key,
			`{"slug":"located-on-the-site","title":"T","body":"B"}`},
		{"on the stage URL", env.BlogAPIURL + "/posts", env.BlogAPIURL + "/posts/located-on-the-stage", key,
			`{"slug":"located-on-the-stage","title":"T","body":"B"}`},
		{"to-do", env.TodoAPIURL + "/todos", env.TodoAPIURL + "/todos/", alice, `{"title":"Locate me"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := send(t, "POST", tc.create, tc.headers, []byte(tc.body))
			if status != 201 {
				t.Fatalf("create: %d %s", status, body)
			}
			at := resolve(t, tc.create, h.Get("Location"))
			if !strings.HasPrefix(at, tc.want) {
				t.Fatalf("Location %q from %s points to %s, want %s…", h.Get("Location"), tc.create, at, tc.want)
			}
			got, _, again := send(t, "GET", at, tc.headers, nil)
			if got != 200 || !jsonEqual(t, body, again) {
				t.Errorf("GET %s: %d %s, want 200 %s", at, got, again, body)
			}
		})
	}
}

// jsonEqual reports whether two JSON documents hold the same values.
func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

// Sign-up answers alike whether or not an address has signed up, so it
// tells no one who has an account; a second sign-up sends no mail.
func testSignUpOracle(t *testing.T, env *local.Env) {
	users := env.SiteURL + "/api/users"
	json := map[string]string{"Content-Type": "application/json"}
	first, _, firstBody := send(t, "POST", users, json, []byte(`{"email":"grace@example.com","name":"Grace"}`))
	again, _, againBody := send(t, "POST", users, json, []byte(`{"email":"GRACE@example.com","name":"Mallory"}`))
	other, _, otherBody := send(t, "POST", users, json, []byte(`{"email":"someone.new@example.com","name":"New"}`))
	if first != 202 || again != first || other != first || !bytes.Equal(againBody, firstBody) || !bytes.Equal(otherBody, firstBody) {
		t.Fatalf("new address: %d %s; known address: %d %s; another new one: %d %s; want the same answer",
			first, firstBody, again, againBody, other, otherBody)
	}
	if err := env.Feeder.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, func() string {
		if n := len(mailsTo(t, env, "grace@example.com")); n != 1 {
			return fmt.Sprintf("%d welcome mails for grace@example.com, want 1", n)
		}
		return ""
	})
	if m := mailsTo(t, env, "grace@example.com")[0]; !strings.Contains(m.Subject, "Grace") {
		t.Errorf("the welcome mail is %q: the second sign-up changed the name", m.Subject)
	}
}

// Bytes that are not UTF-8 reach the function as U+FFFD (as API Gateway
// hands them over), and the function refuses them: nothing is stored.
func testInvalidUTF8(t *testing.T, env *local.Env) {
	alice := signIn(t, env, "utf8")
	alice["Content-Type"] = "application/json"
	for _, body := range []string{"{\"title\":\"bad \xff\xfe utf8\"}", "{\"title\":\"ok\",\"notes\":\"\xc0\xaf\"}", `{"title":"lone \ud800 surrogate"}`} {
		status, _, resp := send(t, "POST", env.TodoAPIURL+"/todos", alice, []byte(body))
		if status != 400 || errorCode(resp) == "" {
			t.Errorf("POST %q: %d %s, want 400 with a JSON error", body, status, resp)
		}
	}
	if n := len(listTodos(t, env, alice)); n != 0 {
		t.Errorf("%d to-dos stored, want none", n)
	}
}

// errorCode is the code of a JSON error body, "" if it is none.
func errorCode(body []byte) string {
	var e apiError
	if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
		return ""
	}
	return e.Error.Code
}

// listTodos lists every to-do of the signed-in user.
func listTodos(t *testing.T, env *local.Env, who map[string]string) []todo {
	t.Helper()
	var all []todo
	cursor := ""
	for range 100 {
		var page struct {
			Items      []todo
			NextCursor string
		}
		if status := call(t, "GET", env.TodoAPIURL+"/todos?limit=100&cursor="+url.QueryEscape(cursor), who, nil, &page); status != 200 {
			t.Fatalf("list: %d", status)
		}
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all
		}
	}
	t.Fatal("more than 100 pages")
	return nil
}

// A body over Lambda's limit, or not JSON whatever its content type, is
// refused by API Gateway (its models and payload limit), never a 502.
func testOversized(t *testing.T, env *local.Env) {
	alice := signIn(t, env, "oversized")
	for _, tc := range []struct {
		name, contentType string
		body              []byte
		want              int
	}{
		{"7 MiB JSON", "application/json", []byte(`{"title":"` + strings.Repeat("a", 7<<20) + `"}`), 400},
		{"7 MiB text", "text/plain", bytes.Repeat([]byte("a"), 7<<20), 400},
		{"11 MiB JSON", "application/json", []byte(`{"title":"` + strings.Repeat("a", 11<<20) + `"}`), 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Authorization": alice["Authorization"], "Content-Type": tc.contentType}
			status, _, resp := send(t, "POST", env.TodoAPIURL+"/todos", h, tc.body)
			if status != tc.want || errorCode(resp) == "" {
				t.Errorf("%d %.200s, want %d with a JSON error", status, resp, tc.want)
			}
		})
	}
}

// Preflight and answers name each configured origin, so a browser on any
// of them can call the API and read its answers, errors included.
func testCORS(t *testing.T, env *local.Env) {
	alice := signIn(t, env, "cors")
	for _, origin := range append(slices.Clone(corsOrigins), "https://evil.example") {
		t.Run(origin, func(t *testing.T) {
			want := ""
			if slices.Contains(corsOrigins, origin) {
				want = origin
			}
			// The browser's preflight is no operation of the API: sent
			// past the contract checker.
			pre, _ := http.NewRequest("OPTIONS", env.TodoAPIURL+"/todos", nil)
			pre.Header.Set("Origin", origin)
			pre.Header.Set("Access-Control-Request-Method", "POST")
			pre.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
			resp, err := http.DefaultClient.Do(pre)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != want ||
				!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
				t.Fatalf("preflight: %d %v, want 204 allowing POST for %q", resp.StatusCode, resp.Header, want)
			}
			h := map[string]string{"Origin": origin, "Authorization": alice["Authorization"], "Content-Type": "application/json"}
			created, ch, _ := send(t, "POST", env.TodoAPIURL+"/todos", h, []byte(`{"title":"from `+origin+`"}`))
			listed, lh, _ := send(t, "GET", env.TodoAPIURL+"/todos", h, nil)
			denied, dh, _ := send(t, "GET", env.TodoAPIURL+"/todos", map[string]string{"Origin": origin}, nil)
			for _, a := range []struct {
				what   string
				status int
				h      http.Header
				want   int
			}{{"create", created, ch, 201}, {"list", listed, lh, 200}, {"no token", denied, dh, 401}} {
				if got := a.h.Get("Access-Control-Allow-Origin"); a.status != a.want || (got != want && !(a.want == 401 && want == "")) {
					t.Errorf("%s: %d with Access-Control-Allow-Origin %q, want %d with %q", a.what, a.status, got, a.want, want)
				}
			}
			if want != "" && !strings.Contains(ch.Get("Access-Control-Expose-Headers"), "Location") {
				t.Errorf("create: Location is not exposed to scripts: %v", ch)
			}
		})
	}
}
