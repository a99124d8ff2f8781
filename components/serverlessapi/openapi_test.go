package serverlessapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/gopherstack/serverless-arch/components/serverlessapi"
	"github.com/gopherstack/serverless-arch/components/stacktest"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json")

func TestOpenAPIDocumentIsStableAndComplete(t *testing.T) {
	info := serverlessapi.Info{Title: "todo", Version: "v1", ServerURL: "https://api.example.com/"}
	routes := todoRoutes(nil)
	doc, err := serverlessapi.OpenAPI(info, routes)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := serverlessapi.OpenAPI(info, routes)
	if !bytes.Equal(doc, again) {
		t.Fatal("the same routes give different documents")
	}
	stacktest.Golden(t, "testdata/openapi.json", doc, *update, "go test ./components/serverlessapi -update")

	var d struct {
		OpenAPI string
		Paths   map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct{ Name, In string }
			RequestBody *struct {
				Content map[string]struct{ Schema map[string]any }
			} `json:"requestBody"`
			Security  []map[string][]string
			Responses map[string]any
		}
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		}
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", d.OpenAPI)
	}
	get := d.Paths["/todos/{id}"]["get"]
	if get.OperationID != "getTodosById" || len(get.Parameters) != 1 || get.Parameters[0].In != "path" {
		t.Errorf("GET /todos/{id}: %+v", get)
	}
	if len(get.Security) != 1 || get.Security[0]["cognito"] == nil || get.Responses["401"] == nil {
		t.Errorf("GET /todos/{id} is not documented as needing a Cognito token: %+v", get.Security)
	}
	if health := d.Paths["/health"]["get"]; health.Security == nil || len(health.Security) != 0 || health.Responses["401"] != nil {
		t.Errorf("GET /health is not documented as public: %+v", health.Security)
	}
	post := d.Paths["/todos"]["post"]
	if post.RequestBody == nil || post.RequestBody.Content["application/json"].Schema["required"] == nil {
		t.Errorf("POST /todos has no body schema: %+v", post.RequestBody)
	}
	if s := d.Components.SecuritySchemes["cognito"]; s["name"] != "Authorization" || s["in"] != "header" {
		t.Errorf("cognito scheme %v", s)
	}
}

func TestOpenAPIRejectsInvalidRoutes(t *testing.T) {
	_, err := serverlessapi.OpenAPI(serverlessapi.Info{Title: "x", Version: "1"}, []serverlessapi.Route{{Method: "GET", Path: "/x"}})
	if err == nil || !strings.Contains(err.Error(), "no Auth") {
		t.Errorf("error %v, want one about the missing Auth", err)
	}
}
