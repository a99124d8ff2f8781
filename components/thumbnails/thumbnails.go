package thumbnails

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
)

// Token is the component's type token.
const Token = "serverless-arch:thumbnails:ThumbnailPipeline"

// Delivery is how S3 events reach the function.
type Delivery string

// Delivery modes; see the package documentation.
const (
	DeliverDirect Delivery = "direct"
	DeliverSQS    Delivery = "sqs"
	DeliverSNS    Delivery = "sns"
)

// Defaults.
var (
	// DefaultSuffixes are the image types the handler decodes, in lower and
	// upper case (S3 suffix filters are case-sensitive).
	DefaultSuffixes = []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".JPG", ".JPEG", ".PNG", ".GIF", ".WEBP"}
	// DefaultSizes are the thumbnail edge lengths in pixels.
	DefaultSizes = []int{1024, 512, 128}
)

// Defaults of Args.
const (
	// DefaultThumbnailPrefix maps the URL path /thumbnails/* to the
	// thumbnails' keys unchanged.
	DefaultThumbnailPrefix = "thumbnails/"
	// DefaultSkipPrefix keeps skip records beside the thumbnails, not
	// among them.
	DefaultSkipPrefix = "thumbnail-skips/"
	// DefaultMaxSourceBytes (50 MiB) and DefaultMaxPixels (50 million) are
	// the largest upload and declared width × height processed: the
	// function's own defaults.
	DefaultMaxSourceBytes = settings.DefaultMaxSourceBytes
	DefaultMaxPixels      = settings.DefaultMaxPixels
	// DefaultMemorySize of the function in MB: decoding a large photo
	// needs the memory, and memory buys CPU.
	DefaultMemorySize = 1024
	// DefaultTimeout of the function, in seconds.
	DefaultTimeout = 60
)

// ThumbnailPipeline is the upload → thumbnail pipeline.
type ThumbnailPipeline struct {
	pulumi.ResourceState

	// FunctionArn and FunctionName identify the thumbnail function.
	FunctionArn  pulumi.StringOutput `pulumi:"functionArn"`
	FunctionName pulumi.StringOutput `pulumi:"functionName"`
	// UploadsBucketName and UploadsBucketArn locate the uploads bucket.
	UploadsBucketName pulumi.StringOutput `pulumi:"uploadsBucketName"`
	UploadsBucketArn  pulumi.StringOutput `pulumi:"uploadsBucketArn"`
	// ThumbnailsBucketName, ThumbnailsBucketArn and ThumbnailsDomainName
	// (the bucket's regional domain name, a CloudFront origin) locate the
	// thumbnails; ThumbnailsObjectsArn covers the thumbnail objects, for a
	// distribution's read statement.
	ThumbnailsBucketName pulumi.StringOutput `pulumi:"thumbnailsBucketName"`
	ThumbnailsBucketArn  pulumi.StringOutput `pulumi:"thumbnailsBucketArn"`
	ThumbnailsDomainName pulumi.StringOutput `pulumi:"thumbnailsDomainName"`
	ThumbnailsObjectsArn pulumi.StringOutput `pulumi:"thumbnailsObjectsArn"`
	// DeadLetterQueueArn and DeadLetterQueueURL locate where failed events
	// end up; alarm on its ApproximateNumberOfMessagesVisible.
	DeadLetterQueueArn pulumi.StringOutput `pulumi:"deadLetterQueueArn"`
	DeadLetterQueueURL pulumi.StringOutput `pulumi:"deadLetterQueueUrl"`
	// QueueArn (SQS delivery) and TopicArn (SNS delivery, for more
	// subscribers) are empty in the other modes.
	QueueArn pulumi.StringOutput `pulumi:"queueArn"`
	TopicArn pulumi.StringOutput `pulumi:"topicArn"`

	// The children, for callers that need more than the outputs. Uploads
	// and Thumbnails are nil for buckets passed in.
	Function        *blocks.Function
	Uploads         *blocks.Bucket
	Thumbnails      *blocks.Bucket
	Notification    *s3.BucketNotification
	DeadLetterQueue *blocks.Queue
	Queue           *blocks.Queue
	Topic           *sns.Topic

	name               string
	thumbnailPrefix    string
	thumbnailsPolicyBy string // who attaches the thumbnails bucket's policy
	// uploads and thumbs are the two buckets, created here or passed in.
	uploads, thumbs bucketRef
}

