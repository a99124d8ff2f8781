package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gopherstack/serverless-arch/functions/internal/lambdamain"
	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

func main() {
	lambda.Start(lambdamain.Handler("mailer", newHandler).Invoke)
}

// newHandler reads the configuration from getenv and builds the SDK clients
// once, for every invocation of this execution environment.
func newHandler(ctx context.Context, getenv func(string) string) (*Handler, error) {
	env, err := settings.Load(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	db := dynamodb.NewFromConfig(cfg)
	h := &Handler{
		Mail:             sesv2.NewFromConfig(cfg),
		Ledger:           &DynamoLedger{DB: db, Table: env.IdempotencyTable},
		From:             env.Sender,
		Template:         env.TemplateName,
		ConfigurationSet: env.ConfigurationSet,
		Users:            usersOf(env),
		Redrive:          RedriveSources{Users: db, UsersTable: env.UsersTable},
		FunctionName:     getenv("AWS_LAMBDA_FUNCTION_NAME"),
	}
	if env.FailureQueueURL != "" {
		h.Redrive.Failures, h.Redrive.FailureQueueURL = sqs.NewFromConfig(cfg), env.FailureQueueURL
		h.Redrive.Stream = dynamodbstreams.NewFromConfig(cfg)
	}
	return h, nil
}

// usersOf is the users table's shape the environment describes.
func usersOf(env settings.Env) UserShape {
	return UserShape{
		IDAttribute:    env.UserIDAttribute,
		TypeAttribute:  env.UserTypeAttribute,
		TypeValue:      env.UserTypeValue,
		EmailAttribute: env.EmailAttribute,
		NameAttribute:  env.NameAttribute,
	}
}
