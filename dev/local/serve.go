package local

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	blogsite "github.com/gopherstack/serverless-arch/internal/site/blog"
)

// apis builds the emulated API of each deployed one, by REST API ID.
func (e *Env) apis() map[string]*API {
	out := map[string]*API{}
	for _, a := range e.Deployment.APIs {
		api := &API{Name: a.Name, ID: a.ID, Stage: a.Stage, Tokens: e.Tokens, Log: e.log, CORSOrigins: a.CORSOrigins}
		for _, r := range a.Routes {
			if r.Auth == AuthAPIKey {
				api.APIKey = e.Settings.APIKey
			}
			api.Routes = append(api.Routes, Route{Method: r.Method, Resource: r.Path, Auth: r.Auth,
				Function: e.Functions[r.Function], Model: r.Model, Required: r.Required})
		}
		out[a.ID] = api
	}
	return out
}

// apiServing returns the API whose routes go to the function built from
// pkg.
func (e *Env) apiServing(apis map[string]*API, pkg string) (*API, error) {
	for _, a := range e.Deployment.APIs {
		if a.serves(e.Deployment, pkg) {
			return apis[a.ID], nil
		}
	}
	return nil, fmt.Errorf("the stack has no API in front of %s", pkg)
}

// serve starts the HTTP front doors: the site, the to-do API (with the
// token minter) and the blog API. None of them cleans or redirects paths
// as http.ServeMux would: API Gateway and CloudFront route the path as
// sent.
func (e *Env) serve(listeners []net.Listener) error {
	apis := e.apis()
	todoAPI, err := e.apiServing(apis, TodoPackage)
	if err != nil {
		return err
	}
	blogAPI, err := e.apiServing(apis, BlogPackage)
	if err != nil {
		return err
	}
	todo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath && r.Method == http.MethodGet {
			e.mintToken(w, r)
			return
		}
		todoAPI.ServeHTTP(w, r)
	})
	site, err := e.siteHandler(apis)
	if err != nil {
		return err
	}
	for i, s := range []struct {
		url     *string
		handler http.Handler
	}{{&e.SiteURL, site}, {&e.TodoAPIURL, todo}, {&e.BlogAPIURL, blogAPI}} {
		e.serveOn(listeners[i], s.handler)
		*s.url = "http://" + listeners[i].Addr().String()
	}
	e.TokenURL = e.TodoAPIURL + tokenPath
	e.TodoAPIURL += "/" + todoAPI.Stage
	e.BlogAPIURL += "/" + blogAPI.Stage
	return nil
}

func (e *Env) serveOn(l net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	e.stops = append(e.stops, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	})
}

// tokenPath is where the to-do API's port mints sign-in tokens.
const tokenPath = "/local/token"

// mintToken answers GET /local/token?user=alice with a sign-in token.
func (e *Env) mintToken(w http.ResponseWriter, r *http.Request) {
	user := r.URL.Query().Get("user")
	token, err := e.Tokens.Mint(user)
	w.Header().Set("Cache-Control", "no-store")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "invalid_field", "message": err.Error(), "field": "user"}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token": token, "sub": Subject(user), "user": user, "expiresIn": int(e.Tokens.TTL / time.Second),
	})
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// siteHandler serves the site as its distribution's behaviours route it:
// the API path to its API with the prefix its function strips, the bucket
// paths from their buckets (the path is the key), everything else the
// site's content, with its security headers.
func (e *Env) siteHandler(apis map[string]*API) (http.Handler, error) {
	content, err := blogsite.Dir()
	if err != nil {
		return nil, err
	}
	s3URL, err := url.Parse(e.S3.Endpoint)
	if err != nil {
		return nil, err
	}
	site := e.Deployment.Site
	api, buckets := apis[site.API], map[string]*httputil.ReverseProxy{}
	for pattern, bucket := range site.BucketPaths {
		buckets[strings.TrimSuffix(pattern, "*")] = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(s3URL)
			r.Out.URL.Path, r.Out.URL.RawPath, r.Out.Host = "/"+bucket+r.In.URL.Path, "", s3URL.Host
		}}
	}
	files := http.FileServer(http.Dir(content))
	apiPrefix := strings.TrimSuffix(site.APIPath, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if api != nil && apiPrefix != "" && strings.HasPrefix(r.URL.Path, apiPrefix) {
			api.ServeHTTP(w, e.toOrigin(r, site.StripPrefix, api.Stage))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		for prefix, proxy := range buckets {
			if strings.HasPrefix(r.URL.Path, prefix) {
				proxy.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Content-Security-Policy", site.ContentSecurityPolicy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
		files.ServeHTTP(w, r)
	}), nil
}

// toOrigin rewrites a request as the distribution sends it to an API
// origin: the function strips the prefix of the path as sent, the origin
// path is the stage.
func (e *Env) toOrigin(r *http.Request, strip, stage string) *http.Request {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + stage + strings.TrimPrefix(r.URL.Path, strip)
	r2.URL.RawPath = ""
	if raw := r.URL.RawPath; raw != "" {
		r2.URL.RawPath = "/" + stage + strings.TrimPrefix(raw, strip)
	}
	return r2
}
