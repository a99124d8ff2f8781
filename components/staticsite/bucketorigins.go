package staticsite

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// attachOriginPolicies attaches the policy of every bucket origin with a
// ReadArn, once per origin: deny requests without TLS, and let this
// distribution read the objects ReadArn names. The policy is named
// name-<origin ID>-bucket-policy.
func (s *StaticSite) attachOriginPolicies(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	done := map[string]bool{}
	for _, b := range args.Behaviors {
		o := b.Origin
		if o.ReadArn == nil || done[o.ID] {
			continue
		}
		done[o.ID] = true
		parts := o.ReadArn.ToStringOutput().ApplyT(func(arn string) ([]string, error) {
			bucketArn, bucket, err := bucketOfObjects(arn)
			return []string{bucketArn, bucket}, err
		}).(pulumi.StringArrayOutput)
		bucketArn := parts.Index(pulumi.Int(0))
		_, err := s3.NewBucketPolicy(ctx, name+"-"+o.ID+"-bucket-policy", &s3.BucketPolicyArgs{
			Bucket: parts.Index(pulumi.Int(1)),
			Policy: blocks.PolicyJSON(
				blocks.DenyInsecureTransport("s3:*", pulumi.StringArray{bucketArn, pulumi.Sprintf("%s/*", bucketArn)}),
				blocks.AllowCloudFrontRead(o.ReadArn, s.Distribution.Arn)),
		}, child...)
		if err != nil {
			return fmt.Errorf("attaching the policy of origin %s of static site %s: %w", o.ID, name, err)
		}
	}
	return nil
}

// bucketOfObjects returns the bucket ARN and name of an S3 object ARN
// such as arn:aws:s3:::thumbs/thumbnails/*.
func bucketOfObjects(arn string) (bucketArn, bucket string, err error) {
	head, rest, ok := strings.Cut(arn, ":::")
	bucket, _, _ = strings.Cut(rest, "/")
	if !ok || !strings.HasPrefix(head, "arn:") || !strings.HasSuffix(head, ":s3") || bucket == "" {
		return "", "", fmt.Errorf("ReadArn %q is not the ARN of S3 objects (arn:aws:s3:::bucket/prefix*)", arn)
	}
	return head + ":::" + bucket, bucket, nil
}
