package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:thumbnail"

// secureFunction is an S3-triggered function with everything the Lambda
// rules ask for; the function comes first. edit, if given, changes the
// function's freshly built inputs.
func secureFunction(edit func(in obj)) []recording.Resource {
	in := obj{
		"name": "thumbnail", "role": "arn:aws:iam::123456789012:role/thumbnail",
		"runtime": "provided.al2023", "handler": "bootstrap",
		"memorySize": 512.0, "timeout": 30.0, "reservedConcurrentExecutions": 10.0,
		"tracingConfig": obj{"mode": "Active"},
		"environment": obj{"variables": obj{
			"TABLE_NAME":      "todos",
			"DB_PASSWORD_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf",
			"API_KEY":         "/thumbnail/api-key",
			"S3_KEY_PREFIX":   "thumbs/",
			"SIGNING_KEY":     "signing-key",
		}},
	}
	if edit != nil {
		edit(in)
	}
	return []recording.Resource{
		res(typeFunction, "thumbnail", in),
		res(typeLogGroup, "thumbnail-logs", obj{"name": "/aws/lambda/thumbnail", "retentionInDays": 30.0}),
		res(typePermission, "thumbnail-s3", obj{"function": "thumbnail", "action": "lambda:InvokeFunction",
			"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::photos", "sourceAccount": "123456789012"}),
		res(typeEventInvokeConfig, "thumbnail-async", obj{"functionName": "thumbnail", "maximumRetryAttempts": 2.0,
			"destinationConfig": obj{"onFailure": obj{"destination": "arn:aws:sqs:us-east-1:123456789012:thumbnail-dlq"}}}),
		res("aws:kms/key:Key", "signing-key", obj{"keyUsage": "SIGN_VERIFY"}),
	}
}

// apiFunction is invoked only by API Gateway (synchronously).
func apiFunction() []recording.Resource {
	fn := without(secureFunction(func(in obj) { delete(in, "reservedConcurrentExecutions") }), "thumbnail-async")
	return with(fn, "thumbnail-s3", func(in obj) {
		in["principal"] = "apigateway.amazonaws.com"
		in["sourceArn"] = "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/thumbnails"
	})
}

func esm(source string, edit func(in obj)) recording.Resource {
	in := obj{"functionName": fnARN, "eventSourceArn": source, "startingPosition": "LATEST"}
	if edit != nil {
		edit(in)
	}
	return res(typeEventSourceMap, "thumbnail-source", in)
}

func onFailure(in obj) {
	in["destinationConfig"] = obj{"onFailure": obj{"destinationArn": "arn:aws:sqs:us-east-1:123456789012:thumbnail-dlq"}}
}

