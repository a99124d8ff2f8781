package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/dev/local"
)

// hostile is one request a hostile or careless client sends, and the
// status it must get. Whatever the status, it is never a 5xx, an error
// answer carries the JSON error body, and the exchange is one the API's
// OpenAPI document describes (the contract checker).
type hostile struct {
	name         string
	method, url  string
	headers      map[string]string
	body         []byte
	want         int
	mustNotReply string // a response header that must not be there
}

// fixture is what the hostile requests aim at: two users with to-dos and
// cursors of their lists, and a published post.
type fixture struct {
	alice, bob       map[string]string // JSON requests with the user's token
	aliceID, bobID   string
	aliceCursor      string
	bobCursor        string
	todos, posts     string // the APIs' collection URLs
	site, blog, todo string // base URLs
	key              map[string]string
	aliceCreates     []string // titles alice creates in the suite
}

func newFixture(t *testing.T, env *local.Env) *fixture {
	f := &fixture{todos: env.TodoAPIURL + "/todos", posts: env.BlogAPIURL + "/posts", site: env.SiteURL + "/api",
		blog: env.BlogAPIURL, todo: env.TodoAPIURL}
	f.alice, f.bob = signIn(t, env, "hostile-alice"), signIn(t, env, "hostile-bob")
	f.alice["Content-Type"], f.bob["Content-Type"] = "application/json", "application/json"
	f.key = map[string]string{"x-api-key": env.Settings.APIKey, "Content-Type": "application/json"}
	for i, who := range []map[string]string{f.alice, f.alice, f.bob, f.bob} {
		var created todo
		if status := call(t, "POST", f.todos, who, map[string]any{"title": fmt.Sprintf("setup %d", i)}, &created); status != 201 {
			t.Fatalf("setup: %d", status)
		}
		if i == 0 {
			f.aliceID = created.ID
		}
		if i == 2 {
			f.bobID = created.ID
		}
	}
	f.aliceCursor, f.bobCursor = firstCursor(t, f.todos, f.alice), firstCursor(t, f.todos, f.bob)
	if status := call(t, "POST", f.posts, f.key, map[string]string{"slug": "hostile-post", "title": "T", "body": "B"}, nil); status != 201 {
		t.Fatalf("publishing: %d", status)
	}
	return f
}

func firstCursor(t *testing.T, todos string, who map[string]string) string {
	var page struct{ NextCursor string }
	if status := call(t, "GET", todos+"?limit=1", who, nil, &page); status != 200 || page.NextCursor == "" {
		t.Fatalf("first page: %d %+v", status, page)
	}
	return page.NextCursor
}

// with returns h and the extra headers.
func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// cursorOf encodes a hand-made cursor as the APIs make theirs.
func cursorOf(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }

// create is a hostile to-do that is valid and must be stored as sent.
func (f *fixture) create(name, title string) hostile {
	f.aliceCreates = append(f.aliceCreates, title)
	body := fmt.Appendf(nil, `{"title":%q}`, title)
	return hostile{name: name, method: "POST", url: f.todos, headers: f.alice, body: body, want: 201}
}

func testHostileRequests(t *testing.T, env *local.Env) {
	f := newFixture(t, env)
	var cases []hostile
	for _, group := range [][]hostile{
		f.malformedJSON(), f.wrongTypes(), f.oversized(), f.invalidText(), f.contentTypes(),
		f.pathTricks(), f.cursors(), f.otherUsers(), f.staleVersions(), f.credentials(),
		f.methods(), f.injection(), f.blogRequests(),
	} {
		cases = append(cases, group...)
	}
	t.Logf("%d hostile requests", len(cases))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, h, body := send(t, c.method, c.url, c.headers, c.body)
			if status >= 500 || status != c.want {
				t.Fatalf("%s %.120s: %d %.300s, want %d", c.method, c.url, status, body, c.want)
			}
			if status >= 400 && c.method != "HEAD" && errorCode(body) == "" {
				t.Errorf("%d without the JSON error body: %.300s", status, body)
			}
			if c.mustNotReply != "" && h.Get(c.mustNotReply) != "" {
				t.Errorf("the answer carries %s: %q", c.mustNotReply, h.Get(c.mustNotReply))
			}
		})
	}
	f.checkNothingLostOrDuplicated(t, env)
}

