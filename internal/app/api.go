package app

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/internal/config"
)

// apiArgs are the arguments every API of the program starts from: the API
// described by info (its Version is the stage) with routes, logging as
// long as the stack's other logs, its stage waiting for the account's
// logging settings. The caller adds its cache, throttling and access.
func apiArgs(cfg *config.Config, shared *shared, info serverlessapi.Info, routes []serverlessapi.Route) serverlessapi.Args {
	return serverlessapi.Args{
		Routes:           routes,
		Title:            info.Title,
		Description:      info.Description,
		StageName:        info.Version,
		LogRetentionDays: pulumi.Int(cfg.LogRetentionDays),
		AccountSettings:  shared.apiGatewayAccount,
	}
}

// openAPI renders the OpenAPI document of the API info describes, with
// routes, without deploying anything.
func openAPI(info serverlessapi.Info, routes []serverlessapi.Route) ([]byte, error) {
	doc, err := serverlessapi.OpenAPI(info, routes)
	if err != nil {
		return nil, fmt.Errorf("rendering the %s OpenAPI document: %w", info.Title, err)
	}
	return doc, nil
}
