package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
)

// MaxUploadBytes bounds one imported file.
const MaxUploadBytes = 512 << 20

// Options wire the GraphQL layer; New checks them once, at start, so that a missing piece
// stops the server from starting rather than failing the first request that needs it.
// (Config is the name gqlgen's generated code takes for its own.)
type Options struct {
	// Store reads cases, appeals, corrections and releases (*store.Store).
	Store Store
	// Engine answers case lists, counts, statistics and the funnel (*stats.Engine).
	Engine Engine
	// Reference is the published reference data.
	Reference *reference.Data
	// Secret keys the cursors, so that a cursor reveals nothing about the rows it points
	// at and cannot be forged.
	Secret []byte
	// Threshold is the server's suppression threshold k, at least privacy.MinThreshold; a
	// query may ask for a higher one, never a lower.
	Threshold int
	Log       *slog.Logger
	// Documents keeps the persisted query documents (*cache.Documents: shared through
	// Redis, so every instance knows a hash registered through any). nil keeps them in
	// process.
	Documents Documents
	// Imports turns on the importCases mutation; nil means imports are off (the server
	// has no CASEWATCH_SECRET of its own).
	Imports *Imports
	// Dumps keeps the release dumps, for Release.dump; nil when the server keeps none.
	Dumps DumpStore
	// PublicURL is the scheme and host the portal is reached at (https://casewatch.example),
	// for the absolute links of the feed; empty takes the request's host.
	PublicURL string
	// Webhooks turns on the webhook queries and mutations (editors only); nil: off.
	Webhooks Webhooks
	// Audit records the webhook mutations; with Webhooks.
	Audit Auditor
}

// Imports is what the importCases mutation needs.
type Imports struct {
	Importer Importer
	// Audit records every import, refused or not, with who ran it.
	Audit Auditor
	// Released, when set, is told of every release an import commits.
	Released Releases
}

// API is the GraphQL layer over HTTP: the GraphQL endpoint and the case exports, sharing
// one resolver.
type API struct {
	// GraphQL serves GraphQL over HTTP (GET, POST and multipart uploads) with automatic
	// persisted queries.
	GraphQL http.Handler
	// ExportCSV and ExportNDJSON serve the case list, filtered as the query string says,
	// as one file.
	ExportCSV, ExportNDJSON http.Handler
	// ExportStatisticsCSV and ExportStatisticsJSON serve the figures of one statistics
	// question, asked in the query string with the query's arguments, as one file.
	ExportStatisticsCSV, ExportStatisticsJSON http.Handler
	// Feed serves the Atom feed of releases.
	Feed http.Handler
	docs Documents
	r    *Resolver
}

// New checks o and builds the API.
func New(o Options) (*API, error) {
	var missing []string
	for _, c := range []struct {
		name   string
		absent bool
	}{
		{"Store", o.Store == nil}, {"Engine", o.Engine == nil}, {"Reference", o.Reference == nil},
		{"Secret", len(o.Secret) == 0}, {"Log", o.Log == nil},
		{"Imports.Importer", o.Imports != nil && o.Imports.Importer == nil},
		{"Imports.Audit", o.Imports != nil && o.Imports.Audit == nil},
		{"Audit", o.Webhooks != nil && o.Audit == nil},
	} {
		if c.absent {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("graph: the options lack %s", strings.Join(missing, ", "))
	}
	if o.Threshold < privacy.MinThreshold {
		return nil, fmt.Errorf("graph: suppression threshold %d is below the minimum, %d", o.Threshold, privacy.MinThreshold)
	}
	r := &Resolver{store: o.Store, engine: o.Engine, ref: o.Reference, cursors: newCursorSealer(o.Secret),
		log: o.Log, threshold: o.Threshold, imports: o.Imports, publicURL: strings.TrimSuffix(o.PublicURL, "/"), dumps: o.Dumps,
		webhooks: o.Webhooks, audit: o.Audit}
	docs := o.Documents
	if docs == nil {
		docs = lru.New[string](1000)
	}
	return &API{GraphQL: newHandler(r, docs), ExportCSV: r.exportHandler("csv"), ExportNDJSON: r.exportHandler("ndjson"),
		ExportStatisticsCSV: r.statisticsExportHandler("csv"), ExportStatisticsJSON: r.statisticsExportHandler("json"),
		Feed: r.feedHandler(), docs: docs, r: r}, nil
}

// CacheResponses puts the answer cache c in front of next (see cacheResponses); persisted
// queries sent by hash alone are looked up in the documents the GraphQL handler keeps.
func (a *API) CacheResponses(c ResponseCache, next http.Handler) http.Handler {
	return cacheResponses(c, a.docs, next)
}

// newHandler serves GraphQL over HTTP (GET and POST) with the resolvers of r, and
// automatic persisted queries kept in docs.
func newHandler(r *Resolver, docs Documents) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postJSON{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: MaxUploadBytes, MaxMemory: 32 << 20})
	queries := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(queries)
	srv.SetParserTokenLimit(DefaultLimits.MaxTokens)
	// No extension may intercept fields (AroundFields, InterceptField): the plain leaf
	// fields of the generated executor do not pass through them (internal/execpatch).
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: docs})
	// After the persisted query is in place, before gqlgen parses and validates it.
	srv.Use(&limitsExtension{lim: DefaultLimits, parsed: queries})
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
		// A query runs within a deadline its cost allows: its SQL statements are cancelled,
		// and a question still waiting for a fact-table pass gives up, when it passes (a
		// pass itself takes milliseconds).
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
