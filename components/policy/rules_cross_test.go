package policy

import (
	"slices"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const (
	queueArn = "arn:aws:sqs:us-east-1:123456789012:jobs"
	fnArn    = "arn:aws:lambda:us-east-1:123456789012:function:worker"
	certArn  = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"
)

// sqsWorker is a queue read by a function through an event source mapping,
// the mapping first.
func sqsWorker(visibility, timeout float64, mapping obj) []recording.Resource {
	m := obj{"eventSourceArn": queueArn, "functionName": fnArn}
	for k, v := range mapping {
		m[k] = v
	}
	return []recording.Resource{
		res(typeEventSourceMap, "mapping", m),
		res(typeQueue, "jobs", obj{"visibilityTimeoutSeconds": visibility}),
		res(typeFunction, "worker", obj{"timeout": timeout}),
	}
}

// site is a distribution with the given aliases and certificate ARN, and
// an in-stack certificate for names.
func site(aliases arr, arn string, names ...string) []recording.Resource {
	cert := res(typeCertificate, "cert", obj{"domainName": names[0], "subjectAlternativeNames": toArr(names[1:])})
	cert.ID = certArn
	return []recording.Resource{
		res(typeDistribution, "cdn", obj{"aliases": aliases, "viewerCertificate": obj{"acmCertificateArn": arn, "sslSupportMethod": "sni-only"}}),
		cert,
	}
}

// apiDomain is an API Gateway domain api.example.com with the given
// certificate inputs, and an in-stack certificate for name.
func apiDomain(certs obj, name string) []recording.Resource {
	in := obj{"domainName": "api.example.com"}
	for k, v := range certs {
		in[k] = v
	}
	cert := res(typeCertificate, "cert", obj{"domainName": name})
	cert.ID = certArn
	return []recording.Resource{res(typeRestAPIDomain, "domain", in), cert}
}

func toArr(ss []string) arr {
	out := arr{}
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

func distWith(origins arr, ordered ...obj) []recording.Resource {
	get := arr{"GET", "HEAD"}
	list := arr{}
	for _, o := range ordered {
		list = append(list, o)
	}
	return []recording.Resource{res(typeDistribution, "cdn", obj{
		"origins":               origins,
		"defaultCacheBehavior":  obj{"targetOriginId": "site", "allowedMethods": get, "cachedMethods": get},
		"orderedCacheBehaviors": list,
	})}
}

func notification(configs ...obj) []recording.Resource {
	qs := arr{}
	for _, c := range configs {
		c["queueArn"] = queueArn
		qs = append(qs, c)
	}
	return []recording.Resource{res(typeBucketNotify, "notify", obj{"bucket": "uploads", "queues": qs})}
}

func crossCases() []ruleCase {
	return slices.Concat(serviceCases(), dataCrossCases())
}

func serviceCases() []ruleCase {
	site1 := arr{obj{"originId": "site"}}
	return []ruleCase{
		{name: "six times the timeout", rule: "AWS-SQS-VISIBILITY-TIMEOUT", stack: sqsWorker(360, 60, nil)},
		{name: "default visibility below the timeout", rule: "AWS-SQS-VISIBILITY-TIMEOUT", stack: sqsWorker(30, 60, nil),
			want: "queue jobs has visibility timeout 30 s, below function worker's timeout 60 s"},

		{name: "SQS batch", rule: "AWS-EVENT-SOURCE-MAPPING", stack: sqsWorker(360, 60, obj{"batchSize": 5.0, "scalingConfig": obj{"maximumConcurrency": 5.0}})},
		{name: "SQS with a starting position", rule: "AWS-EVENT-SOURCE-MAPPING", stack: sqsWorker(360, 60, obj{"startingPosition": "LATEST"}),
			want: "startingPosition does not apply to an SQS source"},
		{name: "SQS batch of 100 without a window", rule: "AWS-EVENT-SOURCE-MAPPING", stack: sqsWorker(360, 60, obj{"batchSize": 100.0}),
			want: "batchSize 100 above 10 needs maximumBatchingWindowInSeconds"},
		{name: "stream without a starting position", rule: "AWS-EVENT-SOURCE-MAPPING", stack: []recording.Resource{res(typeEventSourceMap, "m", obj{
			"eventSourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000"})},
			want: "a dynamodb stream source needs startingPosition"},
		{name: "stream record age 30 s", rule: "AWS-EVENT-SOURCE-MAPPING", stack: []recording.Resource{res(typeEventSourceMap, "m", obj{
			"eventSourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/x", "startingPosition": "LATEST", "maximumRecordAgeInSeconds": 30.0})},
			want: "maximumRecordAgeInSeconds 30: want -1 (no limit) or 60 to 604800"},

		{name: "certificate covers the alias", rule: "AWS-CF-CERTIFICATE", stack: site(arr{"www.example.com"}, certArn, "www.example.com")},
		{name: "wildcard covers one label", rule: "AWS-CF-CERTIFICATE", stack: site(arr{"a.example.com"}, certArn, "example.com", "*.example.com")},
		{name: "wildcard does not cover two labels", rule: "AWS-CF-CERTIFICATE", stack: site(arr{"a.b.example.com"}, certArn, "*.example.com"),
			want: "alias a.b.example.com is not covered by certificate cert"},
		{name: "alias outside the certificate", rule: "AWS-CF-CERTIFICATE", stack: site(arr{"www.example.com", "shop.example.com"}, certArn, "www.example.com"),
			want: "alias shop.example.com is not covered"},
		{name: "certificate in eu-west-1", rule: "AWS-CF-CERTIFICATE", stack: site(arr{"www.example.com"}, "arn:aws:acm:eu-west-1:123456789012:certificate/x", "www.example.com"),
			want: "is in eu-west-1; CloudFront uses ACM certificates from us-east-1 only"},
		{name: "alias on the default certificate", rule: "AWS-CF-CERTIFICATE", stack: []recording.Resource{res(typeDistribution, "cdn", obj{
			"aliases": arr{"www.example.com"}, "viewerCertificate": obj{"cloudfrontDefaultCertificate": true}})},
			want: "need an ACM (or IAM) certificate"},

		{name: "regional domain with its certificate", rule: "AWS-APIGW-CERTIFICATE", stack: apiDomain(obj{"regionalCertificateArn": certArn}, "api.example.com")},
		{name: "edge domain with a certificate in eu-west-1", rule: "AWS-APIGW-CERTIFICATE", stack: apiDomain(obj{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"}, "api.example.com"),
			want: "it must be in us-east-1"},
		{name: "certificate for another name", rule: "AWS-APIGW-CERTIFICATE", stack: apiDomain(obj{"regionalCertificateArn": certArn}, "www.example.com"),
			want: "domain api.example.com is not covered by certificate cert"},

		{name: "behaviours target origins", rule: "AWS-CF-ORIGINS", stack: distWith(arr{obj{"originId": "site"}, obj{"originId": "api"}},
			obj{"pathPattern": "/api/*", "targetOriginId": "api", "allowedMethods": arr{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}, "cachedMethods": arr{"GET", "HEAD"}})},
		{name: "behaviour targets a missing origin", rule: "AWS-CF-ORIGINS", stack: distWith(site1, obj{"pathPattern": "/api/*", "targetOriginId": "api"}),
			want: `behaviour /api/* targets origin "api", which the distribution does not have`},
		{name: "GET, HEAD and POST", rule: "AWS-CF-ORIGINS", stack: distWith(site1, obj{"pathPattern": "/x/*", "targetOriginId": "site", "allowedMethods": arr{"GET", "HEAD", "POST"}}),
			want: "allows [GET HEAD POST]"},
		{name: "caches OPTIONS it does not allow", rule: "AWS-CF-ORIGINS", stack: distWith(site1, obj{"pathPattern": "/x/*", "targetOriginId": "site",
			"allowedMethods": arr{"GET", "HEAD"}, "cachedMethods": arr{"GET", "HEAD", "OPTIONS"}}),
			want: "caches [GET HEAD OPTIONS]"},
		{name: "path pattern twice", rule: "AWS-CF-ORIGINS", stack: distWith(site1, obj{"pathPattern": "/x/*", "targetOriginId": "site"}, obj{"pathPattern": "/x/*", "targetOriginId": "site"}),
			want: "path pattern /x/* appears twice"},
	}
}

func dataCrossCases() []ruleCase {
	put := obj{"events": arr{"s3:ObjectCreated:*"}, "filterPrefix": "uploads/"}
	with := func(o obj, kv ...any) obj {
		out := obj{}
		for k, v := range o {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	table := func(in obj) []recording.Resource { return []recording.Resource{res(typeTable, "t", in)} }
	reserving := func(a, b float64) []recording.Resource {
		return []recording.Resource{res(typeFunction, "a", obj{"reservedConcurrentExecutions": a}), res(typeFunction, "b", obj{"reservedConcurrentExecutions": b})}
	}
	return []ruleCase{
		{name: "one suffix per configuration", rule: "AWS-S3-NOTIFICATION-OVERLAP", stack: notification(with(put, "id", "jpg", "filterSuffix", ".jpg"), with(put, "id", "png", "filterSuffix", ".png"),
			with(put, "id", "JPG", "filterSuffix", ".JPG"), with(put, "id", "jpeg", "filterSuffix", ".jpeg"))},
		{name: "different event types", rule: "AWS-S3-NOTIFICATION-OVERLAP", stack: notification(with(put, "id", "a"), with(put, "id", "b", "events", arr{"s3:ObjectRemoved:*"}))},
		{name: "suffix inside a catch-all", rule: "AWS-S3-NOTIFICATION-OVERLAP", stack: notification(with(put, "id", "jpg", "filterSuffix", ".jpg"), with(put, "id", "all")),
			want: `configurations "jpg" (prefix "uploads/", suffix ".jpg") and "all" (prefix "uploads/", suffix "") overlap`},
		{name: "wildcard and a specific event", rule: "AWS-S3-NOTIFICATION-OVERLAP", stack: notification(with(put, "id", "a"), with(put, "id", "b", "events", arr{"s3:ObjectCreated:Put"}, "filterPrefix", "uploads/2026/")),
			want: "overlap for the same event type"},
		{name: "two notifications for a bucket", rule: "AWS-S3-NOTIFICATION-OVERLAP", stack: []recording.Resource{
			res(typeBucketNotify, "second", obj{"bucket": "uploads"}), res(typeBucketNotify, "first", obj{"bucket": "uploads"})},
			want: "already has BucketNotification first"},

		{name: "keys and index defined", rule: "AWS-DYNAMODB-ATTRIBUTES", stack: table(obj{"hashKey": "pk", "rangeKey": "sk",
			"attributes":             arr{obj{"name": "pk", "type": "S"}, obj{"name": "sk", "type": "S"}, obj{"name": "entity", "type": "S"}},
			"globalSecondaryIndexes": arr{obj{"name": "byEntity", "hashKey": "entity", "projectionType": "ALL"}}})},
		{name: "unused attribute", rule: "AWS-DYNAMODB-ATTRIBUTES", stack: table(obj{"hashKey": "pk", "attributes": arr{obj{"name": "pk", "type": "S"}, obj{"name": "email", "type": "S"}}}),
			want: "attribute email is defined but no key or index uses it"},
		{name: "undefined key", rule: "AWS-DYNAMODB-ATTRIBUTES", stack: table(obj{"hashKey": "pk", "rangeKey": "sk", "attributes": arr{obj{"name": "pk", "type": "S"}}}),
			want: "key attribute sk has no attribute definition"},

		{name: "a few reserved", rule: "AWS-LAMBDA-CONCURRENCY", stack: reserving(2, 5)},
		{name: "a thousand reserved", rule: "AWS-LAMBDA-CONCURRENCY", stack: reserving(500, 500),
			want: "reserves 500 of 1000 reserved in the stack; a default account allows 900"},
	}
}

func TestCrossResourceRules(t *testing.T) { runRuleCases(t, crossCases()) }

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		name, host string
		want       bool
	}{
		{"www.example.com", "WWW.example.com.", true},
		{"*.example.com", "www.example.com", true},
		{"*.example.com", "example.com", false},
		{"*.example.com", "a.b.example.com", false},
		{"example.com", "www.example.com", false},
	} {
		if got := covers(tc.name, tc.host); got != tc.want {
			t.Errorf("covers(%q, %q) = %v, want %v", tc.name, tc.host, got, tc.want)
		}
	}
}
