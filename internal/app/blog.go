package app

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
	blogapi "github.com/gopherstack/serverless-arch/functions/blogapi/blog"
	"github.com/gopherstack/serverless-arch/internal/config"
	blogsite "github.com/gopherstack/serverless-arch/internal/site/blog"
)

// blog is what deployBlog builds, handed to the parts built on top of it.
type blog struct {
	// Table holds posts and users; its StreamArn (home region) feeds the
	// welcome mailer.
	Table *globaltable.GlobalTable
	// Function serves the API.
	Function *blocks.Function
	API      *serverlessapi.ServerlessAPI
	// Site is created after the add-ons' SiteBehaviors are known.
	Site *staticsite.StaticSite
	// USEast1 is the provider for us-east-1 (CloudFront's certificates and
	// log deliveries; WAF web ACLs for CloudFront too).
	USEast1 pulumi.ProviderResource
}

// Where the blog's pictures go: authors upload under BlogUploadPrefix in
// the uploads bucket, and the thumbnails land under BlogThumbnailPrefix in
// the thumbnails bucket, which the site serves as /<BlogThumbnailPrefix>*
// with the path as the key.
const (
	BlogUploadPrefix    = "uploads/"
	BlogThumbnailPrefix = thumbnails.DefaultThumbnailPrefix
)

// blogAddOns are the blog's event-driven parts: the welcome mailer (a
// consumer of Table's stream) and the thumbnail pipeline (a bucket whose
// thumbnails the site serves under /thumbnails/*). newBlogAddOns creates
// them between the API and the site:
//
//   - SiteBehaviors go into the site's distribution, e.g.
//     {PathPattern: "/thumbnails/*", Origin: staticsite.BucketOrigin("thumbnails", bucket.Bucket.BucketRegionalDomainName)};
//   - AfterSite runs once the site exists, e.g. to let its distribution
//     read the thumbnail bucket:
//     bucket.AttachPolicy(ctx, blocks.AllowCloudFrontRead(bucket.ObjectsArn(""), b.Site.DistributionArn)).
type blogAddOns struct {
	SiteBehaviors []staticsite.Behavior
	AfterSite     []func(b *blog) error
}

// newBlogAddOns creates the welcome mailer (on the home region's stream of
// the blog table) and the thumbnail pipeline (whose thumbnails the site
// serves under /thumbnails/*, read through the site's OAC). b has Table,
// Function, API and USEast1, not yet Site.
func newBlogAddOns(ctx *pulumi.Context, cfg *config.Config, b *blog, opts ...pulumi.ResourceOption) (*blogAddOns, error) {
	bc := cfg.Blog
	mailArgs := welcomemailer.Args{
		StreamArn:        b.Table.StreamArn,
		TableArn:         b.Table.Arn,
		TableKMSKeyArn:   b.Table.Ref().KMSKeyArn,
		Identity:         bc.MailIdentity,
		Sender:           bc.MailSender,
		Architecture:     cfg.LambdaArchitecture,
		LogRetentionDays: cfg.LogRetentionDays,
		Protect:          cfg.Protect,
	}
	if bc.MailHostedZone != "" {
		zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{Name: pulumi.StringRef(bc.MailHostedZone), PrivateZone: pulumi.BoolRef(false)})
		if err != nil {
			return nil, fmt.Errorf("looking up blogMailHostedZone %s: %w", bc.MailHostedZone, err)
		}
		mailArgs.HostedZoneID = pulumi.String(zone.ZoneId)
	}
	if _, err := welcomemailer.New(ctx, "blog-welcome", mailArgs, opts...); err != nil {
		return nil, err
	}

	pics, err := thumbnails.New(ctx, "blog-pictures", thumbnails.Args{
		UploadPrefix:       BlogUploadPrefix,
		ThumbnailPrefix:    BlogThumbnailPrefix,
		Sizes:              bc.ThumbnailSizes,
		Format:             bc.ThumbnailFormat,
		Quality:            bc.ThumbnailQuality,
		Delivery:           thumbnails.Delivery(bc.ThumbnailDelivery),
		Architecture:       cfg.LambdaArchitecture,
		LogRetentionDays:   cfg.LogRetentionDays,
		ServedByCloudFront: true,
		Protect:            cfg.Protect,
	}, opts...)
	if err != nil {
		return nil, err
	}
	policy.Suppress(ctx, pics.Uploads.Bucket, "written only by authors' credentials and read only by the thumbnail function; "+
		"turn on CloudTrail S3 data events where an access trail is required, rather than a log bucket without expiry", "S3-ACCESS-LOGS")
	policy.Suppress(ctx, pics.Thumbnails.Bucket, "read only through CloudFront, whose standard logs record every request; "+
		"written only by the thumbnail function", "S3-ACCESS-LOGS")
	return &blogAddOns{
		SiteBehaviors: []staticsite.Behavior{{
			PathPattern: "/" + BlogThumbnailPrefix + "*",
			Origin:      staticsite.BucketOrigin("thumbnails", pics.ThumbnailsDomainName),
		}},
		AfterSite: []func(b *blog) error{func(b *blog) error {
			_, err := pics.AllowCloudFront(ctx, b.Site.DistributionArn)
			return err
		}},
	}, nil
}

