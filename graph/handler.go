package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
)

// MaxComplexity bounds the work one operation may ask for. A list field costs its page size
// times what each item asks, so a full page of 100 cases with every field fits, and
// nesting pages of pages does not.
const MaxComplexity = 20000

// MaxUploadBytes bounds one imported file.
const MaxUploadBytes = 512 << 20

// NewHandler serves GraphQL over HTTP (GET and POST) with the resolvers of r, and
// automatic persisted queries kept where r.KeepDocuments says (in process by default).
func NewHandler(r *Resolver) *handler.Server {
	docs := r.docs
	if docs == nil {
		docs = lru.New[string](1000)
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: MaxUploadBytes, MaxMemory: 32 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: docs})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.SetErrorPresenter(presentError(r.log))
	srv.SetRecoverFunc(recoverPanic(r.log))
	srv.AroundOperations(recordOperationName)
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, r.store))
	})
	return srv
}

// complexity prices the paginated lists by the page asked for.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Cases = func(child int, _ *model.CaseFilter, _ *store.CaseOrder, first *int, _ *string) int {
		return 1 + child*pageSize(first)
	}
	c.Query.Releases = func(child int, first *int, _ *string) int {
		return 1 + child*pageSize(first)
	}
	return c
}

func pageSize(first *int) int {
	if first == nil || *first < 1 {
		return defaultPageSize
	}
	return min(*first, maxPageSize)
}
