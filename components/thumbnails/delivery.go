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

// routes are where the pipeline's entries in the uploads bucket's
// notification send the events (the function, queue or topic), and what
// must exist before S3 accepts them.
type routes struct {
	target pulumi.StringOutput
	deps   []pulumi.Resource
}

// entries are the pipeline's entries in the notification, one per suffix,
// all under the upload prefix, in the kind the delivery mode needs.
func entries(args *Args, target pulumi.StringOutput) (lambdas s3.BucketNotificationLambdaFunctionArray, queues s3.BucketNotificationQueueArray, topics s3.BucketNotificationTopicArray) {
	var prefix pulumi.StringPtrInput
	if args.UploadPrefix != "" {
		prefix = pulumi.String(args.UploadPrefix)
	}
	events := pulumi.ToStringArray(UploadEvents(args.KeepAfterUploadDeleted))
	for _, s := range args.Suffixes {
		id, suffix := pulumi.String("thumbnails-"+strings.TrimPrefix(s, ".")), pulumi.String(s)
		switch args.Delivery {
		case DeliverSQS:
			queues = append(queues, &s3.BucketNotificationQueueArgs{Id: id, Events: events, FilterPrefix: prefix, FilterSuffix: suffix, QueueArn: target})
		case DeliverSNS:
			topics = append(topics, &s3.BucketNotificationTopicArgs{Id: id, Events: events, FilterPrefix: prefix, FilterSuffix: suffix, TopicArn: target})
		default:
			lambdas = append(lambdas, &s3.BucketNotificationLambdaFunctionArgs{Id: id, Events: events, FilterPrefix: prefix, FilterSuffix: suffix, LambdaFunctionArn: target})
		}
	}
	return lambdas, queues, topics
}

// source is what identifies the uploads bucket to a resource policy: its
// account, and conditions that admit only it.
type source struct {
	account     pulumi.String
	fromUploads map[string]map[string]pulumi.StringArrayInput
}

// deliver wires the uploads bucket to the function in the chosen mode and
// gives the dead-letter queue its policy.
func (p *ThumbnailPipeline) deliver(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) (routes, error) {
	caller, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{}, pulumi.Parent(p))
	if err != nil {
		return routes{}, fmt.Errorf("looking up the account of %s: %w", name, err)
	}
	src := source{account: pulumi.String(caller.AccountId), fromUploads: map[string]map[string]pulumi.StringArrayInput{
		"ArnEquals":    {"aws:SourceArn": pulumi.StringArray{p.uploads.arn}},
		"StringEquals": {"aws:SourceAccount": pulumi.StringArray{pulumi.String(caller.AccountId)}},
	}}
	switch args.Delivery {
	case DeliverSQS:
		return p.deliverSQS(ctx, name, args, src, child)
	case DeliverSNS:
		return p.deliverSNS(ctx, name, args, src, child)
	}
	return p.deliverDirect(ctx, name, args, src, child)
}

// deliverDirect lets S3 invoke the function.
func (p *ThumbnailPipeline) deliverDirect(ctx *pulumi.Context, name string, args *Args, src source, child []pulumi.ResourceOption) (routes, error) {
	if _, err := p.DeadLetterQueue.AttachPolicy(ctx); err != nil {
		return routes{}, err
	}
	perm, err := p.allowInvoke(ctx, name, "s3", p.uploads.arn, src.account, child)
	if err != nil {
		return routes{}, err
	}
	return routes{target: p.Function.Function.Arn, deps: []pulumi.Resource{perm}}, p.asyncFailures(ctx, name, args, child)
}

// deliverSQS sends the events through the queue, which the function
// consumes.
func (p *ThumbnailPipeline) deliverSQS(ctx *pulumi.Context, name string, args *Args, src source, child []pulumi.ResourceOption) (routes, error) {
	if _, err := p.DeadLetterQueue.AttachPolicy(ctx); err != nil {
		return routes{}, err
	}
	qpol, err := p.Queue.AttachPolicy(ctx, blocks.Statement{
		Sid:        "AllowUploadsBucket",
		Principal:  blocks.ServicePrincipal("s3.amazonaws.com"),
		Actions:    []string{"sqs:SendMessage"},
		Conditions: src.fromUploads,
	})
	if err != nil {
		return routes{}, err
	}
	if _, err := lambda.NewEventSourceMapping(ctx, name+"-mapping", &lambda.EventSourceMappingArgs{
		EventSourceArn:        p.Queue.Arn(),
		FunctionName:          p.Function.Function.Arn,
		BatchSize:             pulumi.Int(args.BatchSize),
		FunctionResponseTypes: pulumi.StringArray{pulumi.String("ReportBatchItemFailures")},
		// Pollers beyond the reserved concurrency would be throttled,
		// and every throttled receive counts towards the redrive.
		ScalingConfig: &lambda.EventSourceMappingScalingConfigArgs{MaximumConcurrency: pulumi.Int(max(2, args.ReservedConcurrency))},
	}, blocks.With(child, pulumi.DependsOn(p.Function.Policies))...); err != nil {
		return routes{}, fmt.Errorf("creating queue mapping of %s: %w", name, err)
	}
	return routes{target: p.Queue.Arn(), deps: []pulumi.Resource{qpol}}, nil
}

