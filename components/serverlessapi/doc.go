// Package serverlessapi is an HTTPS API on API Gateway whose routes are
// served by Lambda functions: the ServerlessAPI component, and DAX, an
// optional read-through cache for the tables behind it.
//
// Routes are data. A Route names a method, a path, the function that serves
// it, how callers authenticate (every route must say, AuthNone included), its
// parameters, a JSON Schema for its body and whether GET answers are cached.
// From the list, New builds a REST API with one Lambda proxy integration per
// route, each function invocable only through its own route, a Cognito
// authorizer, a request validator, CORS preflights, gateway responses with
// the functions' JSON error body, a logged, traced and throttled stage, and
// optionally a stage cache, a custom domain and an API key; OpenAPI renders
// the routes' OpenAPI 3 document offline.
//
// Cached routes are keyed on the caller's credentials, so no caller is served
// another's answer; functions should send a Cache-Control max-age equal to
// the TTL. Give every route with a body a BodySchema that bounds it (maxLength
// on every string, no extra properties, no unbounded arrays), so the validator
// refuses what Lambda's 6 MB limit would turn into a 502. A DAX cluster
// (NewDAX) serves a function given its subnets and client security group
// (blocks.FunctionArgs.VPC = FunctionVPC()) and its Use. Why each of these
// holds is in [The serverless API: routes as data, caches that never leak].
//
// [The serverless API: routes as data, caches that never leak]: https://github.com/gopherstack/serverless-arch/blob/main/docs/serverless-api.md
package serverlessapi
