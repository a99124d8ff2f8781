// Package app is the serverless-arch Pulumi program: it reads the stack's
// configuration and composes the components each architecture needs.
//
// main.go runs it with pulumi.Run; the tests and the offline plan run the very
// same Run under mocks (components/stacktest).
//
// Each architecture is a component of its own (MyTodoList "todo", MyBlog
// "blog", UpdateOffload "updates"), so `pulumi preview` and the offline plan
// show every resource under the architecture it belongs to.
package app

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/internal/config"
)

// Type tokens of the program's own grouping components.
const (
	TodoType       = "serverless-arch:app:MyTodoList"
	BlogType       = "serverless-arch:app:MyBlog"
	UpdatesType    = "serverless-arch:app:UpdateOffload"
	APIGatewayType = "serverless-arch:app:APIGatewaySettings"
)

// shared holds what several architectures use but must exist once.
type shared struct {
	// apiGatewayAccount is the region's API Gateway account settings: the
	// role API Gateway writes execution and access logs with. There is one
	// per account and region, so stages of every API wait on the same one.
	apiGatewayAccount pulumi.Resource
}

// architecture is one deployable reference architecture.
type architecture struct {
	name, typ string
	deploy    func(ctx *pulumi.Context, cfg *config.Config, shared *shared, opts ...pulumi.ResourceOption) error
}

var architectures = []architecture{
	{config.Todo, TodoType, deployTodo},
	{config.Blog, BlogType, deployBlog},
	{config.Updates, UpdatesType, deployUpdates},
}

// group is a component that only groups the resources of one part of the
// stack.
type group struct{ pulumi.ResourceState }

// Run is the program.
func Run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	sh := &shared{}
	if cfg.Deploys(config.Todo) || cfg.Deploys(config.Blog) {
		g := &group{}
		if err := ctx.RegisterComponentResource(APIGatewayType, "apigateway", g); err != nil {
			return err
		}
		if sh.apiGatewayAccount, err = blocks.NewAPIGatewayAccount(ctx, "apigateway-account", pulumi.Parent(g)); err != nil {
			return err
		}
		if err := ctx.RegisterResourceOutputs(g, pulumi.Map{}); err != nil {
			return err
		}
	}
	for _, a := range architectures {
		if !cfg.Deploys(a.name) {
			continue
		}
		g := &group{}
		if err := ctx.RegisterComponentResource(a.typ, a.name, g); err != nil {
			return err
		}
		if err := a.deploy(ctx, cfg, sh, pulumi.Parent(g)); err != nil {
			return fmt.Errorf("deploying %s: %w", a.name, err)
		}
		if err := ctx.RegisterResourceOutputs(g, pulumi.Map{}); err != nil {
			return err
		}
	}
	return nil
}
