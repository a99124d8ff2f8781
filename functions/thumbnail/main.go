package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/gopherstack/serverless-arch/functions/internal/lambdamain"
)

func main() {
	h := lambdamain.Handler("thumbnail function", func(ctx context.Context, getenv func(string) string) (*Handler, error) {
		return newHandler(ctx, getenv)
	})
	lambda.Start(h.Handle)
}

// newHandler checks the configuration from getenv and builds the S3 client
// once, for every invocation of this execution environment. s3Opts adjust the
// client (tests need path-style addressing for a local S3).
func newHandler(ctx context.Context, getenv func(string) string, s3Opts ...func(*s3.Options)) (*Handler, error) {
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return &Handler{S3: s3.NewFromConfig(awsCfg, s3Opts...), Config: cfg}, nil
}
