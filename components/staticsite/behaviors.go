package staticsite

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// Origin is a place CloudFront fetches from.
type Origin struct {
	// ID names the origin within the distribution ("api", "thumbnails").
	ID string
	// DomainName is the origin's host name: a bucket's regional domain name
	// or an HTTPS server's name.
	DomainName pulumi.StringInput
	// Path is prepended to every request's path (e.g. an API stage, "/v1");
	// nil for none.
	Path pulumi.StringInput
	// Bucket marks an S3 bucket, reached through the site's origin access
	// control. Any other origin is reached over HTTPS (TLSv1.2).
	Bucket bool
	// ReadArn, for a bucket origin, has the site attach that bucket's
	// policy (no requests without TLS; s3:GetObject on ReadArn, such as a
	// ThumbnailPipeline's ThumbnailsObjectsArn, for this distribution only):
	// only the site knows its distribution's ARN. A bucket has one policy,
	// so only for a bucket that has none; nil leaves it to the bucket's owner.
	ReadArn pulumi.StringInput
}

// BucketOrigin is the S3 bucket with the given regional domain name
// (s3.BucketV2.BucketRegionalDomainName), read through the site's origin
// access control.
func BucketOrigin(id string, regionalDomainName pulumi.StringInput) Origin {
	return Origin{ID: id, DomainName: regionalDomainName, Bucket: true}
}

// URLOrigin is the HTTPS server at url, such as an API Gateway stage's
// invoke URL "https://abc123.execute-api.us-east-1.amazonaws.com/prod": the
// host becomes the domain name, the path (without trailing slash) the
// origin path.
func URLOrigin(id string, url pulumi.StringInput) Origin {
	parts := url.ToStringOutput().ApplyT(func(u string) ([]string, error) {
		rest, ok := strings.CutPrefix(u, "https://")
		if !ok {
			return nil, fmt.Errorf("origin %s: %q is not an https:// URL", id, u)
		}
		host, path, _ := strings.Cut(rest, "/")
		if host == "" {
			return nil, fmt.Errorf("origin %s: %q has no host", id, u)
		}
		path = strings.TrimSuffix(path, "/")
		if path != "" {
			path = "/" + path
		}
		return []string{host, path}, nil
	}).(pulumi.StringArrayOutput)
	return Origin{ID: id, DomainName: parts.Index(pulumi.Int(0)), Path: parts.Index(pulumi.Int(1))}
}

// Behavior routes requests whose path matches PathPattern to Origin.
type Behavior struct {
	// PathPattern is CloudFront's pattern, e.g. "/api/*".
	PathPattern string
	// Origin is the origin the behaviour routes to.
	Origin Origin
	// Caching picks the cache policy (default: CachingOptimized for
	// buckets, CachingDisabled otherwise); CachePolicyID overrides it.
	Caching       Caching
	CachePolicyID pulumi.StringInput
	// OriginRequestPolicyID says what else reaches the origin; nil means
	// managed AllViewerExceptHostHeader for URL origins (an API needs its own
	// Host header) and none for buckets.
	OriginRequestPolicyID pulumi.StringInput
	// StripPrefix is removed from the path before the request goes to the
	// origin, e.g. "/api" so that "/api/posts" reaches "/posts".
	StripPrefix string
}

// routes collects the distribution's origins and ordered behaviours: the
// extra behaviours, each origin once, with their cache and origin request
// policies and prefix-stripping functions, then the immutable paths.
type routes struct {
	ctx     *pulumi.Context
	name    string
	site    *StaticSite
	headers pulumi.StringInput
	child   []pulumi.ResourceOption
	managed *blocks.ManagedPolicies

	origins cloudfront.DistributionOriginArray
	ordered cloudfront.DistributionOrderedCacheBehaviorArray
	// seen are the origin IDs in origins; strippers the functions by the
	// prefix they strip; originCache the CachingOrigin policy, once made.
	seen        map[string]bool
	strippers   map[string]*cloudfront.Function
	originCache *cloudfront.CachePolicy
}

// newRoutes starts with the site's bucket as the only origin.
func newRoutes(ctx *pulumi.Context, name string, site *StaticSite, headers pulumi.StringInput, child []pulumi.ResourceOption) *routes {
	r := &routes{
		ctx: ctx, name: name, site: site, headers: headers, child: child,
		managed:   blocks.NewManagedPolicies(ctx, site),
		seen:      map[string]bool{siteOriginID: true},
		strippers: map[string]*cloudfront.Function{},
	}
	r.origins = cloudfront.DistributionOriginArray{r.origin(BucketOrigin(siteOriginID, site.Bucket.Bucket.BucketRegionalDomainName))}
	return r
}

