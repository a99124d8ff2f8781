package thumbnails

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// UploadEvents are the S3 event types the pipeline routes to its function:
// created objects get thumbnails, and removed ones, deleted by a request or
// by a lifecycle rule, lose them unless Args.KeepAfterUploadDeleted (keep)
// is set.
func UploadEvents(keep bool) []string {
	if keep {
		return []string{"s3:ObjectCreated:*"}
	}
	return []string{"s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"}
}

func uploadEvents(args *Args) pulumi.StringArray {
	return pulumi.ToStringArray(UploadEvents(args.KeepAfterUploadDeleted))
}

// routes are the pipeline's entries in the uploads bucket's notification
// and what must exist before S3 accepts them.
type routes struct {
	lambdas s3.BucketNotificationLambdaFunctionArray
	queues  s3.BucketNotificationQueueArray
	topics  s3.BucketNotificationTopicArray
	deps    []pulumi.Resource
}

// filter is one notification rule per suffix, all under the upload prefix.
type filter struct {
	id     string
	prefix pulumi.StringPtrInput
	suffix string
}

func filters(args *Args) []filter {
	var prefix pulumi.StringPtrInput
	if args.UploadPrefix != "" {
		prefix = pulumi.String(args.UploadPrefix)
	}
	out := make([]filter, len(args.Suffixes))
	for i, s := range args.Suffixes {
		out[i] = filter{id: "thumbnails-" + strings.TrimPrefix(s, "."), prefix: prefix, suffix: s}
	}
	return out
}

// deliver wires the uploads bucket to the function in the chosen mode and
// gives the dead-letter queue its policy.
func (p *ThumbnailPipeline) deliver(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) (routes, error) {
	var r routes
	caller, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{}, pulumi.Parent(p))
	if err != nil {
		return r, fmt.Errorf("looking up the account of %s: %w", name, err)
	}
	account := pulumi.String(caller.AccountId)
	fromUploads := map[string]map[string]pulumi.StringArrayInput{
		"ArnEquals":    {"aws:SourceArn": pulumi.StringArray{p.uploads.arn}},
		"StringEquals": {"aws:SourceAccount": pulumi.StringArray{account}},
	}
	fn := p.Function.Function

	switch args.Delivery {
	case DeliverDirect:
		if _, err := p.DeadLetterQueue.AttachPolicy(ctx); err != nil {
			return r, err
		}
		perm, err := lambda.NewPermission(ctx, name+"-s3-invoke", &lambda.PermissionArgs{
			Action:        pulumi.String("lambda:InvokeFunction"),
			Function:      fn.Name,
			Principal:     pulumi.String("s3.amazonaws.com"),
			SourceArn:     p.uploads.arn,
			SourceAccount: account,
		}, child...)
		if err != nil {
			return r, fmt.Errorf("letting S3 invoke %s: %w", name, err)
		}
		r.deps = append(r.deps, perm)
		for _, f := range filters(args) {
			r.lambdas = append(r.lambdas, &s3.BucketNotificationLambdaFunctionArgs{
				Id: pulumi.String(f.id), Events: uploadEvents(args), FilterPrefix: f.prefix, FilterSuffix: pulumi.String(f.suffix),
				LambdaFunctionArn: fn.Arn,
			})
		}

	case DeliverSQS:
		if _, err := p.DeadLetterQueue.AttachPolicy(ctx); err != nil {
			return r, err
		}
		qpol, err := p.Queue.AttachPolicy(ctx, blocks.Statement{
			Sid:        "AllowUploadsBucket",
			Principal:  blocks.ServicePrincipal("s3.amazonaws.com"),
			Actions:    []string{"sqs:SendMessage"},
			Conditions: fromUploads,
		})
		if err != nil {
			return r, err
		}
		r.deps = append(r.deps, qpol)
		if _, err := lambda.NewEventSourceMapping(ctx, name+"-mapping", &lambda.EventSourceMappingArgs{
			EventSourceArn:        p.Queue.Arn(),
			FunctionName:          fn.Arn,
			BatchSize:             pulumi.Int(args.BatchSize),
			FunctionResponseTypes: pulumi.StringArray{pulumi.String("ReportBatchItemFailures")},
			// Pollers beyond the reserved concurrency would be throttled,
			// and every throttled receive counts towards the redrive.
			ScalingConfig: &lambda.EventSourceMappingScalingConfigArgs{MaximumConcurrency: pulumi.Int(max(2, args.ReservedConcurrency))},
		}, blocks.With(child, pulumi.DependsOn(p.Function.Policies))...); err != nil {
			return r, fmt.Errorf("creating queue mapping of %s: %w", name, err)
		}
		for _, f := range filters(args) {
			r.queues = append(r.queues, &s3.BucketNotificationQueueArgs{
				Id: pulumi.String(f.id), Events: uploadEvents(args), FilterPrefix: f.prefix, FilterSuffix: pulumi.String(f.suffix),
				QueueArn: p.Queue.Arn(),
			})
		}

	case DeliverSNS:
		topic, tpol, err := p.topic(ctx, name, account, fromUploads, child)
		if err != nil {
			return r, err
		}
		r.deps = append(r.deps, tpol)
		// Deliveries SNS cannot make (the function gone, its permission
		// missing) go to the dead-letter queue too.
		dlqPolicy, err := p.DeadLetterQueue.AttachPolicy(ctx, blocks.Statement{
			Sid:        "AllowTopicRedrive",
			Principal:  blocks.ServicePrincipal("sns.amazonaws.com"),
			Actions:    []string{"sqs:SendMessage"},
			Conditions: map[string]map[string]pulumi.StringArrayInput{"ArnEquals": {"aws:SourceArn": pulumi.StringArray{topic.Arn}}},
		})
		if err != nil {
			return r, err
		}
		perm, err := lambda.NewPermission(ctx, name+"-sns-invoke", &lambda.PermissionArgs{
			Action:    pulumi.String("lambda:InvokeFunction"),
			Function:  fn.Name,
			Principal: pulumi.String("sns.amazonaws.com"),
			SourceArn: topic.Arn,
		}, child...)
		if err != nil {
			return r, fmt.Errorf("letting SNS invoke %s: %w", name, err)
		}
		if _, err := sns.NewTopicSubscription(ctx, name+"-subscription", &sns.TopicSubscriptionArgs{
			Topic:         topic.Arn,
			Protocol:      pulumi.String("lambda"),
			Endpoint:      fn.Arn,
			RedrivePolicy: pulumi.JSONMarshal(pulumi.Map{"deadLetterTargetArn": p.DeadLetterQueue.Arn()}),
		}, blocks.With(child, pulumi.DependsOn([]pulumi.Resource{perm, dlqPolicy}))...); err != nil {
			return r, fmt.Errorf("subscribing %s to its topic: %w", name, err)
		}
		for _, f := range filters(args) {
			r.topics = append(r.topics, &s3.BucketNotificationTopicArgs{
				Id: pulumi.String(f.id), Events: uploadEvents(args), FilterPrefix: f.prefix, FilterSuffix: pulumi.String(f.suffix),
				TopicArn: topic.Arn,
			})
		}
	}
	return r, nil
}

