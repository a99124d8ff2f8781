package serverlessapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cognito"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

const helloPackage = "github.com/gopherstack/serverless-arch/components/fnbuild/testdata/hello"

// Resource types the tests look at.
const (
	typeMethod         = "aws:apigateway/method:Method"
	typeIntegration    = "aws:apigateway/integration:Integration"
	typeMethodSettings = "aws:apigateway/methodSettings:MethodSettings"
	typeStage          = "aws:apigateway/stage:Stage"
	typeDeployment     = "aws:apigateway/deployment:Deployment"
	typePermission     = "aws:lambda/permission:Permission"
	typeLogGroup       = "aws:cloudwatch/logGroup:LogGroup"
	typeResponse       = "aws:apigateway/response:Response"
)

// todoRoutes is a to-do-like API: private CRUD routes, one public route.
func todoRoutes(fnArn pulumi.StringInput) []serverlessapi.Route {
	return []serverlessapi.Route{
		{Method: "GET", Path: "/todos", FunctionArn: fnArn, Auth: serverlessapi.AuthCognito, Cache: true,
			Query: []serverlessapi.Param{{Name: "limit", CacheKey: true}, {Name: "cursor", CacheKey: true}}},
		{Method: "GET", Path: "/todos/{id}", FunctionArn: fnArn, Auth: serverlessapi.AuthCognito, Cache: true, CacheTTLSeconds: 60},
		{Method: "POST", Path: "/todos", FunctionArn: fnArn, Auth: serverlessapi.AuthCognito,
			BodySchema: `{"type":"object","required":["title"],"properties":{"title":{"type":"string"}}}`},
		{Method: "DELETE", Path: "/todos/{id}", FunctionArn: fnArn, Auth: serverlessapi.AuthCognito},
		{Method: "GET", Path: "/health", FunctionArn: fnArn, Auth: serverlessapi.AuthNone, Cache: true,
			PublicReason: "load balancers and uptime checks call it without credentials"},
	}
}

