package local

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
	"github.com/gopherstack/serverless-arch/dev/internal/recorded"
)

// readAPIs takes each REST API's stage, routes (methods with Lambda proxy
// integrations, their authorization, body model and required parameters)
// and CORS origins.
func readAPIs(s stackIndex, d *Deployment) error {
	paths := s.APIResourcePaths()
	fns := s.functionByArn()
	for _, api := range s.ofType("aws:apigateway/restApi:RestApi") {
		a := DeployedAPI{ID: api.ID, Name: componentName(api.Parent)}
		for _, st := range s.ofType("aws:apigateway/stage:Stage") {
			if recorded.Str(st.Inputs, "restApi") == api.ID {
				a.Stage = recorded.Str(st.Inputs, "stageName")
			}
		}
		models := map[string]string{}
		for _, m := range s.ofType("aws:apigateway/model:Model") {
			if recorded.Str(m.Inputs, "restApi") == api.ID {
				models[recorded.Str(m.Inputs, "name")] = recorded.Str(m.Inputs, "schema")
			}
		}
		for _, m := range s.ofType("aws:apigateway/method:Method") {
			if recorded.Str(m.Inputs, "restApi") != api.ID || recorded.Str(m.Inputs, "httpMethod") == "OPTIONS" {
				continue
			}
			r, err := s.route(m, paths, fns, models)
			if err != nil {
				return fmt.Errorf("API %s: %w", a.Name, err)
			}
			a.Routes = append(a.Routes, r)
		}
		sort.Slice(a.Routes, func(i, j int) bool { return a.Routes[i].Path+a.Routes[i].Method < a.Routes[j].Path+a.Routes[j].Method })
		a.CORSOrigins = s.corsOrigins(api.ID)
		d.APIs = append(d.APIs, a)
	}
	return nil
}

// componentName is the name of the component a resource's parent URN
// names.
func componentName(parentURN string) string {
	return parentURN[strings.LastIndex(parentURN, "::")+2:]
}

// route reads one method and its integration.
func (s stackIndex) route(m recording.Resource, paths map[string]string, fns, models map[string]string) (DeployedRoute, error) {
	method, resID := recorded.Str(m.Inputs, "httpMethod"), recorded.Str(m.Inputs, "resourceId")
	path := paths[resID]
	if path == "" {
		path = "/"
	}
	r := DeployedRoute{Method: method, Path: path}
	for _, in := range s.ofType("aws:apigateway/integration:Integration") {
		if recorded.Str(in.Inputs, "resourceId") == resID && recorded.Str(in.Inputs, "httpMethod") == method {
			uri := recorded.Str(in.Inputs, "uri")
			if i := strings.Index(uri, "/functions/"); i >= 0 {
				r.Function = fns[strings.TrimSuffix(uri[i+len("/functions/"):], "/invocations")]
			}
		}
	}
	if r.Function == "" {
		return r, fmt.Errorf("%s %s has no Lambda proxy integration of a function of the stack", method, path)
	}
	switch {
	case recorded.Str(m.Inputs, "authorization") == "COGNITO_USER_POOLS":
		r.Auth = AuthUser
	case recorded.Str(m.Inputs, "authorization") == "AWS_IAM", m.Inputs["apiKeyRequired"] == true:
		r.Auth = AuthAPIKey // the closest local stand-in for signed requests
	default:
		r.Auth = AuthNone
	}
	for _, name := range mapOf(m.Inputs, "requestModels") {
		r.Model = models[fmt.Sprint(name)]
	}
	for p, required := range mapOf(m.Inputs, "requestParameters") {
		// A path parameter is there once the route matched.
		if required == true && !strings.HasPrefix(p, "method.request.path.") {
			r.Required = append(r.Required, strings.TrimPrefix(p, "method.request."))
		}
	}
	sort.Strings(r.Required)
	return r, nil
}

// echoedOrigin reads an origin out of a preflight's mapping template.
var echoedOrigin = regexp.MustCompile(`\$origin == "([^"]+)"`)

// corsOrigins reads the origins an API's preflights allow: the one they
// answer with, or those their mapping template echoes.
func (s stackIndex) corsOrigins(api string) []string {
	seen := map[string]bool{}
	for _, ir := range s.ofType("aws:apigateway/integrationResponse:IntegrationResponse") {
		if recorded.Str(ir.Inputs, "restApi") != api || recorded.Str(ir.Inputs, "httpMethod") != "OPTIONS" {
			continue
		}
		if v := recorded.Str(mapOf(ir.Inputs, "responseParameters"), "method.response.header.Access-Control-Allow-Origin"); v != "" {
			seen[strings.Trim(v, "'")] = true
		}
		for _, t := range mapOf(ir.Inputs, "responseTemplates") {
			for _, m := range echoedOrigin.FindAllStringSubmatch(fmt.Sprint(t), -1) {
				seen[m[1]] = true
			}
		}
	}
	var out []string
	for o := range seen {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}
