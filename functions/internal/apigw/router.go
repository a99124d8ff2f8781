package apigw

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Endpoint answers one resource and method. It returns either a response or
// an error for the [Router] to render (see the package doc).
type Endpoint func(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// Router dispatches API Gateway REST proxy events on the resource template the
// API defines (event.Resource, such as "/todos/{id}") and the HTTP method.
type Router struct {
	// Responder renders errors and the router's own answers.
	Responder Responder
	// Log receives the cause of every 5xx answer; nil means slog.Default().
	Log *slog.Logger

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

// Serve answers req. An unknown resource is a 404 and an unknown method on a
// known resource a 405 with an Allow header. When the Responder allows an
// origin, OPTIONS on a known resource answers the CORS preflight.
func (r *Router) Serve(ctx context.Context, req events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	methods, ok := r.routes[req.Resource]
	if !ok {
		return r.Responder.Error(NotFound("no such resource"))
	}
	endpoint, ok := methods[req.HTTPMethod]
	if !ok {
		allowed := slices.Sorted(maps.Keys(methods))
		if req.HTTPMethod == http.MethodOptions && r.Responder.AllowOrigin != "" {
			return r.preflight(allowed)
		}
		resp := r.Responder.Error(&Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: req.HTTPMethod + " is not supported on " + req.Resource})
		resp.Headers["Allow"] = strings.Join(allowed, ", ")
		return resp
	}

	resp, err := endpoint(ctx, &req)
	if err == nil {
		return resp
	}
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

func (r *Router) preflight(allowed []string) events.APIGatewayProxyResponse {
	resp := r.Responder.NoContent()
	resp.Headers["Access-Control-Allow-Methods"] = strings.Join(append(allowed, http.MethodOptions), ", ")
	resp.Headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Api-Key"
	resp.Headers["Access-Control-Max-Age"] = "600"
	return resp
}

func (r *Router) logger() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