// deploy runs a program with a function, a user pool and an API built
// from args, after edit has adjusted them. It exports the pool's ARN, the
// API's execution ARN and the function's name for the tests to compare by
// value.
func deploy(t *testing.T, edit func(*serverlessapi.Args, *blocks.Function)) *stacktest.Recording {
	t.Helper()
	rec, err := stacktest.Run(func(ctx *pulumi.Context) error {
		fn, err := blocks.NewFunction(ctx, "hello", blocks.FunctionArgs{Package: helloPackage, LogRetentionDays: 7})
		if err != nil {
			return err
		}
		pool, err := cognito.NewUserPool(ctx, "users", &cognito.UserPoolArgs{})
		if err != nil {
			return err
		}
		args := serverlessapi.Args{
			Routes:             todoRoutes(fn.Function.Arn),
			UserPoolArns:       pulumi.StringArray{pool.Arn},
			ThrottleRateLimit:  pulumi.Float64(25),
			ThrottleBurstLimit: pulumi.Int(50),
			LogRetentionDays:   pulumi.Int(14),
		}
		if edit != nil {
			edit(&args, fn)
		}
		api, err := serverlessapi.New(ctx, "api", args)
		if err != nil {
			return err
		}
		ctx.Export("poolArn", pool.Arn)
		ctx.Export("executionArn", api.ExecutionArn)
		ctx.Export("functionName", fn.Function.Name)
		ctx.Export("url", api.URL)
		ctx.Export("openApi", api.OpenAPI)
		ctx.Export("accessLogGroup", api.AccessLogGroup)
		ctx.Export("apiKeyId", api.APIKeyID)
		return nil
	}, stacktest.Project("proj"), stacktest.Stack("dev"))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func withCache(a *serverlessapi.Args, _ *blocks.Function) {
	a.CacheSizeGB = "0.5"
	a.CacheTTLSeconds = pulumi.Int(300)
}

func TestPermissionsAreScopedToThisAPIStageMethodAndPath(t *testing.T) {
	rec := deploy(t, nil)
	exec := rec.Outputs["executionArn"].(string)
	if !strings.HasPrefix(exec, "arn:aws:execute-api:us-east-1:"+stacktest.Account+":") {
		t.Fatalf("execution ARN %q is not an execute-api ARN", exec)
	}
	want := map[string]string{
		"api-get-todos":       exec + "/v1/GET/todos",
		"api-get-todos-id":    exec + "/v1/GET/todos/*",
		"api-post-todos":      exec + "/v1/POST/todos",
		"api-delete-todos-id": exec + "/v1/DELETE/todos/*",
		"api-get-health":      exec + "/v1/GET/health",
	}
	perms := rec.OfType(typePermission)
	if len(perms) != len(want) {
		t.Fatalf("%d permissions, want one per route (%d)", len(perms), len(want))
	}
	for _, p := range perms {
		if got := p.Inputs["sourceArn"]; got != want[p.Name] {
			t.Errorf("permission %s: sourceArn %v, want %s", p.Name, got, want[p.Name])
		}
		if p.Inputs["function"] != rec.Outputs["functionName"] || p.Inputs["principal"] != "apigateway.amazonaws.com" {
			t.Errorf("permission %s lets %v invoke %v", p.Name, p.Inputs["principal"], p.Inputs["function"])
		}
	}
}

func TestAuthorizerTrustsTheGivenUserPool(t *testing.T) {
	rec := deploy(t, nil)
	auth := rec.Must(t, "aws:apigateway/authorizer:Authorizer", "api-cognito-authorizer")
	arns, _ := auth.Inputs["providerArns"].([]any)
	if len(arns) != 1 || arns[0] != rec.Outputs["poolArn"] {
		t.Errorf("authorizer providerArns %v, want exactly the pool %v", arns, rec.Outputs["poolArn"])
	}
	for _, m := range rec.OfType(typeMethod) {
		if m.Inputs["httpMethod"] == "OPTIONS" {
			continue
		}
		public := m.Name == "api-get-health"
		if got := m.Inputs["authorization"]; public && got != "NONE" || !public && got != "COGNITO_USER_POOLS" {
			t.Errorf("method %s authorization %v", m.Name, got)
		}
		if !public && m.Inputs["authorizerId"] == nil {
			t.Errorf("method %s names no authorizer", m.Name)
		}
	}
}

func TestEveryLogGroupHasRetentionAndAccessLogsAreJSON(t *testing.T) {
	rec := deploy(t, nil)
	groups := rec.OfType(typeLogGroup)
	if len(groups) != 3 { // the function's, access and execution logs
		t.Fatalf("%d log groups, want 3", len(groups))
	}
	for _, g := range groups {
		if days, _ := g.Inputs["retentionInDays"].(float64); days <= 0 {
			t.Errorf("log group %s has no retention", g.Name)
		}
	}
	access := rec.Must(t, typeLogGroup, "api-access-logs")
	if rec.Outputs["accessLogGroup"] != access.Inputs["name"] {
		t.Errorf("component names access log group %v, want %v", rec.Outputs["accessLogGroup"], access.Inputs["name"])
	}
	stage := rec.Must(t, typeStage, "api-stage")
	settings := stage.Inputs["accessLogSettings"].(map[string]any)
	wantArn := "arn:aws:logs:us-east-1:" + stacktest.Account + ":log-group:" + access.Inputs["name"].(string)
	if settings["destinationArn"] != wantArn {
		t.Errorf("access logs go to %v, want %s", settings["destinationArn"], wantArn)
	}
	var format map[string]string
	if err := json.Unmarshal([]byte(settings["format"].(string)), &format); err != nil || format["requestId"] != "$context.requestId" {
		t.Errorf("access log format is not the JSON format: %v %v", settings["format"], err)
	}
	exec := rec.Must(t, typeLogGroup, "api-execution-logs")
	if want := "API-Gateway-Execution-Logs_" + stage.Inputs["restApi"].(string) + "/v1"; exec.Inputs["name"] != want {
		t.Errorf("execution log group %v, want %s (the group API Gateway writes to)", exec.Inputs["name"], want)
	}
	if stage.Inputs["xrayTracingEnabled"] != true {
		t.Error("X-Ray tracing is off")
	}
}

func TestStageSettingsLogErrorsMeterAndThrottle(t *testing.T) {
	rec := deploy(t, nil)
	all := rec.Must(t, typeMethodSettings, "api-all-methods")
	if all.Inputs["methodPath"] != "*/*" {
		t.Fatalf("stage-wide settings apply to %v", all.Inputs["methodPath"])
	}
	s := all.Inputs["settings"].(map[string]any)
	for key, want := range map[string]any{
		"loggingLevel": "ERROR", "dataTraceEnabled": false, "metricsEnabled": true,
		"throttlingRateLimit": 25.0, "throttlingBurstLimit": 50.0, "cachingEnabled": false, "cacheDataEncrypted": true,
	} {
		if s[key] != want {
			t.Errorf("stage-wide %s = %v, want %v", key, s[key], want)
		}
	}
}

func TestCachedAuthRoutesKeyOnTheCallersToken(t *testing.T) {
	rec := deploy(t, withCache)
	stage := rec.Must(t, typeStage, "api-stage")
	if stage.Inputs["cacheClusterEnabled"] != true || stage.Inputs["cacheClusterSize"] != "0.5" {
		t.Errorf("stage cache enabled=%v size=%v, want a 0.5 GB cache", stage.Inputs["cacheClusterEnabled"], stage.Inputs["cacheClusterSize"])
	}
	for _, tc := range []struct {
		route, methodPath string
		keys              []string
		ttl               float64
	}{
		{"api-get-todos", "~1todos/GET", []string{"method.request.header.Authorization", "method.request.querystring.cursor", "method.request.querystring.limit"}, 300},
		{"api-get-todos-id", "~1todos~1{id}/GET", []string{"method.request.header.Authorization", "method.request.path.id"}, 60},
		{"api-get-health", "~1health/GET", []string{}, 300},
	} {
		t.Run(tc.route, func(t *testing.T) {
			integ := rec.Must(t, typeIntegration, tc.route)
			got := strings_(integ.Inputs["cacheKeyParameters"])
			if !slices.Equal(got, tc.keys) {
				t.Errorf("cache key %v, want %v", got, tc.keys)
			}
			method := rec.Must(t, typeMethod, tc.route)
			params, _ := method.Inputs["requestParameters"].(map[string]any)
			for _, k := range tc.keys {
				if _, ok := params[k]; !ok {
					t.Errorf("cache key %s is not a declared parameter of the method (%v)", k, params)
				}
			}
			ms := rec.Must(t, typeMethodSettings, tc.route+"-settings")
			s := ms.Inputs["settings"].(map[string]any)
			if ms.Inputs["methodPath"] != tc.methodPath || s["cachingEnabled"] != true || s["cacheDataEncrypted"] != true || s["cacheTtlInSeconds"] != tc.ttl {
				t.Errorf("method settings %v: %v", ms.Inputs["methodPath"], s)
			}
			if s["loggingLevel"] != "ERROR" || s["throttlingRateLimit"] != 25.0 {
				t.Errorf("per-route settings drop the stage-wide ones: %v", s)
			}
			// Callers may flush only entries keyed on their own token.
			ownKeys := slices.Contains(tc.keys, "method.request.header.Authorization")
			if s["requireAuthorizationForCacheControl"] != !ownKeys {
				t.Errorf("requireAuthorizationForCacheControl %v on a route keyed %v", s["requireAuthorizationForCacheControl"], tc.keys)
			}
		})
	}
	// Writes are never cached.
	if _, ok := rec.Get(typeMethodSettings, "api-post-todos-settings"); ok {
		t.Error("POST /todos has cache settings")
	}
	if keys := rec.Must(t, typeIntegration, "api-post-todos").Inputs["cacheKeyParameters"]; keys != nil {
		t.Errorf("POST /todos has cache keys %v", keys)
	}
}

// With several CORS origins the function's answer names the caller's
// origin, so a cached answer must be keyed on it: else the stage cache would
// serve one origin's answer to another, and the browser would refuse it.
func TestCachedRoutesKeyOnTheOriginWithSeveralOrigins(t *testing.T) {
	for _, tc := range []struct {
		origins []string
		want    bool
	}{
		{[]string{"https://app.example.com", "https://admin.example.com"}, true},
		{[]string{"https://app.example.com"}, false},
		{nil, false},
	} {
		rec := deploy(t, func(a *serverlessapi.Args, f *blocks.Function) { withCache(a, f); a.CORSOrigins = tc.origins })
		for _, route := range []string{"api-get-todos", "api-get-todos-id", "api-get-health"} {
			keys := strings_(rec.Must(t, typeIntegration, route).Inputs["cacheKeyParameters"])
			params, _ := rec.Must(t, typeMethod, route).Inputs["requestParameters"].(map[string]any)
			_, declared := params["method.request.header.Origin"]
			if got := slices.Contains(keys, "method.request.header.Origin"); got != tc.want || declared != tc.want {
				t.Errorf("%d origins: %s keyed on Origin %v (declared %v), want %v", len(tc.origins), route, got, declared, tc.want)
			}
		}
		if keys := rec.Must(t, typeIntegration, "api-post-todos").Inputs["cacheKeyParameters"]; keys != nil {
			t.Errorf("POST /todos has cache keys %v", keys)
		}
	}
}

func TestWithoutCacheSizeThereIsNoCache(t *testing.T) {
	rec := deploy(t, nil)
	stage := rec.Must(t, typeStage, "api-stage")
	if stage.Inputs["cacheClusterEnabled"] != false || stage.Inputs["cacheClusterSize"] != nil {
		t.Errorf("stage cache enabled=%v size=%v, want none", stage.Inputs["cacheClusterEnabled"], stage.Inputs["cacheClusterSize"])
	}
	if n := len(rec.OfType(typeMethodSettings)); n != 1 {
		t.Errorf("%d method settings, want only the stage-wide ones", n)
	}
}

func TestDeploymentTriggerFollowsTheRoutes(t *testing.T) {
	trigger := func(edit func(*serverlessapi.Args, *blocks.Function)) string {
		d := deploy(t, edit).Must(t, typeDeployment, "api-deployment")
		v, _ := d.Inputs["triggers"].(map[string]any)["redeployment"].(string)
		if len(v) != 64 {
			t.Fatalf("trigger %q is not a SHA-256", v)
		}
		return v
	}
	base := trigger(nil)
	if again := trigger(nil); again != base {
		t.Errorf("the same routes give triggers %s and %s", base, again)
	}
	for name, edit := range map[string]func(*serverlessapi.Args, *blocks.Function){
		"route added": func(a *serverlessapi.Args, fn *blocks.Function) {
			a.Routes = append(a.Routes, serverlessapi.Route{Method: "PUT", Path: "/todos/{id}", FunctionArn: fn.Function.Arn, Auth: serverlessapi.AuthCognito})
		},
		"auth changed": func(a *serverlessapi.Args, _ *blocks.Function) { a.Routes[4].Auth = serverlessapi.AuthIAM },
		"body model changed": func(a *serverlessapi.Args, _ *blocks.Function) {
			a.Routes[2].BodySchema = `{"type":"object"}`
		},
		"parameter added": func(a *serverlessapi.Args, _ *blocks.Function) {
			a.Routes[3].Query = []serverlessapi.Param{{Name: "version"}}
		},
		"function changed": func(a *serverlessapi.Args, _ *blocks.Function) {
			a.Routes[4].FunctionArn = pulumi.String("arn:aws:lambda:us-east-1:123456789012:function:other")
		},
		"CORS origin added": func(a *serverlessapi.Args, _ *blocks.Function) { a.CORSOrigins = []string{"https://app.example.com"} },
	} {
		if got := trigger(edit); got == base {
			t.Errorf("%s: the deployment trigger did not change", name)
		}
	}
}

func TestRequestValidationChecksBodiesAndParameters(t *testing.T) {
	rec := deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) {
		a.Routes[0].Query[0].Required = true
	})
	v := rec.Must(t, "aws:apigateway/requestValidator:RequestValidator", "api-validator")
	if v.Inputs["validateRequestBody"] != true || v.Inputs["validateRequestParameters"] != true {
		t.Errorf("validator %v", v.Inputs)
	}
	model := rec.Must(t, "aws:apigateway/model:Model", "api-post-todos-model")
	if model.Inputs["name"] != "PostTodosBody" || !strings.Contains(model.Inputs["schema"].(string), `"required":["title"]`) {
		t.Errorf("body model %v", model.Inputs)
	}
	// Every content type is validated, not only application/json: API
	// Gateway passes a body of a type without a model through unchecked.
	post := rec.Must(t, typeMethod, "api-post-todos")
	if models := post.Inputs["requestModels"].(map[string]any); len(models) != 2 ||
		models["application/json"] != "PostTodosBody" || models["$default"] != "PostTodosBody" {
		t.Errorf("POST /todos does not validate every body: %v", post.Inputs["requestModels"])
	}
	list := rec.Must(t, typeMethod, "api-get-todos").Inputs["requestParameters"].(map[string]any)
	if list["method.request.querystring.limit"] != true || list["method.request.querystring.cursor"] != false {
		t.Errorf("GET /todos parameters %v, want limit required and cursor optional", list)
	}
	if list["method.request.header.Authorization"] != false {
		t.Error("the token header must be declared (for the cache key) but left to the authorizer to require")
	}
	get := rec.Must(t, typeMethod, "api-get-todos-id").Inputs["requestParameters"].(map[string]any)
	if get["method.request.path.id"] != true {
		t.Errorf("path parameter id is not required: %v", get)
	}
}

