package tests

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductionLinksNoTestOrToolingCode lists what the Pulumi program and
// each Lambda function link: none of them may link the mock harness, local
// mode and its emulators, the tests, or the testing package. (The offline
// plan, cmd/plan, runs the program under the harness by design.)
func TestProductionLinksNoTestOrToolingCode(t *testing.T) {
	const module = "github.com/gopherstack/serverless-arch"
	for _, pkg := range []string{".", "./functions/todo", "./functions/blogapi", "./functions/mailer", "./functions/thumbnail"} {
		out, err := exec.Command("go", "list", "-C", projectDir, "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			switch {
			case dep == "testing",
				strings.HasPrefix(dep, module+"/components/stacktest"),
				strings.HasPrefix(dep, module+"/dev/"),
				strings.HasPrefix(dep, module+"/tests"),
				strings.HasPrefix(dep, module+"/internal/plan"),
				strings.Contains(dep, "gofakes3"),
				strings.Contains(dep, "runtime-interface-emulator"):
				t.Errorf("%s links %s", pkg, dep)
			}
		}
	}
}

// TestFunctionSettingsAreStandardLibraryOnly: the event functions' settings
// packages, which own the names, limits and defaults their components
// write, link the standard library only, so the components (and the
// program that imports them) link nothing of the functions, not even the
// AWS SDK.
func TestFunctionSettingsAreStandardLibraryOnly(t *testing.T) {
	const module = "github.com/gopherstack/serverless-arch"
	for _, pkg := range []string{"./functions/thumbnail/settings", "./functions/mailer/settings"} {
		out, err := exec.Command("go", "list", "-C", projectDir, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep != module+strings.TrimPrefix(pkg, ".") {
				t.Errorf("%s links %s", pkg, dep)
			}
		}
	}
	for _, pkg := range []string{"./components/thumbnails", "./components/welcomemailer"} {
		out, err := exec.Command("go", "list", "-C", projectDir, "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/aws/") || strings.HasPrefix(dep, module+"/functions/") && !strings.HasSuffix(dep, "/settings") {
				t.Errorf("%s links %s", pkg, dep)
			}
		}
	}
}