// add adds args' extra behaviours, then its immutable paths, which the
// site's bucket serves with the managed CachingOptimized policy.
func (r *routes) add(args *Args) error {
	for _, b := range args.Behaviors {
		if err := r.behavior(b, args); err != nil {
			return fmt.Errorf("site %s: behaviour %s: %w", r.name, b.PathPattern, err)
		}
	}
	optimized, err := r.managed.CachePolicy(blocks.ManagedCachingOptimized)
	if err != nil {
		return fmt.Errorf("site %s: %w", r.name, err)
	}
	for _, p := range args.ImmutablePaths {
		r.ordered = append(r.ordered, blocks.Behavior{
			PathPattern:             p,
			OriginID:                siteOriginID,
			CachePolicyID:           pulumi.String(optimized),
			ResponseHeadersPolicyID: r.headers,
		}.Ordered())
	}
	return nil
}

// behavior adds b and, the first time it is used, its origin.
func (r *routes) behavior(b Behavior, args *Args) error {
	if !r.seen[b.Origin.ID] {
		r.seen[b.Origin.ID] = true
		r.origins = append(r.origins, r.origin(b.Origin))
	}
	cachePolicy, err := r.cachePolicy(b, args)
	if err != nil {
		return err
	}
	requestPolicy := b.OriginRequestPolicyID
	if requestPolicy == nil && !b.Origin.Bucket {
		id, err := r.managed.OriginRequestPolicy(blocks.ManagedAllViewerExceptHostHeader)
		if err != nil {
			return err
		}
		requestPolicy = pulumi.String(id)
	}
	strip, err := r.stripper(b.StripPrefix)
	if err != nil {
		return err
	}
	r.ordered = append(r.ordered, blocks.Behavior{
		PathPattern:             b.PathPattern,
		OriginID:                b.Origin.ID,
		AllowWrites:             !b.Origin.Bucket,
		CachePolicyID:           cachePolicy,
		OriginRequestPolicyID:   requestPolicy,
		ResponseHeadersPolicyID: r.headers,
		ViewerRequest:           strip,
	}.Ordered())
	return nil
}

// origin is the distribution origin for o; bucket origins sign with the
// site's origin access control.
func (r *routes) origin(o Origin) *cloudfront.DistributionOriginArgs {
	out := &cloudfront.DistributionOriginArgs{OriginId: pulumi.String(o.ID), DomainName: o.DomainName}
	if o.Path != nil {
		out.OriginPath = o.Path
	}
	if o.Bucket {
		out.OriginAccessControlId = r.site.OriginAccessControl.ID()
		return out
	}
	out.CustomOriginConfig = blocks.CustomOrigin("https")
	return out
}

// cachePolicy is b's CachePolicyID or the policy its Caching names.
func (r *routes) cachePolicy(b Behavior, args *Args) (pulumi.StringInput, error) {
	if b.CachePolicyID != nil {
		return b.CachePolicyID, nil
	}
	switch b.Caching {
	case CachingOptimized:
		return r.managedCachePolicy(blocks.ManagedCachingOptimized)
	case CachingDisabled:
		return r.managedCachePolicy(blocks.ManagedCachingDisabled)
	}
	// CachingOrigin: one policy serves every behaviour that asks for it.
	if r.originCache == nil {
		var err error
		r.originCache, err = blocks.NewCachePolicy(r.ctx, r.name+"-origin",
			pulumi.String("Caches what the origin marks cacheable, by path and query string"),
			0, args.OriginMaxAgeSeconds, blocks.CacheKey("all"), r.child...)
		if err != nil {
			return nil, err
		}
	}
	return r.originCache.ID(), nil
}

func (r *routes) managedCachePolicy(name string) (pulumi.StringInput, error) {
	id, err := r.managed.CachePolicy(name)
	return pulumi.String(id), err
}

// stripper is the ARN of the function removing prefix from request paths,
// created once per prefix; nil without a prefix.
func (r *routes) stripper(prefix string) (pulumi.StringInput, error) {
	if prefix == "" {
		return nil, nil
	}
	fn := r.strippers[prefix]
	if fn == nil {
		slug := strings.ReplaceAll(strings.Trim(prefix, "/"), "/", "-")
		var err error
		fn, err = newFunction(r.ctx, r.name+"-strip-"+slug, "Removes "+prefix+" before requests reach their origin", stripCode(prefix), r.child)
		if err != nil {
			return nil, fmt.Errorf("creating %s prefix function: %w", prefix, err)
		}
		r.strippers[prefix] = fn
	}
	return fn.Arn, nil
}
