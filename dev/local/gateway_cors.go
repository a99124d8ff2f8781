package local

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
)

// methodsOn returns the methods routes declare on the resource that
// segs address, as a preflight lists them: ANY as every method, and
// OPTIONS, sorted. None when no resource matches.
func (a *API) methodsOn(segs []string) []string {
	var best []int
	var methods []string
	for _, rt := range a.Routes {
		_, score, ok := matchTemplate(splitPath(rt.Resource), segs)
		if !ok {
			continue
		}
		switch c := compareScores(score, best); {
		case best == nil || c > 0:
			best, methods = score, nil
		case c < 0:
			continue
		}
		if rt.Method == "ANY" {
			methods = append(methods, "DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
		} else {
			methods = append(methods, rt.Method)
		}
	}
	if methods == nil {
		return nil
	}
	methods = append(methods, http.MethodOptions)
	slices.Sort(methods)
	return slices.Compact(methods)
}

// preflight answers a CORS preflight as the stack's OPTIONS methods do
// (serverlessapi's mock integrations): 204 with the resource's methods, the
// allowed headers and max age, and the origin: the only one, or with several
// the request's Origin when it is one of them.
func (a *API) preflight(w http.ResponseWriter, r *http.Request, methods []string) int {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", strings.Join(methods, ","))
	h.Set("Access-Control-Allow-Headers", serverlessapi.CORSAllowHeaders)
	h.Set("Access-Control-Max-Age", strconv.Itoa(serverlessapi.CORSMaxAgeSeconds))
	if len(a.CORSOrigins) == 1 {
		h.Set("Access-Control-Allow-Origin", a.CORSOrigins[0])
	} else {
		h.Set("Vary", "Origin")
		if o := r.Header.Get("Origin"); slices.Contains(a.CORSOrigins, o) {
			h.Set("Access-Control-Allow-Origin", o)
		}
	}
	h.Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent
}

// fail writes an error API Gateway answers itself, with the body and CORS
// headers the stack's gateway responses define: the only origin, or with
// several the caller's own (a gateway response cannot choose among them).
func (a *API) fail(w http.ResponseWriter, r *http.Request, status int, code, message, details string) int {
	e := map[string]string{"code": code, "message": message}
	if details != "" {
		e["details"] = details
	}
	body, _ := json.Marshal(map[string]any{"error": e})
	h := w.Header()
	switch len(a.CORSOrigins) {
	case 0:
	case 1:
		h.Set("Access-Control-Allow-Origin", a.CORSOrigins[0])
	default:
		h.Set("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" {
			h.Set("Access-Control-Allow-Origin", o)
		}
	}
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", code)
	h.Set("X-Amzn-RequestId", requestID())
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}
