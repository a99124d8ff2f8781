package argsgen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ModulePath is the import path of the module the components are in.
const ModulePath = "github.com/gopherstack/serverless-arch"

// pkg is what the generator knows of one component package: its types,
// their fields and its string constants, with their doc comments.
type pkg struct {
	name, doc string
	types     map[string]*typeDecl
	consts    map[string]constant
	// constOrder lists the string constants in source order.
	constOrder []string
}

type typeDecl struct {
	name, doc string
	// st is the struct, for struct types; under the type otherwise.
	st    *ast.StructType
	under ast.Expr
}

type constant struct {
	name, typ, value, doc string
}

// loader parses packages of the module on demand.
type loader struct {
	root string
	pkgs map[string]*pkg
}

func newLoader(root string) *loader { return &loader{root: root, pkgs: map[string]*pkg{}} }

// load parses the package in components/<name> (fnbuild and blocks
// included), without its tests.
func (l *loader) load(name string) (*pkg, error) {
	if p, ok := l.pkgs[name]; ok {
		return p, nil
	}
	dir := filepath.Join(l.root, "components", name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading package %s: %w", name, err)
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	p := &pkg{name: name, types: map[string]*typeDecl{}, consts: map[string]constant{}}
	fset := token.NewFileSet()
	for _, n := range names {
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", n, err)
		}
		if f.Doc != nil {
			p.doc = f.Doc.Text()
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok {
				p.addDecl(g)
			}
		}
	}
	l.pkgs[name] = p
	return p, nil
}

// addDecl records the types and string constants of one declaration.
func (p *pkg) addDecl(g *ast.GenDecl) {
	var lastType string // constants without a type in a group take the one above
	for _, spec := range g.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			t := &typeDecl{name: s.Name.Name, doc: docOf(s.Doc, g.Doc, len(g.Specs)), under: s.Type}
			t.st, _ = s.Type.(*ast.StructType)
			p.types[t.name] = t
		case *ast.ValueSpec:
			if g.Tok != token.CONST {
				continue
			}
			if id, ok := s.Type.(*ast.Ident); ok {
				lastType = id.Name
			} else if s.Type == nil && len(s.Values) > 0 {
				lastType = ""
			}
			for i, n := range s.Names {
				if i >= len(s.Values) || !n.IsExported() {
					continue
				}
				lit, ok := s.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				doc := docOf(s.Doc, nil, 0)
				if doc == "" && s.Comment != nil {
					doc = s.Comment.Text()
				}
				p.consts[n.Name] = constant{name: n.Name, typ: lastType, value: v, doc: doc}
				p.constOrder = append(p.constOrder, n.Name)
			}
		}
	}
}

// docOf is a spec's doc comment, or its group's for a lone spec.
func docOf(spec, group *ast.CommentGroup, specs int) string {
	if spec != nil {
		return spec.Text()
	}
	if group != nil && specs == 1 {
		return group.Text()
	}
	return ""
}

// goField is one field name of a struct with its type and documentation.
type goField struct {
	name, doc string
	typ       ast.Expr
	tag       string
}

// fields lists a struct's exported fields in order. A field without a doc
// comment takes the one of the field above it when that one names it (Go's
// way to document a group: "MaxSourceBytes ... and MaxPixels ...").
func fields(st *ast.StructType) []goField {
	var out []goField
	prevDoc := ""
	for _, f := range st.Fields.List {
		doc := ""
		if f.Doc != nil {
			doc = f.Doc.Text()
		}
		tag := ""
		if f.Tag != nil {
			tag, _ = strconv.Unquote(f.Tag.Value)
		}
		for _, n := range f.Names {
			d := doc
			if d == "" && mentions(prevDoc, n.Name) {
				d = prevDoc
			}
			if n.IsExported() {
				out = append(out, goField{name: n.Name, doc: d, typ: f.Type, tag: tag})
			}
		}
		if doc != "" {
			prevDoc = doc
		}
	}
	return out
}

// mentions reports whether text names ident as a whole word.
func mentions(text, ident string) bool {
	for i := strings.Index(text, ident); i >= 0; {
		end := i + len(ident)
		if (i == 0 || !isIdentByte(text[i-1])) && (end == len(text) || !isIdentByte(text[end])) {
			return true
		}
		next := strings.Index(text[end:], ident)
		if next < 0 {
			return false
		}
		i = end + next
	}
	return false
}

func isIdentByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
