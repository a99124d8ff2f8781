package crosslang

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
)

// stageType is the type token of an API Gateway stage.
const stageType = "aws:apigateway/stage:Stage"

// complete makes the API's stage wait for the component's dependencies:
// Go programs pass the API Gateway account settings as AccountSettings, a
// resource no schema type can name, so other languages list them in the
// component's dependsOn, which a component's children would otherwise not
// wait for.
func (r ServerlessAPIArgs) complete(_ *serverlessapi.Args, cn *construction) error {
	deps := cn.dependsOn
	if len(deps) == 0 {
		return nil
	}
	cn.extra = append(cn.extra, pulumi.Transformations([]pulumi.ResourceTransformation{
		func(a *pulumi.ResourceTransformationArgs) *pulumi.ResourceTransformationResult {
			if a.Type != stageType {
				return nil
			}
			return &pulumi.ResourceTransformationResult{Props: a.Props, Opts: append(a.Opts, pulumi.DependsOn(deps))}
		},
	}))
	return nil
}

// complete turns extraRoutes into the notification routes of
// thumbnails.Args and makes the notification wait for the component's
// dependencies (Go's ExtraDependsOn).
func (r ThumbnailPipelineArgs) complete(out *thumbnails.Args, cn *construction) error {
	out.ExtraDependsOn = cn.dependsOn
	for i, route := range r.ExtraRoutes {
		if err := route.addTo(out); err != nil {
			return fmt.Errorf("extraRoutes[%d]: %w", i, err)
		}
	}
	return nil
}

// complete turns url into the origin's domain name and path, as
// staticsite.URLOrigin does for Go programs.
func (r Origin) complete(out *staticsite.Origin, _ *construction) error {
	if r.URL == nil {
		return nil
	}
	if r.DomainName != nil || r.Path != nil {
		return fmt.Errorf("origin %s: set url, or domainName and path, not both", r.ID)
	}
	u := staticsite.URLOrigin(r.ID, r.URL)
	out.DomainName, out.Path = u.DomainName, u.Path
	return nil
}

// NotificationRoute is a further route on the uploads bucket's
// notification: S3 events of the listed kinds under a key prefix and with a
// key suffix, to one Lambda function, SQS queue or SNS topic. It is the
// cross-language form of thumbnails.Args' ExtraLambdaFunctions,
// ExtraQueues and ExtraTopics.
type NotificationRoute struct {
	LambdaFunctionArn pulumi.StringInput `pulumi:"lambdaFunctionArn,optional"`
	QueueArn          pulumi.StringInput `pulumi:"queueArn,optional"`
	TopicArn          pulumi.StringInput `pulumi:"topicArn,optional"`
	Events            []string           `pulumi:"events"`
	FilterPrefix      string             `pulumi:"filterPrefix,optional"`
	FilterSuffix      string             `pulumi:"filterSuffix,optional"`
}

func (r *NotificationRoute) Annotate(a infer.Annotator) {
	setToken(a, "thumbnails:NotificationRoute")
	a.Describe(r, "A further route on the uploads bucket's notification, to exactly one of a Lambda function, an SQS queue or an SNS topic.")
	a.Describe(&r.LambdaFunctionArn, "The Lambda function to invoke; it must allow s3.amazonaws.com to (a lambda.Permission, in the component's dependsOn).")
	a.Describe(&r.QueueArn, "The SQS queue to send to; its policy must let the bucket send.")
	a.Describe(&r.TopicArn, "The SNS topic to publish to; its policy must let the bucket publish.")
	a.Describe(&r.Events, "The S3 event types, e.g. s3:ObjectCreated:*.")
	a.Describe(&r.FilterPrefix, "Only keys under this prefix.")
	a.Describe(&r.FilterSuffix, "Only keys with this suffix.")
}

// addTo adds the route to the Args' notification routes.
func (r NotificationRoute) addTo(out *thumbnails.Args) error {
	events := pulumi.ToStringArray(r.Events)
	prefix, suffix := optional(r.FilterPrefix), optional(r.FilterSuffix)
	switch {
	case len(r.Events) == 0:
		return errors.New("events: want at least one S3 event type")
	case r.LambdaFunctionArn != nil && r.QueueArn == nil && r.TopicArn == nil:
		out.ExtraLambdaFunctions = append(out.ExtraLambdaFunctions, s3.BucketNotificationLambdaFunctionArgs{
			LambdaFunctionArn: r.LambdaFunctionArn, Events: events, FilterPrefix: prefix, FilterSuffix: suffix})
	case r.LambdaFunctionArn == nil && r.QueueArn != nil && r.TopicArn == nil:
		out.ExtraQueues = append(out.ExtraQueues, s3.BucketNotificationQueueArgs{
			QueueArn: r.QueueArn, Events: events, FilterPrefix: prefix, FilterSuffix: suffix})
	case r.LambdaFunctionArn == nil && r.QueueArn == nil && r.TopicArn != nil:
		out.ExtraTopics = append(out.ExtraTopics, s3.BucketNotificationTopicArgs{
			TopicArn: r.TopicArn, Events: events, FilterPrefix: prefix, FilterSuffix: suffix})
	default:
		return errors.New("set exactly one of lambdaFunctionArn, queueArn and topicArn")
	}
	return nil
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
