package apigw

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Handler is what [Start] serves: the Lambda handler of an API function.
type Handler interface {
	Handle(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)
}

// Start is the main of an API function: it logs JSON to standard error, reads
// the Config from the environment, builds the DynamoDB client once for every
// invocation of this execution environment, and serves the handler that
// newHandler makes of them until the runtime stops. A bad configuration ends
// the process with the error logged; api names the function in it ("blog
// API").
func Start[H Handler](api string, newHandler func(*dynamodb.Client, Config) H) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	h, err := setUp(context.Background(), api, os.Getenv, newHandler)
	if err != nil {
		slog.Error("starting", slog.Any("error", err))
		os.Exit(1)
	}
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
