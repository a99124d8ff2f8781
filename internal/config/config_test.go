package config

import (
	"strings"
	"testing"
)

// valid is a minimal valid configuration of the general keys.
func valid() map[string]string {
	return map[string]string{
		"aws:region":             "us-east-1",
		"serverless-arch:deploy": `[]`,
	}
}

func parseWith(t *testing.T, set map[string]string) error {
	t.Helper()
	vals := valid()
	for k, v := range set {
		if v == "<unset>" {
			delete(vals, k)
			continue
		}
		vals[k] = v
	}
	_, err := Parse("serverless-arch", "test", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	return err
}

func TestGeneralKeysRejectBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"unknown region", map[string]string{"aws:region": "us-north-9"},
			`config aws:region = "us-north-9" is not allowed: want an AWS region such as us-east-1`},
		{"missing region", map[string]string{"aws:region": "<unset>"},
			`config aws:region is missing: want an AWS region such as us-east-1`},
		{"unknown architecture", map[string]string{"serverless-arch:deploy": `["todo","chat"]`},
			`config serverless-arch:deploy = "chat" is not allowed: want a list of "todo", "blog" and "updates"`},
		{"deploy not a list", map[string]string{"serverless-arch:deploy": `todo`},
			`config serverless-arch:deploy = "todo" is not allowed: want a list of strings`},
		{"retention CloudWatch refuses", map[string]string{"serverless-arch:logRetentionDays": "10"},
			`config serverless-arch:logRetentionDays = "10" is not allowed: want one of 1, 3, 5, 7, 14, 30,`},
		{"protect not a bool", map[string]string{"serverless-arch:protect": "yes"},
			`config serverless-arch:protect = "yes" is not allowed: want true or false`},
		{"lambda architecture", map[string]string{"serverless-arch:lambdaArchitecture": "arm"},
			`config serverless-arch:lambdaArchitecture = "arm" is not allowed: want one of "arm64", "x86_64"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := parseWith(t, tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

func TestEveryBadKeyIsReportedAtOnce(t *testing.T) {
	err := parseWith(t, map[string]string{
		"aws:region":                         "mars-1",
		"serverless-arch:logRetentionDays":   "2",
		"serverless-arch:lambdaArchitecture": "sparc",
	})
	es := As(err)
	if len(es) != 3 {
		t.Fatalf("got %d errors, want 3: %v", len(es), err)
	}
	for i, key := range []string{"aws:region", "serverless-arch:logRetentionDays", "serverless-arch:lambdaArchitecture"} {
		if es[i].Key != key {
			t.Errorf("error %d names %s, want %s", i, es[i].Key, key)
		}
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse("serverless-arch", "test", func(k string) (string, bool) {
		v, ok := valid()[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.LambdaArchitecture != "arm64" || c.LogRetentionDays != 14 || c.Protect {
		t.Errorf("defaults: %+v", c)
	}
}

func TestIsEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"noreply@example.com":        true,
		"Blog <noreply@example.com>": false,
		"noreply@localhost":          false,
		"no reply@example.com":       false,
		"a@b.co, c@d.co":             false,
		"":                           false,
	} {
		if got := IsEmail(s); got != want {
			t.Errorf("IsEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
