package app_test

import (
	"encoding/json"
	"testing"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
	"github.com/gopherstack/serverless-arch/internal/app"
)

// The preflight allows every configured origin, so the function must know
// them all to answer each request with its own.
func TestTodoFunctionKnowsEveryCORSOrigin(t *testing.T) {
	origins := []string{"https://app.todo.example.com", "https://admin.todo.example.com"}
	rec, err := stacktest.Run(app.Run, stacktest.StackConfig("../..", "dev"),
		stacktest.Config("deploy", []string{"todo"}), stacktest.Config("todoCorsOrigins", origins))
	if err != nil {
		t.Fatal(err)
	}
	env := rec.Must(t, "aws:lambda/function:Function", "todo-fn").Inputs["environment"].(map[string]any)["variables"].(map[string]any)
	if got := env["CORS_ORIGINS"]; got != origins[0]+","+origins[1] {
		t.Errorf("CORS_ORIGINS = %v, want both origins (environment %v)", got, env)
	}
}

// Every body model bounds what passes it: no property beyond those named,
// and a maxLength on every string. A body that passes is then a few
// kilobytes at most, so an oversized one is API Gateway's 400, never a
// payload over Lambda's 6 MB limit (a 502).
func TestBodyModelsAreBounded(t *testing.T) {
	for name, routes := range map[string][]serverlessapi.Route{"todo": app.TodoRoutes(nil), "blog": app.BlogRoutes(nil)} {
		for _, r := range routes {
			if r.BodySchema == "" {
				continue
			}
			var schema map[string]any
			if err := json.Unmarshal([]byte(r.BodySchema), &schema); err != nil {
				t.Fatal(err)
			}
			for _, problem := range unbounded("", schema) {
				t.Errorf("%s %s %s: %s", name, r.Method, r.Path, problem)
			}
		}
	}
}

// unbounded lists the places in a JSON Schema that admit values of any
// size.
func unbounded(at string, schema map[string]any) []string {
	var out []string
	switch schema["type"] {
	case "object":
		if schema["additionalProperties"] != false {
			out = append(out, at+" admits properties it does not name (additionalProperties is not false)")
		}
		props, _ := schema["properties"].(map[string]any)
		for name, p := range props {
			out = append(out, unbounded(at+"/"+name, p.(map[string]any))...)
		}
	case "string":
		if _, ok := schema["maxLength"]; !ok && schema["pattern"] == nil {
			out = append(out, at+" is a string without maxLength")
		}
	case "array":
		out = append(out, at+" is an array; give it maxItems and bound its items")
	}
	return out
}

func TestBlogOpenAPIMatchesTheDeployedRoutes(t *testing.T) {
	offline, err := app.BlogOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	rec := recordBlog(t, "dev")
	var deployed map[string]any
	if err := json.Unmarshal([]byte(out(t, rec, "blogOpenApi")), &deployed); err != nil {
		t.Fatal(err)
	}
	servers, _ := deployed["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != out(t, rec, "blogApiUrl") {
		t.Errorf("deployed document's servers %v, want the API URL %v", servers, rec.Outputs["blogApiUrl"])
	}
	delete(deployed, "servers")
	var pure map[string]any
	if err := json.Unmarshal(offline, &pure); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(pure)
	b, _ := json.Marshal(deployed)
	if string(a) != string(b) {
		t.Errorf("offline and deployed documents differ:\n%s", stacktest.Diff(string(a), string(b)))
	}
}
