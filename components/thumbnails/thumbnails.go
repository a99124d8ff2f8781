package thumbnails

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
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
	// DefaultMaxSourceBytes (50 MiB) and DefaultMaxPixels (50 million) are
	// the largest upload and declared width × height processed.
	DefaultMaxSourceBytes int64 = 50 << 20
	DefaultMaxPixels      int64 = 50_000_000
	// DefaultMemorySize of the function in MB: decoding a large photo
	// needs the memory, and memory buys CPU.
	DefaultMemorySize = 1024
	// DefaultTimeout of the function, in seconds.
	DefaultTimeout = 60
)

// The function's environment variables, as functions/thumbnail reads them.
const (
	EnvThumbnailBucket = "THUMBNAIL_BUCKET"
	EnvThumbnailPrefix = "THUMBNAIL_PREFIX"
	EnvUploadPrefix    = "UPLOAD_PREFIX"
	EnvSizes           = "SIZES"
	EnvFormat          = "FORMAT"
	EnvQuality         = "QUALITY"
	EnvMaxSourceBytes  = "MAX_SOURCE_BYTES"
	EnvMaxPixels       = "MAX_PIXELS"
)

const maxSize = 8192 // the handler's largest accepted size

// Args configures a ThumbnailPipeline. Plain Go values decide which
// resources exist and what the notification filters; everything else is an
// input.
type Args struct {
	// UploadsBucket is the name of an existing bucket users upload
	// pictures to (a blocks.Bucket's Bucket.Bucket, an s3.BucketV2's
	// Bucket, or a literal name); nil creates one, versioned and stateful
	// when Protect is set. A bucket passed in keeps its own policy, and is
	// expected to use SSE-S3: the role has no KMS grant for a bucket
	// encrypted with a KMS key.
	UploadsBucket pulumi.StringInput
	// UploadPrefix limits the pipeline to keys under it, e.g. "uploads/";
	// empty means the whole bucket.
	UploadPrefix string
	// ThumbnailsBucket is the name of an existing bucket thumbnails are
	// written to; nil creates one (unversioned: thumbnails are rebuilt from
	// the uploads). It may be the same input as UploadsBucket, under a
	// disjoint prefix.
	ThumbnailsBucket pulumi.StringInput
	// ThumbnailPrefix is where thumbnails go (default "thumbnails/", which
	// maps the URL path /thumbnails/* to its keys unchanged).
	ThumbnailPrefix string

	// Suffixes that trigger the function (default DefaultSuffixes).
	Suffixes []string
	// Sizes are the thumbnail edge lengths in pixels (default 1024, 512,
	// 128), each 1 to 8192.
	Sizes []int
	// Format is "auto" (PNG where the picture has transparency, JPEG
	// otherwise; the default), "jpeg" or "png".
	Format string
	// Quality of JPEG thumbnails, 1 to 100 (default 80).
	Quality int
	// MaxSourceBytes is the largest upload processed (default 50 MiB) and
	// MaxPixels the largest declared width × height (default 50 million):
	// both are checked before anything is decoded.
	MaxSourceBytes int64
	MaxPixels      int64

	// KeepAfterUploadDeleted keeps the thumbnails of a deleted upload. By
	// default the pipeline also routes "object removed" events to the
	// function, which deletes the thumbnails of a deleted picture so that
	// it stops being served; set this to route only "object created"
	// events, for example to give removals of the same keys to an extra
	// route, and take DeleteObject out of the function's role.
	KeepAfterUploadDeleted bool

	// Delivery selects direct (default), sqs or sns delivery.
	Delivery Delivery
	// ExtraLambdaFunctions, ExtraQueues and ExtraTopics are further routes
	// on the uploads bucket's notification, which this component owns (S3
	// keeps one notification configuration per bucket). Their filters must
	// not overlap the pipeline's for the same events (s3:ObjectCreated:*,
	// and s3:ObjectRemoved:* unless KeepAfterUploadDeleted is set), or S3
	// refuses the configuration. ExtraDependsOn lists what those routes
	// need to exist first: their lambda.Permission, queue or topic policy.
	ExtraLambdaFunctions s3.BucketNotificationLambdaFunctionArray
	ExtraQueues          s3.BucketNotificationQueueArray
	ExtraTopics          s3.BucketNotificationTopicArray
	ExtraDependsOn       []pulumi.Resource

	// MaximumRetryAttempts of an asynchronous event (direct and SNS modes):
	// 0 means the default, 2; -1 means none.
	MaximumRetryAttempts int
	// MaximumEventAgeSeconds after which an asynchronous event goes to the
	// dead-letter queue instead of being retried (default 3600, 60 to 21600).
	MaximumEventAgeSeconds int
	// BatchSize of the SQS event-source mapping (default 5).
	BatchSize int
	// ReservedConcurrency caps concurrent resizes (default 5).
	ReservedConcurrency int

	// Architecture, MemorySize (default 1024 MB: decoding a large photo
	// needs the memory, and memory buys CPU), Timeout (default 60 s) and
	// LogRetentionDays are the function's settings.
	Architecture     string
	MemorySize       int
	Timeout          int
	LogRetentionDays int

	// ServedByCloudFront leaves the policy of a thumbnails bucket this
	// component creates to the site that serves it: a StaticSite bucket
	// origin with ReadArn set to ThumbnailsObjectsArn (any language), or a
	// call to AllowCloudFront once the distribution exists (Go). Until then
	// the bucket has no bucket policy.
	ServedByCloudFront bool
	// AccessLogsBucket is the name of the bucket that receives S3 server
	// access logs of the buckets this component creates.
	AccessLogsBucket pulumi.StringInput
	// Protect marks an uploads bucket created here stateful.
	Protect bool
}

