package apigw

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/gopherstack/serverless-arch/functions/internal/lambdamain"
)

// Handler is what [Start] serves: the Lambda handler of an API function.
type Handler interface {
	Handle(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)
}

// Start is the main of an API function: it builds, once for every
// invocation of this execution environment, the Config from the
// environment, the DynamoDB client and the handler newHandler makes of
// them, and serves it until the runtime stops. It starts as every function
// here does (package lambdamain: JSON logs, and a bad configuration ends
// the process with the error logged); api names the function ("blog API").
func Start[H Handler](api string, newHandler func(*dynamodb.Client, Config) H) {
	h := lambdamain.Handler(api, func(ctx context.Context, getenv func(string) string) (H, error) {
		return setUp(ctx, api, getenv, newHandler)
	})
	lambda.Start(h.Handle)
}

// setUp is Start up to serving: the configuration from getenv, then the
// client and the handler.
func setUp[H Handler](ctx context.Context, api string, getenv func(string) string, newHandler func(*dynamodb.Client, Config) H) (H, error) {
	var none H
	cfg, err := ConfigFromEnv(getenv)
	if err != nil {
		return none, fmt.Errorf("configuring the %s: %w", api, err)
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return none, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return newHandler(dynamodb.NewFromConfig(awsCfg), cfg), nil
}
