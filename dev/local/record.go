package local

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// A RecordedCall is one AWS action a function's request asked for, as IAM
// authorizes it, with the names the function found through its
// environment written as ${VAR}: portable to any stack whose function has
// that environment (package dev/access resolves it).
type RecordedCall struct {
	// Function is the Go package the function was built from.
	Function string `json:"function"`
	Action   string `json:"action"`
	// Resource is an ARN with ${REGION}, ${ACCOUNT}, ${VAR} for a name
	// from the function's environment and ${EVENT_BUCKET} for a bucket
	// named by the S3 event the function was given. Object keys keep the
	// prefix from the environment and end in "sample".
	Resource string `json:"resource"`
	// Context holds the request's condition keys that matter (s3:prefix).
	Context map[string]string `json:"context,omitempty"`
}

// CallRecorder collects the AWS calls functions make in local mode: a
// recording proxy stands between the functions and each emulator, and
// tells the functions apart by the access key local mode gives each.
type CallRecorder struct {
	mu    sync.Mutex
	calls map[string]RecordedCall
}

// NewCallRecorder returns an empty recorder, to pass in Options.
func NewCallRecorder() *CallRecorder { return &CallRecorder{calls: map[string]RecordedCall{}} }

// Calls returns every distinct call recorded, sorted.
func (r *CallRecorder) Calls() []RecordedCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	sortKey := func(c RecordedCall) string { return c.Function + c.Action + c.Resource + ctxString(c.Context) }
	return slices.SortedFunc(maps.Values(r.calls), func(a, b RecordedCall) int { return strings.Compare(sortKey(a), sortKey(b)) })
}

func ctxString(c map[string]string) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func (r *CallRecorder) add(c RecordedCall) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[c.Function+"|"+c.Action+"|"+c.Resource+"|"+ctxString(c.Context)] = c
}

// caller is what the proxy knows of a function: its package and
// environment, by the access key it signs with.
type caller struct {
	pkg string
	env map[string]string
	// eventBuckets are buckets whose events reach the function.
	eventBuckets []string
}

// callerSet holds the callers by access key, for concurrent use.
type callerSet struct {
	mu sync.Mutex
	m  map[string]caller
}

func (s *callerSet) set(key string, c caller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = c
}

func (s *callerSet) get(key string) (caller, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.m[key]
	return c, ok
}

// recordingProxy forwards to target and records the calls of the callers
// it knows.
type recordingProxy struct {
	rec     *CallRecorder
	service string
	callers func(accessKey string) (caller, bool)
	proxy   *httputil.ReverseProxy
}

// startRecordingProxy serves a proxy for service in front of target and
// returns its URL.
func (r *CallRecorder) startRecordingProxy(service, target string, callers func(string) (caller, bool)) (string, func() error, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", nil, err
	}
	p := &recordingProxy{rec: r, service: service, callers: callers,
		proxy: &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u); pr.Out.Host = u.Host }}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: p}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), srv.Close, nil
}

var credentialKey = regexp.MustCompile(`Credential=([A-Z0-9]+)/`)

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := credentialKey.FindStringSubmatch(r.Header.Get("Authorization"))
	who, known := caller{}, false
	if m != nil {
		who, known = p.callers(m[1])
	}
	if !known {
		p.proxy.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	p.proxy.ServeHTTP(sw, r)
	for _, c := range decodeCall(p.service, r, body, sw.status) {
		p.rec.add(who.template(c))
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// rawCall is a call before its names are templated: kind says what name
// is the resource ("table", "bucket", "object", "identity", ...).
type rawCall struct {
	action, kind, name, key string
	context                 map[string]string
}

// template writes the call's resource as a portable ARN.
func (c caller) template(rc rawCall) RecordedCall {
	name := c.nameOf(rc.name)
	var res string
	switch rc.kind {
	case "table":
		res = "arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/" + name
	case "index":
		t, ix, _ := strings.Cut(rc.name, "/index/")
		res = "arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/" + c.nameOf(t) + "/index/" + ix
	case "bucket":
		res = "arn:aws:s3:::" + name
	case "object":
		res = "arn:aws:s3:::" + name + "/" + c.keyOf(rc.key)
	case "identity", "configuration-set", "template":
		res = "arn:aws:ses:${REGION}:${ACCOUNT}:" + rc.kind + "/" + name
	case "queue":
		res = name
	}
	ctx := map[string]string{}
	for k, v := range rc.context {
		ctx[k] = c.keyOf(v)
	}
	if len(ctx) == 0 {
		ctx = nil
	}
	return RecordedCall{Function: c.pkg, Action: rc.action, Resource: res, Context: ctx}
}

// nameOf writes a name the function found in its environment as ${VAR},
// a bucket its events come from as ${EVENT_BUCKET}.
func (c caller) nameOf(name string) string {
	if slices.Contains(c.eventBuckets, name) {
		return "${EVENT_BUCKET}"
	}
	vars := make([]string, 0, len(c.env))
	for k := range c.env {
		vars = append(vars, k)
	}
	sort.Strings(vars)
	for _, k := range vars {
		if c.env[k] == name && name != "" {
			return "${" + k + "}"
		}
		if _, domain, ok := strings.Cut(c.env[k], "@"); ok && domain == name {
			return "${" + k + "#domain}"
		}
	}
	return name
}

// keyOf keeps an object key's prefix from the environment and replaces the
// rest with "sample", so that every upload makes one call class.
func (c caller) keyOf(key string) string {
	best, bestVar := "", ""
	for k, v := range c.env {
		if strings.HasSuffix(v, "/") && strings.HasPrefix(key, v) && len(v) > len(best) {
			best, bestVar = v, k
		}
	}
	if bestVar != "" {
		return "${" + bestVar + "}sample"
	}
	if dir, _, ok := strings.Cut(key, "/"); ok {
		return dir + "/sample"
	}
	return "sample"
}
