// Package argsgen generates the provider's side of every component from the
// component's own package (go/ast, no build): an Args type with pulumi tags
// and descriptions taken from the doc comments, its conversion to the
// component's Args, an output type, and the infer component that
// constructs it (provider/internal/crosslang/zz_generated.go). The
// component's Args and doc comments stay the one owner of its arguments;
// config.go says only what Go source cannot: which fields are required or
// secret, which plain strings are enums, and which Go-only fields other
// languages do without, with what they do instead. A field whose type
// cannot cross languages stops the generator until it is listed there.
package argsgen

import (
	"fmt"
	"strings"
)

// Generate returns the provider-side code for every component in
// Components, read from the module at root: Args types with pulumi tags
// and descriptions, their conversion to the components' Args, output types
// and the infer components that construct them.
func Generate(root string) ([]byte, error) {
	g := &gen{l: newLoader(root), structs: map[string]*structModel{}, enums: map[string]*enumModel{},
		imports: map[string]bool{}, skipped: map[string]bool{}}
	for _, c := range Components {
		m, err := g.component(c)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", c.Pkg, c.Result, err)
		}
		g.comps = append(g.comps, m)
	}
	for _, k := range sortedKeys(Skipped) {
		if !g.skipped[k] {
			return nil, fmt.Errorf("argsgen.Skipped lists %s, which no component has", k)
		}
	}
	if err := g.checkNames(); err != nil {
		return nil, err
	}
	return g.emit()
}

// component models one component.
func (g *gen) component(c Component) (*compModel, error) {
	p, err := g.l.load(c.Pkg)
	if err != nil {
		return nil, err
	}
	tok, ok := p.consts[c.Token]
	parts := strings.Split(tok.value, ":")
	if !ok || len(parts) != 3 || parts[2] != c.Result {
		return nil, fmt.Errorf("constant %s.%s = %q is not the type token of %s", c.Pkg, c.Token, tok.value, c.Result)
	}
	m := &compModel{Component: c, token: tok.value, module: parts[1]}
	if t, ok := p.types[c.Result]; ok {
		m.doc = docText(strings.Replace(t.doc, "See the package documentation.", "", 1), nil, nil)
	}
	if m.doc == "" {
		return nil, fmt.Errorf("type %s has no doc comment", c.Result)
	}
	if m.args, err = g.structOf(c.Pkg, c.Args, m.module); err != nil {
		return nil, err
	}
	m.args.goName, m.args.token = c.Result+"Args", ""
	if m.outputs, err = g.outputs(p, c); err != nil {
		return nil, err
	}
	return m, nil
}

// outputs models the component type's pulumi-tagged output fields and
// its ExtraOutputs.
func (g *gen) outputs(p *pkg, c Component) ([]outField, error) {
	t, ok := p.types[c.Result]
	if !ok || t.st == nil {
		return nil, fmt.Errorf("component type %s not found", c.Result)
	}
	extras := ExtraOutputs[typeKey(c.Pkg, c.Result)]
	names, consts := map[string]string{}, g.consts(p)
	for _, f := range fields(t.st) {
		if n, ok := strings.CutPrefix(f.tag, `pulumi:"`); ok {
			names[f.name] = strings.TrimSuffix(n, `"`)
		} else if extras[f.name] != "" {
			names[f.name] = extras[f.name]
		}
	}
	doc := func(d string) string { return docText(d, names, consts) }
	var out []outField
	for _, f := range fields(t.st) {
		typ := exprString(f.typ)
		name, tagged := strings.CutPrefix(f.tag, `pulumi:"`)
		switch {
		case tagged:
			name = strings.TrimSuffix(name, `"`)
			out = append(out, outField{goName: f.name, schemaName: name, typ: typ, doc: doc(f.doc), expr: "c." + f.name})
		case extras[f.name] != "" && typ == "string":
			out = append(out, outField{goName: f.name, schemaName: extras[f.name], typ: "pulumi.StringOutput",
				doc: doc(f.doc), expr: "pulumi.String(c." + f.name + ").ToStringOutput()"})
		case extras[f.name] != "" && typ == "[]string":
			out = append(out, outField{goName: f.name, schemaName: extras[f.name], typ: "pulumi.StringArrayOutput",
				doc: doc(f.doc), expr: "pulumi.ToStringArray(c." + f.name + ").ToStringArrayOutput()"})
		case extras[f.name] != "":
			return nil, fmt.Errorf("extra output %s has type %s; only string and []string are served", f.name, typ)
		}
	}
	var missing []string
	for _, o := range out {
		if o.doc == "" {
			missing = append(missing, typeKey(c.Pkg, c.Result)+"."+o.goName)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("outputs without a doc comment (document them in the component): %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// checkNames refuses two provider-side types with one Go name.
func (g *gen) checkNames() error {
	seen := map[string]string{}
	claim := func(name, what string) error {
		if other, dup := seen[name]; dup {
			return fmt.Errorf("provider-side type %s is both %s and %s: rename one in argsgen.TypeNames or Enums", name, other, what)
		}
		seen[name] = what
		return nil
	}
	for _, c := range g.comps {
		if err := claim(c.Result, c.Pkg+"."+c.Result); err != nil {
			return err
		}
	}
	for _, s := range g.order {
		if err := claim(s.goName, s.key); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(g.enums) {
		if err := claim(k, "enum "+g.enums[k].token); err != nil {
			return err
		}
	}
	return nil
}