// deliverSNS publishes the events to a topic the function subscribes to,
// and others may.
func (p *ThumbnailPipeline) deliverSNS(ctx *pulumi.Context, name string, args *Args, src source, child []pulumi.ResourceOption) (routes, error) {
	topic, tpol, err := p.topic(ctx, name, src, child)
	if err != nil {
		return routes{}, err
	}
	// Deliveries SNS cannot make (the function gone, its permission
	// missing) go to the dead-letter queue too.
	dlqPolicy, err := p.DeadLetterQueue.AttachPolicy(ctx, blocks.Statement{
		Sid:        "AllowTopicRedrive",
		Principal:  blocks.ServicePrincipal("sns.amazonaws.com"),
		Actions:    []string{"sqs:SendMessage"},
		Conditions: map[string]map[string]pulumi.StringArrayInput{"ArnEquals": {"aws:SourceArn": pulumi.StringArray{topic.Arn}}},
	})
	if err != nil {
		return routes{}, err
	}
	perm, err := p.allowInvoke(ctx, name, "sns", topic.Arn, nil, child)
	if err != nil {
		return routes{}, err
	}
	if _, err := sns.NewTopicSubscription(ctx, name+"-subscription", &sns.TopicSubscriptionArgs{
		Topic:         topic.Arn,
		Protocol:      pulumi.String("lambda"),
		Endpoint:      p.Function.Function.Arn,
		RedrivePolicy: pulumi.JSONMarshal(pulumi.Map{"deadLetterTargetArn": p.DeadLetterQueue.Arn()}),
	}, blocks.With(child, pulumi.DependsOn([]pulumi.Resource{perm, dlqPolicy}))...); err != nil {
		return routes{}, fmt.Errorf("subscribing %s to its topic: %w", name, err)
	}
	return routes{target: topic.Arn, deps: []pulumi.Resource{tpol}}, p.asyncFailures(ctx, name, args, child)
}

// allowInvoke lets service ("s3" or "sns") invoke the function for the
// events of sourceArn, and only of account when it is given.
func (p *ThumbnailPipeline) allowInvoke(ctx *pulumi.Context, name, service string, sourceArn pulumi.StringInput, account pulumi.StringPtrInput, child []pulumi.ResourceOption) (*lambda.Permission, error) {
	perm, err := lambda.NewPermission(ctx, name+"-"+service+"-invoke", &lambda.PermissionArgs{
		Action:        pulumi.String("lambda:InvokeFunction"),
		Function:      p.Function.Function.Name,
		Principal:     pulumi.String(service + ".amazonaws.com"),
		SourceArn:     sourceArn,
		SourceAccount: account,
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("letting %s invoke %s: %w", strings.ToUpper(service), name, err)
	}
	return perm, nil
}

// asyncFailures bounds the retries of an asynchronous event (direct and SNS
// delivery) and sends what fails to the dead-letter queue.
func (p *ThumbnailPipeline) asyncFailures(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	if _, err := lambda.NewFunctionEventInvokeConfig(ctx, name+"-async", &lambda.FunctionEventInvokeConfigArgs{
		FunctionName:             p.Function.Function.Name,
		MaximumRetryAttempts:     pulumi.Int(args.MaximumRetryAttempts),
		MaximumEventAgeInSeconds: pulumi.Int(args.MaximumEventAgeSeconds),
		DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
			OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: p.DeadLetterQueue.Arn()},
		},
	}, blocks.With(child, pulumi.DependsOn(p.Function.Policies))...); err != nil {
		return fmt.Errorf("configuring asynchronous invocation of %s: %w", name, err)
	}
	return nil
}

// topic creates the fan-out topic, encrypted with a key S3 may use (the
// AWS managed SNS key cannot be used by S3), and its policy: TLS only, and
// only the uploads bucket of this account may publish.
func (p *ThumbnailPipeline) topic(ctx *pulumi.Context, name string, src source, child []pulumi.ResourceOption) (*sns.Topic, *sns.TopicPolicy, error) {
	key, err := kms.NewKey(ctx, name+"-topic-key", &kms.KeyArgs{
		Description:       pulumi.String("Encrypts the upload notifications of " + name),
		EnableKeyRotation: pulumi.Bool(true),
		Policy: blocks.PolicyJSON(blocks.Statement{
			// Without it nobody, not even the account, could manage the key.
			Sid:       "AccountAdministersKey",
			Principal: pulumi.Map{"AWS": pulumi.Sprintf("arn:aws:iam::%s:root", src.account)},
			Actions:   []string{"kms:*"},
			Resources: pulumi.StringArray{pulumi.String("*")},
		}, blocks.Statement{
			Sid:        "UploadsBucketPublishesEncrypted",
			Principal:  blocks.ServicePrincipal("s3.amazonaws.com"),
			Actions:    []string{"kms:GenerateDataKey*", "kms:Decrypt"},
			Resources:  pulumi.StringArray{pulumi.String("*")}, // in a key policy, "*" is this key
			Conditions: src.fromUploads,
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
				Conditions: src.fromUploads,
			}),
	}, child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating topic policy of %s: %w", name, err)
	}
	return topic, tpol, nil
}
