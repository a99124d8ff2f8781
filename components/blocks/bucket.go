package blocks

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// BucketArgs configures NewBucket. The zero value is the secure default.
type BucketArgs struct {
	// KMSKeyARN selects SSE-KMS with this key; empty means SSE-S3 (AES256),
	// which needs no key policy and suits CloudFront OAC reads.
	KMSKeyARN pulumi.StringInput
	// Unversioned turns versioning off, for buckets whose objects can be
	// rebuilt from source (site content, thumbnails, logs).
	Unversioned bool
	// NoncurrentVersionDays expires old versions after this many days
	// (default 30) so versioning does not keep every overwrite forever.
	NoncurrentVersionDays int
	// ExpireAfterDays, if set, deletes objects that many days after they
	// were written: for log buckets, whose content should live as long as
	// the stack's log retention and no longer.
	ExpireAfterDays int
	// CORSRules, if any, are applied as the bucket's CORS configuration.
	CORSRules s3.BucketCorsConfigurationV2CorsRuleArray
	// ForceDestroy lets Pulumi delete a non-empty bucket. Leave it off for
	// buckets with user data.
	ForceDestroy bool
	// Protect marks the bucket as stateful (see Stateful).
	Protect bool
	// ObjectWriter keeps ACLs usable (ownership ObjectWriter instead of
	// BucketOwnerEnforced); only CloudFront standard logging v1 needs it.
	ObjectWriter bool
}

// Bucket is a private bucket created by NewBucket.
type Bucket struct {
	Bucket *s3.BucketV2
	// Ready are all of the bucket's configuration resources, in the order
	// they were created; depend on them to use the bucket only once it is
	// locked down.
	Ready []pulumi.Resource

	name string
	opts []pulumi.ResourceOption
	key  pulumi.StringInput
}

// NewBucket creates a private, encrypted bucket named name (children are
// name-public-access-block, name-ownership, ...). Call AttachPolicy once
// afterwards to give it its TLS-only bucket policy.
func NewBucket(ctx *pulumi.Context, name string, args BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	b, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(args.ForceDestroy),
	}, With(opts, Stateful(args.Protect)...)...)
	if err != nil {
		return nil, fmt.Errorf("creating bucket %s: %w", name, err)
	}
	out := &Bucket{Bucket: b, name: name, opts: opts, key: args.KMSKeyARN}
	child := With(opts, pulumi.DependsOn([]pulumi.Resource{b}))
	for _, step := range []func(*pulumi.Context, *BucketArgs, []pulumi.ResourceOption) error{
		out.blockPublicAccess, out.encrypt, out.version, out.lifecycle, out.cors,
	} {
		if err := step(ctx, &args, child); err != nil {
			return nil, fmt.Errorf("bucket %s: %w", name, err)
		}
	}
	return out, nil
}

// blockPublicAccess blocks every kind of public access and sets the object
// ownership (bucket owner enforced: no ACLs, unless args.ObjectWriter).
func (b *Bucket) blockPublicAccess(ctx *pulumi.Context, args *BucketArgs, opts []pulumi.ResourceOption) error {
	pab, err := s3.NewBucketPublicAccessBlock(ctx, b.name+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.Bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...)
	if err := b.configured(pab, err, "blocking public access"); err != nil {
		return err
	}
	ownership := "BucketOwnerEnforced"
	if args.ObjectWriter {
		ownership = "ObjectWriter"
	}
	own, err := s3.NewBucketOwnershipControls(ctx, b.name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: b.Bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(ownership)},
	}, opts...)
	return b.configured(own, err, "setting object ownership")
}

// encrypt sets the default encryption: SSE-KMS with bucket keys under
// args.KMSKeyARN, else SSE-S3.
func (b *Bucket) encrypt(ctx *pulumi.Context, args *BucketArgs, opts []pulumi.ResourceOption) error {
	sse := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("AES256")}
	if args.KMSKeyARN != nil {
		sse = &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm:   pulumi.String("aws:kms"),
			KmsMasterKeyId: args.KMSKeyARN,
		}
	}
	enc, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, b.name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.Bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: sse,
			BucketKeyEnabled:                   pulumi.Bool(args.KMSKeyARN != nil),
		}},
	}, opts...)
	return b.configured(enc, err, "encrypting")
}

