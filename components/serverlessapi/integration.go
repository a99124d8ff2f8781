package serverlessapi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/policy"
)

// restAPI creates the REST API itself.
func (b *builder) restAPI() error {
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
	b.api, b.c.RestAPI = api, api
	return nil
}

// authorizers creates the Cognito authorizer, if a route uses AuthCognito.
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

// requestValidator creates the validator every route's method uses: it
// checks bodies against their models and required parameters.
func (b *builder) requestValidator() error {
	v, err := apigateway.NewRequestValidator(b.ctx, b.name+"-validator", &apigateway.RequestValidatorArgs{
		RestApi:                   b.api.ID(),
		Name:                      pulumi.String("body-and-parameters"),
		ValidateRequestBody:       pulumi.Bool(true),
		ValidateRequestParameters: pulumi.Bool(true),
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating request validator: %w", err)
	}
	b.validator = v
	b.deployed = append(b.deployed, v)
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

// routes creates every route.
func (b *builder) routes() error {
	for i := range b.args.Routes {
		r := &b.args.Routes[i]
		if err := b.route(r); err != nil {
			return fmt.Errorf("route %s: %w", r.key(), err)
		}
	}
	return nil
}

// route creates a route's body model, its method with its Lambda proxy
// integration, and the permission for this API to invoke its function.
func (b *builder) route(r *Route) error {
	n := b.name + "-" + r.slug()
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
	var scopes, cacheKeys pulumi.StringArrayInput
	if len(r.Scopes) > 0 {
		scopes = pulumi.ToStringArray(r.Scopes)
	}
	if keys := r.cacheKeyParameters(b.args.keyOrigin()); len(keys) > 0 {
		cacheKeys = pulumi.ToStringArray(keys)
	}
	method, _, err := b.methodWith(n, b.resources[r.Path], &apigateway.MethodArgs{
		HttpMethod:          pulumi.String(r.Method),
		Authorization:       pulumi.String(authorization),
		AuthorizerId:        authorizerID,
		AuthorizationScopes: scopes,
		ApiKeyRequired:      pulumi.Bool(r.Auth == AuthAPIKey),
		OperationName:       pulumi.String(r.operationID()),
		RequestParameters:   pulumi.ToBoolMap(r.requestParameters(b.args.keyOrigin())),
		RequestValidatorId:  b.validator.ID(),
		RequestModels:       models,
	}, &apigateway.IntegrationArgs{
		Type:                  pulumi.String("AWS_PROXY"),
		IntegrationHttpMethod: pulumi.String("POST"),
		Uri:                   invokeArn,
		CacheKeyParameters:    cacheKeys,
	})
	if err != nil {
		return err
	}
	b.explainAuth(r, method)
	b.fingerprint[r.key()] = invokeArn
	return b.permission(r, n, functionName)
}

// methodWith creates a method on resource and its integration, both of which
// a deployment snapshots; it fills in the API, the resource and the HTTP
// method the two share.
func (b *builder) methodWith(name string, resource pulumi.StringInput, m *apigateway.MethodArgs, i *apigateway.IntegrationArgs) (*apigateway.Method, *apigateway.Integration, error) {
	m.RestApi, m.ResourceId = b.api.ID(), resource
	method, err := apigateway.NewMethod(b.ctx, name, m, b.child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating method: %w", err)
	}
	i.RestApi, i.ResourceId, i.HttpMethod = b.api.ID(), resource, method.HttpMethod
	integration, err := apigateway.NewIntegration(b.ctx, name, i, b.child...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating integration: %w", err)
	}
	b.deployed = append(b.deployed, method, integration)
	return method, integration, nil
}

// explainAuth gives the policy checks the reason a route's method has no
// authorizer, where it has a reason.
func (b *builder) explainAuth(r *Route, method *apigateway.Method) {
	switch {
	case r.Auth == AuthNone && strings.TrimSpace(r.PublicReason) != "":
		policy.Suppress(b.ctx, method, "public by design: "+r.PublicReason, "APIGW-AUTHORIZER")
	case r.Auth == AuthAPIKey:
		// API keys identify callers for usage plans; they are not an
		// authorizer, so the finding stays visible with its reason.
		policy.Suppress(b.ctx, method, "callers must present an API key of the stage's usage plan (apiKeyRequired); "+
			"API keys are shared secrets, not per-user authentication: use AuthCognito or AuthIAM where that matters", "APIGW-AUTHORIZER")
	}
}

// permission lets this API invoke a route's function. It names the API,
// the stage, the method and the path, so the function cannot be invoked
// through any other route.
func (b *builder) permission(r *Route, name string, function pulumi.StringOutput) error {
	if _, err := lambda.NewPermission(b.ctx, name, &lambda.PermissionArgs{
		Action:    pulumi.String("lambda:InvokeFunction"),
		Function:  function,
		Principal: pulumi.String("apigateway.amazonaws.com"),
		SourceArn: pulumi.Sprintf("%s/%s/%s%s", b.api.ExecutionArn, b.args.StageName, r.Method, r.arnPath()),
	}, b.child...); err != nil {
		return fmt.Errorf("allowing the API to invoke the function: %w", err)
	}
	return nil
}

// lambdaARN matches a Lambda function ARN, unqualified or with a version
// or alias: partition, region, account, name.
var lambdaARN = regexp.MustCompile(`^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):([0-9]{12}):function:([A-Za-z0-9_-]+)(:[A-Za-z0-9_$-]+)?$`)

// integrationTarget returns what API Gateway needs of a function ARN: the
// invoke ARN of its Lambda proxy integration, and the function (name and
// qualifier) a permission names.
func integrationTarget(functionArn pulumi.StringInput) (invokeArn, function pulumi.StringOutput) {
	parts := functionArn.ToStringOutput().ApplyT(func(arn string) ([]string, error) {
		m := lambdaARN.FindStringSubmatch(arn)
		if m == nil {
			return nil, fmt.Errorf("FunctionArn %q is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)", arn)
		}
		invoke := fmt.Sprintf("arn:%s:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", m[1], m[2], arn)
		return []string{invoke, m[4] + m[5]}, nil
	}).(pulumi.StringArrayOutput)
	return parts.Index(pulumi.Int(0)), parts.Index(pulumi.Int(1))
}
