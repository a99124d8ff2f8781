package policy

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/gopherstack/serverless-arch/components/recording"
)

const (
	iamQuotas       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
	s3BucketPolicy  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html"
	iamInlineLimit  = 10240 // "Role policy size cannot exceed 10,240 characters" (all inline policies)
	iamManagedLimit = 6144  // "Managed policy size cannot exceed 6,144 characters"
	iamTrustLimit   = 2048  // "Role trust policy length: 2,048 characters" (default quota)
	s3PolicyLimit   = 20480 // "Bucket policies are limited to 20 KB in size"
)

// policySizeRules are the size limits of policy documents. IAM counts
// characters without white space ("IAM does not count white space when
// calculating the size of a policy"); S3 counts bytes.
var policySizeRules = []Rule{{
	ID:          "AWS-POLICY-SIZE",
	Description: "Policy documents fit their size limits: a role's inline policies 10,240 characters together, its trust policy 2,048, a managed policy 6,144 (IAM counts no white space), a bucket policy 20 KB.",
	Types:       []string{typeRole, typePolicy, typeBucketPolicy},
	Source:      iamQuotas,
	NoSuppress:  true,
	Check:       checkPolicySize,
}}

// iamSize is a policy's size as IAM counts it: characters other than white
// space.
func iamSize(doc string) int {
	n := 0
	for _, c := range doc {
		if !unicode.IsSpace(c) {
			n++
		}
	}
	return n
}

func checkPolicySize(s *Stack, r recording.Resource) []string {
	var problems []string
	over := func(what string, size, limit int, source string) {
		if size > limit {
			problems = append(problems, fmt.Sprintf("%s is %d characters; the limit is %d (%s)", what, size, limit, source))
		}
	}
	switch r.Type {
	case typeRole:
		over("trust policy (assumeRolePolicy)", iamSize(str(r.Inputs, "assumeRolePolicy")), iamTrustLimit, iamQuotas)
		inline := 0
		for _, doc := range strs(r.Inputs, "inlinePolicies.policy") {
			inline += iamSize(doc)
		}
		var names []string
		for _, p := range s.Referencing(r, typeRolePolicy, "role") {
			inline += iamSize(str(p.Inputs, "policy"))
			names = append(names, p.Name)
		}
		over(fmt.Sprintf("the role's inline policies (%s) together", strings.Join(names, ", ")), inline, iamInlineLimit, iamQuotas)
	case typePolicy:
		over("managed policy", iamSize(str(r.Inputs, "policy")), iamManagedLimit, iamQuotas)
	case typeBucketPolicy:
		if n := len(str(r.Inputs, "policy")); n > s3PolicyLimit {
			problems = append(problems, fmt.Sprintf("bucket policy is %d bytes; S3 allows 20 KB (%d) (%s)", n, s3PolicyLimit, s3BucketPolicy))
		}
	}
	return problems
}