// deployBlog deploys MyBlog.com: the blog table (a global table in prod),
// the API function and its public REST API, and the static site that serves
// the front end and routes /api/* to the API, all on one domain.
func deployBlog(ctx *pulumi.Context, cfg *config.Config, shared *shared, opts ...pulumi.ResourceOption) error {
	b := &blog{}
	east, err := regionalProvider(ctx, cfg, "blog-us-east-1", "us-east-1", opts...)
	if err != nil {
		return err
	}
	b.USEast1 = east
	if b.Table, err = blogTable(ctx, cfg, opts...); err != nil {
		return err
	}
	if b.Function, err = blogFunction(ctx, cfg, b.Table, opts...); err != nil {
		return err
	}
	if b.API, err = blogAPI(ctx, cfg, b.Function, shared, opts...); err != nil {
		return err
	}
	addOns, err := newBlogAddOns(ctx, cfg, b, opts...)
	if err != nil {
		return err
	}
	if b.Site, err = blogSite(ctx, cfg, b, addOns.SiteBehaviors, opts...); err != nil {
		return err
	}
	for _, after := range addOns.AfterSite {
		if err := after(b); err != nil {
			return err
		}
	}

	ctx.Export("blogSiteUrl", b.Site.URL)
	ctx.Export("blogDistributionId", b.Site.DistributionID)
	ctx.Export("blogSiteBucket", b.Site.BucketName)
	ctx.Export("blogApiUrl", b.API.URL)
	ctx.Export("blogApiKeyId", b.API.APIKeyID)
	ctx.Export("blogOpenApi", b.API.OpenAPI)
	ctx.Export("blogTableName", b.Table.Name)
	ctx.Export("blogTableStreamArn", b.Table.StreamArn)
	ctx.Export("blogTableKmsKeyArn", b.Table.KMSKeyArn)
	return nil
}

// blogFunction creates the function that serves the blog API, using table.
func blogFunction(ctx *pulumi.Context, cfg *config.Config, table *globaltable.GlobalTable, opts ...pulumi.ResourceOption) (*blocks.Function, error) {
	return blocks.NewFunction(ctx, "blog-api-handler", blocks.FunctionArgs{
		Package:          "blogapi",
		Architecture:     cfg.LambdaArchitecture,
		LogRetentionDays: cfg.LogRetentionDays,
		Description:      "MyBlog.com API: posts and sign-ups",
		Environment: pulumi.StringMap{
			blogapi.EnvCacheTTLSeconds: pulumi.String(strconv.Itoa(cfg.Blog.CacheTTLSeconds)),
		},
		Uses: []blocks.Use{table.Ref().Use("ReadWriteBlogTable", blogapi.EnvTableName,
			[]string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, blogapi.EntityIndex)},
	}, opts...)
}

