// Command argsgen writes the provider-side Args, outputs and components of
// every component (provider/internal/crosslang/zz_generated.go) from the
// component packages. Run it through `go generate ./...` in provider/.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gopherstack/serverless-arch/provider/internal/argsgen"
)

func main() {
	root := flag.String("root", "../../..", "the root of the serverless-arch module")
	out := flag.String("o", "zz_generated.go", "the file to write")
	flag.Parse()
	src, err := argsgen.Generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "argsgen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "argsgen:", err)
		os.Exit(1)
	}
}
