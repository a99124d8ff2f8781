package local

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validate is API Gateway's request validator (validateRequestParameters
// and validateRequestBody). It returns the status sent when it refuses the
// request, else 0.
//
// Required parameters must be present and not empty: else 400
// BAD_REQUEST_PARAMETERS. The body must match the route's model whatever
// its content type, as the stack maps each model to "$default" as well as
// to application/json: else 400 BAD_REQUEST_BODY, with the reasons in
// details. A body that is not JSON, or is empty, does not match. The model
// sees the body as the function would, with bytes that are not UTF-8
// replaced by U+FFFD.
func (a *API) validate(w http.ResponseWriter, r *http.Request, route *Route, body []byte) int {
	var missing []string
	for _, p := range route.Required {
		where, name, _ := strings.Cut(p, ".")
		var v string
		switch where {
		case "querystring":
			v = r.URL.Query().Get(name)
		case "header":
			v = r.Header.Get(name)
		}
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return a.fail(w, r, http.StatusBadRequest, "BAD_REQUEST_PARAMETERS",
			"Missing required request parameters: ["+strings.Join(missing, ", ")+"]", "")
	}
	if route.Model == "" {
		return 0
	}
	model, err := a.model(route.Model)
	if err != nil {
		a.logger().Error("the route's model does not compile", "api", a.Name, "resource", route.Resource, "error", err)
		return a.fail(w, r, http.StatusInternalServerError, "API_CONFIGURATION_ERROR", "Internal server error", "")
	}
	if problems := checkBody(model, body); len(problems) > 0 {
		return a.fail(w, r, http.StatusBadRequest, "BAD_REQUEST_BODY", "Invalid request body", "["+strings.Join(problems, ", ")+"]")
	}
	return 0
}

// model compiles a route's model once.
func (a *API) model(schema string) (*jsonschema.Schema, error) {
	if m, ok := a.models.Load(schema); ok {
		return m.(*jsonschema.Schema), nil
	}
	m, err := CompileModel(schema)
	if err != nil {
		return nil, err
	}
	a.models.Store(schema, m)
	return m, nil
}

// CompileModel compiles an API Gateway model: JSON Schema draft 4 unless
// its $schema names another draft.
func CompileModel(schema string) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("reading the model: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	if err := c.AddResource("model.json", doc); err != nil {
		return nil, fmt.Errorf("adding the model: %w", err)
	}
	m, err := c.Compile("model.json")
	if err != nil {
		return nil, fmt.Errorf("compiling the model: %w", err)
	}
	return m, nil
}

// checkBody lists why body does not match model; none if it does.
func checkBody(model *jsonschema.Schema, body []byte) []string {
	text := toValidUTF8(body)
	if len(bytes.TrimSpace(body)) == 0 {
		return []string{"the body is empty"}
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return []string{"the body is not JSON: " + err.Error()}
	}
	err = model.Validate(doc)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	for _, u := range verr.BasicOutput().Errors {
		if u.Error != nil && len(u.Errors) == 0 {
			out = append(out, strings.TrimPrefix(u.InstanceLocation+": ", ": ")+u.Error.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