func (a *Args) withDefaults() {
	if a.ThumbnailPrefix == "" {
		a.ThumbnailPrefix = DefaultThumbnailPrefix
	}
	if len(a.Suffixes) == 0 {
		a.Suffixes = DefaultSuffixes
	}
	if len(a.Sizes) == 0 {
		a.Sizes = DefaultSizes
	}
	if a.Format == "" {
		a.Format = "auto"
	}
	if a.Quality == 0 {
		a.Quality = 80
	}
	if a.MaxSourceBytes == 0 {
		a.MaxSourceBytes = DefaultMaxSourceBytes
	}
	if a.MaxPixels == 0 {
		a.MaxPixels = DefaultMaxPixels
	}
	if a.Delivery == "" {
		a.Delivery = DeliverDirect
	}
	switch a.MaximumRetryAttempts {
	case 0:
		a.MaximumRetryAttempts = 2
	case -1:
		a.MaximumRetryAttempts = 0
	}
	if a.MaximumEventAgeSeconds == 0 {
		a.MaximumEventAgeSeconds = 3600
	}
	if a.BatchSize == 0 {
		a.BatchSize = 5
	}
	if a.ReservedConcurrency == 0 {
		a.ReservedConcurrency = 5
	}
	if a.MemorySize == 0 {
		a.MemorySize = DefaultMemorySize
	}
	if a.Timeout == 0 {
		a.Timeout = DefaultTimeout
	}
}

// validate reports every problem with the arguments at once.
func (a *Args) validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if err := Overlap(a.sameBucket(), a.UploadPrefix, a.ThumbnailPrefix); err != nil {
		errs = append(errs, err)
	}
	for what, p := range map[string]string{"UploadPrefix": a.UploadPrefix, "ThumbnailPrefix": a.ThumbnailPrefix} {
		if strings.HasPrefix(p, "/") {
			fail("%s %q must not start with /: S3 keys have no leading slash", what, p)
		}
	}
	if !slices.Contains([]Delivery{DeliverDirect, DeliverSQS, DeliverSNS}, a.Delivery) {
		fail("Delivery %q: want %q, %q or %q", a.Delivery, DeliverDirect, DeliverSQS, DeliverSNS)
	}
	seen := map[string]bool{}
	for _, s := range a.Suffixes {
		if s == "" || seen[s] {
			fail("Suffixes %q: want distinct, non-empty suffixes", a.Suffixes)
			break
		}
		seen[s] = true
	}
	sizes := map[int]bool{}
	for _, n := range a.Sizes {
		if n < 1 || n > maxSize || sizes[n] {
			fail("Sizes %v: want distinct edge lengths from 1 to %d", a.Sizes, maxSize)
			break
		}
		sizes[n] = true
	}
	if !slices.Contains([]string{"auto", "jpeg", "png"}, a.Format) {
		fail("Format %q: want auto, jpeg or png", a.Format)
	}
	if a.Quality < 1 || a.Quality > 100 {
		fail("Quality %d: want 1 to 100", a.Quality)
	}
	if a.MaxSourceBytes < 1 || a.MaxPixels < 1 {
		fail("MaxSourceBytes %d and MaxPixels %d must be positive", a.MaxSourceBytes, a.MaxPixels)
	}
	if a.MaximumRetryAttempts < 0 || a.MaximumRetryAttempts > 2 {
		fail("MaximumRetryAttempts %d: Lambda retries an asynchronous event at most twice", a.MaximumRetryAttempts)
	}
	if a.MaximumEventAgeSeconds < 60 || a.MaximumEventAgeSeconds > 21600 {
		fail("MaximumEventAgeSeconds %d: want 60 to 21600", a.MaximumEventAgeSeconds)
	}
	if a.BatchSize < 1 || a.BatchSize > 10 {
		fail("BatchSize %d: want 1 to 10", a.BatchSize)
	}
	if a.ReservedConcurrency < 1 {
		fail("ReservedConcurrency %d: want at least 1", a.ReservedConcurrency)
	}
	return errors.Join(errs...)
}

