// Command pulumi-resource-serverless-arch is the component provider of
// serverless-arch: it serves the components to Pulumi programs in
// TypeScript, Python, YAML and every other Pulumi language. Pulumi runs it;
// see the README's "Other languages" section for how a program gets it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/gopherstack/serverless-arch/provider/internal/crosslang"
	"github.com/gopherstack/serverless-arch/provider/internal/functions"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "serverless-arch provider:", err)
		os.Exit(1)
	}
}

func run() error {
	if err := functions.Register(); err != nil {
		return err
	}
	prov, err := crosslang.New()
	if err != nil {
		return err
	}
	return prov.Run(context.Background(), crosslang.Name, crosslang.Version)
}