// New creates a ThumbnailPipeline named name.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ThumbnailPipeline, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, Token, name, opts, args.validate, func(p *ThumbnailPipeline, parent pulumi.ResourceOption) error {
		p.name, p.thumbnailPrefix = name, args.ThumbnailPrefix
		for _, step := range []func(*pulumi.Context, string, *Args, []pulumi.ResourceOption) error{
			p.buckets, p.queues, p.function, p.sweep, p.notification,
		} {
			if err := step(ctx, name, &args, []pulumi.ResourceOption{parent}); err != nil {
				return err
			}
		}
		p.outputs()
		return nil
	})
}

// queues creates the dead-letter queue and, for SQS delivery, the queue
// S3 sends events to.
func (p *ThumbnailPipeline) queues(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	dlq, err := blocks.NewQueue(ctx, name+"-dlq", blocks.QueueArgs{KMSKeyARN: args.KMSKeyArn}, child...)
	if err != nil {
		return err
	}
	p.DeadLetterQueue = dlq
	if args.Delivery != DeliverSQS {
		return nil
	}
	// AWS advises a visibility timeout of six times the function's
	// timeout, so a message is not handed out again while in work.
	p.Queue, err = blocks.NewQueue(ctx, name+"-queue", blocks.QueueArgs{
		KMSKeyARN:                args.KMSKeyArn,
		VisibilityTimeoutSeconds: 6 * args.Timeout,
		DeadLetter:               dlq,
		MaxReceiveCount:          5,
	}, child...)
	return err
}

// function creates the thumbnail function, with the environment package
// settings reads and Lambda's recursive-loop detection set to stop loops.
func (p *ThumbnailPipeline) function(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	fn, err := blocks.NewFunction(ctx, name+"-fn", blocks.FunctionArgs{
		Package:             "thumbnail",
		Architecture:        args.Architecture,
		MemorySize:          args.MemorySize,
		Timeout:             args.Timeout,
		LogRetentionDays:    args.LogRetentionDays,
		Description:         "Makes thumbnails of pictures uploaded to S3",
		Environment:         p.environment(args),
		ReservedConcurrency: pulumi.IntPtr(args.ReservedConcurrency),
		Uses:                p.uses(args),
	}, child...)
	if err != nil {
		return err
	}
	p.Function = fn
	if _, err := lambda.NewFunctionRecursionConfig(ctx, name+"-recursion", &lambda.FunctionRecursionConfigArgs{
		FunctionName:  fn.Function.Name,
		RecursiveLoop: pulumi.String("Terminate"),
	}, child...); err != nil {
		return fmt.Errorf("setting recursion detection of %s: %w", name, err)
	}
	return nil
}

// environment is what the function reads: args' settings, and the name of
// the thumbnails bucket, known once it exists.
func (p *ThumbnailPipeline) environment(args *Args) pulumi.StringMap {
	env := pulumi.StringMap{}
	for k, v := range args.settings().Variables() {
		env[k] = pulumi.String(v)
	}
	env[settings.EnvThumbnailBucket] = p.thumbs.name
	return env
}

// notification routes the uploads bucket's events to the function in the
// chosen mode, with the extra routes the caller passed. S3 tests every
// destination when the configuration is written, so the permissions and
// policies must exist first.
func (p *ThumbnailPipeline) notification(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	routes, err := p.deliver(ctx, name, args, child)
	if err != nil {
		return err
	}
	deps := append(append(slices.Clone(routes.deps), args.ExtraDependsOn...), p.uploads.ready...)
	lambdas, queues, topics := entries(args, routes.target)
	p.Notification, err = s3.NewBucketNotification(ctx, name+"-notification", &s3.BucketNotificationArgs{
		Bucket:          p.uploads.name,
		LambdaFunctions: append(lambdas, args.ExtraLambdaFunctions...),
		Queues:          append(queues, args.ExtraQueues...),
		Topics:          append(topics, args.ExtraTopics...),
	}, blocks.With(child, pulumi.DependsOn(deps))...)
	if err != nil {
		return fmt.Errorf("creating notification of %s: %w", name, err)
	}
	return nil
}

