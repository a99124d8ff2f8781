package serverlessapi

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

// Type is the ServerlessAPI component's type token.
const Type = "serverless-arch:api:ServerlessAPI"

// CacheSizesGB are the stage cache sizes API Gateway offers, in GB.
var CacheSizesGB = []string{"0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"}

// Args configures a ServerlessAPI.
type Args struct {
	// Routes are the API's methods; see Route.
	Routes []Route
	// Title names the API in its OpenAPI document (default: the
	// component's name); Description shows there and in the console.
	Title, Description string
	// StageName is the single stage, and the first path segment of the
	// default URL (default "v1").
	StageName string

	// UserPoolArns are the Cognito user pools whose tokens AuthCognito
	// routes accept; required when a route uses AuthCognito.
	UserPoolArns pulumi.StringArrayInput

	// CacheSizeGB turns on the stage cache with this size, one of
	// CacheSizesGB; empty means no cache (plain, as it decides whether the
	// cache cluster and the per-route cache settings exist). The cache is
	// always encrypted.
	CacheSizeGB string
	// CacheTTLSeconds is how long cached routes keep a response unless
	// they say otherwise, 0 to 3600 (default 300).
	CacheTTLSeconds pulumi.IntInput

	// ThrottleRateLimit (requests per second, default 100) and
	// ThrottleBurstLimit (default 200) apply to every method of the stage.
	ThrottleRateLimit  pulumi.Float64Input
	ThrottleBurstLimit pulumi.IntInput

	// CORSOrigins are the https origins browsers may call the API from;
	// none turns CORS off (native mobile apps need none). Plain, as it
	// decides whether OPTIONS methods exist.
	CORSOrigins []string

	// LogRetentionDays of the access and execution log groups (default 30).
	LogRetentionDays pulumi.IntInput

	// Domain, if set, serves the API on a custom domain name.
	Domain *DomainArgs

	// AccountSettings are the region's API Gateway account settings that
	// let API Gateway write logs (see blocks.NewAPIGatewayAccount); the stage
	// waits for them. Nil when they are managed outside this program.
	AccountSettings pulumi.Resource
}

func (a *Args) withDefaults() {
	if a.StageName == "" {
		a.StageName = "v1"
	}
	if a.CacheTTLSeconds == nil {
		a.CacheTTLSeconds = pulumi.Int(300)
	}
	if a.ThrottleRateLimit == nil {
		a.ThrottleRateLimit = pulumi.Float64(100)
	}
	if a.ThrottleBurstLimit == nil {
		a.ThrottleBurstLimit = pulumi.Int(200)
	}
	if a.LogRetentionDays == nil {
		a.LogRetentionDays = pulumi.Int(blocks.DefaultLogRetentionDays)
	}
}

// keyOrigin reports whether cached answers must be keyed on the caller's
// Origin: with several CORS origins the answers differ by it.
func (a *Args) keyOrigin() bool { return len(a.CORSOrigins) > 1 }

// validate reports every problem with the arguments at once.
func (a *Args) validate() error {
	errs := []error{validateRoutes(a.Routes, true), blocks.CheckOrigins(a.CORSOrigins)}
	if a.CacheSizeGB != "" && !slices.Contains(CacheSizesGB, a.CacheSizeGB) {
		errs = append(errs, fmt.Errorf("cache size %q GB: want one of %s", a.CacheSizeGB, strings.Join(CacheSizesGB, ", ")))
	}
	if a.UserPoolArns == nil && slices.ContainsFunc(a.Routes, func(r Route) bool { return r.Auth == AuthCognito }) {
		errs = append(errs, errors.New("routes use AuthCognito but UserPoolArns is not set"))
	}
	if a.Domain != nil {
		errs = append(errs, a.Domain.validate())
	}
	return errors.Join(errs...)
}

// ServerlessAPI is an API Gateway REST API whose routes are served by Lambda
// functions. See the package documentation.
type ServerlessAPI struct {
	pulumi.ResourceState

	RestAPI    *apigateway.RestApi
	Deployment *apigateway.Deployment
	Stage      *apigateway.Stage

	// RestAPIID and ExecutionArn identify the API; ExecutionArn is the
	// prefix of every execute-api ARN of its methods.
	RestAPIID    pulumi.StringOutput `pulumi:"restApiId"`
	ExecutionArn pulumi.StringOutput `pulumi:"executionArn"`
	// StageName is the stage's name, the first path segment of the
	// default URL.
	StageName pulumi.StringOutput `pulumi:"stageName"`
	// URL is the base URL clients call: the custom domain when there is
	// one, else the stage's invoke URL. It ends in "/".
	URL pulumi.StringOutput `pulumi:"url"`
	// AccessLogGroup is the name of the log group of the JSON access logs.
	AccessLogGroup pulumi.StringOutput `pulumi:"accessLogGroup"`
	// OpenAPI is the API's OpenAPI 3 document (see the OpenAPI function).
	OpenAPI pulumi.StringOutput `pulumi:"openApi"`
	// APIKeyID is the API key of AuthAPIKey routes ("" without such
	// routes); read its value with `aws apigateway get-api-key
	// --include-value`, never from stack outputs.
	APIKeyID pulumi.StringOutput `pulumi:"apiKeyId"`
}

// New creates a ServerlessAPI named name: the arguments with their
// defaults, then the children (the REST API and its routes, the stage that
// serves them, and the custom domain if any), then the outputs.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ServerlessAPI, error) {
	args.withDefaults()
	return blocks.NewComponent(ctx, Type, name, opts, args.validate, func(c *ServerlessAPI, parent pulumi.ResourceOption) error {
		b := &builder{ctx: ctx, name: name, args: &args, c: c, child: []pulumi.ResourceOption{parent},
			fingerprint: map[string]pulumi.Input{}}
		if err := b.children(); err != nil {
			return err
		}
		b.outputs()
		return nil
	})
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
