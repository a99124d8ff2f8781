// Command blogapi is the MyBlog.com API Lambda function (see package blog).
// Build it for the provided.al2023 runtime as a binary named bootstrap:
//
//	CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -trimpath -ldflags "-s -w" -o bootstrap ./functions/blogapi
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gopherstack/serverless-arch/functions/blogapi/blog"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	cfg, err := blog.ConfigFromEnv(os.Getenv)
	if err != nil {
		slog.Error("starting", slog.Any("error", err))
		os.Exit(1)
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		slog.Error("loading AWS configuration", slog.Any("error", err))
		os.Exit(1)
	}
	lambda.Start(blog.New(dynamodb.NewFromConfig(awsCfg), cfg).Handle)
}
