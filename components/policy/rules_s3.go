package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gopherstack/serverless-arch/components/recording"
)

var bucketTypes = []string{typeBucketV2, typeBucket}

var s3Rules = []Rule{
	{
		ID:          "S3-PUBLIC-ACCESS-BLOCK",
		Mirrors:     []string{"AwsSolutions-S2", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"},
		Description: "Every bucket has a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
		Types:       bucketTypes,
		Check:       checkBucketPublicAccess,
	},
	{
		ID:          "S3-TLS-ONLY",
		Mirrors:     []string{"AwsSolutions-S10"},
		Description: "Every bucket's policy denies everyone s3:* on the bucket and its objects when aws:SecureTransport is false.",
		Types:       bucketTypes,
		Check:       checkBucketTLSOnly,
	},
	{
		ID:          "S3-OWNER-ENFORCED",
		Mirrors:     []string{"CKV2_AWS_65"},
		Description: "Every bucket has BucketOwnershipControls with objectOwnership BucketOwnerEnforced, which disables ACLs.",
		Types:       bucketTypes,
		Check:       checkBucketOwnerEnforced,
	},
	{
		ID:          "S3-ENCRYPTION",
		Mirrors:     []string{"AwsSolutions-S3", "CKV_AWS_19"},
		Description: "Every bucket declares default server-side encryption (a BucketServerSideEncryptionConfigurationV2 or the inline setting).",
		Types:       bucketTypes,
		Check:       checkBucketEncryption,
	},
	{
		ID:          "S3-VERSIONING",
		Mirrors:     []string{"CKV_AWS_21"},
		Description: "Every bucket that holds data has versioning Enabled. Buckets that only receive access logs (a logging target of a bucket or distribution) are exempt: their records are not data to restore.",
		Types:       bucketTypes,
		Check:       checkBucketVersioning,
	},
	{
		ID:          "S3-ACCESS-LOGS",
		Mirrors:     []string{"AwsSolutions-S1", "CKV_AWS_18"},
		Description: "Every bucket writes server access logs to a target bucket, or carries a suppression saying why not (a log bucket cannot usefully log to itself).",
		Types:       bucketTypes,
		Check:       checkBucketAccessLogs,
	},
	{
		ID:          "S3-ABORT-MULTIPART",
		Mirrors:     []string{"CKV_AWS_300", "CKV2_AWS_61"},
		Description: "Every bucket has an enabled lifecycle rule that aborts incomplete multipart uploads, so abandoned parts are not stored and billed forever.",
		Types:       bucketTypes,
		Check:       checkBucketAbortMultipart,
	},
}

func checkBucketPublicAccess(s *Stack, b recording.Resource) []string {
	blocks := s.Referencing(b, typePublicAccessBlock, "bucket")
	if len(blocks) == 0 {
		return []string{"no BucketPublicAccessBlock for this bucket; add one with all four settings true"}
	}
	var problems []string
	for _, pab := range blocks {
		var off []string
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			if !isTrue(pab.Inputs, k) {
				off = append(off, k)
			}
		}
		if len(off) == 0 {
			return nil
		}
		problems = append(problems, fmt.Sprintf("BucketPublicAccessBlock %q leaves %s off", pab.Name, strings.Join(off, ", ")))
	}
	return problems
}

// bucketPolicies returns the policy documents that apply to bucket b: its
// inline policy and those of BucketPolicy resources for it, keyed by where
// they come from.
func bucketPolicies(s *Stack, b recording.Resource) (from []string, docs []any) {
	if p := at(b.Inputs, "policy"); p != nil && p != "" {
		from, docs = append(from, "the inline policy"), append(docs, p)
	}
	for _, bp := range s.Referencing(b, typeBucketPolicy, "bucket") {
		from, docs = append(from, fmt.Sprintf("BucketPolicy %q", bp.Name)), append(docs, at(bp.Inputs, "policy"))
	}
	return from, docs
}

func checkBucketTLSOnly(s *Stack, b recording.Resource) []string {
	from, docs := bucketPolicies(s, b)
	if len(docs) == 0 {
		return []string{"no bucket policy; add one denying s3:* on the bucket and its objects when aws:SecureTransport is false"}
	}
	found, problems := anyStatement(from, docs, func(st statement) bool {
		return st.deniesInsecureTransport("s3") && coversBucketAndObjects(st.Resources)
	})
	if found {
		return nil
	}
	return append(problems, "the bucket policy does not deny requests without TLS: add a Deny of s3:* for Principal * on the bucket ARN and ARN/* where aws:SecureTransport is false")
}

// coversBucketAndObjects reports whether resources name both a bucket and
// its objects ("arn:aws:s3:::b" and "arn:aws:s3:::b/*"), or everything.
func coversBucketAndObjects(resources []string) bool {
	bucket, objects := false, false
	for _, r := range resources {
		switch {
		case r == "*":
			return true
		case strings.HasSuffix(r, "/*"):
			objects = true
		case !strings.Contains(s3ResourcePart(r), "/"):
			bucket = true
		}
	}
	return bucket && objects
}