// outputs sets the component's output fields; QueueArn and
// TopicArn are empty in the modes without them.
func (p *ThumbnailPipeline) outputs() {
	p.FunctionArn = p.Function.Function.Arn
	p.FunctionName = p.Function.Function.Name
	p.UploadsBucketName, p.UploadsBucketArn = p.uploads.name, p.uploads.arn
	p.ThumbnailsBucketName, p.ThumbnailsBucketArn = p.thumbs.name, p.thumbs.arn
	p.ThumbnailsDomainName = p.thumbs.domain
	p.ThumbnailsObjectsArn = p.thumbs.objects(p.thumbnailPrefix)
	p.DeadLetterQueueArn, p.DeadLetterQueueURL = p.DeadLetterQueue.Arn(), p.DeadLetterQueue.URL()
	p.QueueArn, p.TopicArn = pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if p.Queue != nil {
		p.QueueArn = p.Queue.Arn()
	}
	if p.Topic != nil {
		p.TopicArn = p.Topic.Arn
	}
}

// sweep invokes the function with a sweep request once per set of sizes:
// it deletes the thumbnails of sizes taken out of Sizes (and skip records
// where earlier versions kept them, in public), which no upload's event
// would ever touch again. The request names the sizes, so a deployment that
// changes them invokes again, after the function has its new SIZES; the
// function refuses a request for other sizes than its own. A sweep cut short
// by the function's timeout answers "done":false: invoke the function with
// the same request (the Invocation's input) until it answers true.
func (p *ThumbnailPipeline) sweep(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	req := settings.RetiredSizesSweep(args.Sizes)
	input, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := lambda.NewInvocation(ctx, name+"-sweep", &lambda.InvocationArgs{
		FunctionName: p.Function.Function.Name,
		Input:        pulumi.String(string(input)),
		Triggers:     pulumi.StringMap{"sizes": pulumi.String(req.Sizes)},
	}, blocks.With(child, pulumi.DependsOn(p.Function.Policies))...); err != nil {
		return fmt.Errorf("sweeping retired thumbnail sizes of %s: %w", name, err)
	}
	return nil
}

// buckets creates the buckets the caller did not pass, with their access
// logs and (where this component owns it and no distribution must be named)
// their policy.
func (p *ThumbnailPipeline) buckets(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	p.thumbnailsPolicyBy = "caller"
	var err error
	if args.UploadsBucket != nil {
		if p.uploads, err = namedBucket(ctx, args.UploadsBucket, args.UploadsKMSKeyArn, pulumi.Parent(p)); err != nil {
			return fmt.Errorf("looking up the uploads bucket of %s: %w", name, err)
		}
	} else {
		b, err := blocks.NewBucket(ctx, name+"-uploads", blocks.BucketArgs{Protect: args.Protect, KMSKeyARN: args.KMSKeyArn}, child...)
		if err != nil {
			return err
		}
		if err := p.logAccess(ctx, name+"-uploads", b, args, child); err != nil {
			return err
		}
		if _, err := b.AttachPolicy(ctx); err != nil {
			return err
		}
		p.Uploads, p.uploads = b, createdBucket(b)
	}
	if args.ThumbnailsBucket != nil {
		if args.sameBucket() {
			p.thumbs = p.uploads
			return nil
		}
		if p.thumbs, err = namedBucket(ctx, args.ThumbnailsBucket, args.ThumbnailsKMSKeyArn, pulumi.Parent(p)); err != nil {
			return fmt.Errorf("looking up the thumbnails bucket of %s: %w", name, err)
		}
		return nil
	}
	b, err := blocks.NewBucket(ctx, name+"-thumbnails", blocks.BucketArgs{Unversioned: true, ForceDestroy: true, KMSKeyARN: args.KMSKeyArn}, child...)
	if err != nil {
		return err
	}
	policy.Suppress(ctx, b.Bucket, "holds only thumbnails, which the pipeline rebuilds from the versioned uploads", "S3-VERSIONING")
	if err := p.logAccess(ctx, name+"-thumbnails", b, args, child); err != nil {
		return err
	}
	p.Thumbnails, p.thumbs = b, createdBucket(b)
	p.thumbnailsPolicyBy = "AllowCloudFront"
	if !args.ServedByCloudFront {
		p.thumbnailsPolicyBy = "New"
		if _, err := b.AttachPolicy(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (p *ThumbnailPipeline) logAccess(ctx *pulumi.Context, name string, b *blocks.Bucket, args *Args, child []pulumi.ResourceOption) error {
	if args.AccessLogsBucket == nil {
		return nil
	}
	if _, err := s3.NewBucketLoggingV2(ctx, name+"-access-logs", &s3.BucketLoggingV2Args{
		Bucket:       b.Bucket.ID(),
		TargetBucket: args.AccessLogsBucket,
		TargetPrefix: pulumi.String(name + "/"),
	}, child...); err != nil {
		return fmt.Errorf("logging access to bucket %s: %w", name, err)
	}
	return nil
}
