package policy

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func valueCases() []ruleCase {
	one := func(typ string, in obj) []recording.Resource { return []recording.Resource{res(typ, "subject", in)} }
	return []ruleCase{
		{name: "a year", rule: "AWS-LOG-RETENTION", stack: one(typeLogGroup, obj{"retentionInDays": 365.0})},
		{name: "never expire", rule: "AWS-LOG-RETENTION", stack: one(typeLogGroup, obj{"retentionInDays": 0.0})},
		{name: "45 days", rule: "AWS-LOG-RETENTION", stack: one(typeLogGroup, obj{"retentionInDays": 45.0}),
			want: "retentionInDays 45 is not a period CloudWatch Logs accepts"},
		{name: "two years as 730", rule: "AWS-LOG-RETENTION", stack: one(typeLogGroup, obj{"retentionInDays": 730.0}),
			want: "one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,"},

		{name: "arm64 with active tracing", rule: "AWS-ALLOWED-VALUES", stack: one(typeFunction, obj{"architectures": arr{"arm64"}, "tracingConfig": obj{"mode": "Active"}})},
		{name: "lower-case tracing mode", rule: "AWS-ALLOWED-VALUES", stack: one(typeFunction, obj{"tracingConfig": obj{"mode": "active"}}),
			want: `tracingConfig.mode "active" is not one of Active, PassThrough`},
		{name: "aarch64", rule: "AWS-ALLOWED-VALUES", stack: one(typeFunction, obj{"architectures": arr{"aarch64"}}),
			want: `architectures "aarch64" is not one of x86_64, arm64`},
		{name: "cache cluster size", rule: "AWS-ALLOWED-VALUES", stack: one(typeStage, obj{"cacheClusterSize": "0.5"})},
		{name: "cache cluster size 2", rule: "AWS-ALLOWED-VALUES", stack: one(typeStage, obj{"cacheClusterSize": "2"}),
			want: `cacheClusterSize "2" is not one of 0.5, 1.6`},
		{name: "price class", rule: "AWS-ALLOWED-VALUES", stack: one(typeDistribution, obj{"priceClass": "PriceClass_300"}),
			want: `priceClass "PriceClass_300"`},
		{name: "ordered behaviour viewer policy", rule: "AWS-ALLOWED-VALUES", stack: one(typeDistribution, obj{
			"orderedCacheBehaviors": arr{obj{"viewerProtocolPolicy": "https-only"}, obj{"viewerProtocolPolicy": "redirect-to-http"}}}),
			want: `orderedCacheBehaviors.viewerProtocolPolicy "redirect-to-http"`},
		{name: "billing mode", rule: "AWS-ALLOWED-VALUES", stack: one(typeTable, obj{"billingMode": "ON_DEMAND"}),
			want: `billingMode "ON_DEMAND" is not one of PROVISIONED, PAY_PER_REQUEST`},
		{name: "fixed response content type", rule: "AWS-ALLOWED-VALUES", stack: one(typeListenerRule, obj{"actions": arr{obj{
			"type": "fixed-response", "fixedResponse": obj{"contentType": "text/xml", "statusCode": "403"}}}}),
			want: `actions.fixedResponse.contentType "text/xml"`},

		{name: "memory and timeout", rule: "AWS-RANGE", stack: one(typeFunction, obj{"memorySize": 10240.0, "timeout": 900.0})},
		{name: "memory 64", rule: "AWS-RANGE", stack: one(typeFunction, obj{"memorySize": 64.0}),
			want: "memorySize 64 is outside 128 to 10240"},
		{name: "timeout 901", rule: "AWS-RANGE", stack: one(typeFunction, obj{"timeout": 901.0}),
			want: "timeout 901 is outside 1 to 900"},
		{name: "visibility over 12 hours", rule: "AWS-RANGE", stack: one(typeQueue, obj{"visibilityTimeoutSeconds": 43201.0}),
			want: "visibilityTimeoutSeconds 43201 is outside 0 to 43200"},
		{name: "retention under a minute", rule: "AWS-RANGE", stack: one(typeQueue, obj{"messageRetentionSeconds": 30.0}),
			want: "messageRetentionSeconds 30 is outside 60 to 1209600"},
		{name: "batch size 0", rule: "AWS-RANGE", stack: one(typeEventSourceMap, obj{"batchSize": 0.0}),
			want: "batchSize 0 is outside 1 to 10000"},
		{name: "negative max TTL", rule: "AWS-RANGE", stack: one(typeCachePolicy, obj{"maxTtl": -1.0}),
			want: "maxTtl -1 is below the minimum 0"},
		{name: "listener rule priority 0", rule: "AWS-RANGE", stack: one(typeListenerRule, obj{"priority": 0.0}),
			want: "priority 0 is outside 1 to 50000"},
		{name: "origin connection timeout 11", rule: "AWS-RANGE", stack: one(typeDistribution, obj{"origins": arr{obj{"connectionTimeout": 11.0}}}),
			want: "origins.connectionTimeout 11 is outside 1 to 10"},
		{name: "compression size as a string", rule: "AWS-RANGE", stack: one(typeRestAPI, obj{"minimumCompressionSize": "1024"})},
		{name: "compression off", rule: "AWS-RANGE", stack: one(typeRestAPI, obj{"minimumCompressionSize": "-1"})},
		{name: "compression above 10 MB", rule: "AWS-RANGE", stack: one(typeRestAPI, obj{"minimumCompressionSize": "10485761"}),
			want: "minimumCompressionSize 10485761 is outside -1 to 10485760"},
		{name: "KMS deletion window", rule: "AWS-RANGE", stack: one(typeKMSKey, obj{"deletionWindowInDays": 5.0}),
			want: "deletionWindowInDays 5 is outside 7 to 30"},
	}
}

