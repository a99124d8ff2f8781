package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/globaltable"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/staticsite"
	"github.com/gopherstack/serverless-arch/components/thumbnails"
	"github.com/gopherstack/serverless-arch/components/updateoffload"
	"github.com/gopherstack/serverless-arch/components/userauth"
	"github.com/gopherstack/serverless-arch/components/welcomemailer"
)

// helloPackage is this module's own function.
const helloPackage = "example.com/consumer/functions/hello"

// program uses all seven components.
func program(ctx *pulumi.Context) error {
	auth, err := userauth.New(ctx, "notes-auth", userauth.Args{
		MFA:         userauth.MFAOptional,
		CORSOrigins: []string{"https://notes.example.com"},
	})
	if err != nil {
		return err
	}
	api, err := notesAPI(ctx, auth)
	if err != nil {
		return err
	}
	users, err := globaltable.New(ctx, "users", globaltable.Args{
		PartitionKey: blocks.Key{Name: "userId"},
		Replicas:     []globaltable.Replica{{Region: "eu-west-1"}},
		Encryption:   globaltable.CustomerManaged,
	})
	if err != nil {
		return err
	}
	if _, err := welcomemailer.New(ctx, "welcome", welcomemailer.Args{
		StreamArn:        users.StreamArn,
		TableArn:         users.Arn,
		Identity:         "notes.example.com",
		Sender:           "hello@notes.example.com",
		UserIDAttribute:  "userId",
		AllItemsAreUsers: true,
		EmailAttribute:   "mail",
		NameAttribute:    "displayName",
	}); err != nil {
		return err
	}
	if err := site(ctx, api); err != nil {
		return err
	}
	_, err = updateoffload.New(ctx, "downloads", updateoffload.Args{
		Origin:             updateoffload.OriginExisting,
		AlbDNSName:         pulumi.String("origin.notes.example.com"),
		AlbArn:             pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/notes/50dc6c495c0c9188"),
		AlbSecurityGroupID: pulumi.String("sg-0123456789abcdef0"),
		AlbListenerArn:     pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/notes/50dc6c495c0c9188/f2f7dc8efc522ab2"),
		AlbTargetGroupArn:  pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/notes/73e2d6bc24d8a067"),
		OriginSecret:       pulumi.String("a-secret-from-pulumi-config-0123456789"),
		Paths:              []string{"/downloads/*"},
	})
	return err
}

// notesAPI serves this module's own function behind Cognito.
func notesAPI(ctx *pulumi.Context, auth *userauth.UserAuth) (*serverlessapi.ServerlessAPI, error) {
	fn, err := blocks.NewFunction(ctx, "notes-fn", blocks.FunctionArgs{Package: helloPackage})
	if err != nil {
		return nil, err
	}
	account, err := blocks.NewAPIGatewayAccount(ctx, "apigateway-account")
	if err != nil {
		return nil, err
	}
	return serverlessapi.New(ctx, "notes", serverlessapi.Args{
		Routes: []serverlessapi.Route{
			{Method: "GET", Path: "/notes/{id}", FunctionArn: fn.Function.Arn, Auth: serverlessapi.AuthCognito, Cache: true},
			{Method: "POST", Path: "/notes", FunctionArn: fn.Function.Arn, Auth: serverlessapi.AuthCognito,
				BodySchema: `{"type":"object","required":["text"],"properties":{"text":{"type":"string","maxLength":500}}}`},
		},
		UserPoolArns:    pulumi.StringArray{auth.UserPoolArn},
		CacheSizeGB:     "0.5",
		CORSOrigins:     []string{"https://notes.example.com"},
		AccountSettings: account,
	})
}

// site serves the front end, the API under /api/ and the pictures'
// thumbnails under /thumbnails/ on one domain.
func site(ctx *pulumi.Context, api *serverlessapi.ServerlessAPI) error {
	pics, err := thumbnails.New(ctx, "pictures", thumbnails.Args{
		UploadPrefix:       "uploads/",
		Sizes:              []int{512, 128},
		ServedByCloudFront: true,
	})
	if err != nil {
		return err
	}
	// This project keeps its access trail in CloudTrail data events; the
	// policy check is told so next to the buckets it excuses.
	for _, b := range []pulumi.Resource{pics.Uploads.Bucket, pics.Thumbnails.Bucket} {
		policy.Suppress(ctx, b, "access is recorded by the account's CloudTrail S3 data events", "S3-ACCESS-LOGS")
	}
	s, err := staticsite.New(ctx, "notes-site", staticsite.Args{
		ContentDir: "site",
		Behaviors: []staticsite.Behavior{{
			PathPattern: "/api/*",
			StripPrefix: "/api",
			Origin:      staticsite.URLOrigin("api", api.URL),
		}, {
			PathPattern: "/thumbnails/*",
			Origin:      staticsite.BucketOrigin("thumbnails", pics.ThumbnailsDomainName),
		}},
	})
	if err != nil {
		return err
	}
	_, err = pics.AllowCloudFront(ctx, s.DistributionArn)
	ctx.Export("siteUrl", s.URL)
	return err
}
