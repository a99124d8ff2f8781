package argsgen

import (
	"fmt"
	"go/ast"
	"strconv"
	"strings"
)

// kind is how a field crosses from the provider-side type to the
// component's.
type kind int

const (
	copied     kind = iota // same type on both sides
	enumValue              // a provider enum, converted to the Go type
	structVal              // a nested struct, converted by its method
	structPtr              // a nested struct the component takes by pointer
	structList             // a slice of nested structs
	archive                // an archive (any, in the provider)
	extra                  // a provider-only field, for the hook
)

type fieldModel struct {
	goName, schemaName, doc, provType string
	kind                              kind
	optional, secret                  bool
	// conv is the Go type the value is converted to: the component's
	// enum type (or string), or the component's struct type.
	conv string
}

type structModel struct {
	key, pkg, goName, token, doc string
	fields                       []fieldModel
	hook                         bool
}

type enumValue_ struct{ name, constRef, doc string }

type enumModel struct {
	goName, token, doc string
	values             []enumValue_
}

type outField struct{ goName, schemaName, typ, doc, expr string }

type compModel struct {
	Component
	token, module, doc string
	args               *structModel
	outputs            []outField
}

// gen builds the models of every component and the types they use.
type gen struct {
	l       *loader
	comps   []*compModel
	structs map[string]*structModel
	order   []*structModel
	enums   map[string]*enumModel
	imports map[string]bool
	// skipped records the Skipped keys met, so stale entries are found.
	skipped map[string]bool
}

// typeKey is pkg.Type.
func typeKey(pkg, name string) string { return pkg + "." + name }

// structOf models the struct pkg.name, once.
func (g *gen) structOf(pkgName, name, module string) (*structModel, error) {
	key := typeKey(pkgName, name)
	if s, ok := g.structs[key]; ok {
		return s, nil
	}
	p, err := g.l.load(pkgName)
	if err != nil {
		return nil, err
	}
	t, ok := p.types[name]
	if !ok || t.st == nil {
		return nil, fmt.Errorf("%s is not a struct type", key)
	}
	goName := name
	if n, ok := TypeNames[key]; ok {
		goName = n
	}
	s := &structModel{key: key, pkg: pkgName, goName: goName, token: module + ":" + goName, doc: t.doc, hook: Hooks[key]}
	g.structs[key] = s
	g.imports[pkgName] = true
	if err := g.fillFields(s, p, t.st, module); err != nil {
		return nil, err
	}
	g.order = append(g.order, s)
	return s, nil
}

// fillFields models the fields of st and the Extra ones.
func (g *gen) fillFields(s *structModel, p *pkg, st *ast.StructType, module string) error {
	names := map[string]string{}
	gos := fields(st)
	for _, f := range gos {
		names[f.name] = SchemaName(f.name)
	}
	for _, f := range gos {
		key := s.key + "." + f.name
		if _, ok := Skipped[key]; ok {
			g.skipped[key] = true
			continue
		}
		m, err := g.field(p, key, f, module)
		if err != nil {
			return err
		}
		if m.doc = docText(f.doc, names, g.consts(p)); m.doc == "" {
			return fmt.Errorf("%s has no doc comment: document it in the component", key)
		}
		s.fields = append(s.fields, m)
	}
	for _, x := range Extra[s.key] {
		s.fields = append(s.fields, fieldModel{goName: x.Name, schemaName: SchemaName(x.Name), doc: x.Doc,
			provType: x.Type, kind: extra, optional: x.Optional})
	}
	return nil
}

// consts are a package's string constants by name, for descriptions.
func (g *gen) consts(p *pkg) map[string]string {
	m := map[string]string{}
	for n, c := range p.consts {
		m[n] = c.value
	}
	return m
}

