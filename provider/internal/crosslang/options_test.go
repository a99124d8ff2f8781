package crosslang

import (
	"slices"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
)

const accountURN = resource.URN("urn:pulumi:" + stack + "::" + project + "::aws:apigateway/account:Account::account")

var oneRoute = map[string]any{"routes": []any{map[string]any{"method": "GET", "path": "/", "functionArn": fnArn,
	"auth": "NONE", "publicReason": "a demo"}}}

// What Go programs pass as AccountSettings, others list in dependsOn; the
// stage, and only the stage, waits for it.
func TestStageWaitsForTheComponentsDependencies(t *testing.T) {
	rec, _, err := construct(t, serverlessapi.Type, "api", oneRoute, withRegion(nil), dependsOn(accountURN))
	if err != nil {
		t.Fatal(err)
	}
	if deps := rec.deps["api-stage"]; !slices.Contains(deps, string(accountURN)) {
		t.Errorf("the stage depends on %v, want the account settings %s", deps, accountURN)
	}
	if deps := rec.deps["api-rest-api"]; slices.Contains(deps, string(accountURN)) {
		t.Errorf("the REST API waits for the account settings too: %v", deps)
	}
}

func TestNotificationWaitsForTheComponentsDependencies(t *testing.T) {
	permission := resource.URN("urn:pulumi:" + stack + "::" + project + "::aws:lambda/permission:Permission::other")
	inputs := map[string]any{"extraRoutes": []any{map[string]any{"lambdaFunctionArn": fnArn,
		"events": []any{"s3:ObjectCreated:*"}, "filterPrefix": "other/"}}}
	rec, _, err := construct(t, thumbnails.Token, "pics", inputs, withRegion(nil), dependsOn(permission))
	if err != nil {
		t.Fatal(err)
	}
	if deps := rec.deps["pics-notification"]; !slices.Contains(deps, string(permission)) {
		t.Errorf("the notification depends on %v, want the other route's permission %s", deps, permission)
	}
	n, _ := find(rec, "aws:s3/bucketNotification:BucketNotification", "pics-notification")
	if !strings.Contains(show(n), `"filterPrefix":"other/"`) || !strings.Contains(show(n), fnArn) {
		t.Errorf("notification %s lacks the extra route", show(n))
	}
}

func TestCrossLanguageArgumentsAreChecked(t *testing.T) {
	for name, tc := range map[string]struct {
		token  string
		inputs map[string]any
		want   string
	}{
		"route with two targets": {thumbnails.Token, map[string]any{"extraRoutes": []any{map[string]any{
			"queueArn": queueArn, "topicArn": "arn:aws:sns:eu-west-1:123456789012:t", "events": []any{"s3:ObjectCreated:*"}}}},
			"extraRoutes[0]: set exactly one of"},
		"route without events": {thumbnails.Token, map[string]any{"extraRoutes": []any{map[string]any{"queueArn": queueArn}}},
			"events: want at least one"},
		"origin with url and domain": {staticsite.Token, map[string]any{"content": mustPath(t, siteDir(t)),
			"behaviors": []any{map[string]any{"pathPattern": "/api/*", "origin": map[string]any{"id": "api", "url": apiURL, "domainName": "x.example.com"}}}},
			"origin api: set url, or domainName and path, not both"},
		"unknown enum value": {serverlessapi.Type, map[string]any{"routes": []any{map[string]any{"method": "GET", "path": "/",
			"functionArn": fnArn, "auth": "MAYBE"}}}, "MAYBE"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := construct(t, tc.token, "c", tc.inputs, withRegion(nil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// In a preview, inputs another resource has yet to make are unknown
// output values (as the SDKs send them to a component provider); the plain
// lists around them are not, so Construct still builds every child.
func TestPreviewWithUnknownInputs(t *testing.T) {
	fn := resource.URN("urn:pulumi:" + stack + "::" + project + "::aws:lambda/function:Function::todo")
	unknown := resource.NewProperty(resource.Output{Element: resource.NewNullProperty(), Dependencies: []resource.URN{fn}})
	inputs := map[string]any{"routes": []any{map[string]any{"method": "GET", "path": "/todos", "functionArn": unknown,
		"auth": "COGNITO_USER_POOLS"}}, "userPoolArns": unknown}
	rec, _, err := construct(t, serverlessapi.Type, "api", inputs, withRegion(nil),
		func(r *p.ConstructRequest) { r.DryRun = true })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := find(rec, "aws:lambda/permission:Permission", "api-get-todos"); !ok {
		var names []string
		for _, r := range rec.Resources() {
			names = append(names, r.Name)
		}
		t.Errorf("no permission for the route among %v", names)
	}
}