// sameBucket reports whether uploads and thumbnails share a bucket passed
// in: the same input, such as one bucket's name output.
func (a *Args) sameBucket() bool {
	return a.UploadsBucket != nil && a.UploadsBucket == a.ThumbnailsBucket
}

// Overlap reports whether an uploads prefix and a thumbnails prefix in the
// same bucket overlap: one is a prefix of the other, and an empty prefix
// (the whole bucket) overlaps every other. Thumbnails written into the
// uploads location would be taken for uploads, and the other way round.
func Overlap(sameBucket bool, uploadPrefix, thumbnailPrefix string) error {
	if !sameBucket {
		return nil
	}
	if strings.HasPrefix(uploadPrefix, thumbnailPrefix) || strings.HasPrefix(thumbnailPrefix, uploadPrefix) {
		return fmt.Errorf("uploads location (prefix %q) and thumbnails location (prefix %q) are in the same bucket and overlap: "+
			"use another bucket for thumbnails or disjoint prefixes such as \"uploads/\" and \"thumbnails/\"",
			uploadPrefix, thumbnailPrefix)
	}
	return nil
}

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
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("thumbnail pipeline %s: %w", name, err)
	}
	p := &ThumbnailPipeline{name: name, thumbnailPrefix: args.ThumbnailPrefix}
	if err := ctx.RegisterComponentResource(Token, name, p, opts...); err != nil {
		return nil, fmt.Errorf("registering thumbnail pipeline %s: %w", name, err)
	}
	child := []pulumi.ResourceOption{pulumi.Parent(p)}

	if err := p.buckets(ctx, name, &args, child); err != nil {
		return nil, err
	}
	dlq, err := blocks.NewQueue(ctx, name+"-dlq", blocks.QueueArgs{}, child...)
	if err != nil {
		return nil, err
	}
	p.DeadLetterQueue = dlq
	if args.Delivery == DeliverSQS {
		// AWS advises a visibility timeout of six times the function's
		// timeout, so a message is not handed out again while in work.
		p.Queue, err = blocks.NewQueue(ctx, name+"-queue", blocks.QueueArgs{
			VisibilityTimeoutSeconds: 6 * args.Timeout,
			DeadLetter:               dlq,
			MaxReceiveCount:          5,
		}, child...)
		if err != nil {
			return nil, err
		}
	}

	fn, err := blocks.NewFunction(ctx, name+"-fn", blocks.FunctionArgs{
		Package:          "thumbnail",
		Architecture:     args.Architecture,
		MemorySize:       args.MemorySize,
		Timeout:          args.Timeout,
		LogRetentionDays: args.LogRetentionDays,
		Description:      "Makes thumbnails of pictures uploaded to S3",
		Environment: pulumi.StringMap{
			EnvThumbnailBucket: p.thumbs.name,
			EnvThumbnailPrefix: pulumi.String(args.ThumbnailPrefix),
			EnvUploadPrefix:    pulumi.String(args.UploadPrefix),
			EnvSizes:           pulumi.String(joinInts(args.Sizes)),
			EnvFormat:          pulumi.String(args.Format),
			EnvQuality:         pulumi.String(strconv.Itoa(args.Quality)),
			EnvMaxSourceBytes:  pulumi.String(strconv.FormatInt(args.MaxSourceBytes, 10)),
			EnvMaxPixels:       pulumi.String(strconv.FormatInt(args.MaxPixels, 10)),
		},
		ReservedConcurrency: pulumi.IntPtr(args.ReservedConcurrency),
		Statements:          p.statements(&args),
	}, child...)
	if err != nil {
		return nil, err
	}
	p.Function = fn

	if _, err := lambda.NewFunctionRecursionConfig(ctx, name+"-recursion", &lambda.FunctionRecursionConfigArgs{
		FunctionName:  fn.Function.Name,
		RecursiveLoop: pulumi.String("Terminate"),
	}, child...); err != nil {
		return nil, fmt.Errorf("setting recursion detection of %s: %w", name, err)
	}

	routes, err := p.deliver(ctx, name, &args, child)
	if err != nil {
		return nil, err
	}
	if args.Delivery != DeliverSQS {
		if _, err := lambda.NewFunctionEventInvokeConfig(ctx, name+"-async", &lambda.FunctionEventInvokeConfigArgs{
			FunctionName:             fn.Function.Name,
			MaximumRetryAttempts:     pulumi.Int(args.MaximumRetryAttempts),
			MaximumEventAgeInSeconds: pulumi.Int(args.MaximumEventAgeSeconds),
			DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
				OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: dlq.Arn()},
			},
		}, blocks.With(child, pulumi.DependsOn(fn.Policies))...); err != nil {
			return nil, fmt.Errorf("configuring asynchronous invocation of %s: %w", name, err)
		}
	}

	// S3 tests every destination when the configuration is written, so
	// the permissions and policies must exist first.
	deps := append(append(slices.Clone(routes.deps), args.ExtraDependsOn...), p.uploads.ready...)
	notification, err := s3.NewBucketNotification(ctx, name+"-notification", &s3.BucketNotificationArgs{
		Bucket:          p.uploads.name,
		LambdaFunctions: append(routes.lambdas, args.ExtraLambdaFunctions...),
		Queues:          append(routes.queues, args.ExtraQueues...),
		Topics:          append(routes.topics, args.ExtraTopics...),
	}, blocks.With(child, pulumi.DependsOn(deps))...)
	if err != nil {
		return nil, fmt.Errorf("creating notification of %s: %w", name, err)
	}
	p.Notification = notification

	p.FunctionArn = fn.Function.Arn
	p.FunctionName = fn.Function.Name
	p.UploadsBucketName = p.uploads.name
	p.UploadsBucketArn = p.uploads.arn
	p.ThumbnailsBucketName = p.thumbs.name
	p.ThumbnailsBucketArn = p.thumbs.arn
	p.ThumbnailsDomainName = p.thumbs.domain
	p.ThumbnailsObjectsArn = p.thumbs.objects(args.ThumbnailPrefix)
	p.DeadLetterQueueArn = dlq.Arn()
	p.DeadLetterQueueURL = dlq.URL()
	p.QueueArn = pulumi.String("").ToStringOutput()
	if p.Queue != nil {
		p.QueueArn = p.Queue.Arn()
	}
	p.TopicArn = pulumi.String("").ToStringOutput()
	if p.Topic != nil {
		p.TopicArn = p.Topic.Arn
	}
	if err := ctx.RegisterResourceOutputs(p, pulumi.Map{
		"functionArn":          p.FunctionArn,
		"functionName":         p.FunctionName,
		"uploadsBucketName":    p.UploadsBucketName,
		"uploadsBucketArn":     p.UploadsBucketArn,
		"thumbnailsBucketName": p.ThumbnailsBucketName,
		"thumbnailsBucketArn":  p.ThumbnailsBucketArn,
		"thumbnailsDomainName": p.ThumbnailsDomainName,
		"thumbnailsObjectsArn": p.ThumbnailsObjectsArn,
		"deadLetterQueueArn":   p.DeadLetterQueueArn,
		"deadLetterQueueUrl":   p.DeadLetterQueueURL,
		"queueArn":             p.QueueArn,
		"topicArn":             p.TopicArn,
	}); err != nil {
		return nil, fmt.Errorf("registering outputs of %s: %w", name, err)
	}
	return p, nil
}

