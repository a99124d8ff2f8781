package policy

import (
	"testing"

	"github.com/gopherstack/serverless-arch/components/recording"
)

// secureBucket is a bucket with every companion resource the S3 rules ask
// for. Its physical name is set through the "bucket" input, so companions
// refer to it by that id, as they do in a recording.
func secureBucket(name string) []recording.Resource {
	id := name + "-a1b2"
	arn := "arn:aws:s3:::" + id
	return []recording.Resource{
		res(typeBucketV2, name, obj{"bucket": id}),
		res(typePublicAccessBlock, name+"-pab", obj{"bucket": id,
			"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}),
		res(typeBucketPolicy, name+"-policy", obj{"bucket": id, "policy": doc(denyInsecure("s3:*", arn, arn+"/*"))}),
		res(typeOwnership, name+"-ownership", obj{"bucket": id, "rule": obj{"objectOwnership": "BucketOwnerEnforced"}}),
		res(typeBucketEncryption, name+"-sse", obj{"bucket": id,
			"rules": arr{obj{"applyServerSideEncryptionByDefault": obj{"sseAlgorithm": "aws:kms"}}}}),
		res(typeBucketVersioning, name+"-versioning", obj{"bucket": id, "versioningConfiguration": obj{"status": "Enabled"}}),
		res(typeBucketLogging, name+"-logging", obj{"bucket": id, "targetBucket": "logs-c3d4", "targetPrefix": name + "/"}),
		res(typeBucketLifecycle, name+"-lifecycle", obj{"bucket": id, "rules": arr{obj{
			"id": "abort-uploads", "status": "Enabled", "abortIncompleteMultipartUpload": obj{"daysAfterInitiation": 7.0}}}}),
	}
}

func s3Cases() []ruleCase {
	site := secureBucket("site")
	// A legacy aws:s3/bucket:Bucket with everything inline, named only by its
	// resource name.
	legacy := res(typeBucket, "legacy", obj{
		"versioning":                        obj{"enabled": true},
		"loggings":                          arr{obj{"targetBucket": "logs"}},
		"lifecycleRules":                    arr{obj{"enabled": true, "abortIncompleteMultipartUploadDays": 3.0}},
		"serverSideEncryptionConfiguration": obj{"rule": obj{"applyServerSideEncryptionByDefault": obj{"sseAlgorithm": "AES256"}}},
		"policy":                            doc(denyInsecure("s3:*", "arn:aws:s3:::legacy", "arn:aws:s3:::legacy/*")),
	})
	logs := res(typeBucketV2, "logs", obj{"bucket": "logs-c3d4"})
	return []ruleCase{
		{name: "all four blocks", rule: "S3-PUBLIC-ACCESS-BLOCK", stack: site},
		{name: "block linked by URN", rule: "S3-PUBLIC-ACCESS-BLOCK", stack: with(site, "site-pab", func(in obj) { in["bucket"] = site[0].URN })},
		{name: "no block", rule: "S3-PUBLIC-ACCESS-BLOCK", stack: without(site, "site-pab"), want: "no BucketPublicAccessBlock"},
		{name: "block for another bucket", rule: "S3-PUBLIC-ACCESS-BLOCK", stack: with(site, "site-pab", func(in obj) { in["bucket"] = "site-a1b2-old" }), want: "no BucketPublicAccessBlock"},
		{name: "one block off", rule: "S3-PUBLIC-ACCESS-BLOCK", stack: with(site, "site-pab", func(in obj) { in["ignorePublicAcls"] = false }), want: "leaves ignorePublicAcls off"},

		{name: "deny without TLS", rule: "S3-TLS-ONLY", stack: site},
		{name: "inline policy on legacy bucket", rule: "S3-TLS-ONLY", stack: []recording.Resource{legacy}},
		{name: "no policy", rule: "S3-TLS-ONLY", stack: without(site, "site-policy"), want: "no bucket policy"},
		{name: "policy without TLS statement", rule: "S3-TLS-ONLY", stack: with(site, "site-policy", func(in obj) {
			in["policy"] = doc(allow("s3:GetObject", "arn:aws:s3:::site-a1b2/*"))
		}), want: "does not deny requests without TLS"},
		{name: "deny covers objects only", rule: "S3-TLS-ONLY", stack: with(site, "site-policy", func(in obj) {
			in["policy"] = doc(denyInsecure("s3:*", "arn:aws:s3:::site-a1b2/*"))
		}), want: "does not deny requests without TLS"},
		{name: "unreadable policy", rule: "S3-TLS-ONLY", stack: with(site, "site-policy", func(in obj) { in["policy"] = "{not json" }), want: "cannot be read"},

		{name: "owner enforced", rule: "S3-OWNER-ENFORCED", stack: site},
		{name: "no ownership controls", rule: "S3-OWNER-ENFORCED", stack: without(site, "site-ownership"), want: "no BucketOwnershipControls"},
		{name: "ACLs kept", rule: "S3-OWNER-ENFORCED", stack: with(site, "site-ownership", func(in obj) {
			in["rule"] = obj{"objectOwnership": "BucketOwnerPreferred"}
		}), want: `"BucketOwnerPreferred"`},

		{name: "encryption resource", rule: "S3-ENCRYPTION", stack: site},
		{name: "inline legacy encryption", rule: "S3-ENCRYPTION", stack: []recording.Resource{legacy}},
		{name: "no encryption", rule: "S3-ENCRYPTION", stack: without(site, "site-sse"), want: "no default encryption"},

		{name: "versioning enabled", rule: "S3-VERSIONING", stack: site},
		{name: "inline legacy versioning", rule: "S3-VERSIONING", stack: []recording.Resource{legacy}},
		{name: "log bucket exempt", rule: "S3-VERSIONING", stack: plus([]recording.Resource{logs}, site...)},
		{name: "no versioning", rule: "S3-VERSIONING", stack: without(site, "site-versioning"), want: "versioning is not enabled"},
		{name: "versioning suspended", rule: "S3-VERSIONING", stack: with(site, "site-versioning", func(in obj) {
			in["versioningConfiguration"] = obj{"status": "Suspended"}
		}), want: `"Suspended"`},

		{name: "logging resource", rule: "S3-ACCESS-LOGS", stack: site},
		{name: "inline legacy logging", rule: "S3-ACCESS-LOGS", stack: []recording.Resource{legacy}},
		{name: "no logging", rule: "S3-ACCESS-LOGS", stack: without(site, "site-logging"), want: "server access logging is off"},

		{name: "abort rule", rule: "S3-ABORT-MULTIPART", stack: site},
		{name: "inline legacy abort", rule: "S3-ABORT-MULTIPART", stack: []recording.Resource{legacy}},
		{name: "no lifecycle", rule: "S3-ABORT-MULTIPART", stack: without(site, "site-lifecycle"), want: "no lifecycle configuration"},
		{name: "lifecycle without abort", rule: "S3-ABORT-MULTIPART", stack: with(site, "site-lifecycle", func(in obj) {
			in["rules"] = arr{obj{"id": "expire", "status": "Enabled", "expiration": obj{"days": 30.0}}}
		}), want: "no enabled lifecycle rule aborts"},
		{name: "abort rule disabled", rule: "S3-ABORT-MULTIPART", stack: with(site, "site-lifecycle", func(in obj) {
			in["rules"] = arr{obj{"id": "abort", "status": "Disabled", "abortIncompleteMultipartUpload": obj{"daysAfterInitiation": 7.0}}}
		}), want: "no enabled lifecycle rule aborts"},
	}
}

func TestS3Rules(t *testing.T) { runRuleCases(t, s3Cases()) }

func TestLogBucketDetection(t *testing.T) {
	logs := res(typeBucketV2, "logs", obj{"bucket": "logs-c3d4"})
	tests := []struct {
		name  string
		stack []recording.Resource
		want  bool
	}{
		{"S3 access log target", plus([]recording.Resource{logs}, secureBucket("site")...), true},
		{"CloudFront v1 log bucket", []recording.Resource{logs, res(typeDistribution, "cdn", obj{
			"loggingConfig": obj{"bucket": "logs-c3d4.s3.amazonaws.com"}})}, true},
		{"CloudFront v2 delivery destination", []recording.Resource{logs, res(typeLogDeliveryDest, "cdn-logs", obj{
			"deliveryDestinationConfiguration": obj{"destinationResourceArn": "arn:aws:s3:::logs-c3d4"}})}, true},
		{"data bucket", []recording.Resource{logs}, false},
		{"similar name is another bucket", []recording.Resource{logs, res(typeDistribution, "cdn", obj{
			"loggingConfig": obj{"bucket": "logs-c3d4-old.s3.amazonaws.com"}})}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := isLogBucket(NewStack(tc.stack), logs); got != tc.want {
				t.Errorf("isLogBucket = %v, want %v", got, tc.want)
			}
		})
	}
}
