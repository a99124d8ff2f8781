// Command todo is the MyTodoList to-do API Lambda function (see package
// todos). Build it for the provided.al2023 runtime as a binary named
// bootstrap:
//
//	CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -trimpath -ldflags "-s -w" -o bootstrap ./functions/todo
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gopherstack/serverless-arch/functions/todo/todos"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	cfg, err := todos.ConfigFromEnv(os.Getenv)
	if err != nil {
		slog.Error("starting", slog.Any("error", err))
		os.Exit(1)
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		slog.Error("loading AWS configuration", slog.Any("error", err))
		os.Exit(1)
	}
	lambda.Start(todos.New(dynamodb.NewFromConfig(awsCfg), cfg).Handle)
}
