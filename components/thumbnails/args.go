package thumbnails

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Args configures a ThumbnailPipeline. Plain Go values decide which
// resources exist and what the notification filters; everything else is an
// input.
type Args struct {
	// UploadsBucket is the name of an existing bucket users upload
	// pictures to (a blocks.Bucket's Bucket.Bucket, an s3.BucketV2's
	// Bucket, or a literal name); nil creates one, versioned and stateful
	// when Protect is set. A bucket passed in keeps its own policy.
	UploadsBucket pulumi.StringInput
	// UploadsKMSKeyArn is the customer managed key of an uploads bucket
	// passed in, if it uses one, so the function may decrypt uploads.
	UploadsKMSKeyArn pulumi.StringInput
	// UploadPrefix limits the pipeline to keys under it, e.g. "uploads/";
	// empty means the whole bucket.
	UploadPrefix string
	// ThumbnailsBucket is the name of an existing bucket thumbnails are
	// written to; nil creates one (unversioned: thumbnails are rebuilt from
	// the uploads). It may be the same input as UploadsBucket, under a
	// disjoint prefix.
	ThumbnailsBucket pulumi.StringInput
	// ThumbnailsKMSKeyArn is the customer managed key of a thumbnails
	// bucket passed in, if it uses one.
	ThumbnailsKMSKeyArn pulumi.StringInput
	// KMSKeyArn encrypts the buckets and queues the pipeline creates with a
	// customer managed key (SSE-KMS) instead of SSE-S3 and SSE-SQS; the
	// function gets the key actions its calls need, through S3 and SQS only.
	// The key's policy must let the account's IAM policies grant its use,
	// let S3 use it when events go through a queue or topic, and, for a
	// thumbnails bucket served by CloudFront, admit the distribution
	// (blocks.AllowCloudFrontDecrypt).
	KMSKeyArn pulumi.StringInput
	// ThumbnailPrefix is where thumbnails go (default "thumbnails/", which
	// maps the URL path /thumbnails/* to its keys unchanged). Whatever reads
	// it is public: serve nothing else of the bucket.
	ThumbnailPrefix string
	// SkipPrefix is where the function records uploads that cannot have
	// thumbnails (default "thumbnail-skips/"), in the thumbnails bucket:
	// outside ThumbnailPrefix, so that nothing public reads them.
	SkipPrefix string

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
	// default the pipeline also routes "object removed" and "lifecycle
	// expiration" events to the function, which deletes the thumbnails of a
	// deleted or expired picture so that it stops being served; set this to
	// route only "object created" events, for example to give removals of
	// the same keys to an extra route. The function still deletes the
	// thumbnails of a picture replaced by something that is not one, and of
	// sizes taken out of Sizes.
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
	if a.SkipPrefix == "" {
		a.SkipPrefix = DefaultSkipPrefix
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
	if err := a.validateSkipPrefix(); err != nil {
		errs = append(errs, err)
	}
	for what, p := range map[string]string{"UploadPrefix": a.UploadPrefix, "ThumbnailPrefix": a.ThumbnailPrefix, "SkipPrefix": a.SkipPrefix} {
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

// validateSkipPrefix keeps skip records out of the public thumbnail prefix
// and, in a shared bucket, out of the uploads.
func (a *Args) validateSkipPrefix() error {
	overlaps := func(p, q string) bool { return strings.HasPrefix(p, q) || strings.HasPrefix(q, p) }
	switch {
	case overlaps(a.SkipPrefix, a.ThumbnailPrefix):
		return fmt.Errorf("SkipPrefix %q and ThumbnailPrefix %q overlap: skip records would be served with the thumbnails", a.SkipPrefix, a.ThumbnailPrefix)
	case a.sameBucket() && overlaps(a.SkipPrefix, a.UploadPrefix):
		return fmt.Errorf("SkipPrefix %q and UploadPrefix %q overlap in the same bucket", a.SkipPrefix, a.UploadPrefix)
	}
	return nil
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
