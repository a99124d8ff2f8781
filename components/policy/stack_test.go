package policy

import (
	"reflect"
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

func TestRefersTo(t *testing.T) {
	bucket := res(typeBucketV2, "site", obj{"bucket": "site-a1b2"})
	fn := res(typeFunction, "thumbnail-fn", obj{"name": "thumbnail"})
	logs := res(typeLogGroup, "fn-logs", obj{"name": "/aws/lambda/thumbnail"})
	queue := res(typeQueue, "jobs", nil)
	api := res(typeRestAPI, "api", nil)
	s := NewStack([]recording.Resource{bucket, fn, logs, queue, api})
	tests := []struct {
		name   string
		value  any
		target recording.Resource
		want   bool
	}{
		{"physical name", "site-a1b2", bucket, true},
		{"resource name (the id under mocks)", "site", bucket, true},
		{"URN", bucket.URN, bucket, true},
		{"bucket ARN", "arn:aws:s3:::site-a1b2", bucket, true},
		{"object ARN", "arn:aws:s3:::site-a1b2/*", bucket, true},
		{"list holding a reference", arr{"other", "arn:aws:s3:::site-a1b2/uploads/*"}, bucket, true},
		{"string list", []string{"other", "site-a1b2"}, bucket, true},
		{"longer bucket name", "arn:aws:s3:::site-a1b2-logs", bucket, false},
		{"name prefix", "site-a1b2-logs", bucket, false},
		{"name suffix in an ARN", "arn:aws:s3:::old-site-a1b2/*", bucket, false},
		{"ARN of another service", "arn:aws:sqs:us-east-1:123456789012:site-a1b2", bucket, false},
		{"another resource's URN", fn.URN, bucket, false},
		{"empty", "", bucket, false},
		{"not a string", 42.0, bucket, false},
		{"qualified function ARN", "arn:aws:lambda:us-east-1:123456789012:function:thumbnail:live", fn, true},
		{"function name", "thumbnail", fn, true},
		{"other function ARN", "arn:aws:lambda:us-east-1:123456789012:function:thumbnail-v2", fn, false},
		{"log group ARN", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumbnail:*", logs, true},
		{"other log group ARN", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/thumbnail-v2:*", logs, false},
		{"queue URL", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", queue, true},
		{"other queue URL", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-dlq", queue, false},
		{"queue ARN", "arn:aws:sqs:us-east-1:123456789012:jobs", queue, true},
		{"execute-api ARN", "arn:aws:execute-api:us-east-1:123456789012:api/*/GET/todos", api, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.RefersTo(tc.value, tc.target); got != tc.want {
				t.Errorf("RefersTo(%v, %s) = %v, want %v", tc.value, tc.target.Name, got, tc.want)
			}
		})
	}
}

func TestIdentities(t *testing.T) {
	s := NewStack(nil)
	tests := []struct {
		r    recording.Resource
		want []string
	}{
		{res(typeBucketV2, "site", obj{"bucket": "site-a1b2"}), []string{urnPrefix + typeBucketV2 + "::site", "site-a1b2", "site"}},
		{res(typeBucketV2, "site", obj{"bucket": "site"}), []string{urnPrefix + typeBucketV2 + "::site", "site"}},
		{res(typeFunction, "fn", nil), []string{urnPrefix + typeFunction + "::fn", "fn"}},
		{res(typeStage, "api-stage", obj{"stageName": "prod", "name": "ignored"}), []string{urnPrefix + typeStage + "::api-stage", "prod", "api-stage"}},
	}
	for _, tc := range tests {
		if got := s.Identities(tc.r); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Identities(%s) = %q, want %q", tc.r.Name, got, tc.want)
		}
	}
}

func TestS3Domain(t *testing.T) {
	tests := []struct {
		domain  string
		bucket  string
		website bool
		ok      bool
	}{
		{"site.s3.amazonaws.com", "site", false, true},
		{"site.s3.us-east-1.amazonaws.com", "site", false, true},
		{"site.s3.dualstack.eu-west-1.amazonaws.com", "site", false, true},
		{"my.dotted.bucket.s3.eu-west-1.amazonaws.com", "my.dotted.bucket", false, true},
		{"site.s3-website-us-east-1.amazonaws.com", "site", true, true},
		{"site.s3-website.eu-west-1.amazonaws.com", "site", true, true},
		{"http://site.s3-website-us-east-1.amazonaws.com/", "site", true, true},
		{"abc123.execute-api.us-east-1.amazonaws.com", "", false, false},
		{"example.com", "", false, false},
		{"", "", false, false},
	}
	for _, tc := range tests {
		bucket, website, ok := s3Domain(tc.domain)
		if bucket != tc.bucket || website != tc.website || ok != tc.ok {
			t.Errorf("s3Domain(%q) = %q, %v, %v; want %q, %v, %v", tc.domain, bucket, website, ok, tc.bucket, tc.website, tc.ok)
		}
	}
}

func names(rs []recording.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestStackLookups(t *testing.T) {
	parent := urnPrefix + "serverless-arch:cdn:CDN::site"
	bucket := res(typeBucketV2, "site-bucket", nil)
	bucket.Parent = parent
	policy := res(typeBucketPolicy, "site-policy", obj{"bucket": "site-bucket"})
	policy.Parent = parent
	fn := res(typeFunction, "thumbnail", nil)
	notify := res(typeBucketNotify, "uploads", obj{"bucket": "site-bucket",
		"lambdaFunctions": arr{obj{"lambdaFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:other"},
			obj{"lambdaFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:thumbnail"}}})
	other := res(typeBucketV2, "other", nil)
	s := NewStack([]recording.Resource{fn, bucket, notify, policy, other})

	check := func(what string, got []recording.Resource, want ...string) {
		t.Helper()
		if g := names(got); !reflect.DeepEqual(g, want) {
			t.Errorf("%s = %q, want %q", what, g, want)
		}
	}
	check("OfType in recording order", s.OfType(typeBucketPolicy, typeBucketV2), "site-bucket", "site-policy", "other")
	check("Children", s.Children(parent), "site-bucket", "site-policy")
	check("Referencing through a list", s.Referencing(fn, typeBucketNotify, "lambdaFunctions.lambdaFunctionArn"), "uploads")
	check("Referencing on either path", s.Referencing(bucket, typeBucketPolicy, "policy", "bucket"), "site-policy")
	check("Referencing none", s.Referencing(other, typeBucketPolicy, "bucket"))
	check("Referenced", s.Referenced("arn:aws:s3:::site-bucket/*", typeBucketV2, typeFunction), "site-bucket")
	if r, ok := s.Resource(policy.URN); !ok || r.Name != "site-policy" {
		t.Errorf("Resource(%s) = %v, %v", policy.URN, r.Name, ok)
	}
	if _, ok := s.Resource("urn:pulumi:dev::test::nope::nope"); ok {
		t.Error("Resource found a URN that is not in the stack")
	}
}

func TestValues(t *testing.T) {
	in := obj{
		"origins": arr{
			obj{"s3OriginConfig": obj{"originAccessIdentity": "a"}},
			obj{"customOriginConfig": obj{}},
			obj{"s3OriginConfig": obj{"originAccessIdentity": "b"}},
		},
		"tags":  arr{"x", arr{"y", nil}},
		"empty": nil,
	}
	if got := strs(in, "origins.s3OriginConfig.originAccessIdentity"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("values through a list = %q", got)
	}
	if got := values(in, "tags"); !reflect.DeepEqual(got, []any{"x", "y"}) {
		t.Errorf("values of nested lists = %v", got)
	}
	if got := values(in, "empty"); got != nil {
		t.Errorf("values of nil = %v", got)
	}
	if got := values(in, "missing.deeper"); got != nil {
		t.Errorf("values of a missing path = %v", got)
	}
	if n, ok := number(obj{"a": obj{"b": 7.0}}, "a.b"); !ok || n != 7 {
		t.Errorf("number = %v, %v", n, ok)
	}
	if _, ok := number(obj{"a": "many"}, "a"); ok {
		t.Error("number accepted a word")
	}
}
