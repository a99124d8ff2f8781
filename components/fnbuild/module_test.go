package fnbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// writeTree writes files (path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goIn runs the go command in dir with env added to the environment.
func goIn(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// proxy is a module proxy in a directory, served as GOPROXY=file://...
type proxy struct{ dir string }

// publish adds the module in src at version to the proxy.
func (p proxy) publish(t *testing.T, path, version, src string) {
	t.Helper()
	base := filepath.Join(p.dir, path, "@v")
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(base, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.CreateFromDir(f, module.Version{Path: path, Version: version}, src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, base, map[string]string{
		version + ".mod":  string(gomod),
		version + ".info": `{"Version":"` + version + `","Time":"2026-01-01T00:00:00Z"}`,
	})
	list, _ := os.ReadFile(filepath.Join(base, "list"))
	writeTree(t, base, map[string]string{"list": string(list) + version + "\n"})
}

// TestAnotherModulesFunctionBuildsWithItsOwnDependencies publishes a
// library whose function uses dep v1.0.0, and a consumer that imports the
// library but requires dep v1.1.0. Built from the consumer, the function is
// built in the library's module (in the module cache) with the library's
// go.sum, so it runs dep v1.0.0, as the library tested it; and a second
// build is a cache hit.
func TestAnotherModulesFunctionBuildsWithItsOwnDependencies(t *testing.T) {
	if HostArch() == "" || runtime.GOOS != "linux" {
		t.Skip("runs the built function on this machine")
	}
	root := t.TempDir()
	p := proxy{dir: filepath.Join(root, "proxy")}
	env := []string{"GOPROXY=file://" + filepath.ToSlash(p.dir), "GOSUMDB=off", "GOFLAGS=-modcacherw",
		"GOMODCACHE=" + filepath.Join(root, "modcache"), "GOWORK=off"}
	for k, v := range map[string]string{"v1.0.0": "dep 1.0.0", "v1.1.0": "dep 1.1.0"} {
		src := filepath.Join(root, "dep-"+k)
		writeTree(t, src, map[string]string{
			"go.mod": "module example.com/dep\n\ngo 1.22\n",
			"dep.go": "package dep\n\nconst Version = \"" + v + "\"\n",
		})
		p.publish(t, "example.com/dep", k, src)
	}
	lib := filepath.Join(root, "lib")
	writeTree(t, lib, map[string]string{
		"go.mod":     "module example.com/lib\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"lib.go":     "// Package lib is what consumers import.\npackage lib\n\nconst Function = \"example.com/lib/fn\"\n",
		"fn/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { fmt.Print(dep.Version) }\n",
	})
	goIn(t, lib, env, "mod", "tidy")
	p.publish(t, "example.com/lib", "v1.0.0", lib)

	consumer := filepath.Join(root, "consumer")
	writeTree(t, consumer, map[string]string{
		"go.mod":  "module example.com/consumer\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.1.0\n\texample.com/lib v1.0.0\n)\n",
		"main.go": "package main\n\nimport (\n\t_ \"example.com/dep\"\n\t_ \"example.com/lib\"\n)\n\nfunc main() {}\n",
	})
	goIn(t, consumer, env, "mod", "tidy")

	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", filepath.Join(root, "cache"))
	t.Chdir(consumer)
	bin, err := Host("example.com/lib/fn")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "dep 1.0.0" {
		t.Errorf("the library's function runs %q, want dep 1.0.0: the version the library's go.sum pins, not the consumer's", out)
	}
	if !strings.HasPrefix(bin, filepath.Join(root, "cache")) {
		t.Errorf("binary at %s, want it in the build cache", bin)
	}
}

// A module of one function, printing msg, for the cache tests.
func oneFunction(t *testing.T, msg string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"go.mod":     "module example.com/one\n\ngo 1.22\n",
		"fn/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Print(" + msg + ") }\n",
	})
	return dir
}

// The cache is keyed by content: the same source is served from the
// cache, a changed file gives a new archive beside the old one.
func TestCacheFollowsTheSource(t *testing.T) {
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	dir := oneFunction(t, `"v1"`)
	t.Chdir(dir)
	a, err := plan("./fn", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	again, err := plan("./fn", "arm64")
	if err != nil || again.key != a.key {
		t.Fatalf("the same source gives keys %s and %s (%v)", a.key, again.key, err)
	}
	writeTree(t, dir, map[string]string{"fn/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Print(\"v2\") }\n"})
	b, err := plan("./fn", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	if b.key == a.key {
		t.Error("a changed source file kept the cache key: the old archive would deploy")
	}
	if x86, _ := plan("./fn", "amd64"); x86 == nil || x86.key == b.key {
		t.Error("two architectures share a cache key")
	}
}

// A build that fails leaves nothing in the cache; once the source is
// fixed, the same process builds it.
func TestFailedBuildIsNotCached(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", cache)
	dir := oneFunction(t, `undefined`)
	t.Chdir(dir)
	if _, err := Function("./fn", ARM64); err == nil || !strings.Contains(err.Error(), "undefined") {
		t.Fatalf("err = %v, want the compiler's error", err)
	}
	if left, _ := filepath.Glob(filepath.Join(cache, "*")); len(left) != 0 {
		t.Errorf("a failed build left %v in the cache", left)
	}
	writeTree(t, dir, map[string]string{"fn/main.go": "package main\n\nfunc main() {}\n"})
	if _, err := Function("./fn", ARM64); err != nil {
		t.Errorf("after the fix: %v", err)
	}
}

// A module that vendors its dependencies builds its own functions from the
// vendor directory when GOFLAGS says so, with no module cache or proxy.
func TestOwnFunctionsRespectVendoring(t *testing.T) {
	root := t.TempDir()
	dep := filepath.Join(root, "dep")
	writeTree(t, dep, map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.22\n",
		"dep.go": "package dep\n\nconst Version = \"vendored\"\n",
	})
	app := filepath.Join(root, "app")
	writeTree(t, app, map[string]string{
		"go.mod":     "module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../dep\n",
		"fn/main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n)\n\nfunc main() { fmt.Print(dep.Version) }\n",
	})
	goIn(t, app, []string{"GOWORK=off"}, "mod", "vendor")
	if err := os.RemoveAll(dep); err != nil { // only the vendor copy is left
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "-mod=vendor")
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOWORK", "off")
	t.Setenv("SERVERLESS_ARCH_BUILD_DIR", t.TempDir())
	t.Chdir(app)
	if _, err := Function("./fn", X86_64); err != nil {
		t.Fatalf("vendored build: %v", err)
	}
}
