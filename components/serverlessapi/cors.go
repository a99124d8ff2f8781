package serverlessapi

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CORSAllowHeaders are the request headers browsers may send: the
// credentials of every Auth kind and a JSON body's content type.
const CORSAllowHeaders = "Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,X-Api-Key"

// CORSMaxAgeSeconds is how long browsers may reuse a preflight answer.
const CORSMaxAgeSeconds = 600

// cors answers browsers' preflight requests: an OPTIONS method per path,
// public as preflights carry no credentials, with a mock integration that
// names the allowed origin, methods and headers. With several origins the
// answer echoes the request's Origin only when it is one of them.
func (b *builder) cors() error {
	origins := b.args.CORSOrigins
	if len(origins) == 0 {
		return nil
	}
	byPath := map[string][]string{}
	for _, r := range b.args.Routes {
		ms := []string{r.Method}
		if r.Method == "ANY" {
			ms = slices.DeleteFunc(slices.Clone(methods), func(m string) bool { return m == "ANY" })
		}
		byPath[r.Path] = append(byPath[r.Path], ms...)
	}
	for _, path := range slices.Sorted(maps.Keys(byPath)) {
		allowed := append(byPath[path], "OPTIONS")
		slices.Sort(allowed)
		allowed = slices.Compact(allowed)
		if err := b.preflight(path, strings.Join(allowed, ",")); err != nil {
			return fmt.Errorf("answering CORS preflight on %s: %w", path, err)
		}
	}
	return nil
}

// preflight answers the preflights of one path: an OPTIONS method with a
// mock integration, whose 204 answer carries the CORS headers.
func (b *builder) preflight(path, allowMethods string) error {
	n, resource := b.name+"-options-"+slug(path), b.resources[path]
	method, integration, err := b.methodWith(n, resource, &apigateway.MethodArgs{
		HttpMethod:    pulumi.String("OPTIONS"),
		Authorization: pulumi.String("NONE"),
		OperationName: pulumi.String("corsPreflight"),
	}, &apigateway.IntegrationArgs{
		Type:             pulumi.String("MOCK"),
		RequestTemplates: pulumi.StringMap{"application/json": pulumi.String(`{"statusCode": 204}`)},
	})
	if err != nil {
		return err
	}
	declared, values, templates := preflightHeaders(b.args.CORSOrigins, allowMethods)
	response, err := apigateway.NewMethodResponse(b.ctx, n, &apigateway.MethodResponseArgs{
		RestApi:            b.api.ID(),
		ResourceId:         resource,
		HttpMethod:         method.HttpMethod,
		StatusCode:         pulumi.String("204"),
		ResponseParameters: declared,
	}, b.child...)
	if err != nil {
		return fmt.Errorf("creating method response: %w", err)
	}
	integrationResponse, err := apigateway.NewIntegrationResponse(b.ctx, n, &apigateway.IntegrationResponseArgs{
		RestApi:            b.api.ID(),
		ResourceId:         resource,
		HttpMethod:         method.HttpMethod,
		StatusCode:         response.StatusCode,
		ResponseParameters: values,
		ResponseTemplates:  templates,
	}, append(b.child, pulumi.DependsOn([]pulumi.Resource{integration}))...)
	if err != nil {
		return fmt.Errorf("creating integration response: %w", err)
	}
	b.deployed = append(b.deployed, response, integrationResponse)
	return nil
}

// preflightHeaders are the headers of a preflight's answer: which the
// method response declares, the values the integration response gives
// them, and, with several origins, the template that echoes the request's
// Origin when it is one of them.
func preflightHeaders(origins []string, allowMethods string) (declared pulumi.BoolMap, values, templates pulumi.StringMap) {
	headers := map[string]string{
		"Access-Control-Allow-Methods": allowMethods,
		"Access-Control-Allow-Headers": CORSAllowHeaders,
		"Access-Control-Max-Age":       fmt.Sprint(CORSMaxAgeSeconds),
	}
	if len(origins) == 1 {
		headers["Access-Control-Allow-Origin"] = origins[0]
	} else {
		// The answer depends on the Origin header, so caches must key on
		// it.
		headers["Vary"] = "Origin"
		templates = pulumi.StringMap{"application/json": pulumi.String(echoOriginTemplate(origins))}
	}
	declared = pulumi.BoolMap{"method.response.header.Access-Control-Allow-Origin": pulumi.Bool(true)}
	values = pulumi.StringMap{}
	for h, v := range headers {
		declared["method.response.header."+h] = pulumi.Bool(true)
		values["method.response.header."+h] = pulumi.String("'" + v + "'")
	}
	return declared, values, templates
}

// echoOriginTemplate is a mapping template that sets
// Access-Control-Allow-Origin to the request's Origin if it is one of
// origins, and leaves it out otherwise, so the browser refuses.
func echoOriginTemplate(origins []string) string {
	conds := make([]string, len(origins))
	for i, o := range origins {
		conds[i] = fmt.Sprintf(`$origin == "%s"`, o)
	}
	return strings.Join([]string{
		`#set($origin = $input.params("Origin"))`,
		`#if($origin == "")#set($origin = $input.params("origin"))#end`,
		`#if(` + strings.Join(conds, " || ") + `)`,
		`#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)`,
		`#end`,
	}, "\n")
}

// gatewayResponses make the errors API Gateway itself answers (no or a bad
// token, throttling, failed validation, a body over 10 MB, function errors)
// use the same JSON error body as the functions,
// {"error":{"code":...,"message":...}}; DEFAULT_4XX and DEFAULT_5XX cover
// every type without a response of its own (REQUEST_TOO_LARGE,
// UNSUPPORTED_MEDIA_TYPE, THROTTLED, ...). They carry the CORS header so
// browsers can read them.
func (b *builder) gatewayResponses() error {
	const plain = `{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}`
	// validationErrorString is already escaped for use in a JSON string.
	const validation = `{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"details":"$context.error.validationErrorString"}}`
	var headers pulumi.StringMap
	switch origins := b.args.CORSOrigins; len(origins) {
	case 0:
	case 1:
		headers = pulumi.StringMap{"gatewayresponse.header.Access-Control-Allow-Origin": pulumi.String("'" + origins[0] + "'")}
	default:
		// A gateway response cannot choose among origins (its templates
		// are no VTL), so it names the caller's own. That lets any page
		// read API Gateway's own errors, which hold no one's data; the
		// functions' answers, which do, name only allowed origins.
		headers = pulumi.StringMap{
			"gatewayresponse.header.Access-Control-Allow-Origin": pulumi.String("method.request.header." + originHeader),
			"gatewayresponse.header.Vary":                        pulumi.String("'" + originHeader + "'"),
		}
	}
	for _, gr := range []struct{ typ, template string }{
		{"DEFAULT_4XX", plain},
		{"DEFAULT_5XX", plain},
		{"BAD_REQUEST_BODY", validation},
		{"BAD_REQUEST_PARAMETERS", validation},
	} {
		res, err := apigateway.NewResponse(b.ctx, b.name+"-"+strings.ToLower(strings.ReplaceAll(gr.typ, "_", "-")), &apigateway.ResponseArgs{
			RestApiId:          b.api.ID(),
			ResponseType:       pulumi.String(gr.typ),
			ResponseTemplates:  pulumi.StringMap{"application/json": pulumi.String(gr.template)},
			ResponseParameters: headers,
		}, b.child...)
		if err != nil {
			return fmt.Errorf("creating gateway response %s: %w", gr.typ, err)
		}
		b.deployed = append(b.deployed, res)
	}
	return nil
}
