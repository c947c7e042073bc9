package graph

import (
	"bytes"
	"context"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// marshalInOrder marshals a list's elements one after another on the calling goroutine. It
// takes the place of graphql.MarshalSliceConcurrently, with the same signature, in the
// generated marshalers of the lists named in internal/execpatch: gqlgen starts a goroutine for
// every element of every list of objects, a fifth of a page's CPU when the elements
// are values in memory (a new goroutine's stack grows several times to marshal a case). The
// lists named there have elements whose fields never wait: they are computed in memory, or
// loaded for a whole page at once by the loaders (loaders.go), so nothing is gained by
// running them side by side. As gqlgen does, a panic in one element is reported as an error
// at its path and the element becomes null.
func marshalInOrder(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	out := make(graphql.Array, length)
	for i := range length {
		elementCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			out[i] = marshalElement(elementCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(elementCtx, graphql.Recover(elementCtx, r))
					out[i] = graphql.Null
				}
			}()
			out[i] = marshalElement(elementCtx, i)
		}()
	}
	return out
}

// undeferred takes the place of graphql.NewDeferredGroup in every generated object
// marshaler (internal/execpatch): a group that holds no deferred field. gqlgen's own works
// out the object's path and makes a map on every object of every answer — a tenth of a page
// of cases — for fields marked @defer, which Analyze refuses: over GET and POST their
// payloads would be lost. Were a deferred field to reach an object anyway, gqlgen would find
// no field set here and panic, and the panic would be answered as an internal error.
func undeferred(ctx context.Context) graphql.DeferredGroup {
	return graphql.DeferredGroup{Context: ctx}
}

// writeObject takes the place of the *graphql.FieldSet a generated object marshaler
// returns (internal/execpatch): it writes the same JSON object, the fields in the order
// they were collected, a response name once. gqlgen's FieldSet.MarshalGQL makes a map and a
// copy of every field to write an object: a quarter of the allocations of a page of cases.
func writeObject(fields []graphql.CollectedField, values []graphql.Marshaler) graphql.Marshaler {
	return &object{fields: fields, values: values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o *object) MarshalGQL(w io.Writer) {
	// gqlgen writes an answer into a bytes.Buffer: written to as such, not through io.Writer.
	b, ok := w.(*bytes.Buffer)
	if !ok {
		b = new(bytes.Buffer)
		defer func() { _, _ = w.Write(b.Bytes()) }()
	}
	b.WriteByte('{')
	var written map[string]bool // response names, for objects of many fields
	if len(o.fields) > 16 {
		written = make(map[string]bool, len(o.fields))
	}
	first := true
	for i := range o.fields {
		name := o.fields[i].Alias
		if written != nil {
			if written[name] {
				continue
			}
			written[name] = true
		} else if writtenBefore(o.fields[:i], name) {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		// A response name is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*): nothing to escape.
		b.WriteByte('"')
		b.WriteString(name)
		b.WriteString(`":`)
		o.values[i].MarshalGQL(b)
	}
	b.WriteByte('}')
}

func writtenBefore(fields []graphql.CollectedField, name string) bool {
	for i := range fields {
		if fields[i].Alias == name {
			return true
		}
	}
	return false
}
