package serverlessapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
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

// Every answer a route can give is in the document, with the JSON error
// body for errors, and nothing else is: no "default" that would let any
// status pass as described.
func TestOpenAPIDocumentsEveryStatus(t *testing.T) {
	routes := []serverlessapi.Route{
		{Method: "GET", Path: "/items", Auth: serverlessapi.AuthNone,
			Query: []serverlessapi.Param{{Name: "limit", Schema: `{"type":"integer","minimum":1,"maximum":50}`}}},
		{Method: "POST", Path: "/items", Auth: serverlessapi.AuthAPIKey, SuccessStatus: 201, Errors: []int{409},
			BodySchema: `{"type":"object"}`, ResponseSchema: `{"type":"object"}`},
		{Method: "DELETE", Path: "/items/{id}", Auth: serverlessapi.AuthCognito, SuccessStatus: 204, Errors: []int{404, 409}},
	}
	doc, err := serverlessapi.OpenAPI(serverlessapi.Info{Title: "items", Version: "v1"}, routes)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Schema map[string]any }
			Responses  map[string]struct {
				Ref     string `json:"$ref"`
				Headers map[string]any
			}
		}
		Components struct{ Responses map[string]map[string]any }
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, method string
		want         []string
	}{
		{"/items", "get", []string{"200", "400", "413", "429", "500", "502", "503", "504"}},
		{"/items", "post", []string{"201", "400", "401", "403", "409", "413", "415", "429", "500", "502", "503", "504"}},
		{"/items/{id}", "delete", []string{"204", "400", "401", "403", "404", "409", "413", "429", "500", "502", "503", "504"}},
	} {
		op := d.Paths[tc.path][tc.method]
		got := slices.Sorted(maps.Keys(op.Responses))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %s documents %v, want %v", tc.method, tc.path, got, tc.want)
		}
		for status, resp := range op.Responses {
			if status[0] != '2' && !strings.HasPrefix(resp.Ref, "#/components/responses/") {
				t.Errorf("%s %s %s is not a shared error response: %+v", tc.method, tc.path, status, resp)
			}
		}
	}
	if d.Paths["/items"]["post"].Responses["201"].Headers["Location"] == nil {
		t.Error("201 answer documents no Location header")
	}
	if s := d.Paths["/items"]["get"].Parameters[0].Schema; s["type"] != "integer" || s["maximum"] != 50.0 {
		t.Errorf("limit schema %v", s)
	}
	for name, r := range d.Components.Responses {
		if fmt.Sprint(r["content"]) != "map[application/json:map[schema:map[$ref:#/components/schemas/Error]]]" {
			t.Errorf("response %s is not the JSON error body: %v", name, r["content"])
		}
	}
}

func TestOpenAPIRejectsInvalidRoutes(t *testing.T) {
	for _, tc := range []struct {
		route serverlessapi.Route
		want  string
	}{
		{serverlessapi.Route{Method: "GET", Path: "/x"}, "no Auth"},
		{serverlessapi.Route{Method: "GET", Path: "/x", Auth: serverlessapi.AuthNone, Errors: []int{418}}, "error status 418"},
		{serverlessapi.Route{Method: "GET", Path: "/x", Auth: serverlessapi.AuthNone, Query: []serverlessapi.Param{{Name: "n", Schema: "int"}}}, `parameter "n": schema`},
	} {
		_, err := serverlessapi.OpenAPI(serverlessapi.Info{Title: "x", Version: "1"}, []serverlessapi.Route{tc.route})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one about %s", err, tc.want)
		}
	}
}
