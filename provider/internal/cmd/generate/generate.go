// Package generate is the shared main of the provider's code generators,
// which `go generate ./...` runs in a package directory of provider/internal.
package generate

import (
	"flag"
	"fmt"
	"os"
)

// Main reads the flags every generator takes, -root (the root of the
// serverless-arch module, whose packages it reads) and -o (what it writes,
// out by default, described by outUsage), and runs run with them. A failure
// ends the process with status 1, the error printed after the generator's
// name.
func Main(name, out, outUsage string, run func(root, out string) error) {
	root := flag.String("root", "../../..", "the root of the serverless-arch module")
	o := flag.String("o", out, outUsage)
	flag.Parse()
	if err := run(*root, *o); err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}
