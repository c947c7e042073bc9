package stats

import (
	"container/list"
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/casewatch/casewatch/internal/store"
)

// A search is found through the summaries' tokens (words.go), in memory. One page of a
// list asks twice (the page and its totalCount), an export pages through the list, and
// GraphQL aliases ask several times in one request; so the matches are kept per release
// generation and search, in a small cache, and the tokens are read once.
//
// The cache belongs to one request (WithSearches), never to the engine: shared between
// visitors, a search answered faster than the first time would tell a visitor that someone
// else had searched for the same words since the release.

// searchCacheSize bounds the searches kept. A kept search costs at most a bit per case
// (125 KB at a million cases), so the cache stays under 4 MB there.
const searchCacheSize = 32

// searchCache keeps the cases matched by the most recent searches of one request, least
// recently used out first. Concurrent questions of the request for a search not yet kept
// wait for one scan.
type searchCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // of *searchEntry
	order   list.List                // most recently used first
}

type searchEntry struct {
	key   string
	ready chan struct{}   // closed once cases is set
	cases *roaring.Bitmap // positions in the snapshot of the generation
}

// searchKey names a search of one generation by its words, as SQL matches them: searches
// that differ only in case or spacing share an entry.
func searchKey(generation int64, search string) string {
	return strconv.FormatInt(generation, 10) + "\x00" + strings.Join(store.SearchWords(search), " ")
}

type searchesKey struct{}

// WithSearches returns a context whose questions to the engine keep the cases their
// searches match, for one request: its pages, counts and aliases scan once. Without it,
// every question with a search scans.
func WithSearches(ctx context.Context) context.Context {
	return context.WithValue(ctx, searchesKey{}, &searchCache{})
}

// matching returns the positions of the facts of s whose summary holds every word of
// search.
func (e *Engine) matching(ctx context.Context, s *snapshot, search string) (*roaring.Bitmap, error) {
	words := store.SearchWords(search)
	c, _ := ctx.Value(searchesKey{}).(*searchCache)
	if c == nil {
		return s.words.match(words), nil
	}
	key := searchKey(s.generation, search)
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*list.Element{}
	}
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		en := el.Value.(*searchEntry)
		select {
		case <-en.ready:
			return en.cases, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	en := &searchEntry{key: key, ready: make(chan struct{})}
	c.entries[key] = c.order.PushFront(en)
	for c.order.Len() > searchCacheSize {
		old := c.order.Remove(c.order.Back()).(*searchEntry)
		delete(c.entries, old.key)
	}
	c.mu.Unlock()
	en.cases = s.words.match(words)
	close(en.ready)
	return en.cases, nil
}