func TestCORSAnswersPreflightsForTheOriginsOnly(t *testing.T) {
	origins := []string{"https://app.example.com", "https://admin.example.com"}
	rec := deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) { a.CORSOrigins = origins })
	var options []stacktest.Resource
	for _, m := range rec.OfType(typeMethod) {
		if m.Inputs["httpMethod"] == "OPTIONS" {
			options = append(options, m)
			if m.Inputs["authorization"] != "NONE" {
				t.Errorf("preflight %s needs credentials browsers never send", m.Name)
			}
		}
	}
	if len(options) != 3 { // /todos, /todos/{id}, /health
		t.Errorf("%d OPTIONS methods, want one per path", len(options))
	}
	ir := rec.Must(t, "aws:apigateway/integrationResponse:IntegrationResponse", "api-options-todos-id")
	params := ir.Inputs["responseParameters"].(map[string]any)
	if params["method.response.header.Access-Control-Allow-Methods"] != "'DELETE,GET,OPTIONS'" {
		t.Errorf("allowed methods %v", params["method.response.header.Access-Control-Allow-Methods"])
	}
	tmpl := ir.Inputs["responseTemplates"].(map[string]any)["application/json"].(string)
	for _, o := range origins {
		if !strings.Contains(tmpl, `$origin == "`+o+`"`) {
			t.Errorf("preflight template does not allow %s:\n%s", o, tmpl)
		}
	}
	// API Gateway's own errors must be readable from every origin; their
	// templates cannot choose, so they name the caller's.
	one := deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) { a.CORSOrigins = origins[:1] })
	for _, tc := range []struct {
		rec          *stacktest.Recording
		origin, vary any
	}{
		{rec, "method.request.header.Origin", "'Origin'"},
		{one, "'https://app.example.com'", nil},
	} {
		for _, typ := range []string{"default-4xx", "default-5xx", "bad-request-body", "bad-request-parameters"} {
			r := tc.rec.Must(t, typeResponse, "api-"+typ)
			h := r.Inputs["responseParameters"].(map[string]any)
			if h["gatewayresponse.header.Access-Control-Allow-Origin"] != tc.origin || h["gatewayresponse.header.Vary"] != tc.vary {
				t.Errorf("gateway response %s CORS headers %v, want origin %v and Vary %v", typ, h, tc.origin, tc.vary)
			}
			body := r.Inputs["responseTemplates"].(map[string]any)["application/json"].(string)
			if !strings.HasPrefix(body, `{"error":{"code":"$context.error.responseType"`) {
				t.Errorf("gateway response %s body %s is not the JSON error body", typ, body)
			}
		}
	}

	none := deploy(t, nil)
	for _, m := range none.OfType(typeMethod) {
		if m.Inputs["httpMethod"] == "OPTIONS" {
			t.Errorf("without origins there is a preflight method %s", m.Name)
		}
	}
}

