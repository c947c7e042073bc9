package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/klauspost/compress/gzip"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/casewatch/casewatch/internal/cache"
)

// ResponseCache keeps whole answers per release generation (*cache.Cache).
type ResponseCache interface {
	// Enabled is false when nothing is cached at all.
	Enabled() bool
	// Generation is the current release generation; known is false until it was read.
	Generation() (gen int64, known bool)
	Get(ctx context.Context, gen int64, key string, fill cache.Fill) ([]byte, cache.Outcome)
}

// Documents holds persisted query documents by their SHA-256 (*cache.Documents).
type Documents = graphql.Cache[string]

// Headers of cached answers. A GET answer may be kept by browsers and CDNs for a second
// and revalidated with its ETag after that: a new release changes the ETag, so a
// revalidation brings it at once, and a burst of readers costs the server one request per
// second per edge.
const (
	HeaderXCache       = "X-Cache"
	PublicCacheControl = "public, max-age=1, stale-while-revalidate=10"
)

// maxCachedQuery bounds the documents whose answers are cached; larger ones are run as
// they come.
const maxCachedQuery = 64 << 10

// maxCachedBody bounds a POST body the cache reads before deciding.
const maxCachedBody = 1 << 20

// cacheResponses answers public queries from c: a request without a token whose operation
// is a query and that searches no free text (searches). The key is the release generation and a hash of the normalised document
// (parsed and printed again, so spacing and comments do not matter), the operation name
// and the variables. Every answer says X-Cache: HIT, MISS or BYPASS. Answers with errors
// are never cached and say Cache-Control: no-store. A GET answer carries an ETag of the
// generation and key; If-None-Match with it gets 304.
//
// docs resolves persisted queries sent by hash alone; a request with both query and hash
// registers the document, as gqlgen's APQ extension would had it run.
func cacheResponses(c ResponseCache, docs Documents, next http.Handler) http.Handler {
	parsed := lru.New[*normalized](1000)
	// The gzip form of the answers hit most often: a dashboard's thousands of requests for
	// one answer then cost a write each, not a compression each (the server compresses
	// every other answer as it goes).
	gzipped := lru.New[[]byte](256)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gen, known := c.Generation()
		if !c.Enabled() || !known {
			bypass(w, r, next)
			return
		}
		req, body, ok := readRequest(r)
		if !ok {
			bypass(w, r, next)
			return
		}
		key, ok := requestKey(r.Context(), req, docs, parsed)
		if !ok {
			bypass(w, r, next)
			return
		}
		if searches(r.Context(), req, docs, parsed) {
			// Shared, the answer would tell (by X-Cache, the ETag or its speed) whether
			// another visitor had asked the same free-text question since the release.
			w.Header().Set(HeaderXCache, "BYPASS")
			w.Header().Set("Cache-Control", "private, no-store")
			next.ServeHTTP(w, replay(r, body))
			return
		}
		noteCachedOperation(r.Context(), req, parsed)
		etag := `"` + strconv.FormatInt(gen, 10) + "-" + key[:32] + `"`
		get := r.Method == http.MethodGet
		if get && etagMatches(r.Header.Get("If-None-Match"), etag) {
			h := w.Header()
			h.Set(HeaderXCache, "HIT")
			publicHeaders(h, etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}

		var leader atomic.Pointer[recorder]
		val, outcome := c.Get(r.Context(), gen, key, func(ctx context.Context) ([]byte, bool) {
			rec := &recorder{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(rec, replay(r.WithContext(ctx), body))
			leader.Store(rec)
			return rec.body.Bytes(), rec.status == http.StatusOK && answerOK(rec.body.Bytes())
		})
		if r.Context().Err() != nil {
			return // the client went away
		}
		h := w.Header()
		if rec := leader.Load(); rec != nil {
			// This request computed the answer: send it as it came.
			for k, v := range rec.header {
				h[k] = v
			}
			h.Set(HeaderXCache, "MISS")
			if outcome == cache.Uncacheable {
				h.Set("Cache-Control", "no-store")
			} else if get {
				publicHeaders(h, etag)
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		if outcome == cache.Uncacheable {
			// Another request computed an answer with errors at the same moment: compute
			// ours, with whatever errors it brings.
			h.Set(HeaderXCache, "MISS")
			h.Set("Cache-Control", "no-store")
			next.ServeHTTP(w, replay(r, body))
			return
		}
		h.Set("Content-Type", responseContentType(r))
		if outcome == cache.Hit {
			h.Set(HeaderXCache, "HIT")
		} else {
			h.Set(HeaderXCache, "MISS")
		}
		if len(val) >= gzipMinSize && acceptsGzip(r) {
			id := strconv.FormatInt(gen, 10) + "-" + key
			z, ok := gzipped.Get(r.Context(), id)
			if !ok {
				z = gzipBytes(val)
				gzipped.Add(r.Context(), id, z)
			}
			h.Set("Content-Encoding", "gzip")
			if get {
				publicHeaders(h, strings.TrimSuffix(etag, `"`)+`-gzip"`)
			}
			h.Add("Vary", "Accept-Encoding")
			_, _ = w.Write(z)
			return
		}
		if get {
			publicHeaders(h, etag)
		}
		_, _ = w.Write(val)
	})
}

// gzipMinSize is the smallest answer sent gzipped from the cache: smaller ones gain little.
const gzipMinSize = 1024

// acceptsGzip reports whether the request's Accept-Encoding lists gzip (not with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// gzipBytes compresses b.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b) // writes to memory do not fail
	_ = zw.Close()
	return buf.Bytes()
}

func bypass(w http.ResponseWriter, r *http.Request, next http.Handler) {
	w.Header().Set(HeaderXCache, "BYPASS")
	w.Header().Set("Cache-Control", "no-store")
	next.ServeHTTP(w, r)
}

func publicHeaders(h http.Header, etag string) {
	h.Set("Cache-Control", PublicCacheControl)
	h.Set("ETag", etag)
	h.Set("Vary", "Accept, Authorization")
}

// gqlRequest is a GraphQL-over-HTTP request, GET or POST.
type gqlRequest struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    struct {
		PersistedQuery *struct {
			Version int    `json:"version"`
			Hash    string `json:"sha256Hash"`
		} `json:"persistedQuery"`
	} `json:"extensions"`
}

