package staticsite

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// runFunction runs a CloudFront Function's code under Node.js (a superset of
// CloudFront's cloudfront-js-2.0 runtime) on one viewer request per URI and
// returns the URIs the function passes on.
func runFunction(t *testing.T, code string, uris []string) []string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; it runs the CloudFront Functions' JavaScript")
	}
	in, _ := json.Marshal(uris)
	script := code + `
const out = ` + string(in) + `.map(uri => handler({request: {uri: uri, method: 'GET', headers: {}}}).uri);
process.stdout.write(JSON.stringify(out));
`
	cmd := exec.Command(node, "-e", script)
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("running the function: %v\n%s", err, code)
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("function output %q: %v", b, err)
	}
	return out
}

func TestRouterFunction(t *testing.T) {
	uris := []string{"/", "/about/", "/about", "/assets/app.3f2a1b9c.js", "/posts/hello-world", "/a.b/c", "/post.html"}
	for _, tc := range []struct {
		spa  bool
		want []string
	}{
		{false, []string{"/index.html", "/about/index.html", "/about", "/assets/app.3f2a1b9c.js", "/posts/hello-world", "/a.b/c", "/post.html"}},
		{true, []string{"/index.html", "/about/index.html", "/index.html", "/assets/app.3f2a1b9c.js", "/index.html", "/index.html", "/post.html"}},
	} {
		got := runFunction(t, routerCode("index.html", tc.spa), uris)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("SPA %v: %v became %v, want %v", tc.spa, uris, got, tc.want)
		}
	}
}

func TestStripFunction(t *testing.T) {
	uris := []string{"/api/posts", "/api/posts/hello?x", "/api", "/api/", "/apixyz/posts", "/other"}
	want := []string{"/posts", "/posts/hello?x", "/", "/", "/apixyz/posts", "/other"}
	if got := runFunction(t, stripCode("/api"), uris); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%v became %v, want %v", uris, got, want)
	}
}

func TestFingerprinted(t *testing.T) {
	for name, want := range map[string]bool{
		"app.3f2a1b9c.js":               true,
		"assets/style.0badc0de.min.css": true,
		"chunk.0123456789abcdef.js":     true,
		"app.js":                        false,
		"jquery.min.js":                 false,
		"app.3F2A1B9C.js":               false, // upper case is not a hash we write
		"app.3f2a1b9.js":                false, // too short
		"3f2a1b9c.js":                   false, // the hash is the whole name
		"README":                        false,
		"app.3f2a1b9c":                  false, // no extension
	} {
		if got := Fingerprinted(name); got != want {
			t.Errorf("Fingerprinted(%q) = %v, want %v", name, got, want)
		}
	}
}