// blogSite is the static site of the front end, with /api/* routed to b's
// API and the add-ons' behaviors.
func blogSite(ctx *pulumi.Context, cfg *config.Config, b *blog, behaviors []staticsite.Behavior, opts ...pulumi.ResourceOption) (*staticsite.StaticSite, error) {
	bc := cfg.Blog
	content, err := blogsite.Dir()
	if err != nil {
		return nil, err
	}
	return staticsite.New(ctx, "blog-site", staticsite.Args{
		ContentDir:            content,
		SPAFallback:           bc.SiteSPAFallback,
		HTMLMaxAgeSeconds:     bc.SiteHTMLMaxAgeSeconds,
		ContentSecurityPolicy: pulumi.String(bc.SiteContentSecurityPolicy),
		PriceClass:            pulumi.String(bc.SitePriceClass),
		DomainName:            bc.SiteDomainName,
		HostedZone:            bc.SiteHostedZone,
		USEast1:               b.USEast1,
		LogDestination:        staticsite.LogDestination(bc.SiteLogDestination),
		LogRetentionDays:      cfg.LogRetentionDays,
		Protect:               cfg.Protect,
		Behaviors: append([]staticsite.Behavior{{
			// The front end calls /api/...; the stage serves /....
			PathPattern: "/api/*",
			StripPrefix: "/api",
			Origin:      staticsite.URLOrigin("api", b.API.Stage.InvokeUrl),
			// The function marks reads public for CACHE_TTL_SECONDS, so
			// edges serve them too; writes and errors pass through.
			Caching: staticsite.CachingOrigin,
		}}, behaviors...),
	}, opts...)
}

// blogTable creates the blog table with the key schema functions/blogapi
// relies on (its constants, so the two cannot drift apart), replicated to
// cfg.Blog.ReplicaRegions.
func blogTable(ctx *pulumi.Context, cfg *config.Config, opts ...pulumi.ResourceOption) (*globaltable.GlobalTable, error) {
	bc := cfg.Blog
	encryption := map[string]globaltable.Encryption{
		config.TableKeyAWSOwned:   globaltable.AWSOwned,
		config.TableKeyAWSManaged: globaltable.AWSManaged,
		config.TableKeyCustomer:   globaltable.CustomerManaged,
	}[bc.TableEncryption]
	var replicas []globaltable.Replica
	for _, region := range bc.ReplicaRegions {
		r := globaltable.Replica{Region: region}
		// Only a customer managed key needs resources in the replica's
		// region (its replica key); DynamoDB creates the replicas itself.
		if encryption == globaltable.CustomerManaged {
			p, err := regionalProvider(ctx, cfg, "blog-"+region, region, opts...)
			if err != nil {
				return nil, err
			}
			r.Provider = p
		}
		replicas = append(replicas, r)
	}
	return globaltable.New(ctx, "blog", globaltable.Args{
		PartitionKey: blocks.Key{Name: blogapi.PartitionKey, Type: "S"},
		SortKey:      &blocks.Key{Name: blogapi.SortKey, Type: "S"},
		Indexes: []globaltable.Index{{
			Name:         blogapi.EntityIndex,
			PartitionKey: blocks.Key{Name: blogapi.EntityIndexPartitionKey, Type: "S"},
			SortKey:      &blocks.Key{Name: blogapi.EntityIndexSortKey, Type: "S"},
			Projection:   "ALL",
		}},
		HomeRegion: cfg.Region,
		Replicas:   replicas,
		Encryption: encryption,
		Protect:    cfg.Protect,
	}, opts...)
}

// Request bodies API Gateway validates before the function runs; the
// function checks the same and more (see functions/blogapi).
const (
	signUpSchema = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "SignUp",
  "type": "object",
  "required": ["email", "name"],
  "properties": {
    "email": {"type": "string", "minLength": 3, "maxLength": 254},
    "name": {"type": "string", "minLength": 1, "maxLength": 100}
  },
  "additionalProperties": false
}`
	newPostSchema = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "NewPost",
  "type": "object",
  "required": ["slug", "title", "body"],
  "properties": {
    "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100},
    "title": {"type": "string", "minLength": 1, "maxLength": 200},
    "body": {"type": "string", "minLength": 1, "maxLength": 50000}
  },
  "additionalProperties": false
}`
)

// BlogStage is the blog API's stage, the first segment of its URLs' paths.
const BlogStage = "v1"

// BlogAPIInfo describes the MyBlog.com API in its OpenAPI document.
var BlogAPIInfo = serverlessapi.Info{
	Title:   "MyBlog.com",
	Version: BlogStage,
	Description: "MyBlog.com public API: posts for anyone, publishing for holders of the API key (x-api-key), newsletter sign-up. " +
		"The site serves it under /api/. Errors are {\"error\":{\"code\",\"message\",\"field\"?,\"details\"?}}.",
}

