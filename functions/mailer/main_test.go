package main

import (
	"context"
	"testing"
)

// newHandler reads its configuration through package settings (whose tests
// cover the variables) and refuses to start without it.
func TestNewHandler(t *testing.T) {
	env := map[string]string{
		"SENDER": "welcome@myblog.example", "TEMPLATE_NAME": "welcome",
		"CONFIGURATION_SET": "myblog", "IDEMPOTENCY_TABLE": "ledger", "USERS_TABLE": "myblog",
		"USER_ID_ATTRIBUTE": "pk", "USER_TYPE_ATTRIBUTE": "entity", "USER_TYPE_VALUE": "user",
		"EMAIL_ATTRIBUTE": "email", "NAME_ATTRIBUTE": "name", "AWS_LAMBDA_FUNCTION_NAME": "welcome-fn",
	}
	t.Setenv("AWS_REGION", "us-east-1")
	h, err := newHandler(context.Background(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if h.From != env["SENDER"] || h.Template != "welcome" || h.ConfigurationSet != "myblog" ||
		h.Ledger.(*DynamoLedger).Table != "ledger" || h.Redrive.UsersTable != "myblog" || h.Users != blogUsers ||
		h.FunctionName != "welcome-fn" || h.Redrive.Failures != nil {
		t.Errorf("newHandler = %+v", h)
	}
	if _, err := newHandler(context.Background(), func(string) string { return "" }); err == nil {
		t.Error("newHandler started without its configuration")
	}
}
