package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// secureAPI is a REST API stage with logging, tracing and throttling, and a
// POST method with an authorizer and body validation, which every API
// Gateway rule accepts. The stage comes first.
func secureAPI() []recording.Resource {
	return []recording.Resource{
		res(typeStage, "api-stage", obj{"restApi": "api", "stageName": "prod", "deployment": "api-deployment",
			"xrayTracingEnabled": true,
			"accessLogSettings": obj{
				"destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/api",
				"format":         `{"requestId":"$context.requestId","status":"$context.status"}`,
			}}),
		res(typeRestAPI, "api", obj{"name": "api"}),
		res(typeMethodSettings, "api-settings", obj{"restApi": "api", "stageName": "prod", "methodPath": "*/*",
			"settings": obj{"throttlingRateLimit": 100.0, "throttlingBurstLimit": 50.0, "metricsEnabled": true}}),
		res(typeAPIResource, "api-todos", obj{"restApi": "api", "parentId": "api-root", "pathPart": "todos"}),
		res(typeRequestValidator, "api-validator", obj{"restApi": "api", "name": "body", "validateRequestBody": true}),
		res(typeMethod, "api-todos-post", obj{"restApi": "api", "resourceId": "api-todos", "httpMethod": "POST",
			"authorization": "COGNITO_USER_POOLS", "authorizerId": "api-auth", "requestValidatorId": "api-validator"}),
		res(typeMethod, "api-todos-options", obj{"restApi": "api", "resourceId": "api-todos", "httpMethod": "OPTIONS", "authorization": "NONE"}),
	}
}

func apiGatewayCases() []ruleCase {
	api := secureAPI()
	post := first(api, "api-todos-post")
	settings := func(s obj) []recording.Resource {
		return with(api, "api-settings", func(in obj) { in["settings"] = s })
	}
	return []ruleCase{
		{name: "access logs", rule: "APIGW-ACCESS-LOGS", stack: api},
		{name: "no access logs", rule: "APIGW-ACCESS-LOGS", stack: with(api, "api-stage", func(in obj) { delete(in, "accessLogSettings") }),
			want: "accessLogSettings lacks destinationArn and format"},

		{name: "tracing", rule: "APIGW-XRAY", stack: api},
		{name: "no tracing", rule: "APIGW-XRAY", stack: with(api, "api-stage", func(in obj) { in["xrayTracingEnabled"] = false }), want: "X-Ray tracing is off"},

		{name: "stage-wide throttling", rule: "APIGW-THROTTLING", stack: api},
		{name: "stage refers to the API by URN", rule: "APIGW-THROTTLING", stack: with(api, "api-stage", func(in obj) { in["restApi"] = api[1].URN })},
		{name: "no method settings", rule: "APIGW-THROTTLING", stack: without(api, "api-settings"), want: "no stage-wide throttling"},
		{name: "settings of another stage", rule: "APIGW-THROTTLING", stack: with(api, "api-settings", func(in obj) { in["stageName"] = "dev" }), want: "no stage-wide throttling"},
		{name: "settings of another API", rule: "APIGW-THROTTLING", stack: with(api, "api-settings", func(in obj) { in["restApi"] = "other" }), want: "no stage-wide throttling"},
		{name: "default (-1) limits", rule: "APIGW-THROTTLING", stack: settings(obj{"throttlingRateLimit": -1.0, "throttlingBurstLimit": -1.0}), want: "no stage-wide throttling"},

		{name: "POST with body validator", rule: "APIGW-REQUEST-VALIDATION", stack: post},
		{name: "GET needs none", rule: "APIGW-REQUEST-VALIDATION", stack: with(post, "api-todos-post", func(in obj) {
			in["httpMethod"] = "GET"
			delete(in, "requestValidatorId")
		})},
		{name: "POST without validator", rule: "APIGW-REQUEST-VALIDATION", stack: with(post, "api-todos-post", func(in obj) { delete(in, "requestValidatorId") }),
			want: "POST /todos takes a body but has no request validator"},
		{name: "validator skips the body", rule: "APIGW-REQUEST-VALIDATION", stack: with(post, "api-validator", func(in obj) {
			in["validateRequestBody"] = false
			in["validateRequestParameters"] = true
		}), want: `request validator "api-validator", which does not validate the body`},

		{name: "no cache", rule: "APIGW-CACHE-ENCRYPTED", stack: api},
		{name: "encrypted stage cache", rule: "APIGW-CACHE-ENCRYPTED", stack: with(settings(obj{"cachingEnabled": true, "cacheDataEncrypted": true}), "api-stage",
			func(in obj) { in["cacheClusterEnabled"] = true })},
		{name: "stage cache unencrypted", rule: "APIGW-CACHE-ENCRYPTED", stack: with(api, "api-stage", func(in obj) { in["cacheClusterEnabled"] = true }),
			want: "no */* MethodSettings sets cacheDataEncrypted"},
		{name: "method caching unencrypted", rule: "APIGW-CACHE-ENCRYPTED", stack: first(settings(obj{"cachingEnabled": true}), "api-settings"),
			want: "caching is on for */* but cacheDataEncrypted is not set"},

		{name: "authorizer", rule: "APIGW-AUTHORIZER", stack: post},
		{name: "CORS preflight", rule: "APIGW-AUTHORIZER", stack: first(api, "api-todos-options")},
		{name: "open GET", rule: "APIGW-AUTHORIZER", stack: with(post, "api-todos-post", func(in obj) {
			in["httpMethod"] = "GET"
			in["authorization"] = "NONE"
		}), want: "GET /todos is open to anyone"},
	}
}

func TestAPIGatewayRules(t *testing.T) { runRuleCases(t, apiGatewayCases()) }
