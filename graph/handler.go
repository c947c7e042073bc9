package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
)

// MaxUploadBytes bounds one imported file.
const MaxUploadBytes = 512 << 20

// NewHandler serves GraphQL over HTTP (GET and POST) with the resolvers of r, and
// automatic persisted queries kept where r.KeepDocuments says (in process by default).
func NewHandler(r *Resolver) http.Handler {
	docs := r.docs
	if docs == nil {
		docs = lru.New[string](1000)
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: MaxUploadBytes, MaxMemory: 32 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(DefaultLimits.MaxTokens)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: docs})
	// After the persisted query is in place, before gqlgen parses and validates it.
	srv.Use(&limitsExtension{lim: DefaultLimits})
	srv.Use(RateLimits{}) // charges the cost limitsExtension published
	srv.SetErrorPresenter(presentError(r.log))
	srv.SetRecoverFunc(recoverPanic(r.log))
	srv.AroundOperations(recordOperationName)
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = withLoaders(ctx, r.store)
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil || oc.Operation.Operation != ast.Query {
			return next(ctx) // an import takes as long as its file needs
		}
		// A query runs within a deadline its cost allows; SQL statements and fact-table
		// passes stop when it passes.
		ctx, cancel := context.WithTimeout(ctx, executionDeadline(extension.GetComplexityStats(ctx)))
		answer := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			defer cancel()
			return answer(ctx)
		}
	})
	return overHTTP(srv)
}

// executionDeadline is how long a query of the given cost may run: generous, since a cost
// is calibrated on the demo dataset and passes take longer on larger ones, but bounded, so
// that no query holds a connection or a core for long.
func executionDeadline(cost *extension.ComplexityStats) time.Duration {
	d := 2 * time.Second
	if cost != nil {
		d += time.Duration(cost.Complexity) * 10 * time.Microsecond // 100 times the estimate
	}
	return min(d, 10*time.Second)
}

func pageSize(first *int) int {
	if first == nil || *first < 1 {
		return defaultPageSize
	}
	return min(*first, maxPageSize)
}
