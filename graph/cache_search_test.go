package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/lru"

	"github.com/casewatch/casewatch/internal/cache"
)

// mapCache is a ResponseCache in a map, shared by every visitor, as the real one is.
type mapCache struct {
	mu      sync.Mutex
	answers map[string][]byte
}

func (c *mapCache) Enabled() bool             { return true }
func (c *mapCache) Generation() (int64, bool) { return 1, true }
func (c *mapCache) entries() int              { c.mu.Lock(); defer c.mu.Unlock(); return len(c.answers) }
func (c *mapCache) Get(ctx context.Context, gen int64, key string, fill cache.Fill) ([]byte, cache.Outcome) {
	c.mu.Lock()
	if v, ok := c.answers[key]; ok {
		c.mu.Unlock()
		return v, cache.Hit
	}
	c.mu.Unlock()
	v, ok := fill(ctx)
	if !ok {
		return v, cache.Uncacheable
	}
	c.mu.Lock()
	c.answers[key] = v
	c.mu.Unlock()
	return v, cache.Miss
}

// A visitor cannot tell whether another asked the same free-text question: a question
// with a search, written in the document or passed in the variables, is never answered
// from the shared cache nor kept in it, and says so (X-Cache: BYPASS, private, no-store).
// A question without one is shared, as before.
func TestSearchesAreNotShared(t *testing.T) {
	c := &mapCache{answers: map[string][]byte{}}
	ran := 0
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"cases":{"totalCount":1}}}`))
	})
	h := cacheResponses(c, lru.New[string](10), next)
	post := func(q string, vars map[string]any) *httptest.ResponseRecorder {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	get := func(q string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/graphql?"+url.Values{"query": {q}}.Encode(), nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	searches := []struct {
		name string
		ask  func() *httptest.ResponseRecorder
	}{
		{"literal", func() *httptest.ResponseRecorder {
			return post(`{ cases(filter: {search: "паводок Атырау"}) { totalCount } }`, nil)
		}},
		{"GET", func() *httptest.ResponseRecorder {
			return get(`{ cases(filter: {search: "паводок"}) { totalCount } }`)
		}},
		{"variable field", func() *httptest.ResponseRecorder {
			return post(`query($s: String) { cases(filter: {search: $s}) { totalCount } }`, map[string]any{"s": "паводок"})
		}},
		{"filter variable", func() *httptest.ResponseRecorder {
			return post(`query($f: CaseFilter) { cases(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"search": "паводок"}})
		}},
		{"default value", func() *httptest.ResponseRecorder {
			return post(`query($f: CaseFilter = {search: "паводок"}) { cases(filter: $f) { totalCount } }`, nil)
		}},
		{"fragment", func() *httptest.ResponseRecorder {
			return post(`query { ...F } fragment F on Query { statistics(filter: {search: "паводок"}, groupBy: []) { total } }`, nil)
		}},
	}
	for _, s := range searches {
		for visitor := 1; visitor <= 2; visitor++ {
			before := ran
			w := s.ask()
			if got := w.Header().Get(HeaderXCache); got != "BYPASS" {
				t.Errorf("%s, visitor %d: X-Cache %q, want BYPASS", s.name, visitor, got)
			}
			if got := w.Header().Get("Cache-Control"); got != "private, no-store" {
				t.Errorf("%s, visitor %d: Cache-Control %q, want private, no-store", s.name, visitor, got)
			}
			if w.Header().Get("ETag") != "" || ran != before+1 {
				t.Errorf("%s, visitor %d: ETag %q, computed %d times, want no ETag and once", s.name, visitor, w.Header().Get("ETag"), ran-before)
			}
		}
	}
	if n := c.entries(); n != 0 {
		t.Fatalf("the shared cache holds %d answers to searches", n)
	}

	// Without a search (or with search: null), the answer is shared.
	for i, want := range []string{"MISS", "HIT"} {
		w := post(`query($f: CaseFilter) { cases(filter: $f) { totalCount } }`, map[string]any{"f": map[string]any{"search": nil, "jurisdiction": "KZ"}})
		if got := w.Header().Get(HeaderXCache); got != want {
			t.Fatalf("question %d without a search: X-Cache %q, want %q", i+1, got, want)
		}
	}
}