func TestCustomDomain(t *testing.T) {
	rec := deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) {
		a.Domain = &serverlessapi.DomainArgs{Name: "api.example.com"}
	})
	dn := rec.Must(t, "aws:apigateway/domainName:DomainName", "api-domain")
	if dn.Inputs["securityPolicy"] != "TLS_1_2" || dn.Inputs["endpointConfiguration"].(map[string]any)["types"] != "REGIONAL" {
		t.Errorf("domain name %v", dn.Inputs)
	}
	cert := rec.Must(t, "aws:acm/certificate:Certificate", "api-certificate")
	if cert.Inputs["domainName"] != "api.example.com" || cert.Inputs["validationMethod"] != "DNS" {
		t.Errorf("certificate %v", cert.Inputs)
	}
	if !strings.HasPrefix(dn.Inputs["regionalCertificateArn"].(string), "arn:aws:acm:us-east-1:") {
		t.Errorf("domain uses certificate %v, want the regional one", dn.Inputs["regionalCertificateArn"])
	}
	mapping := rec.Must(t, "aws:apigateway/basePathMapping:BasePathMapping", "api-base-path")
	if mapping.Inputs["domainName"] != "api.example.com" || mapping.Inputs["stageName"] != "v1" {
		t.Errorf("base path mapping %v", mapping.Inputs)
	}
	alias := rec.Must(t, "aws:route53/record:Record", "api-domain")
	target := alias.Inputs["aliases"].([]any)[0].(map[string]any)
	if alias.Inputs["type"] != "A" || !strings.HasSuffix(target["name"].(string), ".execute-api.us-east-1.amazonaws.com") {
		t.Errorf("alias record %v", alias.Inputs)
	}
	if rec.Outputs["url"] != "https://api.example.com/" {
		t.Errorf("URL %v, want the custom domain", rec.Outputs["url"])
	}
	api := rec.Must(t, "aws:apigateway/restApi:RestApi", "api-rest-api")
	if api.Inputs["disableExecuteApiEndpoint"] != true {
		t.Error("with a custom domain the default endpoint stays open")
	}
}

