// Command hello is the consumer's own Lambda function, built from this
// module by the components' function build as any Go package is.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, _ events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"hello":"world"}`}, nil
}

func main() { lambda.Start(handle) }