func lambdaCases() []ruleCase {
	fn := secureFunction(nil)
	asyncNoDestination := without(fn, "thumbnail-async")
	env := func(name, value string) []recording.Resource {
		return secureFunction(func(in obj) { in["environment"] = obj{"variables": obj{name: value}} })
	}
	const kinesis = "arn:aws:kinesis:us-east-1:123456789012:stream/uploads"
	const stream = "arn:aws:dynamodb:us-east-1:123456789012:table/todos/stream/2024-01-01T00:00:00.000"
	const queueARN = "arn:aws:sqs:us-east-1:123456789012:jobs"
	queue := res(typeQueue, "jobs", obj{"name": "jobs", "redrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:jobs-dlq","maxReceiveCount":5}`})
	bareQueue := res(typeQueue, "jobs", obj{"name": "jobs"})
	return []ruleCase{
		{name: "memory set", rule: "LAMBDA-MEMORY", stack: fn},
		{name: "memory default", rule: "LAMBDA-MEMORY", stack: secureFunction(func(in obj) { delete(in, "memorySize") }), want: "memorySize is not set"},
		{name: "timeout set", rule: "LAMBDA-TIMEOUT", stack: fn},
		{name: "timeout default", rule: "LAMBDA-TIMEOUT", stack: secureFunction(func(in obj) { delete(in, "timeout") }), want: "timeout is not set"},
		{name: "active tracing", rule: "LAMBDA-XRAY", stack: fn},
		{name: "pass-through tracing", rule: "LAMBDA-XRAY", stack: secureFunction(func(in obj) { in["tracingConfig"] = obj{"mode": "PassThrough"} }), want: "X-Ray tracing is off"},

		{name: "on-failure destination", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: fn},
		{name: "dead-letter queue", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: without(secureFunction(func(in obj) {
			in["deadLetterConfig"] = obj{"targetArn": "arn:aws:sqs:us-east-1:123456789012:thumbnail-dlq"}
		}), "thumbnail-async")},
		{name: "synchronous only", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: apiFunction()},
		{name: "S3 permission, no destination", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: asyncNoDestination,
			want: `invoked asynchronously by s3.amazonaws.com (Permission "thumbnail-s3")`},
		{name: "EventBridge target, no destination", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: plus(apiFunction(),
			res(typeEventTarget, "nightly", obj{"rule": "nightly", "arn": fnARN})), want: `EventBridge (EventTarget "nightly")`},
		{name: "bucket notification, no destination", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: plus(apiFunction(),
			res(typeBucketNotify, "uploads", obj{"bucket": "photos", "lambdaFunctions": arr{obj{"lambdaFunctionArn": fnARN + ":live"}}})),
			want: `S3 (BucketNotification "uploads")`},
		{name: "invoke config without on-failure", rule: "LAMBDA-ASYNC-FAILURE-DESTINATION", stack: with(fn, "thumbnail-async", func(in obj) {
			in["destinationConfig"] = obj{"onSuccess": obj{"destination": "arn:aws:sqs:us-east-1:123456789012:done"}}
		}), want: "events that fail every retry are dropped"},

		{name: "Kinesis with on-failure", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(kinesis, onFailure)}},
		{name: "Kinesis without on-failure", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(kinesis, nil)},
			want: "records from the kinesis source that fail are dropped"},
		{name: "DynamoDB stream without on-failure", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(stream, nil)},
			want: "the dynamodb source"},
		{name: "SQS queue with redrive", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(queueARN, nil), queue}},
		{name: "SQS queue with RedrivePolicy resource", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(queueARN, nil), bareQueue,
			res(typeRedrivePolicy, "jobs-redrive", obj{"queueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "redrivePolicy": "{}"})}},
		{name: "SQS queue without redrive", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(queueARN, nil), bareQueue},
			want: `source queue "jobs" has no redrivePolicy`},
		{name: "SQS queue outside the stack", rule: "LAMBDA-EVENT-SOURCE-FAILURE-DESTINATION", stack: []recording.Resource{esm(queueARN, nil)},
			want: "is not in this stack"},

		{name: "async with reserved concurrency", rule: "LAMBDA-RESERVED-CONCURRENCY", stack: fn},
		{name: "synchronous only", rule: "LAMBDA-RESERVED-CONCURRENCY", stack: apiFunction()},
		{name: "async without reserved concurrency", rule: "LAMBDA-RESERVED-CONCURRENCY", stack: secureFunction(func(in obj) {
			delete(in, "reservedConcurrentExecutions")
		}), want: "driven by s3.amazonaws.com"},
		{name: "event source without reserved concurrency", rule: "LAMBDA-RESERVED-CONCURRENCY", stack: plus(apiFunction(), esm(kinesis, onFailure)),
			want: `driven by EventSourceMapping "thumbnail-source"`},

		{name: "references only", rule: "LAMBDA-ENV-SECRETS", stack: fn},
		{name: "Pulumi secret", rule: "LAMBDA-ENV-SECRETS", stack: env("DB_URL", "[secret]"), want: "variable DB_URL carries a Pulumi secret"},
		{name: "literal password", rule: "LAMBDA-ENV-SECRETS", stack: env("DB_PASSWORD", "hunter22"), want: "variable DB_PASSWORD looks like a secret"},
		{name: "literal JWT key", rule: "LAMBDA-ENV-SECRETS", stack: env("JWT_KEY", "c2VjcmV0"), want: "variable JWT_KEY looks like a secret"},
		{name: "access key under any name", rule: "LAMBDA-ENV-SECRETS", stack: env("UPSTREAM", "AKIAIOSFODNN7EXAMPLE"), want: "an AWS access key ID"},

		{name: "service scoped by source", rule: "LAMBDA-PERMISSION-SCOPED", stack: first(fn, "thumbnail-s3")},
		{name: "account principal", rule: "LAMBDA-PERMISSION-SCOPED", stack: []recording.Resource{res(typePermission, "cross-account", obj{
			"function": "thumbnail", "action": "lambda:InvokeFunction", "principal": "210987654321"})}},
		{name: "anyone in the organisation", rule: "LAMBDA-PERMISSION-SCOPED", stack: []recording.Resource{res(typePermission, "org", obj{
			"function": "thumbnail", "action": "lambda:InvokeFunction", "principal": "*", "principalOrgId": "o-a1b2c3d4e5"})}},
		{name: "service without source", rule: "LAMBDA-PERMISSION-SCOPED", stack: first(with(fn, "thumbnail-s3", func(in obj) {
			delete(in, "sourceArn")
			delete(in, "sourceAccount")
		}), "thumbnail-s3"), want: "lets any s3.amazonaws.com resource in any account invoke"},
		{name: "anyone", rule: "LAMBDA-PERMISSION-SCOPED", stack: []recording.Resource{res(typePermission, "public", obj{
			"function": "thumbnail", "action": "lambda:InvokeFunctionUrl", "principal": "*", "functionUrlAuthType": "NONE"})},
			want: "lets anyone invoke the function"},

		{name: "default log group", rule: "LAMBDA-LOG-GROUP", stack: fn},
		{name: "custom log group", rule: "LAMBDA-LOG-GROUP", stack: with(secureFunction(func(in obj) {
			in["loggingConfig"] = obj{"logFormat": "JSON", "logGroup": "/app/thumbnail"}
		}), "thumbnail-logs", func(in obj) { in["name"] = "/app/thumbnail" })},
		{name: "no log group", rule: "LAMBDA-LOG-GROUP", stack: without(fn, "thumbnail-logs"), want: "no log group /aws/lambda/thumbnail"},
		{name: "custom log group missing", rule: "LAMBDA-LOG-GROUP", stack: secureFunction(func(in obj) {
			in["loggingConfig"] = obj{"logGroup": "/app/thumbnail"}
		}), want: "no log group /app/thumbnail"},

		{name: "retention set", rule: "LOGS-RETENTION", stack: first(fn, "thumbnail-logs")},
		{name: "kept forever", rule: "LOGS-RETENTION", stack: first(with(fn, "thumbnail-logs", func(in obj) { delete(in, "retentionInDays") }), "thumbnail-logs"),
			want: "retentionInDays is not set"},
	}
}

func TestLambdaRules(t *testing.T) { runRuleCases(t, lambdaCases()) }

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "STRIPE_SECRET": true, "GITHUB_TOKEN": true, "API_KEY": true, "apiKey": true,
		"APIKEY": true, "JWT_KEY": true, "KEY": true, "PRIVATE_KEY_PEM": true, "client-secret": true,
		"DB_PASSWORD_ARN": false, "TOKEN_URL": false, "SECRET_NAME": false, "API_KEY_PARAM": false,
		"S3_KEY_PREFIX": false, "PARTITION_KEY": false, "KMS_KEY_ID": false, "TABLE_NAME": false, "PASSTHROUGH": false,
	} {
		if got := secretName(name); got != want {
			t.Errorf("secretName(%q) = %v, want %v", name, got, want)
		}
	}
}
