package e2e

import (
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/blocks"
	"github.com/gopherstack/serverless-arch/dev/local"
	"github.com/gopherstack/serverless-arch/dev/local/localtest"
	"github.com/gopherstack/serverless-arch/functions/todo/todos"
)

// TestLocalModeRunsTheRecordedEnvironment renames one variable in the
// to-do function's recorded environment, as a component that wrote the
// wrong name would. Local mode runs functions with exactly what the stack
// records, so the function cannot start and the API answers 502, as
// Lambda and API Gateway would; a local mode that restated the
// environment itself would keep passing.
func TestLocalModeRunsTheRecordedEnvironment(t *testing.T) {
	rec, err := local.Record(local.Options{})
	if err != nil {
		t.Fatal(err)
	}
	renamed := 0
	for _, r := range rec.Resources {
		tags, _ := r.Inputs["tags"].(map[string]any)
		if r.Type != "aws:lambda/function:Function" || tags[blocks.PackageTag] != local.TodoPackage {
			continue
		}
		environment, _ := r.Inputs["environment"].(map[string]any)
		vars, _ := environment["variables"].(map[string]any)
		if _, ok := vars[todos.EnvTableName]; !ok {
			t.Fatalf("the recorded to-do function has no %s: %v", todos.EnvTableName, vars)
		}
		vars["TODO_"+todos.EnvTableName] = vars[todos.EnvTableName]
		delete(vars, todos.EnvTableName)
		renamed++
	}
	if renamed != 1 {
		t.Fatalf("renamed the variable in %d functions, want the one to-do function", renamed)
	}

	env := localtest.LocalWith(t, local.Options{Recording: rec})
	alice := signIn(t, env, "alice")
	if status := call(t, "POST", env.TodoAPIURL+"/todos", alice, map[string]any{"title": "Buy milk"}, nil); status != 502 {
		t.Errorf("POST /todos with the variable renamed: %d, want 502 (the function cannot start)", status)
	}
	if out := env.Todo.Output(); !strings.Contains(out, todos.EnvTableName+" is not set") {
		t.Errorf("the to-do function's output does not say %s is not set:\n%s", todos.EnvTableName, out)
	}
}
