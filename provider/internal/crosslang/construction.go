package crosslang

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// construction is what one Construct call knows beside the arguments: the
// component's resource options as the program set them, and the options
// the conversion adds for the component's children.
type construction struct {
	opts pulumi.ResourceOption
	// dependsOn are the resources the program made the component depend on
	// (its dependsOn option): the provider's form of the Go-only Args that
	// name resources to wait for.
	dependsOn []pulumi.Resource
	// extra are options for the component, added by complete methods.
	extra []pulumi.ResourceOption
}

func newConstruction(_ *pulumi.Context, opts pulumi.ResourceOption) (*construction, error) {
	ro, err := pulumi.NewResourceOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("reading the component's resource options: %w", err)
	}
	return &construction{opts: opts, dependsOn: ro.DependsOn}, nil
}

// options are the component's resource options.
func (cn *construction) options() []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{cn.opts}, cn.extra...)
}

// setToken gives a type its token: a component's full token constant
// (serverless-arch:api:ServerlessAPI) or module:Name for the types it uses.
func setToken(a infer.Annotator, token string) {
	parts := strings.Split(token, ":")
	a.SetToken(tokens.ModuleName(parts[len(parts)-2]), tokens.TypeName(parts[len(parts)-1]))
}

// converter is a provider-side type that converts to the component's T.
type converter[T any] interface {
	toComponent(cn *construction) (T, error)
}

// convertList converts each element; nil stays nil, so the component's
// default applies to a list the program left out.
func convertList[T any, S converter[T]](in []S, cn *construction) ([]T, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		var err error
		if out[i], err = v.toComponent(cn); err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
	}
	return out, nil
}

// convertPtr converts an optional value.
func convertPtr[T any, S converter[T]](in *S, cn *construction) (*T, error) {
	if in == nil {
		return nil, nil
	}
	v, err := (*in).toComponent(cn)
	return &v, err
}

// plainArchive is an archive argument: the schema makes it a plain
// pulumi.json#/Archive, which arrives as a pulumi.Archive.
func plainArchive(v any) (pulumi.Archive, error) {
	switch a := v.(type) {
	case nil:
		return nil, nil
	case pulumi.Archive:
		return a, nil
	}
	return nil, fmt.Errorf("want an archive (a FileArchive of a directory, or an AssetArchive), got %T", v)
}
