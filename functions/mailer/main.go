package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, nil)))
	h, err := newHandler(context.Background(), os.Getenv)
	if err != nil {
		slog.Error("starting mailer", "error", err)
		os.Exit(1)
	}
	lambda.Start(h.Invoke)
}

// newHandler reads the configuration from getenv and builds the SDK clients
// once, for every invocation of this execution environment.
func newHandler(ctx context.Context, getenv func(string) string) (*Handler, error) {
	env, err := loadEnv(getenv)
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
		Ledger:           &DynamoLedger{DB: db, Table: env.idempotencyTable},
		From:             env.sender,
		Template:         env.templateName,
		ConfigurationSet: env.configurationSet,
		Users:            env.users,
		Redrive:          RedriveSources{Users: db, UsersTable: env.usersTable},
		FunctionName:     getenv("AWS_LAMBDA_FUNCTION_NAME"),
	}
	if env.failureQueueURL != "" {
		h.Redrive.Failures, h.Redrive.FailureQueueURL = sqs.NewFromConfig(cfg), env.failureQueueURL
		h.Redrive.Stream = dynamodbstreams.NewFromConfig(cfg)
	}
	return h, nil
}

type env struct {
	sender, templateName, configurationSet, idempotencyTable string
	// usersTable is read by re-drives from the ledger; failureQueueURL,
	// optional, by re-drives of failure records (local mode has no queue).
	usersTable, failureQueueURL string
	users                       UserShape
}

// loadEnv reads and checks the function's environment, reporting every
// problem at once.
func loadEnv(getenv func(string) string) (env, error) {
	e := env{
		sender:           getenv("SENDER"),
		templateName:     getenv("TEMPLATE_NAME"),
		configurationSet: getenv("CONFIGURATION_SET"),
		idempotencyTable: getenv("IDEMPOTENCY_TABLE"),
		usersTable:       getenv("USERS_TABLE"),
		failureQueueURL:  getenv("FAILURE_QUEUE_URL"),
		users: UserShape{
			IDAttribute:    getenv("USER_ID_ATTRIBUTE"),
			TypeAttribute:  getenv("USER_TYPE_ATTRIBUTE"),
			TypeValue:      getenv("USER_TYPE_VALUE"),
			EmailAttribute: getenv("EMAIL_ATTRIBUTE"),
			NameAttribute:  getenv("NAME_ATTRIBUTE"),
		},
	}
	var errs []error
	for _, v := range []struct{ name, value string }{
		{"SENDER", e.sender}, {"TEMPLATE_NAME", e.templateName},
		{"CONFIGURATION_SET", e.configurationSet}, {"IDEMPOTENCY_TABLE", e.idempotencyTable}, {"USERS_TABLE", e.usersTable},
		{"USER_ID_ATTRIBUTE", e.users.IDAttribute}, {"EMAIL_ATTRIBUTE", e.users.EmailAttribute},
		{"NAME_ATTRIBUTE", e.users.NameAttribute},
	} {
		if v.value == "" {
			errs = append(errs, fmt.Errorf("%s is not set", v.name))
		}
	}
	if (e.users.TypeAttribute == "") != (e.users.TypeValue == "") {
		errs = append(errs, fmt.Errorf("USER_TYPE_ATTRIBUTE %q and USER_TYPE_VALUE %q must be set together", e.users.TypeAttribute, e.users.TypeValue))
	}
	if e.sender != "" {
		if a, err := mail.ParseAddress(e.sender); err != nil || a.Address != e.sender {
			errs = append(errs, fmt.Errorf("SENDER %q must be a bare e-mail address", e.sender))
		}
	}
	if len(errs) > 0 {
		return env{}, fmt.Errorf("mailer configuration: %w", errors.Join(errs...))
	}
	return e, nil
}