func TestAPIKeyRoutesGetAUsagePlan(t *testing.T) {
	rec := deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) { a.Routes[4].Auth = serverlessapi.AuthAPIKey })
	m := rec.Must(t, typeMethod, "api-get-health")
	if m.Inputs["apiKeyRequired"] != true || m.Inputs["authorization"] != "NONE" {
		t.Errorf("API key route %v", m.Inputs)
	}
	plan := rec.Must(t, "aws:apigateway/usagePlan:UsagePlan", "api-usage-plan")
	stage := plan.Inputs["apiStages"].([]any)[0].(map[string]any)
	if stage["stage"] != "v1" {
		t.Errorf("usage plan covers %v", stage)
	}
	planKey := rec.Must(t, "aws:apigateway/usagePlanKey:UsagePlanKey", "api-usage-plan-key")
	if id, _ := rec.Outputs["apiKeyId"].(string); id == "" || planKey.Inputs["keyId"] != id {
		t.Errorf("usage plan holds key %v, component reports %v", planKey.Inputs["keyId"], rec.Outputs["apiKeyId"])
	}
	keys := rec.Must(t, typeIntegration, "api-get-health").Inputs["cacheKeyParameters"]
	if !slices.Contains(strings_(keys), "method.request.header.x-api-key") {
		t.Errorf("a cached API key route keys on %v, want the key", keys)
	}
}

