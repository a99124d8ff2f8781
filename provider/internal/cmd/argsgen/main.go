// Command argsgen writes the provider-side Args, outputs and components of
// every component (provider/internal/crosslang/zz_generated.go) from the
// component packages. Run it through `go generate ./...` in provider/.
package main

import (
	"os"

	"github.com/gopherstack/serverless-arch/provider/internal/argsgen"
	"github.com/gopherstack/serverless-arch/provider/internal/cmd/generate"
)

func main() {
	generate.Main("argsgen", "zz_generated.go", "the file to write", func(root, out string) error {
		src, err := argsgen.Generate(root)
		if err != nil {
			return err
		}
		return os.WriteFile(out, src, 0o644)
	})
}
