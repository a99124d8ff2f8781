package blocks

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Outputs are the outputs of component c, a pointer to a struct embedding
// pulumi.ResourceState: every exported field tagged `pulumi:"name"`, under
// that name. The tag is then the one place an output is named: what the
// component registers, what the component provider serves (it reads the
// same tags) and what a program reads cannot drift apart. A tagged field
// that holds no pulumi.Input, or that was left unset, is an error: an
// output that is legitimately empty is set to "" (or an empty list).
func Outputs(c pulumi.ComponentResource) (pulumi.Map, error) {
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("outputs of %T: want a pointer to a struct", c)
	}
	v = v.Elem()
	out := pulumi.Map{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
		if name == "" || !f.IsExported() {
			continue
		}
		in, ok := v.Field(i).Interface().(pulumi.Input)
		switch {
		case !ok:
			return nil, fmt.Errorf("outputs of %T: field %s is tagged %q but holds no pulumi.Input", c, f.Name, name)
		case v.Field(i).IsZero():
			return nil, fmt.Errorf("outputs of %T: output %s (field %s) is not set", c, name, f.Name)
		}
		out[name] = in
	}
	return out, nil
}

// RegisterOutputs registers Outputs(c) as c's outputs: the last step of a
// component's constructor, once its output fields are set.
func RegisterOutputs(ctx *pulumi.Context, c pulumi.ComponentResource) error {
	outputs, err := Outputs(c)
	if err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, outputs)
}

// NewComponent makes a component of type typ named name the way this
// module's components are made (all but GlobalTable, whose checks need its
// home region, looked up under the component), so that every constructor
// reads defaults, children, outputs:
//
//   - check, the arguments' checks (their defaults already set), comes
//     first, so that bad arguments create nothing;
//   - the component is registered with opts;
//   - build creates its children, each with parent (pulumi.Parent of the
//     component), and sets its output fields;
//   - its outputs are registered, once (RegisterOutputs).
//
// An error names the component by its type's name and its own, e.g.
// "ServerlessAPI todo-api: ...".
func NewComponent[C any, PC interface {
	*C
	pulumi.ComponentResource
}](ctx *pulumi.Context, typ, name string, opts []pulumi.ResourceOption, check func() error, build func(c PC, parent pulumi.ResourceOption) error) (PC, error) {
	label := typ[strings.LastIndex(typ, ":")+1:] + " " + name
	if err := check(); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	c := PC(new(C))
	if err := ctx.RegisterComponentResource(typ, name, c, opts...); err != nil {
		return nil, fmt.Errorf("registering %s: %w", label, err)
	}
	if err := build(c, pulumi.Parent(c)); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	if err := RegisterOutputs(ctx, c); err != nil {
		return nil, fmt.Errorf("registering the outputs of %s: %w", label, err)
	}
	return c, nil
}
