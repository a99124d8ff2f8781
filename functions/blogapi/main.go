// Command blogapi is the MyBlog.com API Lambda function (see package blog).
// Build it for the provided.al2023 runtime as a binary named bootstrap:
//
//	CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -trimpath -ldflags "-s -w" -o bootstrap ./functions/blogapi
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gopherstack/serverless-arch/functions/blogapi/blog"
	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
)

func main() {
	apigw.Start("blog API", func(db *dynamodb.Client, cfg blog.Config) *blog.Handler { return blog.New(db, cfg) })
}