// field models one Go field.
func (g *gen) field(p *pkg, key string, f goField, module string) (fieldModel, error) {
	m := fieldModel{goName: f.name, schemaName: SchemaName(f.name), optional: !Required[key], secret: Secret[key]}
	if e, ok := Enums[key]; ok {
		return g.enumField(m, e, "string")
	}
	switch t := f.typ.(type) {
	case *ast.Ident:
		if isPlain(t.Name) {
			m.provType = t.Name
			return m, nil
		}
		return g.named(m, p.name, t.Name, module)
	case *ast.SelectorExpr:
		x, _ := t.X.(*ast.Ident)
		switch {
		case x != nil && x.Name == "pulumi" && strings.HasSuffix(t.Sel.Name, "Input"):
			m.provType = "pulumi." + t.Sel.Name
			return m, nil
		case x != nil && x.Name == "pulumi" && t.Sel.Name == "Archive":
			m.kind, m.provType = archive, "any"
			return m, nil
		case x != nil && x.Name == "blocks":
			return g.named(m, "blocks", t.Sel.Name, module)
		}
	case *ast.StarExpr:
		inner, err := g.field(p, key, goField{name: f.name, typ: t.X}, module)
		if err != nil {
			return m, err
		}
		if inner.kind == structVal {
			inner.kind, inner.provType = structPtr, "*"+strings.TrimPrefix(inner.provType, "*")
			return inner, nil
		}
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && isPlain(id.Name) && t.Len == nil {
			m.provType = "[]" + id.Name
			return m, nil
		}
		if id, ok := t.Elt.(*ast.Ident); ok && t.Len == nil {
			inner, err := g.named(m, p.name, id.Name, module)
			if err != nil {
				return m, err
			}
			if inner.kind == structVal {
				inner.kind, inner.provType = structList, "[]"+strings.TrimPrefix(inner.provType, "*")
				return inner, nil
			}
		}
	case *ast.MapType:
		k, kok := t.Key.(*ast.Ident)
		v, vok := t.Value.(*ast.Ident)
		if kok && vok && k.Name == "string" && isPlain(v.Name) {
			m.provType = "map[string]" + v.Name
			return m, nil
		}
	}
	return m, fmt.Errorf("%s: type %s cannot cross languages; redesign it or list it in argsgen.Skipped with what other languages do instead", key, exprString(f.typ))
}

func isPlain(name string) bool {
	switch name {
	case "string", "bool", "int", "int64", "float64":
		return true
	}
	return false
}

// named models a field of the named type pkgName.name: a nested struct or
// an enum of the type's constants.
func (g *gen) named(m fieldModel, pkgName, name, module string) (fieldModel, error) {
	p, err := g.l.load(pkgName)
	if err != nil {
		return m, err
	}
	t, ok := p.types[name]
	if !ok {
		return m, fmt.Errorf("type %s.%s not found", pkgName, name)
	}
	if t.st != nil {
		s, err := g.structOf(pkgName, name, module)
		if err != nil {
			return m, err
		}
		m.kind, m.conv, m.provType = structVal, typeKey(pkgName, name), s.goName
		if m.optional {
			m.provType = "*" + s.goName
		}
		return m, nil
	}
	var consts []string
	for _, c := range p.constOrder {
		if p.consts[c].typ == name {
			consts = append(consts, c)
		}
	}
	if id, ok := t.under.(*ast.Ident); !ok || id.Name != "string" || len(consts) == 0 {
		return m, fmt.Errorf("type %s.%s is neither a struct nor a string with constants", pkgName, name)
	}
	return g.enumField(m, Enum{Name: name, Token: module + ":" + name, Pkg: pkgName, Consts: consts}, typeKey(pkgName, name))
}

// enumField models a field whose values are e's constants.
func (g *gen) enumField(m fieldModel, e Enum, conv string) (fieldModel, error) {
	if _, err := g.enum(e); err != nil {
		return m, err
	}
	m.kind, m.conv, m.provType = enumValue, conv, e.Name
	if m.optional {
		m.provType = "*" + e.Name
	}
	return m, nil
}

// enum models e, once.
func (g *gen) enum(e Enum) (*enumModel, error) {
	if em, ok := g.enums[e.Name]; ok {
		if em.token != e.Token {
			return nil, fmt.Errorf("enum %s is both %s and %s", e.Name, em.token, e.Token)
		}
		return em, nil
	}
	p, err := g.l.load(e.Pkg)
	if err != nil {
		return nil, err
	}
	em := &enumModel{goName: e.Name, token: e.Token}
	if t, ok := p.types[e.Name]; ok {
		em.doc = docText(t.doc, nil, nil)
	}
	prefix := commonPrefix(e.Consts)
	for _, c := range e.Consts {
		k, ok := p.consts[c]
		if !ok {
			return nil, fmt.Errorf("enum %s: constant %s.%s not found", e.Name, e.Pkg, c)
		}
		doc := docText(k.doc, map[string]string{c: strconv.Quote(k.value)}, nil)
		em.values = append(em.values, enumValue_{name: strings.TrimPrefix(c, prefix), constRef: e.Pkg + "." + c, doc: doc})
	}
	g.imports[e.Pkg] = true
	g.enums[e.Name] = em
	return em, nil
}

// commonPrefix is the longest prefix the names share that ends a word
// (AuthCognito, AuthIAM → Auth), "" for none.
func commonPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	for len(p) > 0 {
		ok := true
		for _, n := range names {
			if len(n) == len(p) || !(n[len(p)] >= 'A' && n[len(p)] <= 'Z') {
				ok = false
			}
		}
		if ok {
			return p
		}
		p = p[:len(p)-1]
	}
	return ""
}

// exprString renders a type expression for messages.
func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.MapType:
		return "map[" + exprString(t.Key) + "]" + exprString(t.Value)
	}
	return fmt.Sprintf("%T", e)
}
