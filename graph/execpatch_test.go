package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// A list marshalled in order is the list gqlgen would marshal: each element sees its own
// index, and a panic in one element makes that element null with an error at its path,
// leaving the others.
func TestMarshalInOrder(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter,
		func(context.Context, any) error { return errors.New("internal system error") })
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{}})
	var indexes []int
	out := marshalInOrder(ctx, 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		indexes = append(indexes, *graphql.GetFieldContext(ctx).Index)
		if i == 2 {
			panic("element 2")
		}
		return graphql.MarshalInt(i * 10)
	})
	if len(indexes) != 4 || indexes[0] != 0 || indexes[3] != 3 {
		t.Fatalf("elements saw indexes %v, want 0 to 3 in order", indexes)
	}
	if out[2] != graphql.Null {
		t.Errorf("the element that panicked is %v, want null", out[2])
	}
	var b strings.Builder
	out.MarshalGQL(&b)
	if b.String() != "[0,10,null,30]" {
		t.Errorf("the list is %s, want [0,10,null,30]", b.String())
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || errs[0].Message != "internal system error" {
		t.Fatalf("errors %v, want the one of element 2", errs)
	}
	if p := errs[0].Path; len(p) == 0 || p[len(p)-1] != ast.PathIndex(2) {
		t.Errorf("the error's path is %v, want it to end at index 2", p)
	}
}

// writeObject writes what gqlgen's field set writes: the fields in order, a response name
// once (the first), for a few fields and for many.
func TestWriteObject(t *testing.T) {
	for _, n := range []int{0, 1, 3, 16, 17, 40} {
		var fields []graphql.CollectedField
		var values []graphql.Marshaler
		for i := range n {
			name := fmt.Sprintf("f%d", i%(n/2+1)) // the later half repeats names
			fields = append(fields, graphql.CollectedField{Field: &ast.Field{Alias: name, Name: name}})
			values = append(values, graphql.MarshalInt(i))
		}
		fs := graphql.NewFieldSet(fields)
		copy(fs.Values, values)
		var want, got strings.Builder
		fs.MarshalGQL(&want)
		writeObject(fields, values).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("%d fields: wrote %s, gqlgen writes %s", n, got.String(), want.String())
		}
		var buf bytes.Buffer // what gqlgen writes an answer into
		buf.WriteString("[")
		writeObject(fields, values).MarshalGQL(&buf)
		if buf.String() != "["+want.String() {
			t.Errorf("%d fields, into a bytes.Buffer: wrote %s, gqlgen writes %s", n, buf.String(), want.String())
		}
	}
}
