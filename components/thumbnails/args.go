package thumbnails

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/functions/thumbnail/settings"
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
	// 128), 1 to 8 of them, each 1 to 8192.
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
	a.ThumbnailPrefix = cmp.Or(a.ThumbnailPrefix, DefaultThumbnailPrefix)
	a.SkipPrefix = cmp.Or(a.SkipPrefix, DefaultSkipPrefix)
	if len(a.Suffixes) == 0 {
		a.Suffixes = DefaultSuffixes
	}
	if len(a.Sizes) == 0 {
		a.Sizes = DefaultSizes
	}
	a.Format = cmp.Or(a.Format, settings.DefaultFormat)
	a.Quality = cmp.Or(a.Quality, settings.DefaultQuality)
	a.MaxSourceBytes = cmp.Or(a.MaxSourceBytes, DefaultMaxSourceBytes)
	a.MaxPixels = cmp.Or(a.MaxPixels, DefaultMaxPixels)
	a.Delivery = cmp.Or(a.Delivery, DeliverDirect)
	switch a.MaximumRetryAttempts {
	case 0:
		a.MaximumRetryAttempts = 2
	case -1:
		a.MaximumRetryAttempts = 0
	}
	a.MaximumEventAgeSeconds = cmp.Or(a.MaximumEventAgeSeconds, 3600)
	a.BatchSize = cmp.Or(a.BatchSize, 5)
	a.ReservedConcurrency = cmp.Or(a.ReservedConcurrency, 5)
	a.MemorySize = cmp.Or(a.MemorySize, DefaultMemorySize)
	a.Timeout = cmp.Or(a.Timeout, DefaultTimeout)
}

// settings is the function's environment as a configures it, but for the
// thumbnails bucket, whose name is known only once it exists.
func (a *Args) settings() settings.Env {
	return settings.Env{
		Prefix:         a.ThumbnailPrefix,
		SkipPrefix:     a.SkipPrefix,
		UploadPrefix:   a.UploadPrefix,
		Sizes:          a.Sizes,
		Format:         a.Format,
		Quality:        a.Quality,
		MaxSourceBytes: a.MaxSourceBytes,
		MaxPixels:      a.MaxPixels,
		KeepDeleted:    a.KeepAfterUploadDeleted,
	}
}

// argOf names the argument behind each variable of the function's
// environment, for settings.Env.CheckAs.
var argOf = map[string]string{
	settings.EnvThumbnailPrefix: "ThumbnailPrefix",
	settings.EnvSkipPrefix:      "SkipPrefix",
	settings.EnvUploadPrefix:    "UploadPrefix",
	settings.EnvSizes:           "Sizes",
	settings.EnvFormat:          "Format",
	settings.EnvQuality:         "Quality",
	settings.EnvMaxSourceBytes:  "MaxSourceBytes",
	settings.EnvMaxPixels:       "MaxPixels",
}

// validate reports every problem with the arguments at once: what the
// function would refuse in the environment they make (package settings
// checks it), and what only the pipeline knows.
func (a *Args) validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if err := a.settings().CheckAs(func(v string) string { return cmp.Or(argOf[v], v) }); err != nil {
		errs = append(errs, err)
	}
	// Uploads inside the thumbnail prefix are refused above in any bucket.
	if err := Overlap(a.sameBucket(), a.UploadPrefix, a.ThumbnailPrefix); err != nil && !strings.HasPrefix(a.UploadPrefix, a.ThumbnailPrefix) {
		errs = append(errs, err)
	}
	if overlaps(a.SkipPrefix, a.UploadPrefix) && a.sameBucket() {
		fail("SkipPrefix %q and UploadPrefix %q overlap in the same bucket", a.SkipPrefix, a.UploadPrefix)
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

// overlaps reports whether one of two prefixes is a prefix of the other.
func overlaps(p, q string) bool { return strings.HasPrefix(p, q) || strings.HasPrefix(q, p) }

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