// version turns versioning on unless args.Unversioned.
func (b *Bucket) version(ctx *pulumi.Context, args *BucketArgs, opts []pulumi.ResourceOption) error {
	if args.Unversioned {
		return nil
	}
	ver, err := s3.NewBucketVersioningV2(ctx, b.name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  b.Bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, opts...)
	return b.configured(ver, err, "versioning")
}

// lifecycle sets the lifecycle rules (see lifecycleRules), once the
// configuration before it is in place.
func (b *Bucket) lifecycle(ctx *pulumi.Context, args *BucketArgs, opts []pulumi.ResourceOption) error {
	lc, err := s3.NewBucketLifecycleConfigurationV2(ctx, b.name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.Bucket.ID(),
		Rules:  lifecycleRules(args),
	}, With(opts, pulumi.DependsOn(b.Ready))...)
	return b.configured(lc, err, "setting lifecycle")
}

// lifecycleRules abort incomplete multipart uploads after a week, expire
// objects after args.ExpireAfterDays if set, and, in a versioned bucket,
// old versions after args.NoncurrentVersionDays (default 30).
func lifecycleRules(args *BucketArgs) s3.BucketLifecycleConfigurationV2RuleArray {
	// Each rule applies to every object.
	rule := func(id string) *s3.BucketLifecycleConfigurationV2RuleArgs {
		return &s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String(id),
			Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		}
	}
	abort := rule("abort-incomplete-multipart-uploads")
	abort.AbortIncompleteMultipartUpload = &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)}
	rules := s3.BucketLifecycleConfigurationV2RuleArray{abort}
	if args.ExpireAfterDays > 0 {
		expire := rule("expire-objects")
		expire.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.ExpireAfterDays)}
		rules = append(rules, expire)
	}
	if !args.Unversioned {
		noncurrent := rule("expire-noncurrent-versions")
		noncurrent.NoncurrentVersionExpiration = &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(cmp.Or(args.NoncurrentVersionDays, 30)),
		}
		rules = append(rules, noncurrent)
	}
	return rules
}

// cors applies args.CORSRules, if any.
func (b *Bucket) cors(ctx *pulumi.Context, args *BucketArgs, opts []pulumi.ResourceOption) error {
	if len(args.CORSRules) == 0 {
		return nil
	}
	cors, err := s3.NewBucketCorsConfigurationV2(ctx, b.name+"-cors", &s3.BucketCorsConfigurationV2Args{
		Bucket:    b.Bucket.ID(),
		CorsRules: args.CORSRules,
	}, opts...)
	return b.configured(cors, err, "setting CORS")
}

// configured adds res, a configuration of the bucket, to Ready, unless err
// (from creating it while doing what) is not nil.
func (b *Bucket) configured(res pulumi.Resource, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	b.Ready = append(b.Ready, res)
	return nil
}

// Ref is the bucket as its users need it (see BucketRef.Use).
func (b *Bucket) Ref() BucketRef {
	return BucketRef{Name: b.Bucket.Bucket, Arn: b.Bucket.Arn, KMSKeyArn: b.key}
}

// Arn is the bucket's ARN.
func (b *Bucket) Arn() pulumi.StringOutput { return b.Bucket.Arn }

// ObjectsArn is the ARN of every object in the bucket under prefix ("" for
// all objects).
func (b *Bucket) ObjectsArn(prefix string) pulumi.StringOutput {
	return pulumi.Sprintf("%s/%s*", b.Bucket.Arn, prefix)
}

// AttachPolicy gives the bucket its one bucket policy: deny any request not
// over TLS, plus the extra statements (for example CloudFront's read access).
// S3 allows one policy per bucket, so call it once, after everything the
// statements refer to exists.
func (b *Bucket) AttachPolicy(ctx *pulumi.Context, extra ...Statement) (*s3.BucketPolicy, error) {
	stmts := append([]Statement{DenyInsecureTransport("s3:*", pulumi.StringArray{b.Bucket.Arn, b.ObjectsArn("")})}, extra...)
	// The public access block must exist first, or S3 could briefly accept a
	// policy that the block would have refused.
	p, err := s3.NewBucketPolicy(ctx, b.name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.Bucket.ID(),
		Policy: PolicyJSON(stmts...),
	}, With(b.opts, pulumi.DependsOn(b.Ready))...)
	if err != nil {
		return nil, fmt.Errorf("attaching policy to bucket %s: %w", b.name, err)
	}
	return p, nil
}
