package crosslang

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// handTypes are the schema types written by hand beside the generated ones.
var handTypes = map[string]reflect.Type{
	Name + ":thumbnails:NotificationRoute": reflect.TypeFor[NotificationRoute](),
}

var inputType = reflect.TypeFor[pulumi.Input]()

// fixSchema corrects what infer derives from Go types but cannot say:
//
//   - A field that is not a pulumi.Input (a plain string, a slice, a
//     nested struct, an enum) is plain as a whole. infer marks only the
//     items of a slice plain, so an SDK would accept an output for the
//     list, which Construct cannot take.
//   - The items of a list input (pulumi.StringArrayInput) may be outputs:
//     infer marks them plain.
//   - An archive field (typed any, since infer cannot describe an archive
//     input) is a plain pulumi.json#/Archive.
func fixSchema(raw string) (string, error) {
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		return "", fmt.Errorf("reading the inferred schema: %w", err)
	}
	for token, r := range spec.Resources {
		for name, prop := range r.Properties {
			prop.TypeSpec = outputItems(prop.TypeSpec)
			r.Properties[name] = prop
		}
		spec.Resources[token] = r
	}
	all := maps.Clone(generatedTypes)
	maps.Copy(all, handTypes)
	for token, typ := range all {
		var props map[string]schema.PropertySpec
		if r, ok := spec.Resources[token]; ok {
			props = r.InputProperties
		} else if t, ok := spec.Types[token]; ok {
			props = t.Properties
		} else {
			return "", fmt.Errorf("the schema has no %s for Go type %s", token, typ)
		}
		if err := fixProperties(props, typ); err != nil {
			return "", fmt.Errorf("%s: %w", token, err)
		}
	}
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("writing the schema: %w", err)
	}
	return string(out), nil
}

// outputItems lets the items of a list or map that is an input (a
// pulumi.StringArrayInput) or an output be outputs too: infer marks them
// plain, but Construct takes a list of outputs as well as an output list.
func outputItems(t schema.TypeSpec) schema.TypeSpec {
	if t.Items != nil {
		items := *t.Items
		items.Plain = false
		t.Items = &items
	}
	if t.AdditionalProperties != nil {
		values := *t.AdditionalProperties
		values.Plain = false
		t.AdditionalProperties = &values
	}
	return t
}

// fixProperties fixes the properties infer derived from typ's fields.
func fixProperties(props map[string]schema.PropertySpec, typ reflect.Type) error {
	for _, f := range reflect.VisibleFields(typ) {
		tag, ok := f.Tag.Lookup("pulumi")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		prop, ok := props[name]
		if !ok {
			return fmt.Errorf("no property %s for field %s", name, f.Name)
		}
		switch {
		case f.Type.Kind() == reflect.Interface && f.Type.NumMethod() == 0:
			prop.TypeSpec = schema.TypeSpec{Ref: "pulumi.json#/Archive", Plain: true}
		case !f.Type.Implements(inputType):
			prop.Plain = true
		default:
			prop.TypeSpec = outputItems(prop.TypeSpec)
		}
		props[name] = prop
	}
	return nil
}
