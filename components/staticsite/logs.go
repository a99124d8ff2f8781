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
// source for it, a destination and the delivery between them. CloudFront
// delivers its logs through CloudWatch Logs in us-east-1, so all three are
// created there (east); a log group destination must be in that region too,
// a bucket may be anywhere.
func (s *StaticSite) accessLogs(ctx *pulumi.Context, name string, args *Args, child, east []pulumi.ResourceOption) error {
	source, err := cloudwatch.NewLogDeliverySource(ctx, name+"-logs-source", &cloudwatch.LogDeliverySourceArgs{
		Name:        pulumi.String(blocks.PhysicalName(ctx, name+"-access", 60)),
		LogType:     pulumi.String("ACCESS_LOGS"),
		ResourceArn: s.Distribution.Arn,
	}, east...)
	if err != nil {
		return fmt.Errorf("creating log delivery source of site %s: %w", name, err)
	}

	var destinationArn pulumi.StringInput
	var ready []pulumi.Resource
	switch args.LogDestination {
	case LogsToCloudWatch:
		group, err := cloudwatch.NewLogGroup(ctx, name+"-logs-group", &cloudwatch.LogGroupArgs{
			Name:            pulumi.Sprintf("/aws/cloudfront/%s/%s/%s", ctx.Project(), ctx.Stack(), name),
			RetentionInDays: pulumi.Int(args.LogRetentionDays),
		}, east...)
		if err != nil {
			return fmt.Errorf("creating access log group of site %s: %w", name, err)
		}
		destinationArn = group.Arn
	case LogsToS3:
		bucket, err := blocks.NewBucket(ctx, name+"-logs", blocks.BucketArgs{
			Unversioned:     true,
			ExpireAfterDays: args.LogRetentionDays,
			ForceDestroy:    !args.Protect,
			Protect:         args.Protect,
		}, child...)
		if err != nil {
			return err
		}
		policy.Suppress(ctx, bucket.Bucket, "receives the distribution's access logs; logging the log bucket would log itself", "S3-ACCESS-LOGS")
		caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(s))
		if err != nil {
			return fmt.Errorf("looking up the account of site %s: %w", name, err)
		}
		pol, err := bucket.AttachPolicy(ctx, blocks.AllowLogDelivery(bucket, pulumi.String(caller.AccountId), source.Arn)...)
		if err != nil {
			return err
		}
		destinationArn = bucket.Arn()
		ready = []pulumi.Resource{pol}
	}

	dest, err := cloudwatch.NewLogDeliveryDestination(ctx, name+"-logs-destination", &cloudwatch.LogDeliveryDestinationArgs{
		Name:         pulumi.String(blocks.PhysicalName(ctx, name+"-access", 60)),
		OutputFormat: pulumi.String("json"),
		DeliveryDestinationConfiguration: &cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs{
			DestinationResourceArn: destinationArn,
		},
	}, east...)
	if err != nil {
		return fmt.Errorf("creating log delivery destination of site %s: %w", name, err)
	}
	// With the bucket policy in place first, the delivery does not try to
	// write a policy statement of its own.
	if _, err := cloudwatch.NewLogDelivery(ctx, name+"-logs-delivery", &cloudwatch.LogDeliveryArgs{
		DeliverySourceName:     source.Name,
		DeliveryDestinationArn: dest.Arn,
	}, blocks.With(east, pulumi.DependsOn(ready))...); err != nil {
		return fmt.Errorf("creating log delivery of site %s: %w", name, err)
	}
	return nil
}
