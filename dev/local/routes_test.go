package local

import "github.com/gopherstack/serverless-arch/components/serverlessapi"

// Routes converts route data, as the ServerlessAPI component takes it,
// into local routes served by fn, for gateway tests that need no recorded
// stack. IAM-authorized routes become API-key routes.
func Routes(routes []serverlessapi.Route, fn Invoker) []Route {
	out := make([]Route, 0, len(routes))
	for _, r := range routes {
		auth := AuthNone
		switch r.Auth {
		case serverlessapi.AuthCognito:
			auth = AuthUser
		case serverlessapi.AuthAPIKey, serverlessapi.AuthIAM:
			auth = AuthAPIKey
		}
		var required []string
		for _, p := range r.Query {
			if p.Required {
				required = append(required, "querystring."+p.Name)
			}
		}
		for _, p := range r.Headers {
			if p.Required {
				required = append(required, "header."+p.Name)
			}
		}
		out = append(out, Route{Method: r.Method, Resource: r.Path, Auth: auth, Function: fn, Model: r.BodySchema, Required: required})
	}
	return out
}
