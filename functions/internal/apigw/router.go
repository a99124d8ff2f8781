package apigw

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/aws/aws-lambda-go/events"
)

// Endpoint answers one resource and method. It returns either a response or
// an error for the [Router] to render (see the package doc).
type Endpoint func(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// Router dispatches API Gateway REST proxy events on the resource template the
// API defines (event.Resource, such as "/todos/{id}") and the HTTP method.
//
// API Gateway forwards only the methods the API declares, and answers CORS
// preflights (OPTIONS) itself, so the router has no 404, 405 or preflight
// answers of its own: an event for a route it does not know means the API
// and the function disagree, a deployment fault answered as a 500.
type Router struct {
	// Responder renders errors.
	Responder Responder
	// Log receives the cause of every 5xx answer; nil means slog.Default().
	Log *slog.Logger
	// AllowOrigins are the browser origins allowed to call the API. A
	// response to a request whose Origin header is one of them carries it
	// as Access-Control-Allow-Origin, so every configured origin works
	// (API Gateway's preflight answers them all). With any origins, every
	// response says "Vary: Origin", as it depends on that header.
	AllowOrigins []string

	routes map[string]map[string]Endpoint // resource -> method -> endpoint
}

// Handle registers e for method on resource. Registering the same pair twice
// replaces the first endpoint.
func (r *Router) Handle(method, resource string, e Endpoint) {
	if r.routes == nil {
		r.routes = make(map[string]map[string]Endpoint)
	}
	if r.routes[resource] == nil {
		r.routes[resource] = make(map[string]Endpoint)
	}
	r.routes[resource][method] = e
}

// Serve answers req.
func (r *Router) Serve(ctx context.Context, req events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	resp := r.serve(ctx, &req)
	r.cors(&req, &resp)
	return resp
}

func (r *Router) serve(ctx context.Context, req *events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	endpoint, ok := r.routes[req.Resource][req.HTTPMethod]
	if !ok {
		return r.fail(ctx, req, fmt.Errorf("no endpoint for %s %s: the API declares a route the function does not serve", req.HTTPMethod, req.Resource))
	}
	resp, err := endpoint(ctx, req)
	if err != nil {
		return r.fail(ctx, req, err)
	}
	return resp
}

// fail renders err, and logs the cause of a 5xx answer.
func (r *Router) fail(ctx context.Context, req *events.APIGatewayProxyRequest, err error) events.APIGatewayProxyResponse {
	apiErr := asError(err)
	if apiErr.Status >= http.StatusInternalServerError {
		r.logger().ErrorContext(ctx, "request failed",
			slog.Int("status", apiErr.Status),
			slog.String("method", req.HTTPMethod),
			slog.String("resource", req.Resource),
			slog.String("requestId", req.RequestContext.RequestID),
			slog.Any("error", err))
	}
	return r.Responder.Error(apiErr)
}

// cors adds the CORS headers of an actual (not preflight) request.
func (r *Router) cors(req *events.APIGatewayProxyRequest, resp *events.APIGatewayProxyResponse) {
	if len(r.AllowOrigins) == 0 {
		return
	}
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	resp.Headers["Vary"] = "Origin"
	if origin := Header(req, "Origin"); origin != "" && slices.Contains(r.AllowOrigins, origin) {
		resp.Headers["Access-Control-Allow-Origin"] = origin
		// Without this a script cannot read where a created resource is.
		resp.Headers["Access-Control-Expose-Headers"] = "Location, Retry-After"
	}
}

func (r *Router) logger() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