// s3ResourcePart strips the "arn:aws:s3:::" prefix from an S3 ARN.
func s3ResourcePart(arn string) string {
	if i := strings.LastIndex(arn, ":::"); i >= 0 {
		return arn[i+3:]
	}
	return arn
}

func checkBucketOwnerEnforced(s *Stack, b recording.Resource) []string {
	controls := s.Referencing(b, typeOwnership, "bucket")
	if len(controls) == 0 {
		return []string{"no BucketOwnershipControls for this bucket; add one with objectOwnership BucketOwnerEnforced to disable ACLs"}
	}
	for _, c := range controls {
		if got := str(c.Inputs, "rule.objectOwnership"); got != "BucketOwnerEnforced" {
			return []string{fmt.Sprintf("BucketOwnershipControls %q sets objectOwnership %q, not BucketOwnerEnforced, so ACLs stay enabled", c.Name, got)}
		}
	}
	return nil
}

func checkBucketEncryption(s *Stack, b recording.Resource) []string {
	inline := append(
		strs(b.Inputs, "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults.sseAlgorithm"),
		strs(b.Inputs, "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm")...)
	if len(inline) > 0 {
		return nil
	}
	for _, c := range s.Referencing(b, typeBucketEncryption, "bucket") {
		if len(strs(c.Inputs, "rules.applyServerSideEncryptionByDefault.sseAlgorithm")) > 0 {
			return nil
		}
		return []string{fmt.Sprintf("BucketServerSideEncryptionConfigurationV2 %q sets no sseAlgorithm", c.Name)}
	}
	return []string{"no default encryption declared; add a BucketServerSideEncryptionConfigurationV2 (AES256 or aws:kms)"}
}

func checkBucketVersioning(s *Stack, b recording.Resource) []string {
	if isLogBucket(s, b) {
		return nil
	}
	if isTrue(b.Inputs, "versioning.enabled") {
		return nil
	}
	for _, v := range values(b.Inputs, "versionings.enabled") {
		if truthy(v) {
			return nil
		}
	}
	for _, v := range s.Referencing(b, typeBucketVersioning, "bucket") {
		if str(v.Inputs, "versioningConfiguration.status") == "Enabled" {
			return nil
		}
		return []string{fmt.Sprintf("BucketVersioningV2 %q sets status %q, not Enabled", v.Name, str(v.Inputs, "versioningConfiguration.status"))}
	}
	return []string{"versioning is not enabled; add a BucketVersioningV2 with status Enabled so overwritten or deleted objects can be restored"}
}

// isLogBucket reports whether b is the target of access logs: S3 server
// access logs or CloudFront standard logs (v1 loggingConfig or a v2 log
// delivery destination).
func isLogBucket(s *Stack, b recording.Resource) bool {
	if len(s.Referencing(b, typeBucketLogging, "targetBucket")) > 0 ||
		len(s.Referencing(b, typeBucketV2, "loggings.targetBucket")) > 0 ||
		len(s.Referencing(b, typeBucket, "loggings.targetBucket")) > 0 ||
		len(s.Referencing(b, typeLogDeliveryDest, "deliveryDestinationConfiguration.destinationResourceArn")) > 0 {
		return true
	}
	ids := s.Identities(b)
	for _, d := range s.OfType(typeDistribution) {
		logs := str(d.Inputs, "loggingConfig.bucket")
		if name, _, ok := s3Domain(logs); (ok && slices.Contains(ids, name)) || s.RefersTo(logs, b) {
			return true
		}
	}
	return false
}

func checkBucketAccessLogs(s *Stack, b recording.Resource) []string {
	if len(strs(b.Inputs, "loggings.targetBucket")) > 0 {
		return nil
	}
	for _, l := range s.Referencing(b, typeBucketLogging, "bucket") {
		if str(l.Inputs, "targetBucket") != "" {
			return nil
		}
	}
	return []string{"server access logging is off; add a BucketLoggingV2 to a log bucket, or suppress with the reason"}
}

func checkBucketAbortMultipart(s *Stack, b recording.Resource) []string {
	for _, rule := range list(b.Inputs, "lifecycleRules") {
		if days, ok := number(rule, "abortIncompleteMultipartUploadDays"); ok && days > 0 && isTrue(rule, "enabled") {
			return nil
		}
	}
	configs := s.Referencing(b, typeBucketLifecycle, "bucket")
	for _, c := range configs {
		for _, rule := range list(c.Inputs, "rules") {
			days, ok := number(rule, "abortIncompleteMultipartUpload.daysAfterInitiation")
			if ok && days > 0 && str(rule, "status") == "Enabled" {
				return nil
			}
		}
	}
	if len(configs) == 0 {
		return []string{"no lifecycle configuration; add a BucketLifecycleConfigurationV2 rule with abortIncompleteMultipartUpload"}
	}
	return []string{"no enabled lifecycle rule aborts incomplete multipart uploads; add abortIncompleteMultipartUpload.daysAfterInitiation"}
}