// checkNothingLostOrDuplicated checks that after the suite each user has
// exactly their own to-dos: alice's setup and the valid hostile ones, each
// once, and bob's untouched.
func (f *fixture) checkNothingLostOrDuplicated(t *testing.T, env *local.Env) {
	want := map[string]int{"setup 0 (updated)": 1, "setup 1": 1}
	for _, title := range f.aliceCreates {
		want[title]++
	}
	got := map[string]int{}
	for _, it := range listTodos(t, env, f.alice) {
		got[it.Title]++
		if it.ID == f.aliceID && it.Version != 2 {
			t.Errorf("alice's first to-do is at version %d, want 2 (one update)", it.Version)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alice has %v, want %v", got, want)
	}
	bobs := listTodos(t, env, f.bob)
	if len(bobs) != 2 || bobs[0].Title != "setup 2" || bobs[0].Version != 1 || bobs[1].Title != "setup 3" {
		t.Errorf("bob has %+v, want his two setup to-dos untouched", bobs)
	}
}

func (f *fixture) malformedJSON() []hostile {
	post := func(name, body string) hostile {
		return hostile{name: "malformed JSON/" + name, method: "POST", url: f.todos, headers: f.alice, body: []byte(body), want: 400}
	}
	return []hostile{
		post("truncated", `{"title":`),
		post("extra brace", `{"title":"a"}}`),
		post("bare word", `nul`),
		post("array", `[]`),
		post("string", `"just a string"`),
		post("duplicate key, empty last", `{"title":"a","title":""}`),
		post("empty object", `{}`),
		post("empty body", ``),
		post("trailing garbage", `{"title":"a"} and more`),
		post("5000 levels deep", `{"title":"a","notes":`+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+`}`),
	}
}

func (f *fixture) wrongTypes() []hostile {
	post := func(name, body string) hostile {
		return hostile{name: "wrong types/" + name, method: "POST", url: f.todos, headers: f.alice, body: []byte(body), want: 400}
	}
	put := func(name, body string) hostile {
		return hostile{name: "wrong types/" + name, method: "PUT", url: f.todos + "/" + f.aliceID, headers: f.alice, body: []byte(body), want: 400}
	}
	return []hostile{
		post("title a number", `{"title":5}`),
		post("title null", `{"title":null}`),
		post("done a string", `{"title":"a","done":"true"}`),
		post("notes a number", `{"title":"a","notes":7}`),
		post("owner chosen", `{"title":"a","owner":"someone-else"}`),
		post("id chosen", `{"title":"a","id":"019ac0ffee008f3a2b1c4d5e6f70"}`),
		put("version a string", `{"title":"a","done":true,"version":"1"}`),
		put("version a fraction", `{"title":"a","done":true,"version":1.5}`),
		put("version 0", `{"title":"a","done":true,"version":0}`),
		put("version negative", `{"title":"a","done":true,"version":-1}`),
		put("version over int64", `{"title":"a","done":true,"version":99999999999999999999}`),
		put("done missing", `{"title":"a","version":1}`),
	}
}

func (f *fixture) oversized() []hostile {
	json7 := []byte(`{"title":"` + strings.Repeat("a", 7<<20) + `"}`)
	padded := []byte(`{"title":"padded"` + strings.Repeat(" ", 20<<10) + `}`)
	return []hostile{
		{name: "oversized/7 MiB JSON", method: "POST", url: f.todos, headers: f.alice, body: json7, want: 400},
		{name: "oversized/7 MiB text", method: "POST", url: f.todos, headers: with(f.alice, "Content-Type", "text/plain"), body: bytes.Repeat([]byte("a"), 7<<20), want: 400},
		{name: "oversized/11 MiB", method: "POST", url: f.todos, headers: f.alice, body: bytes.Repeat([]byte(" "), 11<<20), want: 413},
		{name: "oversized/201-character title", method: "POST", url: f.todos, headers: f.alice, body: fmt.Appendf(nil, `{"title":%q}`, strings.Repeat("é", 201)), want: 400},
		{name: "oversized/2001-character notes", method: "POST", url: f.todos, headers: f.alice, body: fmt.Appendf(nil, `{"title":"a","notes":%q}`, strings.Repeat("n", 2001)), want: 400},
		{name: "oversized/20 KiB of whitespace around a valid body", method: "POST", url: f.todos, headers: f.alice, body: padded, want: 413},
		f.create("oversized/200 emoji are 200 characters", strings.Repeat("😀", 200)),
	}
}

func (f *fixture) invalidText() []hostile {
	post := func(name, body string) hostile {
		return hostile{name: "invalid UTF-8/" + name, method: "POST", url: f.todos, headers: f.alice, body: []byte(body), want: 400}
	}
	return []hostile{
		post("invalid bytes", "{\"title\":\"bad \xff\xfe utf8\"}"),
		post("overlong encoding", "{\"title\":\"a\",\"notes\":\"\xc0\xaf\"}"),
		post("lone surrogate escape", `{"title":"\ud800"}`),
		post("NUL", `{"title":"a\u0000b"}`),
	}
}

func (f *fixture) contentTypes() []hostile {
	post := func(name, ct, body string, want int) hostile {
		return hostile{name: "content types/" + name, method: "POST", url: f.todos, headers: with(f.alice, "Content-Type", ct), body: []byte(body), want: want}
	}
	return []hostile{
		post("JSON as text/plain", "text/plain", `{"title":"a"}`, 415),
		post("form", "application/x-www-form-urlencoded", `title=a`, 400),
		post("none", "", `{"title":"a"}`, 415),
		post("XML", "application/xml", `<todo><title>a</title></todo>`, 400),
		post("multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na\r\n--x--", 400),
		{name: "content types/update as text/plain", method: "PUT", url: f.todos + "/" + f.aliceID, headers: with(f.alice, "Content-Type", "text/plain"),
			body: []byte(`{"title":"a","done":true,"version":1}`), want: 415},
	}
}

func (f *fixture) pathTricks() []hostile {
	get := func(name, url string, want int) hostile {
		return hostile{name: "paths/" + name, method: "GET", url: url, headers: f.alice, want: want, mustNotReply: "Location"}
	}
	return []hostile{
		get("dot-dot", f.todos+"/../todos", 403),
		get("encoded dot-dot", f.todos+"/%2e%2e", 404),
		get("encoded slash", f.todos+"/"+f.aliceID+"%2Fx", 404),
		get("extra segment", f.todos+"/"+f.aliceID+"/share", 403),
		get("upper case", f.todo+"/TODOS", 403),
		get("other stage", strings.Replace(f.todos, "/v1/", "/v2/", 1), 403),
		get("upper-case id", f.todos+"/"+strings.ToUpper(f.aliceID), 404),
		get("NUL id", f.todos+"/%00", 404),
		get("5000-character id", f.todos+"/"+strings.Repeat("f", 5000), 404),
		get("parameters in the path", f.todos+"/"+f.aliceID+";owner=bob", 404),
	}
}

func (f *fixture) cursors() []hostile {
	list := func(name, query string) hostile {
		return hostile{name: "cursors/" + name, method: "GET", url: f.todos + "?" + query, headers: f.alice, want: 400}
	}
	tampered := []byte(f.aliceCursor)
	tampered[len(tampered)/2] ^= 0x01
	return []hostile{
		list("garbage", "cursor=!!not-base64!!"),
		list("another user's", "cursor="+url.QueryEscape(f.bobCursor)),
		list("tampered", "cursor="+url.QueryEscape(string(tampered))),
		list("hand-made for another user", "cursor="+cursorOf(`{"owner":"someone-else","id":"019ac0ffee008f3a2b1c4d5e6f70"}`)),
		list("extra key", "cursor="+cursorOf(`{"owner":"x","id":"y","pk":"z"}`)),
		list("array", "cursor="+cursorOf(`[]`)),
		list("3000 characters", "cursor="+strings.Repeat("A", 3000)),
		list("a post cursor", "cursor="+cursorOf(`{"pk":"POST#a","sk":"POST","entity":"post","publishedAt":"x"}`)),
		list("limit 0", "limit=0"),
		list("limit 101", "limit=101"),
		list("limit negative", "limit=-1"),
		list("limit a word", "limit=abc"),
		list("limit in exponent form", "limit=1e2"),
	}
}

func (f *fixture) otherUsers() []hostile {
	mine := f.todos + "/" + f.aliceID
	return []hostile{
		{name: "other users/read", method: "GET", url: mine, headers: f.bob, want: 404},
		{name: "other users/replace", method: "PUT", url: mine, headers: f.bob, body: []byte(`{"title":"bob was here","done":true,"version":1}`), want: 404},
		{name: "other users/delete", method: "DELETE", url: mine, headers: f.bob, want: 404},
		{name: "other users/delete at a version", method: "DELETE", url: mine + "?version=1", headers: f.bob, want: 404},
		{name: "other users/list with alice's cursor", method: "GET", url: f.todos + "?cursor=" + url.QueryEscape(f.aliceCursor), headers: f.bob, want: 400},
	}
}

func (f *fixture) staleVersions() []hostile {
	mine := f.todos + "/" + f.aliceID
	put := func(name string, version, want int) hostile {
		return hostile{name: "stale versions/" + name, method: "PUT", url: mine, headers: f.alice,
			body: fmt.Appendf(nil, `{"title":"setup 0 (updated)","done":true,"version":%d}`, version), want: want}
	}
	return []hostile{
		put("update at the stored version", 1, 200),
		put("the same update again", 1, 409),
		put("a version from the future", 999, 409),
		{name: "stale versions/delete at an old version", method: "DELETE", url: mine + "?version=1", headers: f.alice, want: 409},
	}
}
