package apigw_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

// A function registers one endpoint per resource template and method, as
// the API declares them; the router renders the errors endpoints return and
// names the caller's origin when it is an allowed one.
func ExampleRouter() {
	router := apigw.Router{Responder: apigw.Responder{MaxAge: time.Minute}, AllowOrigins: []string{"https://app.example.com"}}
	router.Handle(http.MethodGet, "/greetings/{name}", func(ctx context.Context, req *events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		name := req.PathParameters["name"]
		if err := apigw.CheckText("name", name, 1, 20, false); err != nil {
			return events.APIGatewayProxyResponse{}, err
		}
		return router.Responder.Read(map[string]string{"greeting": "Hello, " + name}), nil
	})

	for _, req := range []events.APIGatewayProxyRequest{
		{HTTPMethod: "GET", Resource: "/greetings/{name}", PathParameters: map[string]string{"name": "Gopher"}},
		{HTTPMethod: "GET", Resource: "/greetings/{name}", PathParameters: map[string]string{"name": "Mr. Unnecessarily Long Name"}},
		{HTTPMethod: "GET", Resource: "/greetings/{name}", PathParameters: map[string]string{"name": "Gopher"},
			Headers: map[string]string{"Origin": "https://app.example.com"}},
	} {
		resp := router.Serve(context.Background(), req)
		fmt.Println(resp.StatusCode, resp.Headers["Cache-Control"], resp.Headers["Access-Control-Allow-Origin"], resp.Body)
	}
	// Output:
	// 200 private, max-age=60  {"greeting":"Hello, Gopher"}
	// 400 no-store  {"error":{"code":"invalid_field","message":"name must have 1 to 20 characters and not be blank","field":"name"}}
	// 200 private, max-age=60 https://app.example.com {"greeting":"Hello, Gopher"}
}
