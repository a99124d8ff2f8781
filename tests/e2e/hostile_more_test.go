package e2e

import (
	"encoding/base64"
	"strings"
)

// forge returns tokens that look like the local sign-in tokens but are not
// valid: another key's, unsigned, and one whose claims were edited.
func forge(valid string) (unsigned, edited string) {
	parts := strings.Split(strings.TrimPrefix(valid, "Bearer "), ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"someone-else","token_use":"id","iss":"serverless-arch-local","exp":9999999999}`))
	return none + "." + parts[1] + ".", parts[0] + "." + claims + "." + parts[2]
}

func (f *fixture) credentials() []hostile {
	unsigned, edited := forge(f.alice["Authorization"])
	list := func(name string, headers map[string]string, url string) hostile {
		return hostile{name: "credentials/" + name, method: "GET", url: url, headers: headers, want: 401}
	}
	return []hostile{
		list("none", nil, f.todos),
		list("empty bearer", map[string]string{"Authorization": "Bearer "}, f.todos),
		list("garbage", map[string]string{"Authorization": "Bearer abc.def.ghi"}, f.todos),
		list("unsigned (alg none)", map[string]string{"Authorization": "Bearer " + unsigned}, f.todos),
		list("claims edited", map[string]string{"Authorization": "Bearer " + edited}, f.todos),
		list("token in the query", nil, f.todos+"?access_token="+strings.TrimPrefix(f.alice["Authorization"], "Bearer ")),
		{name: "credentials/create without a token", method: "POST", url: f.todos, headers: map[string]string{"Content-Type": "application/json"},
			body: []byte(`{"title":"anonymous"}`), want: 401},
	}
}

func (f *fixture) methods() []hostile {
	m := func(name, method, url string) hostile {
		return hostile{name: "methods/" + name, method: method, url: url, headers: f.alice, want: 403}
	}
	return []hostile{
		m("PATCH a to-do", "PATCH", f.todos+"/"+f.aliceID),
		m("HEAD the list", "HEAD", f.todos),
		m("TRACE the list", "TRACE", f.todos),
		m("DELETE the list", "DELETE", f.todos),
		m("PUT the list", "PUT", f.todos),
		{name: "methods/OPTIONS of no resource", method: "OPTIONS", url: f.todo + "/nothing",
			headers: map[string]string{"Origin": corsOrigins[0], "Access-Control-Request-Method": "GET"}, want: 403},
		m("DELETE a post", "DELETE", f.posts+"/hostile-post"),
		m("PUT the posts", "PUT", f.posts),
	}
}

func (f *fixture) injection() []hostile {
	return []hostile{
		{name: "injection/header in a title", method: "POST", url: f.todos, headers: f.alice,
			body: []byte(`{"title":"a\r\nX-Injected: yes"}`), want: 400, mustNotReply: "X-Injected"},
		f.create("injection/SQL in a title is stored as text", `'; DROP TABLE todos; --`),
		f.create("injection/markup in a title is stored as text", `<script>alert(1)</script>`),
		f.create("injection/a DynamoDB expression in a title", `#owner = :owner OR attribute_exists(id)`),
		{name: "injection/an origin not allowed gets no CORS header", method: "GET", url: f.todos, want: 200,
			headers: with(f.alice, "Origin", "https://evil.example"), mustNotReply: "Access-Control-Allow-Origin"},
		{name: "injection/sign-up name with a Bcc header", method: "POST", url: f.site + "/users", headers: f.json(),
			body: []byte(`{"email":"r@example.com","name":"Riley\r\nBcc: everyone@example.com"}`), want: 400},
		{name: "injection/sign-up address with a Bcc header", method: "POST", url: f.site + "/users", headers: f.json(),
			body: []byte(`{"email":"r@example.com\r\nBcc: everyone@example.com","name":"Riley"}`), want: 400},
		{name: "injection/sign-up address with a display name", method: "POST", url: f.site + "/users", headers: f.json(),
			body: []byte(`{"email":"Eve <eve@example.com>","name":"Eve"}`), want: 400},
	}
}

// json is a public request's headers.
func (f *fixture) json() map[string]string {
	return map[string]string{"Content-Type": "application/json"}
}

func (f *fixture) blogRequests() []hostile {
	publish := func(name string, headers map[string]string, body string, want int) hostile {
		return hostile{name: "blog/" + name, method: "POST", url: f.posts, headers: headers, body: []byte(body), want: want}
	}
	get := func(name, url string, want int) hostile {
		return hostile{name: "blog/" + name, method: "GET", url: url, want: want, mustNotReply: "Location"}
	}
	post := `{"slug":"hostile-again","title":"T","body":"B"}`
	return []hostile{
		publish("publish without the API key", f.json(), post, 403),
		publish("publish with a wrong API key", with(f.json(), "x-api-key", "guess"), post, 403),
		publish("slug with a path", f.key, `{"slug":"../etc/passwd","title":"T","body":"B"}`, 400),
		publish("slug in capitals", f.key, `{"slug":"UPPER","title":"T","body":"B"}`, 400),
		publish("a slug that is taken", f.key, `{"slug":"hostile-post","title":"Overwritten?","body":"B"}`, 409),
		publish("7 MiB body", f.key, `{"slug":"big","title":"T","body":"`+strings.Repeat("b", 7<<20)+`"}`, 400),
		get("impossible slug", f.posts+"/Hello_World", 404),
		get("dot-dot through the site", f.site+"/posts/../posts", 403),
		get("a to-do cursor", f.posts+"?cursor="+cursorOf(`{"owner":"x","id":"y"}`), 400),
		get("limit 51", f.posts+"?limit=51", 400),
		{name: "blog/sign-up with an unknown field", method: "POST", url: f.site + "/users", headers: f.json(),
			body: []byte(`{"email":"r@example.com","name":"R","pk":"USER#admin@example.com"}`), want: 400},
		{name: "blog/sign-up as text/plain", method: "POST", url: f.site + "/users", headers: map[string]string{"Content-Type": "text/plain"},
			body: []byte(`{"email":"r@example.com","name":"R"}`), want: 415},
		{name: "blog/sign-up of 7 MiB", method: "POST", url: f.site + "/users", headers: f.json(),
			body: []byte(`{"email":"r@example.com","name":"` + strings.Repeat("n", 7<<20) + `"}`), want: 400},
	}
}
