// Command todo is the MyTodoList to-do API Lambda function (see package
// todos). Build it for the provided.al2023 runtime as a binary named
// bootstrap:
//
//	CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -trimpath -ldflags "-s -w" -o bootstrap ./functions/todo
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/gopherstack/serverless-arch/functions/internal/apigw"
	"github.com/gopherstack/serverless-arch/functions/todo/todos"
)

func main() {
	apigw.Start("to-do API", func(db *dynamodb.Client, cfg todos.Config) *todos.Handler { return todos.New(db, cfg) })
}
