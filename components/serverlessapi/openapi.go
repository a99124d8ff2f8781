package serverlessapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Info describes an API in its OpenAPI document.
type Info struct {
	Title, Version, Description string
	// ServerURL is the API's base URL; empty leaves servers out.
	ServerURL string
}

// Security scheme names in the OpenAPI document.
const (
	schemeCognito = "cognito"
	schemeIAM     = "sigv4"
	schemeAPIKey  = "api_key"
)

// errorSchema is the JSON error body every error answer has, whether the
// function or API Gateway (through the gateway responses) sends it.
var errorSchema = map[string]any{
	"type":     "object",
	"required": []string{"error"},
	"properties": map[string]any{
		"error": map[string]any{
			"type":     "object",
			"required": []string{"code", "message"},
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "description": "Stable, machine-readable reason."},
				"message": map[string]any{"type": "string", "description": "Explanation for developers."},
				"field":   map[string]any{"type": "string", "description": "The request field at fault, for 400 answers."},
				"details": map[string]any{"description": "Data the client can act on."},
			},
		},
	},
}

// errorResponses are the shared error answers routes refer to, by name.
var errorResponses = map[string]string{
	"BadRequest":           "The request is malformed or fails validation (API Gateway's models, or the function's checks).",
	"Unauthorized":         "Credentials are missing or invalid.",
	"Forbidden":            "The credentials do not allow this request.",
	"NotFound":             "There is no such resource, or it is not the caller's.",
	"Conflict":             "The request conflicts with the stored state.",
	"Gone":                 "The resource is gone.",
	"PreconditionFailed":   "A precondition of the request does not hold.",
	"PayloadTooLarge":      "The request body is larger than the route accepts (API Gateway's limit is 10 MB).",
	"UnsupportedMediaType": "The request body is not sent as application/json.",
	"UnprocessableEntity":  "The request is well-formed but cannot be processed.",
	"TooManyRequests":      "Throttled: retry later.",
	"ServerError":          "The function or AWS failed (500), the function's answer was unusable (502), a dependency is unavailable (503, retry) or the function took too long (504).",
}

// routeErrors name the responses of the statuses Route.Errors may list.
var routeErrors = map[int]string{404: "NotFound", 409: "Conflict", 410: "Gone", 412: "PreconditionFailed", 422: "UnprocessableEntity"}

// locationHeader documents where a 201 answer says the new resource is.
var locationHeader = map[string]any{
	"description": "Where the created resource is: a reference relative to the URL called (e.g. posts/hello from .../posts), so it is right on every domain and path prefix the API is served under.",
	"required":    true,
	"schema":      map[string]any{"type": "string", "format": "uri-reference"},
}

// OpenAPI renders routes as an OpenAPI 3.0 document (indented JSON ending
// in a newline), usable to generate client SDKs. It depends only on the
// routes' data, not on any deployed resource, so a build step or the
// offline plan can write it without AWS. The same routes always give the
// same bytes.
func OpenAPI(info Info, routes []Route) ([]byte, error) {
	if err := validateRoutes(routes, false); err != nil {
		return nil, err
	}
	paths := map[string]map[string]any{}
	schemes := map[string]any{}
	for i := range routes {
		r := &routes[i]
		op, err := operation(r)
		if err != nil {
			return nil, fmt.Errorf("route %s: %w", r.key(), err)
		}
		if paths[r.Path] == nil {
			paths[r.Path] = map[string]any{}
		}
		method := strings.ToLower(r.Method)
		if r.Method == "ANY" {
			method = "x-amazon-apigateway-any-method"
		}
		paths[r.Path][method] = op
		if name, scheme := securityScheme(r.Auth); name != "" {
			schemes[name] = scheme
		}
	}
	responses := map[string]any{}
	for name, desc := range errorResponses {
		responses[name] = map[string]any{
			"description": desc,
			"content":     jsonContent(map[string]any{"$ref": "#/components/schemas/Error"}),
		}
	}
	components := map[string]any{
		"schemas":   map[string]any{"Error": errorSchema},
		"responses": responses,
	}
	if len(schemes) > 0 {
		components["securitySchemes"] = schemes
	}
	infoObj := map[string]any{"title": info.Title, "version": info.Version}
	if info.Description != "" {
		infoObj["description"] = info.Description
	}
	doc := map[string]any{
		"openapi":    "3.0.3",
		"info":       infoObj,
		"paths":      paths,
		"components": components,
	}
	if info.ServerURL != "" {
		doc["servers"] = []any{map[string]any{"url": info.ServerURL}}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("rendering OpenAPI document: %w", err)
	}
	return buf.Bytes(), nil
}

