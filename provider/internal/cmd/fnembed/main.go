// Command fnembed builds the archives of the functions the components
// deploy, for every architecture, into a directory (the provider's
// internal/functions/archives), with fnbuild from the module root: the
// archives a Go program using the components deploys, byte for byte (the
// functions package's tests check it). Run it through `go generate ./...`.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/fnbuild"
	"github.com/gopherstack/serverless-arch/provider/internal/cmd/generate"
	"github.com/gopherstack/serverless-arch/provider/internal/functions"
)

func main() { generate.Main("fnembed", "archives", "the directory to write the archives to", run) }

func run(root, out string) error {
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	// Build as the module's own Go program does: from its root.
	if err := os.Chdir(root); err != nil {
		return err
	}
	for _, n := range functions.Names {
		for _, arch := range functions.Architectures {
			art, err := fnbuild.Function(blocks.FunctionsPath+n, arch)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(art.Path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(out, functions.FileName(n, arch)), data, 0o644); err != nil {
				return err
			}
			fmt.Printf("%s %s %s %d bytes\n", functions.FileName(n, arch), art.SHA256[:12], arch, len(data))
		}
	}
	return nil
}
