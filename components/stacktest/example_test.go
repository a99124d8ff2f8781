package stacktest_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

// A unit test of your own program: run it under the mocks, look at what it
// would create, and run the policy checks over the recording.
func Example() {
	program := func(ctx *pulumi.Context) error {
		b, err := s3.NewBucketV2(ctx, "reports", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		ctx.Export("bucketArn", b.Arn)
		return nil
	}
	rec, err := stacktest.Run(program, stacktest.Project("acme"), stacktest.Stack("dev"),
		stacktest.Config("aws:region", "eu-west-1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("arn:", rec.Outputs["bucketArn"])
	report := policy.Check(rec.Resources, policy.Suppressions(rec.Context))
	for _, f := range report.Failed() {
		fmt.Println(f.Rule)
	}
	// Output:
	// arn: arn:aws:s3:::reports
	// S3-ABORT-MULTIPART
	// S3-ACCESS-LOGS
	// S3-ENCRYPTION
	// S3-OWNER-ENFORCED
	// S3-PUBLIC-ACCESS-BLOCK
	// S3-TLS-ONLY
	// S3-VERSIONING
}
