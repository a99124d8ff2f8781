// Command hello is the smallest aws-lambda-go function: the baseline that
// build and cold-start figures are compared against.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, in map[string]any) (map[string]any, error) {
		return map[string]any{"hello": "world"}, nil
	})
}
