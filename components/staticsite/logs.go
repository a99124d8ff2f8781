package staticsite

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// accessLogs turns on standard logging v2 for the distribution: a delivery
// source for it, a destination (Args.LogDestination) and the delivery
// between them. CloudFront delivers its logs through CloudWatch Logs in
// us-east-1, so all three are created there (east); a log group
// destination must be in that region too, a bucket may be anywhere.
func (s *StaticSite) accessLogs(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) error {
	source, err := blocks.NewAccessLogSource(ctx, name, s.Distribution, east...)
	if err != nil {
		return fmt.Errorf("site %s: %w", name, err)
	}
	var destinationArn pulumi.StringInput
	var ready []pulumi.Resource
	switch args.LogDestination {
	case LogsToCloudWatch:
		group, err := blocks.NewAccessLogGroup(ctx, name+"-logs-group", name, args.LogRetentionDays, east...)
		if err != nil {
			return fmt.Errorf("site %s: %w", name, err)
		}
		destinationArn = group.Arn
	case LogsToS3:
		bucket, pol, err := s.logBucket(ctx, name, args, source, child)
		if err != nil {
			return err
		}
		destinationArn, ready = bucket.Arn(), []pulumi.Resource{pol}
	}
	if err := blocks.DeliverAccessLogs(ctx, name, source, destinationArn, ready, east...); err != nil {
		return fmt.Errorf("site %s: %w", name, err)
	}
	return nil
}

// logBucket creates the access-log bucket and its policy, which lets log
// delivery write there for source only.
func (s *StaticSite) logBucket(ctx *pulumi.Context, name string, args *Args, source *cloudwatch.LogDeliverySource, child []pulumi.ResourceOption) (*blocks.Bucket, pulumi.Resource, error) {
	bucket, err := blocks.NewBucket(ctx, name+"-logs", blocks.BucketArgs{
		Unversioned:     true,
		ExpireAfterDays: args.LogRetentionDays,
		ForceDestroy:    !args.Protect,
		Protect:         args.Protect,
	}, child...)
	if err != nil {
		return nil, nil, err
	}
	policy.Suppress(ctx, bucket.Bucket, "receives the distribution's access logs; logging the log bucket would log itself", "S3-ACCESS-LOGS")
	caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(s))
	if err != nil {
		return nil, nil, fmt.Errorf("looking up the account of site %s: %w", name, err)
	}
	pol, err := bucket.AttachPolicy(ctx, blocks.AllowLogDelivery(bucket, pulumi.String(caller.AccountId), source.Arn)...)
	if err != nil {
		return nil, nil, err
	}
	return bucket, pol, nil
}