// topic creates the fan-out topic, encrypted with a key S3 may use (the
// AWS managed SNS key cannot be used by S3), and its policy: TLS only, and
// only the uploads bucket of this account may publish.
func (p *ThumbnailPipeline) topic(ctx *pulumi.Context, name string, account pulumi.StringInput, fromUploads map[string]map[string]pulumi.StringArrayInput, child []pulumi.ResourceOption) (*sns.Topic, *sns.TopicPolicy, error) {
	key, err := kms.NewKey(ctx, name+"-topic-key", &kms.KeyArgs{
		Description:       pulumi.String("Encrypts the upload notifications of " + name),
		EnableKeyRotation: pulumi.Bool(true),
		Policy: blocks.PolicyJSON(blocks.Statement{
			// Without it nobody, not even the account, could manage the key.
			Sid:       "AccountAdministersKey",
			Principal: pulumi.Map{"AWS": pulumi.Sprintf("arn:aws:iam::%s:root", account)},
			Actions:   []string{"kms:*"},
			Resources: pulumi.StringArray{pulumi.String("*")},
		}, blocks.Statement{
			Sid:        "UploadsBucketPublishesEncrypted",
			Principal:  blocks.ServicePrincipal("s3.amazonaws.com"),
			Actions:    []string{"kms:GenerateDataKey*", "kms:Decrypt"},
			Resources:  pulumi.StringArray{pulumi.String("*")}, // in a key policy, "*" is this key
			Conditions: fromUploads,
		}),
	}, child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating topic key of %s: %w", name, err)
	}
	topic, err := sns.NewTopic(ctx, name+"-topic", &sns.TopicArgs{KmsMasterKeyId: key.Arn}, child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating topic of %s: %w", name, err)
	}
	p.Topic = topic
	tpol, err := sns.NewTopicPolicy(ctx, name+"-topic-policy", &sns.TopicPolicyArgs{
		Arn: topic.Arn,
		Policy: blocks.PolicyJSON(
			blocks.DenyInsecureTransport("sns:Publish", pulumi.StringArray{topic.Arn}),
			blocks.Statement{
				Sid:        "AllowUploadsBucket",
				Principal:  blocks.ServicePrincipal("s3.amazonaws.com"),
				Actions:    []string{"sns:Publish"},
				Resources:  pulumi.StringArray{topic.Arn},
				Conditions: fromUploads,
			}),
	}, child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating topic policy of %s: %w", name, err)
	}
	return topic, tpol, nil
}