func operation(r *Route) (map[string]any, error) {
	op := map[string]any{"operationId": r.operationID()}
	if r.Summary != "" {
		op["summary"] = r.Summary
	}
	if r.Description != "" {
		op["description"] = r.Description
	}
	var params []any
	for _, p := range r.pathParams() {
		params = append(params, map[string]any{
			"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"},
		})
	}
	for _, q := range r.Query {
		params = append(params, parameter(q, "query"))
	}
	for _, h := range r.Headers {
		params = append(params, parameter(h, "header"))
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if r.BodySchema != "" {
		schema, err := openAPISchema(r.BodySchema)
		if err != nil {
			return nil, fmt.Errorf("body schema: %w", err)
		}
		op["requestBody"] = map[string]any{"required": true, "content": jsonContent(schema)}
	}

	responses, err := responsesOf(r)
	if err != nil {
		return nil, err
	}
	op["responses"] = responses

	name, _ := securityScheme(r.Auth)
	if name == "" {
		// Explicitly public: an empty requirement list.
		op["security"] = []any{}
	} else {
		scopes := slices.Clone(r.Scopes)
		if scopes == nil {
			scopes = []string{}
		}
		op["security"] = []any{map[string]any{name: scopes}}
	}
	return op, nil
}

// responsesOf documents every answer a route can give: its success, and each
// error status with the JSON error body. There is no "default": a status the
// document does not list is a contract violation.
func responsesOf(r *Route) (map[string]any, error) {
	status := r.SuccessStatus
	if status == 0 {
		status = 200
	}
	success := map[string]any{"description": "Success."}
	if r.ResponseSchema != "" {
		schema, err := openAPISchema(r.ResponseSchema)
		if err != nil {
			return nil, fmt.Errorf("response schema: %w", err)
		}
		success["content"] = jsonContent(schema)
	}
	if status == 201 {
		success["headers"] = map[string]any{"Location": locationHeader}
	}
	responses := map[string]any{
		strconv.Itoa(status): success,
		"400":                ref("BadRequest"),
		"413":                ref("PayloadTooLarge"),
		"429":                ref("TooManyRequests"),
	}
	for _, s := range []string{"500", "502", "503", "504"} {
		responses[s] = ref("ServerError")
	}
	if r.needsAuth() {
		responses["401"] = ref("Unauthorized")
		responses["403"] = ref("Forbidden")
	}
	if r.BodySchema != "" {
		responses["415"] = ref("UnsupportedMediaType")
	}
	for _, s := range r.Errors {
		responses[strconv.Itoa(s)] = ref(routeErrors[s])
	}
	return responses, nil
}

func parameter(p Param, in string) map[string]any {
	schema := map[string]any{"type": "string"}
	if p.Schema != "" {
		_ = json.Unmarshal([]byte(p.Schema), &schema) // checked by Route.validate
	}
	out := map[string]any{"name": p.Name, "in": in, "required": p.Required, "schema": schema}
	if p.Description != "" {
		out["description"] = p.Description
	}
	return out
}

func ref(response string) map[string]any {
	return map[string]any{"$ref": "#/components/responses/" + response}
}

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

// openAPISchema turns a route's JSON Schema into an OpenAPI schema object,
// which has no "$schema" or "id" keyword.
func openAPISchema(raw string) (map[string]any, error) {
	var schema map[string]any
	if err := json.Unmarshal([]byte(raw), &schema); err != nil {
		return nil, err
	}
	delete(schema, "$schema")
	delete(schema, "id")
	return schema, nil
}

func securityScheme(a Auth) (string, map[string]any) {
	switch a {
	case AuthCognito:
		return schemeCognito, map[string]any{
			"type": "apiKey", "name": "Authorization", "in": "header",
			"description":                  "A Cognito user pool token: the ID token, or an access token for operations with scopes.",
			"x-amazon-apigateway-authtype": "cognito_user_pools",
		}
	case AuthIAM:
		return schemeIAM, map[string]any{
			"type": "apiKey", "name": "Authorization", "in": "header",
			"description":                  "AWS Signature Version 4.",
			"x-amazon-apigateway-authtype": "awsSigv4",
		}
	case AuthAPIKey:
		return schemeAPIKey, map[string]any{"type": "apiKey", "name": "x-api-key", "in": "header"}
	}
	return "", nil
}
