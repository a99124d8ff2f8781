package sdkgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// schemaFile is the provider's schema, which crosslang's golden test keeps
// equal to what the provider serves.
const schemaFile = "../crosslang/testdata/schema.json"

// missing skips outside CI, where a toolchain may not be installed, and
// fails in CI, where tests/run.sh installs it.
func missing(t *testing.T, what, how string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: %s (tests/run.sh does)", what, how)
	}
	t.Skipf("%s is missing: %s", what, how)
}

// generate writes the SDK for language into dir/sdk.
func generate(t *testing.T, language, dir string) {
	t.Helper()
	s, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(s, language, filepath.Join(dir, "sdk")); err != nil {
		t.Fatal(err)
	}
}

// run runs a command in dir and returns its combined output and whether
// it succeeded.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// wantErrors checks that a checker's output flags exactly the lines of
// file marked "error".
func wantErrors(t *testing.T, dir, file, output string, lineRef *regexp.Regexp) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	var want, got []int
	for i, line := range strings.Split(string(src), "\n") {
		if strings.HasSuffix(line, "// error") || strings.HasSuffix(line, "# error") {
			want = append(want, i+1)
		}
	}
	for _, m := range lineRef.FindAllStringSubmatch(output, -1) {
		if n, _ := strconv.Atoi(m[1]); !slices.Contains(got, n) {
			got = append(got, n)
		}
	}
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("%s: errors on lines %v, want exactly %v:\n%s", file, got, want, output)
	}
}

// TestTypeScriptSDK generates the TypeScript SDK with Pulumi's generator
// and type-checks a program using every component with tsc, against
// @pulumi/pulumi from npm (testdata/typescript/package-lock.json).
func TestTypeScriptSDK(t *testing.T) {
	dir := "testdata/typescript"
	tsc := filepath.Join(dir, "node_modules", ".bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		missing(t, "tsc", "run npm ci in provider/internal/sdkgen/testdata/typescript")
	}
	generate(t, "nodejs", dir)
	if out, ok := run(t, dir, nil, "node_modules/.bin/tsc", "-p", "tsconfig.json"); !ok {
		t.Fatalf("tsc refused index.ts:\n%s", out)
	}
	out, _ := run(t, dir, nil, "node_modules/.bin/tsc", "-p", "tsconfig.wrong.json")
	wantErrors(t, dir, "wrong.ts", out, regexp.MustCompile(`wrong\.ts\((\d+),\d+\): error`))
}

// TestPythonSDK generates the Python SDK with Pulumi's generator and
// type-checks a program using every component with mypy (Debian's
// python3-mypy), against the Pulumi Python SDK's source of the version
// this module requires, from the Go module cache: PyPI is not reachable
// here, so the SDK is type-checked, not installed or run.
func TestPythonSDK(t *testing.T) {
	dir := "testdata/python"
	python := "/usr/bin/python3"
	if _, ok := run(t, dir, nil, python, "-m", "mypy", "--version"); !ok {
		missing(t, "mypy", "apt-get install python3-mypy")
	}
	pulumiSDK, ok := run(t, ".", nil, "go", "list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3")
	if !ok {
		t.Fatalf("finding the Pulumi SDK's source: %s", pulumiSDK)
	}
	generate(t, "python", dir)
	env := []string{"MYPYPATH=sdk" + string(os.PathListSeparator) + filepath.Join(strings.TrimSpace(pulumiSDK), "python", "lib")}
	mypy := []string{"-m", "mypy", "--config-file", "mypy.ini", "--cache-dir", t.TempDir()}
	if out, ok := run(t, dir, env, python, append(mypy, "__main__.py")...); !ok {
		t.Fatalf("mypy refused __main__.py:\n%s", out)
	}
	out, _ := run(t, dir, env, python, append(mypy, "wrong.py")...)
	wantErrors(t, dir, "wrong.py", out, regexp.MustCompile(`(?m)^wrong\.py:(\d+): error`))
}

func TestGeneratorRefusesAnInvalidSchema(t *testing.T) {
	s, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(s, []byte(`"#/types/serverless-arch:api:Route"`), []byte(`"#/types/serverless-arch:api:Nowhere"`), 1)
	if _, err := Generate(broken, "nodejs"); err == nil {
		t.Error("an SDK was generated from a schema referring to a type it lacks")
	}
}
