package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestAWSSettingsAreRead(t *testing.T) {
	vals := valid()
	for k, v := range map[string]string{
		"aws:profile":                "deploy-prod",
		"aws:sharedCredentialsFiles": `["/ci/credentials"]`,
		"aws:allowedAccountIds":      `["123456789012"]`,
		"aws:assumeRole":             `{"roleArn":"arn:aws:iam::123456789012:role/deployer","sessionName":"pulumi","externalId":"x-1","tags":{"team":"web"}}`,
		"aws:defaultTags":            `{"tags":{"cost-center":"blog","owner":"web"}}`,
		"aws:secretKey":              "s3cr3t",
	} {
		vals[k] = v
	}
	c, err := Parse("serverless-arch", "prod", func(k string) (string, bool) { v, ok := vals[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	want := AWSSettings{
		Profile:                "deploy-prod",
		SharedCredentialsFiles: []string{"/ci/credentials"},
		AllowedAccountIDs:      []string{"123456789012"},
		AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::123456789012:role/deployer", SessionName: "pulumi",
			ExternalID: "x-1", Tags: map[string]string{"team": "web"}},
		DefaultTags: map[string]string{"cost-center": "blog", "owner": "web"},
		SecretKey:   "s3cr3t",
	}
	if !reflect.DeepEqual(c.AWS, want) {
		t.Errorf("AWS settings\n%+v\nwant\n%+v", c.AWS, want)
	}
}

func TestAWSSettingsRejectBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  map[string]string
		want string
	}{
		{"assumeRole not an object", map[string]string{"aws:assumeRole": `arn:aws:iam::1:role/x`},
			`config aws:assumeRole = "arn:aws:iam::1:role/x" is not allowed: want an object with roleArn`},
		{"assumeRole without a role", map[string]string{"aws:assumeRole": `{"sessionName":"x"}`},
			`config aws:assumeRole = "{\"sessionName\":\"x\"}" is not allowed: want an object with roleArn`},
		{"assumeRole field the program would drop", map[string]string{"aws:assumeRole": `{"roleArn":"arn:aws:iam::1:role/x","durationSeconds":900}`},
			`config aws:assumeRole = "{\"roleArn\":\"arn:aws:iam::1:role/x\",\"durationSeconds\":900}" is not allowed: want an object with roleArn and optionally sessionName, externalId, duration,`},
		{"defaultTags without tags", map[string]string{"aws:defaultTags": `{"team":"web"}`},
			`config aws:defaultTags = "{\"team\":\"web\"}" is not allowed: want an object {"tags": {"key": "value", ...}}`},
		{"account list", map[string]string{"aws:allowedAccountIds": `123456789012`},
			`config aws:allowedAccountIds = "123456789012" is not allowed: want a list of strings`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := parseWith(t, tc.set)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}
