package serverlessapi

import (
	"cmp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

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

	// accessLogs and executionLogs are the stage's log groups.
	accessLogs, executionLogs *cloudwatch.LogGroup
	// apiKey is the key of AuthAPIKey routes, nil without such routes.
	apiKey *apigateway.ApiKey
	// url is the base URL clients call.
	url pulumi.StringOutput
}

// children creates the component's resources, each step with what the
// steps before it made: the REST API and what a deployment snapshots
// (integration.go, cors.go), the stage with its logs, settings and usage
// plan (stage.go), and the custom domain (domain.go).
func (b *builder) children() error {
	for _, step := range []func() error{
		b.restAPI, b.authorizers, b.requestValidator, b.resourceTree, b.routes, b.cors, b.gatewayResponses,
		b.logGroups, b.deployment, b.stage, b.methodSettings, b.apiKeys,
		b.domain,
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// outputs sets the component's outputs from its children.
func (b *builder) outputs() {
	c, a := b.c, b.args
	c.RestAPIID = b.api.ID().ToStringOutput()
	c.ExecutionArn = b.api.ExecutionArn
	c.StageName = c.Stage.StageName
	c.URL = b.url
	c.AccessLogGroup = b.accessLogs.Name
	c.APIKeyID = pulumi.String("").ToStringOutput()
	if b.apiKey != nil {
		c.APIKeyID = b.apiKey.ID().ToStringOutput()
	}
	info := Info{Title: cmp.Or(a.Title, b.name), Version: a.StageName, Description: a.Description}
	routes := a.Routes
	c.OpenAPI = b.url.ApplyT(func(u string) (string, error) {
		served := info
		served.ServerURL = u
		doc, err := OpenAPI(served, routes)
		return string(doc), err
	}).(pulumi.StringOutput)
}