// readRequest reads a request the cache may answer: public, GET or a JSON POST. body is
// the POST body, to be replayed to the handler. Anything else is passed on untouched.
func readRequest(r *http.Request) (req gqlRequest, body []byte, ok bool) {
	if r.Header.Get("Authorization") != "" || r.Header.Get("Upgrade") != "" {
		return req, nil, false
	}
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			req.Variables = json.RawMessage(v)
		}
		if e := q.Get("extensions"); e != "" {
			if err := json.Unmarshal([]byte(e), &req.Extensions); err != nil {
				return req, nil, false
			}
		}
		return req, nil, true
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			return req, nil, false
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxCachedBody+1))
		if err != nil || len(body) > maxCachedBody {
			// Too large (or broken) to cache: hand the handler the body as it was.
			r.Body = readCloser{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
			return req, nil, false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := json.Unmarshal(body, &req); err != nil {
			return req, nil, false
		}
		return req, body, true
	}
	return req, nil, false
}

type readCloser struct {
	io.Reader
	io.Closer
}

// replay returns r with its body to be read again.
func replay(r *http.Request, body []byte) *http.Request {
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return r
}

// normalized is what the cache keeps of a parsed document.
type normalized struct {
	hash [sha256.Size]byte
	// ops maps operation names to their kind; "" is the only operation of a document
	// with one.
	ops map[string]ast.Operation
	bad bool
	// live is true for a document asking for what differs from one request to the next
	// (rateLimit): never answered from the cache.
	live bool
	// search is true for a document that gives a search argument or filter field a value
	// (or a variable): never answered from the cache, nor kept in it.
	search bool
}

// searches reports whether a cacheable request searches free text: its document gives a
// search field a value, or its variables hold one (a CaseFilter passed whole).
func searches(ctx context.Context, req gqlRequest, docs Documents, parsed *lru.LRU[*normalized]) bool {
	query := req.Query
	if query == "" && req.Extensions.PersistedQuery != nil {
		query, _ = docs.Get(ctx, req.Extensions.PersistedQuery.Hash)
	}
	if n, ok := parsed.Get(ctx, query); !ok || n.search {
		return true // requestKey parsed it: not found, play safe
	}
	var vars any
	dec := json.NewDecoder(bytes.NewReader(req.Variables))
	if len(bytes.TrimSpace(req.Variables)) > 0 && dec.Decode(&vars) != nil {
		return true
	}
	return jsonHasSearch(vars)
}

// jsonHasSearch reports whether a decoded JSON value holds, at any depth, an object with a
// non-null "search".
func jsonHasSearch(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if (k == "search" && x != nil) || jsonHasSearch(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if jsonHasSearch(x) {
				return true
			}
		}
	}
	return false
}

// setsSearch reports whether a selection set, or one within it, gives an argument named
// search, or an input object field named search, a value other than null.
func setsSearch(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if argumentsSetSearch(s.Arguments) || directivesSetSearch(s.Directives) || setsSearch(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if directivesSetSearch(s.Directives) || setsSearch(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if directivesSetSearch(s.Directives) {
				return true
			}
		}
	}
	return false
}

func directivesSetSearch(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if argumentsSetSearch(d.Arguments) {
			return true
		}
	}
	return false
}

