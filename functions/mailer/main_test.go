package main

import (
	"strings"
	"testing"
)

func TestLoadEnv(t *testing.T) {
	full := map[string]string{
		"SENDER": "welcome@myblog.example", "TEMPLATE_NAME": "welcome",
		"CONFIGURATION_SET": "myblog", "IDEMPOTENCY_TABLE": "ledger", "USERS_TABLE": "myblog",
		"USER_ID_ATTRIBUTE": "pk", "USER_TYPE_ATTRIBUTE": "entity", "USER_TYPE_VALUE": "user",
		"EMAIL_ATTRIBUTE": "email", "NAME_ATTRIBUTE": "name",
	}
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
			e, err := loadEnv(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("loadEnv: %v", err)
				}
				if e.sender != full["SENDER"] || e.templateName != full["TEMPLATE_NAME"] ||
					e.configurationSet != full["CONFIGURATION_SET"] || e.idempotencyTable != full["IDEMPOTENCY_TABLE"] ||
					e.usersTable != full["USERS_TABLE"] || e.failureQueueURL != "" ||
					e.users != blogUsers {
					t.Fatalf("loadEnv = %+v", e)
				}
				return
			}
			if err == nil {
				t.Fatalf("loadEnv succeeded, want an error mentioning %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
