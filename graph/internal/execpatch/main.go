// Command execpatch rewrites gqlgen's generated executor (graph/generated.go) in the two
// places where gqlgen has no setting for what casewatch needs. It runs after gqlgen in
// `go generate`, and fails when the code it rewrites is no longer there, so that a gqlgen
// upgrade cannot silently undo it:
//
//   - The lists of the object types named in inOrder are marshalled in order, by
//     graph.marshalInOrder, rather than one goroutine per element (gqlgen's issue #3202). A
//     type belongs there only when resolving its fields never waits on anything of its own:
//     its fields are in memory, or come from a loader that loads for the whole page at once.
//     A list of releases, corrections or webhooks, whose resolvers wait on a loader or a
//     store per element, stays concurrent.
//   - Every object starts its fields with graph.undeferred instead of
//     graphql.NewDeferredGroup, which works out the object's path and makes a map for
//     @defer on every object of every answer. This server refuses @defer (Analyze), so no
//     field is ever deferred.
//   - Every object is written by graph.writeObject rather than by the *graphql.FieldSet its
//     marshaler fills, whose MarshalGQL makes a map and a copy of every field to write it.
//   - A plain leaf — a field with no resolver, arguments or directives, read from a struct
//     field or a method without a context, of a string, enum, integer or boolean type — is
//     marshalled straight from its value. gqlgen resolves every field alike: a field
//     context, a context holding it, closures, the value boxed and unboxed, the field
//     middleware: seven allocations to write one string, three-quarters of the fields of a
//     page of cases. What a plain leaf loses is nothing it uses: the field middleware (the
//     server installs none: no extension may intercept fields), the field's own panic
//     handler (reading a value in memory; a panic is still caught at the object's field
//     above it) and the field context (a leaf has no children, and its marshaler reports
//     no error: it writes a string, an integer or a boolean).
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
)

// inOrder are the GraphQL object types whose lists are marshalled in order.
var inOrder = []string{
	"CaseEdge", "Appeal", "CaseEvent", "Region", "Category", "Article",
	"StatBucket", "FineStats", "DimensionValue", "DetectionBucket", "DetectionDimensionValue",
	"FunnelStep", "PerturbationRow", "PerturbationOutcome",
	"OfficialFigure", "Population", "IndexUnit", "Vocabulary", "Term",
	"ImportIssue", "RegionNameMatch", "DumpFile",
}

const (
	concurrent = "graphql.MarshalSliceConcurrently("
	sequential = "marshalInOrder("

	deferredGroup   = "deferred := graphql.NewDeferredGroup(ctx)"
	undeferredGroup = "deferred := undeferred(ctx)"

	fieldSet       = "\tout := graphql.NewFieldSet(fields)\n"
	fieldSetReturn = "\n\treturn out\n}\n"
	objectReturn   = "\n\treturn writeObject(fields, out.Values)\n}\n"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: execpatch GENERATED_GO_FILE")
		os.Exit(2)
	}
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "execpatch:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if src, err = listsInOrder(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if src, err = withoutDeferral(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if src, err = objectsWritten(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if src, err = plainLeaves(src); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

// listsInOrder has the list marshalers of the inOrder types call marshalInOrder.
func listsInOrder(src []byte) ([]byte, error) {
	for _, name := range inOrder {
		// The list marshalers of a type: marshalN (non-null) and marshalO (nullable) of a
		// slice (ᚕ) of it, by value or by pointer (ᚖ).
		header := regexp.MustCompile(`(?m)^func \(ec \*executionContext\) marshal[NO]` + name + `2ᚕ[^(]*\(`)
		found := header.FindAllIndex(src, -1)
		if len(found) == 0 {
			return nil, fmt.Errorf("no list marshaler of %s", name)
		}
		for _, at := range found {
			body := src[at[1]:]
			end := bytes.Index(body, []byte("\n}\n"))
			if end < 0 {
				return nil, fmt.Errorf("the list marshaler of %s has no end", name)
			}
			i := bytes.Index(body[:end], []byte(concurrent))
			if i < 0 {
				if bytes.Contains(body[:end], []byte(sequential)) {
					continue // rewritten already
				}
				return nil, fmt.Errorf("the list marshaler of %s does not call %s", name, concurrent)
			}
			i += at[1]
			src = append(src[:i], append([]byte(sequential), src[i+len(concurrent):]...)...)
		}
	}
	return src, nil
}

// withoutDeferral has every object marshaler start with undeferred.
func withoutDeferral(src []byte) ([]byte, error) {
	n := bytes.Count(src, []byte(deferredGroup))
	if n == 0 && !bytes.Contains(src, []byte(undeferredGroup)) {
		return nil, fmt.Errorf("no object marshaler makes its group with %q", deferredGroup)
	}
	return bytes.ReplaceAll(src, []byte(deferredGroup), []byte(undeferredGroup)), nil
}

