package blocks

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RegisterOutputs registers a component's outputs: each field of the struct
// component points to that has a `pulumi:"name"` tag, under that name. The
// tags are then the one list of the component's outputs, which the
// component provider reads too. An output left unset is an error, not a
// missing output.
func RegisterOutputs(ctx *pulumi.Context, component pulumi.Resource) error {
	outputs, err := outputMap(component)
	if err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(component, outputs)
}

// outputMap is the tagged fields of the struct component points to.
func outputMap(component any) (pulumi.Map, error) {
	v := reflect.ValueOf(component)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%T is not a pointer to a struct", component)
	}
	v = v.Elem()
	outputs := pulumi.Map{}
	for i := range v.NumField() {
		field := v.Type().Field(i)
		tag, ok := field.Tag.Lookup("pulumi")
		if !ok || !field.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		in, ok := v.Field(i).Interface().(pulumi.Input)
		switch {
		case !ok:
			return nil, fmt.Errorf("%T.%s has a pulumi tag but is no pulumi.Input", component, field.Name)
		case v.Field(i).IsZero():
			return nil, fmt.Errorf("output %s (%T.%s) is not set", name, component, field.Name)
		}
		outputs[name] = in
	}
	return outputs, nil
}
