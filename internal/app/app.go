// Package app is the serverless-arch Pulumi program: it reads the stack's
// configuration and composes the components each architecture needs.
//
// main.go runs it with pulumi.Run; the tests and the offline plan run the very
// same Run under mocks (tests/harness).
package app

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/gopherstack/serverless-arch/internal/config"
)

// Run is the program.
func Run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	for _, a := range []struct {
		name   string
		deploy func(*pulumi.Context, *config.Config) error
	}{
		{config.Todo, deployTodo},
		{config.Blog, deployBlog},
		{config.Updates, deployUpdates},
	} {
		if !cfg.Deploys(a.name) {
			continue
		}
		if err := a.deploy(ctx, cfg); err != nil {
			return fmt.Errorf("deploying %s: %w", a.name, err)
		}
	}
	return nil
}
