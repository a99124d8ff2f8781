// Package serverlessapi is an HTTPS API on API Gateway whose routes are
// served by Lambda functions: the ServerlessAPI component, and DAX, an
// optional read-through cache for the tables behind it.
//
// # Routes are data
//
// A Route names a method, a path, the function that serves it, how callers
// authenticate (every route must say, AuthNone included), its parameters,
// a JSON Schema for its body and whether GET answers are cached. From the
// list, New builds:
//
//   - a REGIONAL REST API (REST, not HTTP, because only REST APIs have a
//     stage cache) with one resource per path segment;
//   - per route a method, a Lambda proxy integration, and a
//     lambda.Permission whose source ARN is this API's execution ARN, the
//     stage, the method and the path ("…:abc123/v1/GET/todos/*"), so the
//     function cannot be invoked through any other API or route;
//   - a Cognito authorizer over the given user pools, a request validator
//     checking required parameters and bodies against their model whatever
//     their content type (the model is mapped to "$default" as well as to
//     application/json, so a body labelled text/plain is checked too), and
//     gateway responses that give API Gateway's own errors the functions'
//     JSON error body;
//   - for CORS origins, OPTIONS methods answering preflights (with several
//     origins, each with its own; the functions must answer each request
//     with its Origin when it is an allowed one, and cached routes are keyed
//     on the Origin header);
//   - a deployment whose trigger is a hash of a canonical description of
//     routes, integrations, authorizers, models and CORS, so it is redone
//     exactly when one of them changes;
//   - a stage with JSON access logs and execution logs (ERROR level, no
//     data trace) in log groups with retention, metrics, X-Ray tracing and
//     throttling;
//   - optionally an encrypted stage cache, a custom domain (ACM certificate
//     validated through Route 53, TLS 1.2, base-path mapping, alias
//     record), and an API key with a usage plan for AuthAPIKey routes;
//   - the OpenAPI 3 document of the routes (the OpenAPI field; the OpenAPI
//     function renders the same document from the routes alone, offline).
//
// # Caching without leaking
//
// Only GET routes with Cache set are cached, and only when the API has a
// cache (CacheSizeGB). Their cache key always holds the path parameters
// and, for routes that need auth, the caller's credentials header
// (Authorization, or x-api-key): API Gateway checks the token before it
// looks in the cache, and two callers never share a cache entry, so no user
// is ever served another user's response. Writes do not flush the cache:
// after changing something, an app sends "Cache-Control: max-age=0" on its
// next read to refresh its own entry, which callers of such routes may do
// (on other routes only IAM principals allowed execute-api:InvalidateCache
// may). Functions should send a Cache-Control max-age equal to the TTL, so
// clients cache no longer than the stage does.
//
// # Bounding request bodies
//
// API Gateway accepts bodies up to 10 MB (a larger one is 413
// REQUEST_TOO_LARGE), Lambda's synchronous invocations up to 6 MB: a body in
// between that reaches the function fails as a 502, however much the
// client is at fault. Give every route with a body a BodySchema that bounds
// it: maxLength on every string, additionalProperties false, no unbounded
// arrays. The request validator then refuses an oversized body with a 400
// before the function runs, and since the model applies to every content
// type, so is a body that is not JSON. What no model can bound is a
// schema-valid body padded with megabytes of whitespace, or a body sent with
// a GET or DELETE (methods without a model): those still reach Lambda's
// limit. Put AWS WAF in front of the stage (a size constraint on the body)
// where that matters.
//
// # Tables and DAX
//
// Tables are created with blocks.NewTable before the functions, which need
// their names and ARNs, and before the API, which fronts the functions. A
// DAX cluster (NewDAX) serves functions that have a DAX client: give such a
// function the cluster's subnets and client security group
// (blocks.FunctionArgs.VPC = FunctionVPC()) and its Use (the DAX actions it
// calls and the DAX_ENDPOINT variable). The subnets must reach DynamoDB and
// X-Ray (NAT or VPC endpoints), as functions still call them.
//
// The Go DAX client cannot be installed in this project's build, so the
// MyTodoList function reads DynamoDB directly and is not wired to its
// stack's cluster: no VPC placement, no DAX grant it would never use. The
// cluster's endpoint and client security group are stack outputs, for
// clients built with a DAX SDK.
package serverlessapi
