package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/casewatch/casewatch/graph"
)

// HeaderRequestID carries a request's id: taken from a trusted proxy when it is a random
// id, made up otherwise, and always sent back.
const HeaderRequestID = "X-Request-Id"

// validRequestID is what an incoming X-Request-Id must look like to be kept: nginx's
// $request_id (32 hex digits) or a UUID. Nothing freer: the id is logged, traced and sent
// back, and a client could otherwise put an IIN, a phone number or a name there.
var validRequestID = regexp.MustCompile(`^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// incomingRequestID is the request's own id when a trusted proxy sent a valid one.
func incomingRequestID(r *http.Request, trusted []netip.Prefix) (string, bool) {
	id := r.Header.Get(HeaderRequestID)
	if id == "" || !validRequestID.MatchString(id) {
		return "", false
	}
	addr, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil || !isTrusted(addr.Addr().Unmap(), trusted) {
		return "", false
	}
	return id, true
}

// requestInfo is what one request's layers tell each other and the access log: its id, the
// handler that served it and the GraphQL operation it ran.
type requestInfo struct {
	id string

	mu        sync.Mutex
	handler   string
	operation string
	noted     bool
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return i
}

func (i *requestInfo) noteOperation(name string) {
	i.mu.Lock()
	i.operation, i.noted = name, true
	i.mu.Unlock()
}

func (i *requestInfo) setHandler(name string) {
	i.mu.Lock()
	i.handler = name
	i.mu.Unlock()
}

// labels returns the handler and the operation as metric labels.
func (i *requestInfo) labels(ops *operationNames) (handler, operation string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	switch {
	case i.handler != "graphql":
		operation = "none"
	case !i.noted:
		// Refused before the GraphQL handler read it (not ready, not parsed, too large).
		operation = "unknown"
	default:
		operation = ops.label(i.operation)
	}
	return i.handler, operation
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// operationNames bounds the operation names metrics are labelled with: an operation names
// itself, so without a bound every request could add a time series. Names that are not
// plain GraphQL names of at most 64 characters, and any after the first maxOperationNames,
// are "other"; an operation without a name is "anonymous".
type operationNames struct {
	mu   sync.Mutex
	seen map[string]struct{}
}

const maxOperationNames = 100

var validOperationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func (o *operationNames) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !validOperationName.MatchString(name) {
		return "other"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[name]; ok {
		return name
	}
	if len(o.seen) >= maxOperationNames {
		return "other"
	}
	if o.seen == nil {
		o.seen = map[string]struct{}{}
	}
	o.seen[name] = struct{}{}
	return name
}

// recorder remembers the status code and the bytes a handler wrote.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader && code >= 200 {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Flush() {
	if !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusOK, true
	}
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe is the outermost layer: it gives every request an id (echoed in X-Request-Id),
// recovers a handler's panic as a bare 500, and writes one access log line at Info: method,
// path, status, duration, bytes, cache result, GraphQL operation and the id. Never the query
// string, headers, variables or the body: a search or a variable may hold a name someone
// typed.
func (a *app) observe(ops *operationNames, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var trusted []netip.Prefix
		if a.limits != nil {
			trusted = a.limits.proxies
		}
		id, ok := incomingRequestID(r, trusted)
		if !ok {
			id = newRequestID()
		}
		w.Header().Set(HeaderRequestID, id)
		info := &requestInfo{id: id}
		ctx := context.WithValue(r.Context(), requestInfoKey{}, info)
		ctx = graph.WithOperationName(ctx, info.noteOperation)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.Error("panic serving a request", "request_id", id, "path", logPath(r),
					"panic", panicText(p), "stack", string(debug.Stack()))
				if !rec.wroteHeader {
					h := w.Header()
					for k := range h {
						if k != HeaderRequestID {
							delete(h, k)
						}
					}
					http.Error(rec, "internal error (request "+id+")", http.StatusInternalServerError)
				}
				rec.status = http.StatusInternalServerError
			}
			handler, op := info.labels(ops)
			annotateSpan(r.Context(), r.Method, handler, op, cacheResult(w), id)
			level := slog.LevelInfo
			if handler == "" && rec.status < 500 {
				// Probes and scrapes (/healthz, /readyz, /metrics) come every few seconds.
				level = slog.LevelDebug
			}
			a.log.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("path", logPath(r)),
				slog.Int("status", rec.status),
				slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
				slog.Int64("bytes", rec.bytes),
				slog.String("handler", handler),
				slog.String("cache", cacheResult(w)),
				slog.String("operation", op))
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// logPath is the request's path, without the query string, cut short.
func logPath(r *http.Request) string {
	p := r.URL.Path
	if len(p) > 200 {
		p = p[:200] + "…"
	}
	return p
}

// panicText describes a panic by the runtime error's text, or else by its type: a value
// that panicked may hold data.
func panicText(p any) string {
	if err, ok := p.(error); ok {
		var re interface{ RuntimeError() }
		if errors.As(err, &re) {
			return err.Error()
		}
		return "error"
	}
	// A string or any other value may hold what a request carried: only its type is told.
	return fmt.Sprintf("%T", p)
}

// cacheResult is the X-Cache header of the answer, "none" when it has none.
func cacheResult(w http.ResponseWriter) string {
	switch x := w.Header().Get(graph.HeaderXCache); x {
	case "HIT", "MISS", "BYPASS":
		return x
	}
	return "none"
}

// registerHealth adds the SQL pool's statistics (casewatch_db_*, from sql.DBStats) and,
// with REDIS_URL, casewatch_redis_up to reg.
func registerHealth(reg prometheus.Registerer, a *app) {
	reg.MustRegister(collectors.NewDBStatsCollector(a.store.DB(), "casewatch"))
	if a.cache.RedisConfigured() {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "casewatch_redis_up",
			Help: "1 when Redis answers PING (and the circuit breaker is not open), 0 otherwise.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			if a.cache.RedisHealth(ctx) != nil {
				return 0
			}
			return 1
		}))
	}
}
