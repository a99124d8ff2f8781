package fnbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// buildFlags are the go build flags of every function build, deployed or
// for the host, so the two cannot drift apart.
var buildFlags = []string{"-trimpath", "-buildvcs=false", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="}

// build is one package, located in its module and ready to compile.
type build struct {
	// dir is the root of the module holding the package, where the go
	// command runs; target is the package relative to it ("./functions/x").
	dir, target string
	// importPath is the package's import path.
	importPath string
	// env is the go command's environment: the caller's, plus the target
	// and, for another module's package, -mod=readonly and GOWORK=off.
	env []string
	// module is "path@version" of a released module (immutable in the
	// module cache), "" for a directory whose files may change.
	module string

	cacheDir, key string
}

// listed is the part of `go list -json` this package reads.
type listed struct {
	ImportPath, Dir, Name string
	Standard              bool
	Module                *listedModule
	GoFiles, SFiles       []string
	EmbedFiles            []string
}

type listedModule struct {
	Path, Version, Dir, GoMod string
	Main                      bool
	Replace                   *listedModule
}

// released reports whether m's files are fixed by its version: a module
// from the module cache, not a directory (the main module or a replace).
func (m *listedModule) released() bool {
	if m == nil || m.Main {
		return false
	}
	if m.Replace != nil {
		return m.Replace.Version != ""
	}
	return m.Version != ""
}

// locate finds the module holding pkg, as the go command resolves it from
// the working directory (or pkg's BuildFrom directory), and prepares its
// build for goarch.
func locate(pkg, goarch string) (*build, error) {
	wd, err := workDir(pkg)
	if err != nil {
		return nil, err
	}
	args := []string{"list", "-find", "-json=ImportPath,Dir,Name,Module", pkg}
	out, err := goCommand(wd, os.Environ(), args...)
	if err != nil && strings.Contains(os.Getenv("GOFLAGS"), "-mod=vendor") {
		// A vendor directory holds only what the module imports, never
		// another module's main packages: look in the module cache.
		out, err = goCommand(wd, os.Environ(), append([]string{args[0], "-mod=readonly"}, args[1:]...)...)
	}
	if err != nil {
		return nil, fmt.Errorf("finding the package: %w", err)
	}
	var p listed
	if err := json.Unmarshal(out, &p); err != nil {
		return nil, fmt.Errorf("reading go list: %w", err)
	}
	if p.Name != "main" {
		return nil, fmt.Errorf("package %s is %q, not a main package", p.ImportPath, p.Name)
	}
	if p.Module == nil || p.Module.Dir == "" {
		return nil, fmt.Errorf("package %s is not in a module whose source is on this machine (run go mod download)", p.ImportPath)
	}
	rel, err := filepath.Rel(p.Module.Dir, p.Dir)
	if err != nil {
		return nil, err
	}
	b := &build{dir: p.Module.Dir, target: "./" + filepath.ToSlash(rel), importPath: p.ImportPath, env: targetEnv(goarch)}
	if !p.Module.Main {
		b.env = append(b.env, "GOWORK=off", "GOFLAGS="+strings.TrimSpace(withoutMod(os.Getenv("GOFLAGS"))+" -mod=readonly"))
	}
	if p.Module.released() {
		b.module = p.Module.Path + "@" + p.Module.Version
		if p.Module.Replace != nil {
			b.module += " => " + p.Module.Replace.Path + "@" + p.Module.Replace.Version
		}
	}
	return b, nil
}

// targetEnv is the caller's environment with the settings every function
// build pins: a static linux binary for goarch at the baseline instruction
// set, so a user's environment cannot change the binary.
func targetEnv(goarch string) []string {
	return append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOAMD64=v1", "GOARM64=v8.0")
}

// withoutMod drops -mod flags from a GOFLAGS value.
func withoutMod(goflags string) string {
	var keep []string
	for _, f := range strings.Fields(goflags) {
		if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "--mod=") {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}

// plan locates pkg and computes the cache key of its build.
func plan(pkg, goarch string) (*build, error) {
	b, err := locate(pkg, goarch)
	if err != nil {
		return nil, err
	}
	if b.cacheDir, err = cacheDir(); err != nil {
		return nil, err
	}
	if b.key, err = b.contentKey(); err != nil {
		return nil, err
	}
	return b, nil
}

func cacheDir() (string, error) {
	if d := os.Getenv("SERVERLESS_ARCH_BUILD_DIR"); d != "" {
		return d, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding a build directory: %w", err)
	}
	return filepath.Join(base, "serverless-arch", "functions"), nil
}

// contentKey hashes everything that decides the binary's bytes: the go
// command's version and settings, the flags, and every non-standard
// package the target depends on (path@version of released modules, the
// files of the others).
func (b *build) contentKey() (string, error) {
	settings, err := goSettings(b.dir, b.env)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "fnbuild/2\n%s\n%q\n%s\n", settings, buildFlags, b.target)
	if b.module != "" {
		fmt.Fprintf(h, "module %s\n", b.module)
	} else if err := b.hashDeps(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// goSettings returns the go command's version and the settings that change
// its output, once per directory and environment.
func goSettings(dir string, env []string) (string, error) {
	key := dir + "\x00" + strings.Join(env, "\x00")
	if v, ok := settingsMemo.Load(key); ok {
		return v.(string), nil
	}
	out, err := goCommand(dir, env, "env", "GOVERSION", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "GOFLAGS", "GOEXPERIMENT", "CGO_ENABLED")
	if err != nil {
		return "", fmt.Errorf("asking the go command for its version: %w", err)
	}
	settingsMemo.Store(key, string(out))
	return string(out), nil
}

var settingsMemo sync.Map

// hashDeps writes the target's dependencies into h.
func (b *build) hashDeps(h io.Writer) error {
	out, err := goCommand(b.dir, b.env, append([]string{"list", "-deps", "-json=ImportPath,Dir,Standard,Module,GoFiles,SFiles,EmbedFiles", "-tags", "lambda.norpc"}, b.target)...)
	if err != nil {
		return fmt.Errorf("listing the dependencies: %w", err)
	}
	seenMod := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading go list: %w", err)
		}
		if p.Standard {
			continue
		}
		if m := p.Module; m.released() {
			fmt.Fprintf(h, "mod %s@%s\n", m.Path, m.Version)
			if m.Replace != nil {
				fmt.Fprintf(h, "  => %s@%s\n", m.Replace.Path, m.Replace.Version)
			}
			continue
		}
		if m := p.Module; m != nil && !seenMod[m.GoMod] {
			seenMod[m.GoMod] = true
			if err := hashFiles(h, filepath.Dir(m.GoMod), "go.mod", "go.sum"); err != nil {
				return err
			}
		}
		fmt.Fprintf(h, "pkg %s\n", p.ImportPath)
		files := append(append(append([]string{}, p.GoFiles...), p.SFiles...), p.EmbedFiles...)
		if err := hashFiles(h, p.Dir, files...); err != nil {
			return err
		}
	}
}

// hashFiles writes each file's name and content hash; a missing go.sum is
// written as absent.
func hashFiles(h io.Writer, dir string, names ...string) error {
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if errors.Is(err, os.ErrNotExist) && n == "go.sum" {
			fmt.Fprintf(h, "file %s absent\n", n)
			continue
		}
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "file %s %x\n", n, sum)
	}
	return nil
}

// compile runs go build for the target into out.
func (b *build) compile(out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := append(append([]string{"build"}, buildFlags...), "-o", abs, b.target)
	if _, err := goCommand(b.dir, b.env, args...); err != nil {
		return err
	}
	return nil
}

// goCommand runs the go command in dir and returns its standard output,
// or an error carrying its standard error.
func goCommand(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s (in %s): %w\n%s", args[0], dir, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
