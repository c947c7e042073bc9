package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

type operationNameKey struct{}

// WithOperationName returns ctx carrying note, which the GraphQL handler calls with the
// name of the operation it runs ("" for an anonymous one), and the response cache with the
// name of the operation it answers: the HTTP layer labels its metrics and access log with
// it without parsing the request itself.
func WithOperationName(ctx context.Context, note func(name string)) context.Context {
	return context.WithValue(ctx, operationNameKey{}, note)
}

func noteOperationName(ctx context.Context, name string) {
	if note, ok := ctx.Value(operationNameKey{}).(func(string)); ok {
		note(name)
	}
}

// recordOperationName is an operation middleware: it notes the operation's name.
func recordOperationName(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		name := oc.OperationName
		if name == "" && oc.Operation != nil {
			name = oc.Operation.Name
		}
		noteOperationName(ctx, name)
	}
	return next(ctx)
}

// noteCachedOperation notes the name of an operation the response cache answers: the one
// the request names or, when it names none, the document's only one.
func noteCachedOperation(ctx context.Context, req gqlRequest, parsed *lru.LRU[*normalized]) {
	name := req.OperationName
	if name == "" && req.Query != "" {
		if n, ok := parsed.Get(ctx, req.Query); ok && len(n.ops) == 1 {
			for op := range n.ops {
				name = op
			}
		}
	}
	noteOperationName(ctx, name)
}
