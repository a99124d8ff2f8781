// Package functions carries the Lambda archives of the components'
// functions inside the provider binary.
//
// A Go program builds its functions while it runs (components/fnbuild),
// from the module source in its module cache. The provider's binary runs on
// machines without a Go toolchain or the module source, so the archives
// come with it: `go generate ./...` in provider/ builds them with fnbuild,
// from this checkout, as a Go program would (internal/cmd/fnembed), and
// the build embeds them. Register hands them to fnbuild.Prebuilt, so the
// components' own code finds them unchanged.
//
// A provider built without them (`pulumi package add` from source runs a
// plain `go build`) builds the functions at first use from the checkout it
// was compiled from, which needs the Go toolchain that route needs anyway.
package functions

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/components/fnbuild"
)

// Names are the functions the components deploy, under functions/.
var Names = []string{"mailer", "thumbnail"}

// Architectures are the Lambda architectures the provider carries.
var Architectures = []string{fnbuild.ARM64, fnbuild.X86_64}

//go:generate go run ../cmd/fnembed -o archives

//go:embed archives
var archives embed.FS

// FileName is the name of a function's archive for arch in archives/.
func FileName(name, arch string) string { return name + "." + arch + ".zip" }

// Embedded returns the embedded archive of a function for arch, if the
// binary carries it.
func Embedded(name, arch string) ([]byte, bool) {
	data, err := fs.ReadFile(archives, "archives/"+FileName(name, arch))
	return data, err == nil
}

// Register makes the components deploy the embedded archives. A binary
// that carries none builds the functions from the checkout it was compiled
// from, if that is on this machine; it is an error to carry only some.
func Register() error {
	var missing []string
	for _, n := range Names {
		for _, arch := range Architectures {
			if data, ok := Embedded(n, arch); ok {
				fnbuild.Prebuilt(blocks.FunctionsPath+n, arch, data)
			} else {
				missing = append(missing, FileName(n, arch))
			}
		}
	}
	switch {
	case len(missing) == 0:
		return nil
	case len(missing) < len(Names)*len(Architectures):
		return fmt.Errorf("the provider carries only some function archives (missing %s): rebuild it after go generate ./...", strings.Join(missing, ", "))
	}
	if root := sourceRoot(); root != "" {
		fnbuild.BuildFrom(blocks.FunctionsPath, root)
	}
	return nil
}

// sourceRoot is the root of the module checkout this package was compiled
// from, when it is still on this machine (a build without -trimpath, as
// Pulumi's Go language host makes from a source-based package), else "".
func sourceRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	if _, err := os.Stat(filepath.Join(root, "functions", "thumbnail")); err != nil {
		return ""
	}
	return root
}
