package main

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/graph/explorer"
	"github.com/casewatch/casewatch/web"
)

// routes lists every endpoint in one place.
func routes(a *app) http.Handler {
	reg := a.metrics
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newHTTPMetrics(reg)
	registerHealth(reg, a)

	mux := http.NewServeMux()
	// Public queries are answered from the cache before authentication: a request with a
	// token is never cached, so it has nothing to look up. The cache comes first so that
	// every answer says X-Cache; it bypasses itself until the server is ready.
	gql := a.requireReady(a.authenticate(a.api.GraphQL))
	// Rate limits come before the cache: a cached answer costs 1 point, an operation run
	// its cost. Exports cost exportCost each.
	// Any origin may read the public API and the exports (a preflight costs nothing).
	cors := publicCORS()
	// Answers are compressed inside streaming, so that writing compressed bytes still
	// moves the connection's write deadline.
	graphQL := cors(streaming(compressed(m.instrument("graphql", a.limit(m, 1, "exhausted", m.countCache(a.api.CacheResponses(a.cache, gql)))))))
	// A browser opening /graphql gets the API explorer (GraphiQL, served from here); every
	// GraphQL request goes on as before.
	explorerPage := m.instrument("explorer", explorer.Page())
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if explorer.WantsPage(r) {
			explorerPage.ServeHTTP(w, r)
			return
		}
		graphQL.ServeHTTP(w, r)
	}))
	mux.Handle("GET /explorer", explorerPage)
	mux.Handle("GET "+explorer.AssetPrefix, m.instrument("explorer", explorer.Assets()))
	export := func(h http.Handler) http.Handler {
		return cors(streaming(compressed(m.instrument("export", a.requireReady(a.limit(m, exportCost, "export", h))))))
	}
	mux.Handle("GET /export/cases.csv", export(a.api.ExportCSV))
	mux.Handle("GET /export/cases.ndjson", export(a.api.ExportNDJSON))
	mux.Handle("GET /export/statistics.csv", export(a.api.ExportStatisticsCSV))
	mux.Handle("GET /export/statistics.json", export(a.api.ExportStatisticsJSON))
	if a.dumps != nil {
		mux.Handle("GET /dumps/", cors(compressed(m.instrument("dumps", graph.DumpsHandler(a.dumps)))))
	}
	mux.Handle("GET /feed.atom", cors(compressed(m.instrument("feed", a.requireReady(a.limit(m, 1, "exhausted", a.api.Feed))))))
	mux.Handle("OPTIONS /export/", cors(http.NotFoundHandler())) // a browser's preflight (If-None-Match)
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(a))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// The embeddable table and chart: the portal's files, but any site may frame them
	// (web.Handler sets their policy; securityHeaders leaves out X-Frame-Options there).
	mux.Handle("GET /embed/", compressed(m.instrument("embed", web.Handler())))
	mux.Handle("/", compressed(m.instrument("web", web.Handler())))
	return securityHeaders(a.observe(m.operations, mux))
}

// handleHealthz answers 200 while the process runs.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
}

// handleReadyz answers 200 "ready" once the database is migrated, seeded when it had to be,
// and answering; 503 before and whenever the database does not answer. With REDIS_URL set
// and Redis not answering it still answers 200, saying "degraded: redis unavailable": the
// answers come from the database then, more slowly, and taking the instance out of a load
// balancer would not help.
func handleReadyz(a *app) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !a.ready.Load() {
			http.Error(w, "starting: preparing the database", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.store.Ping(ctx); err != nil {
			a.log.Warn("readiness: database does not answer", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if a.cache.RedisConfigured() {
			ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
			defer cancel()
			if err := a.cache.RedisHealth(ctx); err != nil {
				_, _ = w.Write([]byte("degraded: redis unavailable\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	})
}

// requireReady answers 503 with Retry-After while the server is still preparing data.
func (a *app) requireReady(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.ready.Load() {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "starting: preparing the database", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type httpMetrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	cache       *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	// operations bounds the operation names of the labels and the access log.
	operations *operationNames
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		operations: &operationNames{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_http_requests_total", Help: "HTTP requests by handler and status code.",
		}, []string{"handler", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "casewatch_http_request_duration_seconds",
			Help:    "HTTP request latency by handler, GraphQL operation name (bounded: see operationNames), status code and X-Cache result.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"handler", "operation", "code", "cache"}),
	}
	m.cache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "casewatch_graphql_cache_results_total", Help: "GraphQL answers by their X-Cache header (HIT, MISS, BYPASS).",
	}, []string{"result"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "casewatch_rate_limited_total",
		Help: "Requests refused with 429 by reason: exhausted (nothing left before the request was read), cost (the operation cost more than was left), export.",
	}, []string{"reason"})
	reg.MustRegister(m.requests, m.duration, m.cache, m.rateLimited)
	return m
}

// countCache counts answers by the X-Cache header the cache gave them.
func (m *httpMetrics) countCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if x := w.Header().Get(graph.HeaderXCache); x != "" {
			m.cache.WithLabelValues(x).Inc()
		}
	})
}

func (m *httpMetrics) instrument(name string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := infoFrom(r.Context()) // observe, around every route, put it there
		info.setHandler(name)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		code := strconv.Itoa(rec.status)
		_, op := info.labels(m.operations)
		m.requests.WithLabelValues(name, code).Inc()
		m.duration.WithLabelValues(name, op, code, cacheResult(w)).Observe(time.Since(start).Seconds())
	})
}