// BlogOpenAPI renders the MyBlog.com API's OpenAPI document without
// deploying anything, for the offline plan and client SDK generators.
func BlogOpenAPI() ([]byte, error) { return openAPI(BlogAPIInfo, BlogRoutes(nil)) }

// Answers of the blog API, for its OpenAPI document.
const (
	postSchema = `{"type":"object","required":["slug","title","publishedAt"],"properties":{` +
		`"slug":{"type":"string"},"title":{"type":"string"},` +
		`"body":{"type":"string","description":"The post's text; left out of listings."},` +
		`"author":{"type":"string","description":"The API key ID or IAM identity that published it."},` +
		`"publishedAt":{"type":"string","format":"date-time"}}}`
	postListSchema = `{"type":"object","required":["items"],"properties":{"items":{"type":"array","items":` + postSchema + `},` +
		`"nextCursor":{"type":"string","description":"Pass as cursor to get the next page; absent on the last page."}}}`
	signUpAcceptedSchema = `{"type":"object","required":["message"],"properties":{"message":{"type":"string",` +
		`"description":"The same for every valid sign-up: whether the address had signed up before is not revealed."}}}`
)

// BlogRoutes are the routes of the MyBlog.com API, served by fn (nil to
// render documentation only): reads and sign-ups for anyone, publishing
// posts for holders of the API key (anonymous writes get 403). Reads are
// cached when the stage has a cache.
func BlogRoutes(fnArn pulumi.StringInput) []serverlessapi.Route {
	page := []serverlessapi.Param{
		{Name: "limit", CacheKey: true, Description: "Posts per page, 1 to 50 (default 10).", Schema: `{"type":"integer","minimum":1,"maximum":50}`},
		{Name: "cursor", CacheKey: true, Description: "nextCursor of the previous page.", Schema: cursorSchema},
	}
	return []serverlessapi.Route{
		{Method: "GET", Path: "/posts", Summary: "List posts, newest first", FunctionArn: fnArn, Auth: serverlessapi.AuthNone, Query: page, Cache: true,
			ResponseSchema: postListSchema, PublicReason: "published posts are read by anonymous visitors of the blog"},
		{Method: "GET", Path: "/posts/{slug}", Summary: "Read a post", FunctionArn: fnArn, Auth: serverlessapi.AuthNone, Cache: true,
			ResponseSchema: postSchema, Errors: []int{404}, PublicReason: "published posts are read by anonymous visitors of the blog"},
		{Method: "POST", Path: "/posts", Summary: "Publish a post (authors: x-api-key)", FunctionArn: fnArn, Auth: serverlessapi.AuthAPIKey,
			BodySchema: newPostSchema, SuccessStatus: 201, ResponseSchema: postSchema, Errors: []int{409}},
		{Method: "POST", Path: "/users", Summary: "Sign up for the newsletter (the same answer whether or not the address has signed up before)",
			FunctionArn: fnArn, Auth: serverlessapi.AuthNone, BodySchema: signUpSchema, SuccessStatus: 202, ResponseSchema: signUpAcceptedSchema,
			PublicReason: "sign-up is how an anonymous visitor becomes a user; the body is validated and the stage throttled"},
	}
}

// blogAPI is the public blog API (BlogRoutes) on stage BlogStage.
func blogAPI(ctx *pulumi.Context, cfg *config.Config, fn *blocks.Function, shared *shared, opts ...pulumi.ResourceOption) (*serverlessapi.ServerlessAPI, error) {
	bc := cfg.Blog
	args := apiArgs(cfg, shared, BlogAPIInfo, BlogRoutes(fn.Function.Arn))
	args.CacheSizeGB = bc.APICacheSizeGB
	args.CacheTTLSeconds = pulumi.Int(bc.CacheTTLSeconds)
	args.ThrottleRateLimit = pulumi.Float64(float64(bc.ThrottleRate))
	args.ThrottleBurstLimit = pulumi.Int(bc.ThrottleBurst)
	return serverlessapi.New(ctx, "blog-api", args, opts...)
}
