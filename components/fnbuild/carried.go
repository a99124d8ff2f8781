package fnbuild

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A process that deploys functions where there is no Go toolchain or no
// module source beside it, such as the binary of this repository's Pulumi
// component provider (provider/), carries the archives with it and hands
// them to Prebuilt; one built from source in a checkout points Function at
// that checkout with BuildFrom. Everything else builds as usual.

var (
	// prebuilt holds the archives registered with Prebuilt.
	prebuilt sync.Map // prebuiltKey -> []byte
	// sourceDirs holds the directories registered with BuildFrom.
	sourceDirs sync.Map // import path prefix -> directory
)

type prebuiltKey struct{ pkg, arch string }

// Prebuilt makes Function return zip as the archive of pkg (an import path)
// for arch, without running the go command. The archive must be what
// Function would build (the provider embeds archives built by Function at
// its own build time, and tests it). It is written to the cache directory,
// named by its SHA-256, when Function first returns it.
func Prebuilt(pkg, arch string, zip []byte) {
	prebuilt.Store(prebuiltKey{pkg, arch}, bytes.Clone(zip))
}

// BuildFrom makes Function, Host and Build resolve the packages whose import
// path starts with prefix from dir instead of the working directory: dir is
// in the module that holds them or in one that requires them. A process
// whose working directory is another project's (a component provider runs
// in the directory of the program that uses it, which may be a TypeScript
// project) finds its functions' source this way.
func BuildFrom(prefix, dir string) {
	sourceDirs.Store(prefix, dir)
}

// workDir is the directory pkg is resolved from: the longest BuildFrom
// prefix of pkg, else the working directory.
func workDir(pkg string) (string, error) {
	dir, longest := "", -1
	sourceDirs.Range(func(k, v any) bool {
		if p := k.(string); strings.HasPrefix(pkg, p) && len(p) > longest {
			dir, longest = v.(string), len(p)
		}
		return true
	})
	if dir != "" {
		return dir, nil
	}
	return os.Getwd()
}

// prebuiltArtifact returns the archive registered for pkg and arch, if
// any, stored in the cache directory.
func prebuiltArtifact(pkg, arch string) (*Artifact, bool, error) {
	v, ok := prebuilt.Load(prebuiltKey{pkg, arch})
	if !ok {
		return nil, false, nil
	}
	zip := v.([]byte)
	dir, err := cacheDir()
	if err != nil {
		return nil, true, err
	}
	art := artifact("", zip)
	art.Path = filepath.Join(dir, "prebuilt-"+art.SHA256+".zip")
	if have, err := os.ReadFile(art.Path); err != nil || !bytes.Equal(have, zip) {
		if err := writeAtomic(art.Path, zip, 0o644); err != nil {
			return nil, true, fmt.Errorf("storing the archive of %s for %s: %w", pkg, arch, err)
		}
	}
	art.Package = pkg
	return art, true, nil
}
