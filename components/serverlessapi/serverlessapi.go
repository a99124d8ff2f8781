package serverlessapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
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
		a.LogRetentionDays = pulumi.Int(30)
	}
}

// keyOrigin reports whether cached answers must be keyed on the caller's
// Origin: with several CORS origins the answers differ by it.
func (a *Args) keyOrigin() bool { return len(a.CORSOrigins) > 1 }

func (a *Args) validate() error {
	var problems []string
	if err := validateRoutes(a.Routes, true); err != nil {
		problems = append(problems, err.Error())
	}
	if a.CacheSizeGB != "" && !slices.Contains(CacheSizesGB, a.CacheSizeGB) {
		problems = append(problems, fmt.Sprintf("cache size %q GB: want one of %s", a.CacheSizeGB, strings.Join(CacheSizesGB, ", ")))
	}
	for _, o := range a.CORSOrigins {
		if !blocks.IsOrigin(o) {
			problems = append(problems, fmt.Sprintf("CORS origin %q: want https://host or https://host:port", o))
		}
	}
	if a.UserPoolArns == nil && slices.ContainsFunc(a.Routes, func(r Route) bool { return r.Auth == AuthCognito }) {
		problems = append(problems, "routes use AuthCognito but UserPoolArns is not set")
	}
	if a.Domain != nil {
		if err := a.Domain.validate(); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
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
	StageName    pulumi.StringOutput `pulumi:"stageName"`
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

// New creates a ServerlessAPI named name.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ServerlessAPI, error) {
	args.withDefaults()
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("serverless API %s: %w", name, err)
	}
	c := &ServerlessAPI{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: &args, c: c, child: []pulumi.ResourceOption{pulumi.Parent(c)},
		fingerprint: map[string]pulumi.Input{}}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("serverless API %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"restApiId":      c.RestAPIID,
		"executionArn":   c.ExecutionArn,
		"stageName":      c.StageName,
		"url":            c.URL,
		"accessLogGroup": c.AccessLogGroup,
		"openApi":        c.OpenAPI,
		"apiKeyId":       c.APIKeyID,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// builder holds what the steps of New share.
type builder struct {
	ctx   *pulumi.Context
	name  string
	args  *Args
	c     *ServerlessAPI
	child []pulumi.ResourceOption

	api        *apigateway.RestApi
	authorizer *apigateway.Authorizer
	validator  *apigateway.RequestValidator
	resources  map[string]pulumi.StringInput // path -> resource ID
	// deployed are the resources a deployment snapshots.
	deployed []pulumi.Resource
	// fingerprint collects the outputs the deployment trigger hashes
	// besides the routes' data, by what they are of.
	fingerprint map[string]pulumi.Input
}

func (b *builder) build() error {
	a := b.args
	api, err := apigateway.NewRestApi(b.ctx, b.name+"-rest-api", &apigateway.RestApiArgs{
		Name:                      pulumi.String(blocks.PhysicalName(b.ctx, b.name, 128)),
		Description:               optional(a.Description),
		EndpointConfiguration:     &apigateway.RestApiEndpointConfigurationArgs{Types: pulumi.String("REGIONAL")},
		DisableExecuteApiEndpoint: pulumi.Bool(a.Domain != nil),
		// Lists compress well; small answers are not worth the CPU.
		MinimumCompressionSize: pulumi.String("1024"),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating REST API: %w", err)
	}
	b.api = api
	b.c.RestAPI = api

	if err := b.authorizers(); err != nil {
		return err
	}
	b.validator, err = apigateway.NewRequestValidator(b.ctx, b.name+"-validator", &apigateway.RequestValidatorArgs{
		RestApi:                   api.ID(),
		Name:                      pulumi.String("body-and-parameters"),
		ValidateRequestBody:       pulumi.Bool(true),
		ValidateRequestParameters: pulumi.Bool(true),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating request validator: %w", err)
	}
	b.deployed = append(b.deployed, b.validator)

	if err := b.resourceTree(); err != nil {
		return err
	}
	for i := range a.Routes {
		if err := b.route(&a.Routes[i]); err != nil {
			return fmt.Errorf("route %s: %w", a.Routes[i].key(), err)
		}
	}
	if err := b.cors(); err != nil {
		return err
	}
	if err := b.gatewayResponses(); err != nil {
		return err
	}
	if err := b.stage(); err != nil {
		return err
	}
	if err := b.apiKeys(); err != nil {
		return err
	}
	url := b.c.Stage.InvokeUrl.ApplyT(func(u string) string { return strings.TrimSuffix(u, "/") + "/" }).(pulumi.StringOutput)
	if a.Domain != nil {
		if url, err = b.domain(); err != nil {
			return err
		}
	}

	routes, title := a.Routes, a.Title
	if title == "" {
		title = b.name
	}
	b.c.RestAPIID = api.ID().ToStringOutput()
	b.c.ExecutionArn = api.ExecutionArn
	b.c.StageName = b.c.Stage.StageName
	b.c.URL = url
	b.c.OpenAPI = url.ApplyT(func(u string) (string, error) {
		doc, err := OpenAPI(Info{Title: title, Version: a.StageName, Description: a.Description, ServerURL: u}, routes)
		return string(doc), err
	}).(pulumi.StringOutput)
	return nil
}

func (b *builder) authorizers() error {
	if !slices.ContainsFunc(b.args.Routes, func(r Route) bool { return r.Auth == AuthCognito }) {
		return nil
	}
	auth, err := apigateway.NewAuthorizer(b.ctx, b.name+"-cognito-authorizer", &apigateway.AuthorizerArgs{
		RestApi:        b.api.ID(),
		Name:           pulumi.String("cognito"),
		Type:           pulumi.String("COGNITO_USER_POOLS"),
		ProviderArns:   b.args.UserPoolArns,
		IdentitySource: pulumi.String("method.request.header.Authorization"),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating Cognito authorizer: %w", err)
	}
	b.authorizer = auth
	b.deployed = append(b.deployed, auth)
	b.fingerprint["authorizer"] = b.args.UserPoolArns
	return nil
}

// resourceTree creates one API Gateway resource per path prefix the routes
// use, parents first.
func (b *builder) resourceTree() error {
	b.resources = map[string]pulumi.StringInput{"/": b.api.RootResourceId}
	var paths []string
	for _, r := range b.args.Routes {
		segs := r.segments()
		for i := range segs {
			p := "/" + strings.Join(segs[:i+1], "/")
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
	}
	// Sorting puts every parent before its children.
	slices.Sort(paths)
	// API Gateway allows one parameter name per level: /a/{x} and /a/{y}/b
	// cannot coexist.
	paramAt := map[string]string{}
	for _, p := range paths {
		parent, part := p[:strings.LastIndex(p, "/")], p[strings.LastIndex(p, "/")+1:]
		if parent == "" {
			parent = "/"
		}
		if paramSegment.MatchString(part) {
			if other, ok := paramAt[parent]; ok && other != part {
				return fmt.Errorf("paths under %s use two parameter names, %s and %s; API Gateway allows one", parent, other, part)
			}
			paramAt[parent] = part
		}
		res, err := apigateway.NewResource(b.ctx, b.name+"-"+slug(p), &apigateway.ResourceArgs{
			RestApi:  b.api.ID(),
			ParentId: b.resources[parent],
			PathPart: pulumi.String(part),
		}, b.child...)
		if err != nil {
			return fmt.Errorf("creating resource %s: %w", p, err)
		}
		b.resources[p] = res.ID()
		b.deployed = append(b.deployed, res)
	}
	return nil
}

// modelContentTypes are the content types a route's body model applies to.
// API Gateway validates a body only against the model of its content type
// and passes any other through unchecked; "$default" is the model for every
// content type without one of its own. Mapping the JSON model to both means
// no content type skips validation: a body that is not JSON is refused with
// 400 before the function runs, however it is labelled.
var modelContentTypes = []string{"$default", "application/json"}

// bodyModel creates the model of a route's body, if it has a schema, and
// returns the method's request models.
func (b *builder) bodyModel(r *Route, name string) (pulumi.StringMap, error) {
	if r.BodySchema == "" {
		return nil, nil
	}
	model, err := apigateway.NewModel(b.ctx, name+"-model", &apigateway.ModelArgs{
		RestApi:     b.api.ID(),
		Name:        pulumi.String(r.modelName()),
		ContentType: pulumi.String("application/json"),
		Schema:      pulumi.String(r.BodySchema),
	}, b.child...)
	if err != nil {
		return nil, fmt.Errorf("creating body model: %w", err)
	}
	b.deployed = append(b.deployed, model)
	models := pulumi.StringMap{}
	for _, ct := range modelContentTypes {
		models[ct] = model.Name
	}
	return models, nil
}

// route creates a route's method, its Lambda proxy integration, its body
// model and the permission for this API to invoke its function.
func (b *builder) route(r *Route) error {
	ctx, n := b.ctx, b.name+"-"+r.slug()
	invokeArn, functionName := integrationTarget(r.FunctionArn)

	models, err := b.bodyModel(r, n)
	if err != nil {
		return err
	}

	authorization := string(r.Auth)
	var authorizerID pulumi.StringPtrInput
	switch r.Auth {
	case AuthAPIKey:
		authorization = "NONE"
	case AuthCognito:
		authorizerID = b.authorizer.ID()
	}
	var scopes pulumi.StringArrayInput
	if len(r.Scopes) > 0 {
		scopes = pulumi.ToStringArray(r.Scopes)
	}
	method, err := apigateway.NewMethod(ctx, n, &apigateway.MethodArgs{
		RestApi:             b.api.ID(),
		ResourceId:          b.resources[r.Path],
		HttpMethod:          pulumi.String(r.Method),
		Authorization:       pulumi.String(authorization),
		AuthorizerId:        authorizerID,
		AuthorizationScopes: scopes,
		ApiKeyRequired:      pulumi.Bool(r.Auth == AuthAPIKey),
		OperationName:       pulumi.String(r.operationID()),
		RequestParameters:   pulumi.ToBoolMap(r.requestParameters(b.args.keyOrigin())),
		RequestValidatorId:  b.validator.ID(),
		RequestModels:       models,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating method: %w", err)
	}
	switch {
	case r.Auth == AuthNone && strings.TrimSpace(r.PublicReason) != "":
		policy.Suppress(ctx, method, "public by design: "+r.PublicReason, "APIGW-AUTHORIZER")
	case r.Auth == AuthAPIKey:
		// API keys identify callers for usage plans; they are not an
		// authorizer, so the finding stays visible with its reason.
		policy.Suppress(ctx, method, "callers must present an API key of the stage's usage plan (apiKeyRequired); "+
			"API keys are shared secrets, not per-user authentication: use AuthCognito or AuthIAM where that matters", "APIGW-AUTHORIZER")
	}
	var cacheKeys pulumi.StringArrayInput
	if keys := r.cacheKeyParameters(b.args.keyOrigin()); len(keys) > 0 {
		cacheKeys = pulumi.ToStringArray(keys)
	}
	integration, err := apigateway.NewIntegration(ctx, n, &apigateway.IntegrationArgs{
		RestApi:               b.api.ID(),
		ResourceId:            b.resources[r.Path],
		HttpMethod:            method.HttpMethod,
		Type:                  pulumi.String("AWS_PROXY"),
		IntegrationHttpMethod: pulumi.String("POST"),
		Uri:                   invokeArn,
		CacheKeyParameters:    cacheKeys,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating integration: %w", err)
	}
	b.deployed = append(b.deployed, method, integration)
	b.fingerprint[r.key()] = invokeArn

	// The permission names this API, this stage, this method and this
	// path, so the function cannot be invoked through any other route.
	if _, err := lambda.NewPermission(ctx, n, &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  functionName,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/%s/%s%s", b.api.ExecutionArn, b.args.StageName, r.Method, r.arnPath()),
	}, b.child...); err != nil {
		return fmt.Errorf("allowing the API to invoke the function: %w", err)
	}
	return nil
}

// stage creates the log groups, the deployment, the stage and its method
// settings.
func (b *builder) stage() error {
	ctx, a := b.ctx, b.args
	access, err := cloudwatch.NewLogGroup(ctx, b.name+"-access-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(fmt.Sprintf("%s%s/%s/%s", blocks.APIGatewayAccessLogPrefix, ctx.Project(), ctx.Stack(), b.name)),
		RetentionInDays: a.LogRetentionDays,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating access log group: %w", err)
	}
	b.c.AccessLogGroup = access.Name
	// API Gateway would create the execution log group on first use, and
	// keep its logs forever; creating it first gives it a retention.
	execution, err := cloudwatch.NewLogGroup(ctx, b.name+"-execution-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.Sprintf("%s%s/%s", blocks.APIGatewayExecutionLogPrefix, b.api.ID(), a.StageName),
		RetentionInDays: a.LogRetentionDays,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating execution log group: %w", err)
	}

	keys := slices.Sorted(maps.Keys(b.fingerprint))
	inputs := make([]any, len(keys))
	for i, k := range keys {
		inputs[i] = b.fingerprint[k]
	}
	trigger := pulumi.All(inputs...).ApplyT(func(values []any) (string, error) {
		outputs := make(map[string]any, len(keys))
		for i, k := range keys {
			outputs[k] = values[i]
		}
		return deploymentHash(a.Routes, a.CORSOrigins, outputs)
	}).(pulumi.StringOutput)
	deployment, err := apigateway.NewDeployment(ctx, b.name+"-deployment", &apigateway.DeploymentArgs{
		RestApi:     b.api.ID(),
		Description: pulumi.String("Routes, integrations, authorizers and models as of this deployment's trigger"),
		Triggers:    pulumi.StringMap{"redeployment": trigger},
	}, append(b.child, pulumi.DependsOn(b.deployed))...)
	if err != nil {
		return fmt.Errorf("creating deployment: %w", err)
	}
	b.c.Deployment = deployment

	cached := a.CacheSizeGB != ""
	var size pulumi.StringPtrInput
	if cached {
		size = pulumi.String(a.CacheSizeGB)
	}
	waitFor := []pulumi.Resource{access, execution}
	if a.AccountSettings != nil {
		waitFor = append(waitFor, a.AccountSettings)
	}
	stage, err := apigateway.NewStage(ctx, b.name+"-stage", &apigateway.StageArgs{
		RestApi:    b.api.ID(),
		StageName:  pulumi.String(a.StageName),
		Deployment: deployment.ID(),
		AccessLogSettings: &apigateway.StageAccessLogSettingsArgs{
			DestinationArn: access.Arn,
			Format:         pulumi.String(AccessLogFormat),
		},
		XrayTracingEnabled:  pulumi.Bool(true),
		CacheClusterEnabled: pulumi.Bool(cached),
		CacheClusterSize:    size,
	}, append(b.child, pulumi.DependsOn(waitFor))...)
	if err != nil {
		return fmt.Errorf("creating stage: %w", err)
	}
	b.c.Stage = stage

	// Method settings update the same stage: chain them, as API Gateway
	// rejects concurrent updates of one stage.
	prev, err := b.methodSettings("all-methods", "*/*", false, false, nil, []pulumi.Resource{stage})
	if err != nil {
		return err
	}
	if !cached {
		return nil
	}
	for _, r := range a.Routes {
		if !r.Cache {
			continue
		}
		var ttl pulumi.IntInput = a.CacheTTLSeconds
		if r.CacheTTLSeconds > 0 {
			ttl = pulumi.Int(r.CacheTTLSeconds)
		}
		if prev, err = b.methodSettings(r.slug()+"-settings", r.methodPath(), true, r.needsAuth(), ttl, []pulumi.Resource{prev}); err != nil {
			return err
		}
	}
	return nil
}

// methodSettings applies the stage-wide settings to methodPath, with
// caching on or off. Per-route settings repeat every stage-wide value, as a
// method's settings replace the stage's rather than merge with them.
//
// A client may flush a cache entry by sending Cache-Control: max-age=0.
// Normally only IAM principals allowed execute-api:InvalidateCache may, and
// others are served from the cache. On routes whose cache key holds the
// caller's credentials (ownKeys) a caller can only ever flush its own
// entries, so any caller may: an app refreshes what it has just changed.
func (b *builder) methodSettings(suffix, methodPath string, caching, ownKeys bool, ttl pulumi.IntInput, after []pulumi.Resource) (*apigateway.MethodSettings, error) {
	if ttl == nil {
		ttl = b.args.CacheTTLSeconds
	}
	s, err := apigateway.NewMethodSettings(b.ctx, b.name+"-"+suffix, &apigateway.MethodSettingsArgs{
		RestApi:    b.api.ID(),
		StageName:  b.c.Stage.StageName,
		MethodPath: pulumi.String(methodPath),
		Settings: &apigateway.MethodSettingsSettingsArgs{
			MetricsEnabled:                         pulumi.Bool(true),
			LoggingLevel:                           pulumi.String("ERROR"),
			DataTraceEnabled:                       pulumi.Bool(false),
			ThrottlingRateLimit:                    b.args.ThrottleRateLimit,
			ThrottlingBurstLimit:                   b.args.ThrottleBurstLimit,
			CachingEnabled:                         pulumi.Bool(caching),
			CacheTtlInSeconds:                      ttl,
			CacheDataEncrypted:                     pulumi.Bool(true),
			RequireAuthorizationForCacheControl:    pulumi.Bool(!ownKeys),
			UnauthorizedCacheControlHeaderStrategy: pulumi.String("SUCCEED_WITH_RESPONSE_HEADER"),
		},
	}, append(b.child, pulumi.DependsOn(after))...)
	if err != nil {
		return nil, fmt.Errorf("setting method settings of %s: %w", methodPath, err)
	}
	return s, nil
}

// apiKeys creates a usage plan with one API key for AuthAPIKey routes.
func (b *builder) apiKeys() error {
	b.c.APIKeyID = pulumi.String("").ToStringOutput()
	if !slices.ContainsFunc(b.args.Routes, func(r Route) bool { return r.Auth == AuthAPIKey }) {
		return nil
	}
	plan, err := apigateway.NewUsagePlan(b.ctx, b.name+"-usage-plan", &apigateway.UsagePlanArgs{
		Name: pulumi.String(blocks.PhysicalName(b.ctx, b.name, 128)),
		ApiStages: apigateway.UsagePlanApiStageArray{&apigateway.UsagePlanApiStageArgs{
			ApiId: b.api.ID(),
			Stage: b.c.Stage.StageName,
		}},
		ThrottleSettings: &apigateway.UsagePlanThrottleSettingsArgs{
			RateLimit:  b.args.ThrottleRateLimit,
			BurstLimit: b.args.ThrottleBurstLimit,
		},
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating usage plan: %w", err)
	}
	key, err := apigateway.NewApiKey(b.ctx, b.name+"-api-key", &apigateway.ApiKeyArgs{
		Name:    pulumi.String(blocks.PhysicalName(b.ctx, b.name, 128)),
		Enabled: pulumi.Bool(true),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating API key: %w", err)
	}
	if _, err := apigateway.NewUsagePlanKey(b.ctx, b.name+"-usage-plan-key", &apigateway.UsagePlanKeyArgs{
		KeyId:       key.ID(),
		KeyType:     pulumi.String("API_KEY"),
		UsagePlanId: plan.ID(),
	}, b.child...); err != nil {
		return fmt.Errorf("adding API key to usage plan: %w", err)
	}
	b.c.APIKeyID = key.ID().ToStringOutput()
	return nil
}

// AccessLogFormat is the JSON line API Gateway writes per request to the
// access log group. The caller field is the Cognito sub of signed-in
// callers, so a request can be traced to a user without logging tokens.
var AccessLogFormat = mustJSON(map[string]string{
	"requestId":          "$context.requestId",
	"extendedRequestId":  "$context.extendedRequestId",
	"requestTime":        "$context.requestTime",
	"httpMethod":         "$context.httpMethod",
	"resourcePath":       "$context.resourcePath",
	"path":               "$context.path",
	"status":             "$context.status",
	"protocol":           "$context.protocol",
	"responseLength":     "$context.responseLength",
	"responseLatency":    "$context.responseLatency",
	"integrationLatency": "$context.integrationLatency",
	"integrationStatus":  "$context.integrationStatus",
	"errorMessage":       "$context.error.message",
	"errorType":          "$context.error.responseType",
	"sourceIp":           "$context.identity.sourceIp",
	"userAgent":          "$context.identity.userAgent",
	"caller":             "$context.authorizer.claims.sub",
	"xrayTraceId":        "$context.xrayTraceId",
})

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// routeFingerprint is what a deployment depends on of a route.
type routeFingerprint struct {
	Key, Auth, Operation, Model string
	// ModelContentTypes are the content types the model applies to.
	ModelContentTypes []string
	Scopes, CacheKeys []string
	Parameters        map[string]bool
}

// deploymentHash is the deployment trigger: a hash of a canonical
// description of everything a deployment snapshots (routes, their auth,
// parameters, models, cache keys and integrations, CORS, authorizers).
// When any of it changes, the trigger changes and a new deployment is made.
func deploymentHash(routes []Route, origins []string, outputs map[string]any) (string, error) {
	fps := make([]routeFingerprint, len(routes))
	keyOrigin := len(origins) > 1
	for i := range routes {
		r := &routes[i]
		fps[i] = routeFingerprint{
			Key: r.key(), Auth: string(r.Auth), Operation: r.operationID(), Model: r.BodySchema,
			Scopes: r.Scopes, CacheKeys: r.cacheKeyParameters(keyOrigin), Parameters: r.requestParameters(keyOrigin),
		}
		if r.BodySchema != "" {
			fps[i].ModelContentTypes = modelContentTypes
		}
	}
	slices.SortFunc(fps, func(x, y routeFingerprint) int { return strings.Compare(x.Key, y.Key) })
	b, err := json.Marshal(struct {
		Routes  []routeFingerprint
		Origins []string
		Outputs map[string]any
	}{fps, origins, outputs})
	if err != nil {
		return "", fmt.Errorf("hashing the deployment: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func optional(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