func fieldCases() []ruleCase {
	one := func(typ string, in obj) []recording.Resource { return []recording.Resource{res(typ, "subject", in)} }
	return []ruleCase{
		{name: "current runtime", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"runtime": "provided.al2023", "loggingConfig": obj{"logFormat": "JSON", "applicationLogLevel": "INFO"}})},
		{name: "a runtime newer than this table", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"runtime": "nodejs99.x"})},
		{name: "go1.x", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"runtime": "go1.x"}),
			want: "runtime go1.x is deprecated and Lambda blocks creating functions with it"},
		{name: "unknown runtime", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"runtime": "golang"}),
			want: `runtime "golang" is not a Lambda runtime identifier`},
		{name: "log level with text logs", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"loggingConfig": obj{"logFormat": "Text", "applicationLogLevel": "INFO"}}),
			want: "loggingConfig.applicationLogLevel needs loggingConfig.logFormat JSON"},
		{name: "two architectures", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"architectures": arr{"arm64", "x86_64"}}),
			want: "architectures has 2 entries"},
		{name: "environment over 4 KB", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeFunction, obj{"environment": obj{"variables": obj{"BIG": strings.Repeat("x", 4094)}}}),
			want: "environment variables total 4097 bytes"},
		{name: "TTLs out of order", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeCachePolicy, obj{"minTtl": 0.0, "defaultTtl": 86400.0, "maxTtl": 3600.0}),
			want: "not in order min <= default <= max"},
		{name: "TTLs in order", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeCachePolicy, obj{"minTtl": 0.0, "defaultTtl": 60.0, "maxTtl": 60.0})},
		{name: "desired above max", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeASG, obj{"minSize": 1.0, "maxSize": 2.0, "desiredCapacity": 3.0}),
			want: "desiredCapacity 3 is outside minSize 1 to maxSize 2"},
		{name: "port range upside down", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeSGIngressRule, obj{"ipProtocol": "tcp", "fromPort": 443.0, "toPort": 80.0}),
			want: "fromPort 443 is above toPort 80"},
		{name: "protocol name", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeSGEgressRule, obj{"ipProtocol": "https", "fromPort": 443.0, "toPort": 443.0}),
			want: `ipProtocol "https" is not tcp, udp, icmp, icmpv6, -1 or a protocol number`},
		{name: "token validity in minutes", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeUserPoolClient, obj{
			"accessTokenValidity": 60.0, "idTokenValidity": 60.0, "refreshTokenValidity": 30.0,
			"tokenValidityUnits": obj{"accessToken": "minutes", "idToken": "minutes", "refreshToken": "days"}})},
		{name: "access token for two days", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeUserPoolClient, obj{"accessTokenValidity": 2.0, "tokenValidityUnits": obj{"accessToken": "days"}}),
			want: "accessTokenValidity 2 days is outside"},
		{name: "redrive count 0", rule: "AWS-FIELD-COMBINATIONS", stack: one(typeQueue, obj{"redrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:dlq","maxReceiveCount":0}`}),
			want: "redrivePolicy maxReceiveCount 0 is outside 1-1000"},
	}
}

func TestValueRules(t *testing.T) {
	runRuleCases(t, valueCases())
	runRuleCases(t, fieldCases())
}