// objectsWritten has every object marshaler return writeObject(fields, out.Values) for the
// field set it filled.
func objectsWritten(src []byte) ([]byte, error) {
	objects := bytes.Count(src, []byte(fieldSet))
	returns := bytes.Count(src, []byte(fieldSetReturn))
	done := bytes.Count(src, []byte(objectReturn))
	switch {
	case objects == 0:
		return nil, fmt.Errorf("no object marshaler fills a field set with %q", fieldSet)
	case returns+done != objects:
		return nil, fmt.Errorf("%d object marshalers fill a field set, %d return it", objects, returns+done)
	}
	return bytes.ReplaceAll(src, []byte(fieldSetReturn), []byte(objectReturn)), nil
}

// leafMarshals are the functions a plain leaf's marshaler may call: it writes a string, an
// integer or a boolean, and reports a null it never returns.
var leafMarshals = []string{
	"graphql.MarshalString", "graphql.MarshalInt", "graphql.MarshalInt32", "graphql.MarshalInt64",
	"graphql.MarshalBoolean", "graphql.AddInvalidNullFromMarshaler",
}

// plainLeafMark begins the body of a rewritten field function.
const plainLeafMark = "// A plain leaf (graph/internal/execpatch)."

// plainLeaves rewrites the field functions of plain leaves to call their marshaler on their
// value. A field function gqlgen writes is
//
//	func (ec *executionContext) _Case_reference(ctx context.Context, field graphql.CollectedField, obj *model.Case) (ret graphql.Marshaler) {
//		return graphql.ResolveField(ctx, ec.OperationContext, field, FIELD_CONTEXT,
//			func(ctx context.Context) (any, error) { return obj.Reference, nil },
//			nil, // the field's directives
//			func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler {
//				return ec.marshalNString2string(ctx, selections, v)
//			},
//			true, true)
//	}
func plainLeaves(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, d := range file.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Recv != nil {
			funcs[f.Name.Name] = f
		}
	}
	type edit struct {
		from, to int
		body     string
	}
	var edits []edit
	fields, rewritten := 0, 0
	for _, d := range file.Decls {
		f, ok := d.(*ast.FuncDecl)
		if !ok || f.Recv == nil || f.Body == nil || len(f.Body.List) != 1 {
			continue
		}
		if c := f.Body.List[0]; bytes.HasPrefix(src[fset.Position(c.Pos()).Offset-len(plainLeafMark)-2:], []byte(plainLeafMark)) {
			rewritten++
			continue
		}
		ret, ok := f.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		call, ok := ret.Results[0].(*ast.CallExpr)
		if !ok || render(src, fset, call.Fun) != "graphql.ResolveField" {
			continue
		}
		fields++
		if len(call.Args) != 9 || render(src, fset, call.Args[5]) != "nil" {
			continue // directives on the field
		}
		value := returnedExpr(call.Args[4], 2)
		if value == nil || !plainRead(value) {
			continue // a resolver, or a method that takes the context or returns an error
		}
		marshal := returnedExpr(call.Args[6], 1)
		mc, ok := marshal.(*ast.CallExpr)
		if !ok {
			continue
		}
		sel, ok := mc.Fun.(*ast.SelectorExpr)
		if !ok || render(src, fset, sel.X) != "ec" || !leafMarshaler(funcs[sel.Sel.Name], src, fset) {
			continue
		}
		edits = append(edits, edit{
			from: fset.Position(f.Body.Lbrace).Offset,
			to:   fset.Position(f.Body.Rbrace).Offset + 1,
			body: fmt.Sprintf("{\n\t%s\n\treturn ec.%s(ctx, field.Selections, %s)\n}", plainLeafMark, sel.Sel.Name, render(src, fset, value)),
		})
	}
	if fields == 0 && rewritten == 0 {
		return nil, fmt.Errorf("no field function calls graphql.ResolveField")
	}
	if len(edits) == 0 && rewritten == 0 {
		return nil, fmt.Errorf("none of the %d field functions is a plain leaf", fields)
	}
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		src = slices.Concat(src[:e.from], []byte(e.body), src[e.to:])
	}
	return src, nil
}

// returnedExpr is the first result of a function literal whose body is one return of n
// results, or nil.
func returnedExpr(e ast.Expr, n int) ast.Expr {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return nil
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != n {
		return nil
	}
	if n == 2 {
		if id, ok := ret.Results[1].(*ast.Ident); !ok || id.Name != "nil" {
			return nil
		}
	}
	return ret.Results[0]
}

// plainRead tells obj.Field and obj.Method() apart from everything else.
func plainRead(e ast.Expr) bool {
	if c, ok := e.(*ast.CallExpr); ok {
		if len(c.Args) != 0 {
			return false
		}
		e = c.Fun
	}
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	return ok && id.Name == "obj"
}

// leafMarshaler tells whether f marshals a value with leafMarshals alone.
func leafMarshaler(f *ast.FuncDecl, src []byte, fset *token.FileSet) bool {
	if f == nil || f.Body == nil {
		return false
	}
	plain := true
	ast.Inspect(f.Body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		name := render(src, fset, c.Fun)
		switch {
		case slices.Contains(leafMarshals, name):
		case name == "string" || name == "int" || name == "int64" || name == "bool":
			// a conversion of an enum or a named integer
		default:
			plain = false
		}
		return plain
	})
	return plain
}

// render is the source text of n.
func render(src []byte, fset *token.FileSet, n ast.Node) string {
	return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
}
