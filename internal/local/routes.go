package local

import "github.com/gopherstack/serverless-arch/components/serverlessapi"

// BlogRoutes are the blog API's routes as internal/app declares them for
// the stack (method, path and auth; the rest does not matter locally).
func BlogRoutes() []serverlessapi.Route {
	return []serverlessapi.Route{
		{Method: "GET", Path: "/posts", Auth: serverlessapi.AuthNone},
		{Method: "GET", Path: "/posts/{slug}", Auth: serverlessapi.AuthNone},
		{Method: "POST", Path: "/posts", Auth: serverlessapi.AuthAPIKey},
		{Method: "POST", Path: "/users", Auth: serverlessapi.AuthNone},
	}
}
