package thumbnails

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// bucketRef is what the pipeline needs of a bucket, whether it created it
// or was given its name.
type bucketRef struct {
	name, arn pulumi.StringOutput
	// key is its customer managed key, nil for SSE-S3.
	key pulumi.StringInput
	// domain is the bucket's regional domain name, a CloudFront origin.
	domain pulumi.StringOutput
	// ready is what must exist before the bucket is used.
	ready []pulumi.Resource
}

// objects is the ARN of the bucket's objects under prefix.
func (b bucketRef) objects(prefix string) pulumi.StringOutput {
	return pulumi.Sprintf("%s/%s*", b.arn, prefix)
}

func createdBucket(b *blocks.Bucket) bucketRef {
	return bucketRef{name: b.Bucket.Bucket, arn: b.Arn(), key: b.Ref().KMSKeyArn, domain: b.Bucket.BucketRegionalDomainName, ready: b.Ready}
}

// ref is the bucket as the function uses it.
func (b bucketRef) ref() blocks.BucketRef {
	return blocks.BucketRef{Name: b.name, Arn: b.arn, KMSKeyArn: b.key}
}

// namedBucket refers to an existing bucket by name, in the partition and
// region of the component's provider.
func namedBucket(ctx *pulumi.Context, name, key pulumi.StringInput, parent pulumi.ResourceOrInvokeOption) (bucketRef, error) {
	part, err := aws.GetPartition(ctx, &aws.GetPartitionArgs{}, parent)
	if err != nil {
		return bucketRef{}, fmt.Errorf("looking up the partition: %w", err)
	}
	region, err := aws.GetRegion(ctx, &aws.GetRegionArgs{}, parent)
	if err != nil {
		return bucketRef{}, fmt.Errorf("looking up the region: %w", err)
	}
	n := name.ToStringOutput()
	return bucketRef{
		name:   n,
		key:    key,
		arn:    pulumi.Sprintf("arn:%s:s3:::%s", part.Partition, n),
		domain: pulumi.Sprintf("%s.s3.%s.%s", n, region.Name, part.DnsSuffix),
	}, nil
}
