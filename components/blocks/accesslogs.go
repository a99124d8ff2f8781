package blocks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NewAccessLogSource creates the delivery source of dist's access logs,
// named name+"-logs-source": the first of the three resources of standard
// logging (v2). The other two, a destination and the delivery from the
// source to it, are DeliverAccessLogs'. CloudFront delivers through
// CloudWatch Logs in us-east-1, whatever the stack's region, so all three
// take options placing them there (see InUSEast1); a log group destination
// must be there too (NewAccessLogGroup), a bucket may be anywhere.
func NewAccessLogSource(ctx *pulumi.Context, name string, dist *cloudfront.Distribution, east ...pulumi.ResourceOption) (*cloudwatch.LogDeliverySource, error) {
	source, err := cloudwatch.NewLogDeliverySource(ctx, name+"-logs-source", &cloudwatch.LogDeliverySourceArgs{
		Name:        pulumi.String(PhysicalName(ctx, name+"-access", 60)),
		LogType:     pulumi.String("ACCESS_LOGS"),
		ResourceArn: dist.Arn,
	}, east...)
	if err != nil {
		return nil, fmt.Errorf("creating log delivery source of %s: %w", name, err)
	}
	return source, nil
}

// NewAccessLogGroup creates the log group resourceName for the access logs
// of the distribution of component name,
// /aws/cloudfront/<project>/<stack>/<name>, keeping them retentionDays.
func NewAccessLogGroup(ctx *pulumi.Context, resourceName, name string, retentionDays int, east ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	group, err := cloudwatch.NewLogGroup(ctx, resourceName, &cloudwatch.LogGroupArgs{
		Name:            pulumi.Sprintf("/aws/cloudfront/%s/%s/%s", ctx.Project(), ctx.Stack(), name),
		RetentionInDays: pulumi.Int(retentionDays),
	}, east...)
	if err != nil {
		return nil, fmt.Errorf("creating access log group of %s: %w", name, err)
	}
	return group, nil
}

// DeliverAccessLogs creates the delivery destination destinationArn (a log
// group or a bucket; JSON records), named name+"-logs-destination", and the
// delivery from source to it, name+"-logs-delivery". The delivery waits for
// ready, such as the policy of a destination bucket: with that in place
// first, the delivery does not try to write a policy statement of its own.
func DeliverAccessLogs(ctx *pulumi.Context, name string, source *cloudwatch.LogDeliverySource, destinationArn pulumi.StringInput, ready []pulumi.Resource, east ...pulumi.ResourceOption) error {
	dest, err := cloudwatch.NewLogDeliveryDestination(ctx, name+"-logs-destination", &cloudwatch.LogDeliveryDestinationArgs{
		Name:         pulumi.String(PhysicalName(ctx, name+"-access", 60)),
		OutputFormat: pulumi.String("json"),
		DeliveryDestinationConfiguration: &cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs{
			DestinationResourceArn: destinationArn,
		},
	}, east...)
	if err != nil {
		return fmt.Errorf("creating log delivery destination of %s: %w", name, err)
	}
	if _, err := cloudwatch.NewLogDelivery(ctx, name+"-logs-delivery", &cloudwatch.LogDeliveryArgs{
		DeliverySourceName:     source.Name,
		DeliveryDestinationArn: dest.Arn,
	}, With(east, pulumi.DependsOn(ready))...); err != nil {
		return fmt.Errorf("creating log delivery of %s: %w", name, err)
	}
	return nil
}