// buckets creates the buckets the caller did not pass, with their access
// logs and (where this component owns it and no distribution must be named)
// their policy.
func (p *ThumbnailPipeline) buckets(ctx *pulumi.Context, name string, args *Args, child []pulumi.ResourceOption) error {
	p.thumbnailsPolicyBy = "caller"
	var err error
	if args.UploadsBucket != nil {
		if p.uploads, err = namedBucket(ctx, args.UploadsBucket, pulumi.Parent(p)); err != nil {
			return fmt.Errorf("looking up the uploads bucket of %s: %w", name, err)
		}
	} else {
		b, err := blocks.NewBucket(ctx, name+"-uploads", blocks.BucketArgs{Protect: args.Protect}, child...)
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
		if p.thumbs, err = namedBucket(ctx, args.ThumbnailsBucket, pulumi.Parent(p)); err != nil {
			return fmt.Errorf("looking up the thumbnails bucket of %s: %w", name, err)
		}
		return nil
	}
	b, err := blocks.NewBucket(ctx, name+"-thumbnails", blocks.BucketArgs{Unversioned: true, ForceDestroy: true}, child...)
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

// AllowCloudFront attaches the policy of the thumbnails bucket this
// component created with ServedByCloudFront: TLS only, and read access to
// the thumbnails for the given distributions (through their origin access
// control). Call it exactly once, after the distribution exists.
func (p *ThumbnailPipeline) AllowCloudFront(ctx *pulumi.Context, distributionArns ...pulumi.StringInput) (*s3.BucketPolicy, error) {
	switch p.thumbnailsPolicyBy {
	case "caller":
		return nil, fmt.Errorf("thumbnail pipeline %s: the thumbnails bucket was passed in, so its owner attaches its policy; "+
			"add blocks.AllowCloudFrontRead(ThumbnailsObjectsArn, distributionArn) to it", p.name)
	case "New":
		return nil, fmt.Errorf("thumbnail pipeline %s: the thumbnails bucket already has its policy; set ServedByCloudFront to attach it with AllowCloudFront", p.name)
	case "attached":
		return nil, fmt.Errorf("thumbnail pipeline %s: AllowCloudFront was already called; a bucket has one policy, so pass every distribution at once", p.name)
	}
	if len(distributionArns) == 0 {
		return nil, fmt.Errorf("thumbnail pipeline %s: AllowCloudFront needs at least one distribution ARN", p.name)
	}
	pol, err := p.Thumbnails.AttachPolicy(ctx, blocks.AllowCloudFrontRead(p.thumbs.objects(p.thumbnailPrefix), distributionArns...))
	if err != nil {
		return nil, err
	}
	p.thumbnailsPolicyBy = "attached"
	return pol, nil
}

// statements are the function's permissions beyond its logs and traces.
func (p *ThumbnailPipeline) statements(args *Args) []blocks.Statement {
	buckets := pulumi.StringArray{p.uploads.arn}
	if p.thumbs.arn != p.uploads.arn {
		buckets = append(buckets, p.thumbs.arn)
	}
	stmts := []blocks.Statement{{
		Sid:       "ReadUploads",
		Actions:   []string{"s3:GetObject"},
		Resources: pulumi.StringArray{p.uploads.objects(args.UploadPrefix)},
	}, {
		// HeadObject is authorized as GetObject: the handler reads a
		// thumbnail's metadata to skip work already done.
		Sid:       "WriteThumbnails",
		Actions:   thumbnailActions(args),
		Resources: pulumi.StringArray{p.thumbs.objects(args.ThumbnailPrefix)},
	}, {
		// Without ListBucket S3 answers 403 instead of 404 for a missing
		// key, and the handler could not tell "not made yet" from "denied".
		Sid:       "TellMissingKeys",
		Actions:   []string{"s3:ListBucket"},
		Resources: buckets,
	}}
	if args.Delivery == DeliverSQS {
		stmts = append(stmts, blocks.Statement{
			Sid:       "ConsumeQueue",
			Actions:   []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
			Resources: pulumi.StringArray{p.Queue.Arn()},
		})
	} else {
		stmts = append(stmts, blocks.Statement{
			Sid:       "SendFailedEvents",
			Actions:   []string{"sqs:SendMessage"},
			Resources: pulumi.StringArray{p.DeadLetterQueue.Arn()},
		})
	}
	return stmts
}

// thumbnailActions are the function's rights on the thumbnails: DeleteObject
// only when it deletes those of deleted uploads.
func thumbnailActions(args *Args) []string {
	if args.KeepAfterUploadDeleted {
		return []string{"s3:GetObject", "s3:PutObject"}
	}
	return []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}
