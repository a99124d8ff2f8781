package staticsite

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// Token is the type token of StaticSite.
const Token = "serverless-arch:site:StaticSite"

// DefaultContentSecurityPolicy allows the site's own resources only.
const DefaultContentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"

// StaticSite is a CloudFront-served static site.
type StaticSite struct {
	pulumi.ResourceState

	// Bucket holds the content; Distribution serves it.
	Bucket              *blocks.Bucket
	Distribution        *cloudfront.Distribution
	OriginAccessControl *cloudfront.OriginAccessControl
	// Files are the uploaded files, sorted by key, and Objects their
	// objects in the same order.
	Files   []File
	Objects []*s3.BucketObjectv2

	// BucketName and BucketArn identify the content bucket.
	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	BucketArn  pulumi.StringOutput `pulumi:"bucketArn"`
	// DistributionID is the distribution's ID.
	DistributionID pulumi.StringOutput `pulumi:"distributionId"`
	// DistributionArn is the distribution's ARN, for bucket policies of
	// other origins.
	DistributionArn pulumi.StringOutput `pulumi:"distributionArn"`
	// DomainName is the distribution's *.cloudfront.net name.
	DomainName pulumi.StringOutput `pulumi:"domainName"`
	// URL is https:// and the custom domain, or the CloudFront name.
	URL pulumi.StringOutput `pulumi:"url"`
}

// New creates a static site named name. Children are named after it:
// name-bucket, name-oac, name-distribution, name-headers, name-html-cache,
// name-router, name-logs-*, name-certificate, name-alias-a/aaaa and one
// name/<key> object per file.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*StaticSite, error) {
	args.withDefaults()
	var files []File
	check := func() error {
		var err error
		files, err = args.files()
		return errors.Join(err, args.validate(files))
	}
	return blocks.NewComponent(ctx, Token, name, opts, check, func(s *StaticSite, _ pulumi.ResourceOption) error {
		s.Files = files
		if err := s.build(ctx, name, &args); err != nil {
			return err
		}
		s.outputs(&args)
		return nil
	})
}

// build creates the children: the content (its key, bucket and files), the
// distribution, the policies that let it read the content, and its logs.
func (s *StaticSite) build(ctx *pulumi.Context, name string, args *Args) error {
	child := []pulumi.ResourceOption{pulumi.Parent(s)}
	east, err := blocks.InUSEast1(ctx, args.USEast1, name, child)
	if err != nil {
		return err
	}
	key, err := s.contentKey(ctx, name, args, child)
	if err != nil {
		return err
	}
	if err := s.upload(ctx, name, key, child); err != nil {
		return err
	}
	if err := s.distribution(ctx, name, args, child, east); err != nil {
		return err
	}
	if err := s.letDistributionRead(ctx, name, args, key, child); err != nil {
		return err
	}
	return s.accessLogs(ctx, name, args, child, east)
}

// upload creates the content bucket, encrypted with key when there is one,
// and one object per file.
func (s *StaticSite) upload(ctx *pulumi.Context, name string, key *kms.Key, child []pulumi.ResourceOption) error {
	bucketArgs := blocks.BucketArgs{
		// The content is rebuilt from the repository on every deploy.
		ForceDestroy: true,
	}
	if key != nil {
		bucketArgs.KMSKeyARN = key.Arn
	}
	bucket, err := blocks.NewBucket(ctx, name+"-bucket", bucketArgs, child...)
	if err != nil {
		return err
	}
	s.Bucket = bucket
	policy.Suppress(ctx, bucket.Bucket, "read only through CloudFront, whose standard logs record every request; writes are deploys, recorded by CloudTrail", "S3-ACCESS-LOGS")
	for _, f := range s.Files {
		obj, err := s3.NewBucketObjectv2(ctx, name+"/"+f.Key, &s3.BucketObjectv2Args{
			Bucket:       bucket.Bucket.ID(),
			Key:          pulumi.String(f.Key),
			Source:       f.source(),
			ContentType:  pulumi.String(f.ContentType),
			CacheControl: pulumi.String(f.CacheControl),
		}, blocks.With(child, pulumi.DependsOn(bucket.Ready))...)
		if err != nil {
			return fmt.Errorf("uploading %s of site %s: %w", f.Key, name, err)
		}
		s.Objects = append(s.Objects, obj)
	}
	return nil
}

// letDistributionRead attaches the content bucket's policy (read, and list
// when an error page needs 404s), the key's policy and the policies of
// bucket origins with a ReadArn, all naming the distribution.
func (s *StaticSite) letDistributionRead(ctx *pulumi.Context, name string, args *Args, key *kms.Key, child []pulumi.ResourceOption) error {
	arn := s.Distribution.Arn
	stmts := []blocks.Statement{blocks.AllowCloudFrontRead(s.Bucket.ObjectsArn(""), arn)}
	if args.ErrorDocument != "" {
		stmts = append(stmts, blocks.AllowCloudFrontList(s.Bucket.Arn(), arn))
	}
	if _, err := s.Bucket.AttachPolicy(ctx, stmts...); err != nil {
		return err
	}
	if err := s.admitDistribution(ctx, name, key, child); err != nil {
		return err
	}
	return s.attachOriginPolicies(ctx, name, args, child)
}

// outputs sets the output fields.
func (s *StaticSite) outputs(args *Args) {
	dist := s.Distribution
	s.BucketName = s.Bucket.Bucket.Bucket
	s.BucketArn = s.Bucket.Arn()
	s.DistributionID = dist.ID().ToStringOutput()
	s.DistributionArn = dist.Arn
	s.DomainName = dist.DomainName
	s.URL = pulumi.Sprintf("https://%s", dist.DomainName)
	if args.DomainName != "" {
		s.URL = pulumi.String("https://" + args.DomainName).ToStringOutput()
	}
}
