// Package crosslang serves the components to programs in other languages:
// a Pulumi component provider built with pulumi-go-provider's infer.
//
// The provider-side Args, output types and infer components are generated
// (zz_generated.go, by argsgen) from the component packages' Args and doc
// comments, so the components stay the one owner of their arguments and
// their descriptions and link nothing of the provider. What the Go source
// cannot say is in argsgen's config: required and secret fields, enums of
// plain strings, and the Go-only fields other languages do without, each
// with what they do instead. The hand-written rest converts those (the
// complete methods), and fixes what infer cannot express (schema.go).
package crosslang

//go:generate go run ../cmd/argsgen

import (
	"context"
	"fmt"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// Name is the package's name, the first part of every type token.
const Name = "serverless-arch"

// Version is the provider's version, in the schema and the SDKs generated
// from it. A release bumps it and is tagged v<Version>.
const Version = "0.1.0"

// languages names the SDKs generated from the schema.
var languages = map[string]any{
	"nodejs": map[string]any{"packageName": "@gopherstack/serverless-arch", "respectSchemaVersion": true},
	"python": map[string]any{"packageName": "pulumi_serverless_arch", "respectSchemaVersion": true,
		"pyproject": map[string]any{"enabled": true}},
	"go": map[string]any{"importBasePath": "github.com/gopherstack/serverless-arch/provider/sdk/go/serverlessarch",
		"generateResourceContainerTypes": true, "respectSchemaVersion": true},
}

// New returns the provider serving every component.
func New() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithComponents(components...).
		WithDisplayName("Serverless architectures").
		WithDescription("Serverless AWS building blocks as Pulumi components: a REST API on API Gateway and Lambda, Cognito sign-in with per-user storage, a static site on CloudFront, a DynamoDB global table, a welcome mailer, a thumbnail pipeline and an update-offload CDN.").
		WithNamespace("gopherstack").
		WithKeywords("aws", "serverless", "kind/component", "category/cloud").
		WithRepository("https://github.com/gopherstack/serverless-arch").
		WithPluginDownloadURL("github://api.github.com/gopherstack/serverless-arch").
		WithLanguageMap(languages).
		Build()
	if err != nil {
		return p.Provider{}, fmt.Errorf("building the provider: %w", err)
	}
	inferred := prov.GetSchema
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := inferred(ctx, req)
		if err != nil {
			return resp, err
		}
		resp.Schema, err = fixSchema(resp.Schema)
		return resp, err
	}
	return prov, nil
}
