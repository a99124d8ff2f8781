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
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
)

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

// logGroups creates the stage's access and execution log groups. API
// Gateway would create the execution log group on first use, and keep its
// logs forever; creating it first gives it a retention.
func (b *builder) logGroups() error {
	ctx, a := b.ctx, b.args
	access, err := cloudwatch.NewLogGroup(ctx, b.name+"-access-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(fmt.Sprintf("%s%s/%s/%s", blocks.APIGatewayAccessLogPrefix, ctx.Project(), ctx.Stack(), b.name)),
		RetentionInDays: a.LogRetentionDays,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating access log group: %w", err)
	}
	execution, err := cloudwatch.NewLogGroup(ctx, b.name+"-execution-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.Sprintf("%s%s/%s", blocks.APIGatewayExecutionLogPrefix, b.api.ID(), a.StageName),
		RetentionInDays: a.LogRetentionDays,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating execution log group: %w", err)
	}
	b.accessLogs, b.executionLogs = access, execution
	return nil
}

// deployment snapshots the routes, integrations, authorizers and models;
// its trigger (deploymentHash) makes a new one whenever any of them change.
func (b *builder) deployment() error {
	a := b.args
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
	deployment, err := apigateway.NewDeployment(b.ctx, b.name+"-deployment", &apigateway.DeploymentArgs{
		RestApi:     b.api.ID(),
		Description: pulumi.String("Routes, integrations, authorizers and models as of this deployment's trigger"),
		Triggers:    pulumi.StringMap{"redeployment": trigger},
	}, append(b.child, pulumi.DependsOn(b.deployed))...)
	if err != nil {
		return fmt.Errorf("creating deployment: %w", err)
	}
	b.c.Deployment = deployment
	return nil
}

// stage creates the stage, serving the deployment with access logs,
// tracing and, if sized, its cache, once its log groups and the account's
// logging settings exist. Its invoke URL is the API's URL unless a custom
// domain replaces it.
func (b *builder) stage() error {
	a := b.args
	var size pulumi.StringPtrInput
	if a.CacheSizeGB != "" {
		size = pulumi.String(a.CacheSizeGB)
	}
	waitFor := []pulumi.Resource{b.accessLogs, b.executionLogs}
	if a.AccountSettings != nil {
		waitFor = append(waitFor, a.AccountSettings)
	}
	stage, err := apigateway.NewStage(b.ctx, b.name+"-stage", &apigateway.StageArgs{
		RestApi:    b.api.ID(),
		StageName:  pulumi.String(a.StageName),
		Deployment: b.c.Deployment.ID(),
		AccessLogSettings: &apigateway.StageAccessLogSettingsArgs{
			DestinationArn: b.accessLogs.Arn,
			Format:         pulumi.String(AccessLogFormat),
		},
		XrayTracingEnabled:  pulumi.Bool(true),
		CacheClusterEnabled: pulumi.Bool(a.CacheSizeGB != ""),
		CacheClusterSize:    size,
	}, append(b.child, pulumi.DependsOn(waitFor))...)
	if err != nil {
		return fmt.Errorf("creating stage: %w", err)
	}
	b.c.Stage = stage
	b.url = stage.InvokeUrl.ApplyT(func(u string) string { return strings.TrimSuffix(u, "/") + "/" }).(pulumi.StringOutput)
	return nil
}

// methodSettings applies the stage-wide settings to every method, and with
// a stage cache the per-route cache settings to the cached routes. They
// update the same stage: they are chained, as API Gateway rejects
// concurrent updates of one stage.
func (b *builder) methodSettings() error {
	prev, err := b.settingsOf("all-methods", "*/*", false, false, nil, b.c.Stage)
	if err != nil || b.args.CacheSizeGB == "" {
		return err
	}
	for _, r := range b.args.Routes {
		if !r.Cache {
			continue
		}
		var ttl pulumi.IntInput = b.args.CacheTTLSeconds
		if r.CacheTTLSeconds > 0 {
			ttl = pulumi.Int(r.CacheTTLSeconds)
		}
		if prev, err = b.settingsOf(r.slug()+"-settings", r.methodPath(), true, r.needsAuth(), ttl, prev); err != nil {
			return err
		}
	}
	return nil
}

// settingsOf applies the stage-wide settings to methodPath, with caching
// on or off, after the resource after. Per-route settings repeat every
// stage-wide value, as a method's settings replace the stage's rather than
// merge with them.
//
// A client may flush a cache entry by sending Cache-Control: max-age=0.
// Normally only IAM principals allowed execute-api:InvalidateCache may, and
// others are served from the cache. On routes whose cache key holds the
// caller's credentials (ownKeys) a caller can only ever flush its own
// entries, so any caller may: an app refreshes what it has just changed.
func (b *builder) settingsOf(suffix, methodPath string, caching, ownKeys bool, ttl pulumi.IntInput, after pulumi.Resource) (*apigateway.MethodSettings, error) {
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
	}, append(b.child, pulumi.DependsOn([]pulumi.Resource{after}))...)
	if err != nil {
		return nil, fmt.Errorf("setting method settings of %s: %w", methodPath, err)
	}
	return s, nil
}

// apiKeys creates a usage plan with one API key, if a route uses
// AuthAPIKey.
func (b *builder) apiKeys() error {
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
	b.apiKey = key
	return nil
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