func argumentsSetSearch(args ast.ArgumentList) bool {
	for _, a := range args {
		if (a.Name == "search" && !isNull(a.Value)) || valueSetsSearch(a.Value) {
			return true
		}
	}
	return false
}

// valueSetsSearch reports whether a literal value holds an object with a search field.
func valueSetsSearch(v *ast.Value) bool {
	if v == nil {
		return false
	}
	for _, c := range v.Children {
		if (v.Kind == ast.ObjectValue && c.Name == "search" && !isNull(c.Value)) || valueSetsSearch(c.Value) {
			return true
		}
	}
	return false
}

func isNull(v *ast.Value) bool { return v == nil || v.Kind == ast.NullValue }

// requestKey is the hex hash of a cacheable request's normalised document, operation name
// and variables; ok is false when the request is not a public query the cache may answer.
func requestKey(ctx context.Context, req gqlRequest, docs Documents, parsed *lru.LRU[*normalized]) (key string, ok bool) {
	query := req.Query
	if pq := req.Extensions.PersistedQuery; pq != nil {
		if pq.Version != 1 {
			return "", false
		}
		if query == "" {
			if query, ok = docs.Get(ctx, pq.Hash); !ok {
				return "", false
			}
		} else {
			sum := sha256.Sum256([]byte(query))
			if hex.EncodeToString(sum[:]) != pq.Hash {
				return "", false
			}
			// The answer may come from the cache, without the APQ extension seeing it.
			docs.Add(ctx, pq.Hash, query)
		}
	}
	if query == "" || len(query) > maxCachedQuery {
		return "", false
	}
	n, found := parsed.Get(ctx, query)
	if !found {
		n = normalize(query)
		parsed.Add(ctx, query, n)
	}
	if n.bad || n.live {
		return "", false
	}
	kind, found := n.ops[req.OperationName]
	if !found && req.OperationName == "" && len(n.ops) == 1 {
		for _, k := range n.ops {
			kind, found = k, true
		}
	}
	if !found || kind != ast.Query {
		return "", false
	}
	vars, ok := canonicalJSON(req.Variables)
	if !ok {
		return "", false
	}
	h := sha256.New()
	h.Write(n.hash[:])
	h.Write([]byte{0})
	h.Write([]byte(req.OperationName))
	h.Write([]byte{0})
	h.Write(vars)
	return hex.EncodeToString(h.Sum(nil)), true
}

// normalize parses a document and prints it again: what differs only in spacing, commas or
// comments hashes the same.
func normalize(query string) *normalized {
	// The same token limit as gqlgen's, so that reading the key costs no more than that.
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, DefaultLimits.MaxTokens)
	if err != nil {
		return &normalized{bad: true}
	}
	var buf bytes.Buffer
	formatter.NewFormatter(&buf).FormatQueryDocument(doc)
	n := &normalized{hash: sha256.Sum256(buf.Bytes()), ops: map[string]ast.Operation{}}
	for _, op := range doc.Operations {
		n.ops[op.Name] = op.Operation
		n.live = n.live || asksFor(op.SelectionSet, "rateLimit")
		n.search = n.search || setsSearch(op.SelectionSet) || directivesSetSearch(op.Directives)
		for _, v := range op.VariableDefinitions {
			n.search = n.search || valueSetsSearch(v.DefaultValue) || directivesSetSearch(v.Directives)
		}
	}
	for _, f := range doc.Fragments {
		n.live = n.live || asksFor(f.SelectionSet, "rateLimit")
		n.search = n.search || setsSearch(f.SelectionSet) || directivesSetSearch(f.Directives)
	}
	return n
}

// asksFor reports whether a selection set, or one within it, selects the field name.
func asksFor(set ast.SelectionSet, name string) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == name || asksFor(s.SelectionSet, name) {
				return true
			}
		case *ast.InlineFragment:
			if asksFor(s.SelectionSet, name) {
				return true
			}
		}
	}
	return false
}

// canonicalJSON re-encodes the variables with sorted keys and no spacing; nil for none.
func canonicalJSON(raw json.RawMessage) ([]byte, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	b, err := json.Marshal(v)
	return b, err == nil
}

// answerOK is true for an answer with data and no errors: only those are cached.
func answerOK(body []byte) bool {
	var a struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return false
	}
	return len(a.Errors) == 0 && len(a.Data) > 0 && string(a.Data) != "null"
}

// responseContentType is the media type gqlgen's HTTP transports answer with for r.
func responseContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return "application/json"
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case "application/graphql-response+json":
			return mt
		}
	}
	return "application/graphql-response+json"
}

// etagMatches applies If-None-Match (a list of entity tags, or *).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || part == etag || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}

// recorder keeps an answer so it can be cached and sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