func TestInvalidArgsAreReportedTogether(t *testing.T) {
	fnArn := pulumi.String("arn:aws:lambda:us-east-1:123456789012:function:a")
	ok := serverlessapi.Route{Method: "GET", Path: "/a", FunctionArn: fnArn, Auth: serverlessapi.AuthNone, PublicReason: "a test"}
	for _, tc := range []struct {
		name string
		edit func(*serverlessapi.Args)
		want []string
	}{
		{"no auth", func(a *serverlessapi.Args) { a.Routes[0].Auth = "" }, []string{"no Auth"}},
		{"bad method", func(a *serverlessapi.Args) { a.Routes[0].Method = "OPTIONS" }, []string{`method "OPTIONS"`}},
		{"bad path", func(a *serverlessapi.Args) { a.Routes[0].Path = "a/" }, []string{`path "a/"`}},
		{"greedy not last", func(a *serverlessapi.Args) { a.Routes[0].Path = "/{p+}/x" }, []string{"greedy"}},
		{"cached write", func(a *serverlessapi.Args) { a.Routes[0].Method = "POST"; a.Routes[0].Cache = true }, []string{"only GET"}},
		{"duplicate", func(a *serverlessapi.Args) { a.Routes = append(a.Routes, ok) }, []string{"declared twice"}},
		{"no function", func(a *serverlessapi.Args) { a.Routes[0].FunctionArn = nil }, []string{"no function"}},
		{"cognito without pools", func(a *serverlessapi.Args) { a.Routes[0].Auth = serverlessapi.AuthCognito }, []string{"UserPoolArns"}},
		{"bad JSON schema", func(a *serverlessapi.Args) { a.Routes[0].Method = "POST"; a.Routes[0].BodySchema = "{" }, []string{"body schema"}},
		{"several at once", func(a *serverlessapi.Args) {
			a.CacheSizeGB = "1"
			a.CORSOrigins = []string{"http://app.example.com"}
		}, []string{`cache size "1"`, `CORS origin "http://app.example.com"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := serverlessapi.Args{Routes: []serverlessapi.Route{ok}}
			tc.edit(&args)
			_, err := stacktest.Run(func(ctx *pulumi.Context) error {
				_, err := serverlessapi.New(ctx, "api", args)
				return err
			})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSiblingPathParametersMustAgree(t *testing.T) {
	fnArn := pulumi.String("arn:aws:lambda:us-east-1:123456789012:function:a")
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := serverlessapi.New(ctx, "api", serverlessapi.Args{Routes: []serverlessapi.Route{
			{Method: "GET", Path: "/todos/{id}", FunctionArn: fnArn, Auth: serverlessapi.AuthIAM},
			{Method: "GET", Path: "/todos/{todoId}/notes", FunctionArn: fnArn, Auth: serverlessapi.AuthIAM},
		}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "two parameter names") {
		t.Errorf("error %v, want one about two parameter names", err)
	}
}

func TestEveryChildHasTheComponentAsParent(t *testing.T) {
	rec := deploy(t, withCache)
	var component string
	for _, r := range rec.Resources {
		if r.Type == serverlessapi.Type {
			component = r.URN
		}
	}
	if component == "" {
		t.Fatal("no component registered")
	}
	for _, r := range rec.Resources {
		switch {
		case r.Type == serverlessapi.Type, r.Name == "users", strings.HasPrefix(r.Name, "hello"):
		case r.Parent != component:
			t.Errorf("%s %s has parent %q", r.Type, r.Name, r.Parent)
		case !strings.HasPrefix(r.Name, "api-"):
			t.Errorf("%s %s is not named after the component", r.Type, r.Name)
		}
	}
}

func strings_(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, x := range list {
		out = append(out, x.(string))
	}
	return out
}

func TestPassesThePolicyChecks(t *testing.T) {
	rec := deploy(t, func(a *serverlessapi.Args, fn *blocks.Function) {
		withCache(a, fn)
		a.CORSOrigins = []string{"https://app.example.com"}
		a.Domain = &serverlessapi.DomainArgs{Name: "api.example.com"}
	})
	report := policy.Check(rec.Resources, policy.Suppressions(rec.Context), policy.Production(true), policy.WithConstraints())
	for _, f := range report.Failed() {
		if strings.HasPrefix(f.Name, "api-") {
			t.Error(f)
		}
	}
	var public []string
	for _, f := range report.Suppressed() {
		if f.Rule == "APIGW-AUTHORIZER" {
			public = append(public, f.Name)
		}
	}
	if !slices.Equal(public, []string{"api-get-health"}) {
		t.Errorf("routes excused from authorization: %v, want only the declared public one", public)
	}

	// A public route without a reason is reported.
	rec = deploy(t, func(a *serverlessapi.Args, _ *blocks.Function) { a.Routes[4].PublicReason = "" })
	report = policy.Check(rec.Resources, policy.Suppressions(rec.Context))
	var failed []string
	for _, f := range report.Failed() {
		if f.Rule == "APIGW-AUTHORIZER" {
			failed = append(failed, f.Name)
		}
	}
	if !slices.Equal(failed, []string{"api-get-health"}) {
		t.Errorf("routes reported for no authorization: %v, want the public one without a reason", failed)
	}
}

// A route's FunctionArn must name a Lambda function: anything else is
// refused with the value, before API Gateway would refuse the integration.
func TestFunctionArnMustBeALambdaFunction(t *testing.T) {
	_, err := stacktest.Run(func(ctx *pulumi.Context) error {
		_, err := serverlessapi.New(ctx, "api", serverlessapi.Args{Routes: []serverlessapi.Route{
			{Method: "GET", Path: "/a", FunctionArn: pulumi.String("arn:aws:s3:::not-a-function"), Auth: serverlessapi.AuthIAM},
		}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `"arn:aws:s3:::not-a-function" is not a Lambda function ARN`) {
		t.Fatalf("err = %v, want the bad ARN named", err)
	}
}
