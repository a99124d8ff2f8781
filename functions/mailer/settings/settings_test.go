package settings_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

var full = map[string]string{
	"SENDER": "welcome@myblog.example", "TEMPLATE_NAME": "welcome",
	"CONFIGURATION_SET": "myblog", "IDEMPOTENCY_TABLE": "ledger", "USERS_TABLE": "myblog",
	"USER_ID_ATTRIBUTE": "pk", "USER_TYPE_ATTRIBUTE": "entity", "USER_TYPE_VALUE": "user",
	"EMAIL_ATTRIBUTE": "email", "NAME_ATTRIBUTE": "name",
}

var fullEnv = settings.Env{Sender: "welcome@myblog.example", TemplateName: "welcome", ConfigurationSet: "myblog",
	IdempotencyTable: "ledger", UsersTable: "myblog", UserIDAttribute: "pk", UserTypeAttribute: "entity", UserTypeValue: "user",
	EmailAttribute: "email", NameAttribute: "name"}

func TestLoad(t *testing.T) {
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range full {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string // substrings; none means success
	}{
		{name: "complete", env: full},
		{name: "nothing set", env: map[string]string{},
			wantErr: []string{"SENDER is not set", "TEMPLATE_NAME is not set", "CONFIGURATION_SET is not set", "IDEMPOTENCY_TABLE is not set", "USERS_TABLE is not set",
				"USER_ID_ATTRIBUTE is not set", "EMAIL_ATTRIBUTE is not set", "NAME_ATTRIBUTE is not set"}},
		{name: "user type without its value", env: with("USER_TYPE_VALUE", ""), wantErr: []string{`USER_TYPE_ATTRIBUTE "entity" and USER_TYPE_VALUE "" must be set together`}},
		{name: "display name in sender", env: with("SENDER", "MyBlog <welcome@myblog.example>"), wantErr: []string{"bare e-mail address"}},
		{name: "sender not an address", env: with("SENDER", "myblog.example"), wantErr: []string{"SENDER"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := settings.Load(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if !reflect.DeepEqual(e, fullEnv) {
					t.Fatalf("Load = %+v, want %+v", e, fullEnv)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load succeeded, want an error mentioning %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// Variables writes what Load reads back, under the names deployed functions
// have (a rename would leave them without their configuration); a table of
// users only goes without the type variables.
func TestVariablesRoundTrip(t *testing.T) {
	withQueue := fullEnv
	withQueue.FailureQueueURL = "https://sqs.us-east-1.amazonaws.com/123456789012/failures"
	usersOnly := fullEnv
	usersOnly.UserTypeAttribute, usersOnly.UserTypeValue = "", ""
	for _, want := range []settings.Env{withQueue, usersOnly} {
		vars := want.Variables()
		read := map[string]bool{}
		got, err := settings.Load(func(k string) string { read[k] = true; return vars[k] })
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Load(Variables()) = %+v, %v; want %+v", got, err, want)
		}
		for k := range vars {
			if !read[k] {
				t.Errorf("Variables sets %s, which Load never reads", k)
			}
		}
	}
	if _, ok := usersOnly.Variables()["USER_TYPE_ATTRIBUTE"]; ok {
		t.Error("a table of users only gets USER_TYPE_ATTRIBUTE")
	}
	vars := withQueue.Variables()
	for k := range full {
		if vars[k] != full[k] {
			t.Errorf("%s = %q, want %q", k, vars[k], full[k])
		}
	}
	if vars["FAILURE_QUEUE_URL"] != withQueue.FailureQueueURL {
		t.Errorf("FAILURE_QUEUE_URL = %q", vars["FAILURE_QUEUE_URL"])
	}
}
