package stats

import (
	"container/list"
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/casewatch/casewatch/internal/store"
)

// A search is the one filter the fact table cannot answer: summaries are text, and keeping
// them in memory would cost more than the whole table. SQL finds the matching cases by a
// scan of every summary (store.CaseIDsMatchingSearch), tens of milliseconds at 50,000
// cases. One page of a list asks twice (the page and its totalCount), an export pages
// through the list, and GraphQL aliases ask several times in one request; so the matches
// are kept per release generation and search, in a small cache, and the scan runs once.
//
// The cache belongs to one request (WithSearches), never to the engine: shared between
// visitors, a search answered faster than its scan would tell a visitor that someone else
// had searched for the same words since the release. A later request scans again.

// searchCacheSize bounds the searches kept. A kept search costs a bit per case id (125 KB
// at a million cases), so the cache stays under 4 MB there.
const searchCacheSize = 32

// maxBitmapID bounds the ids a caseSet keeps in a bitmap (8 MB); ids spread wider than
// that go in a map instead. Case ids are numbered from 1 without gaps, so this is a guard.
const maxBitmapID = 1 << 26

// caseSet is a set of case ids: a bit per id up to the largest.
type caseSet struct {
	bits   []uint64
	sparse map[int64]struct{} // used instead of bits when ids exceed maxBitmapID
}

func newCaseSet(ids []int64) *caseSet {
	var largest int64
	for _, id := range ids {
		largest = max(largest, id)
	}
	if largest > maxBitmapID {
		s := &caseSet{sparse: make(map[int64]struct{}, len(ids))}
		for _, id := range ids {
			s.sparse[id] = struct{}{}
		}
		return s
	}
	s := &caseSet{bits: make([]uint64, largest/64+1)}
	for _, id := range ids {
		if id >= 0 {
			s.bits[id/64] |= 1 << (id % 64)
		}
	}
	return s
}

func (s *caseSet) has(id int64) bool {
	if s.sparse != nil {
		_, ok := s.sparse[id]
		return ok
	}
	return id >= 0 && id/64 < int64(len(s.bits)) && s.bits[id/64]&(1<<(id%64)) != 0
}

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
	ready chan struct{} // closed once cases or err is set
	cases *caseSet
	err   error
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

// matching returns the cases of generation gen whose summary holds every word of search.
func (e *Engine) matching(ctx context.Context, gen int64, search string) (*caseSet, error) {
	c, _ := ctx.Value(searchesKey{}).(*searchCache)
	if c == nil {
		ids, err := e.store.CaseIDsMatchingSearch(ctx, search)
		if err != nil {
			return nil, err
		}
		return newCaseSet(ids), nil
	}
	key := searchKey(gen, search)
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
			if en.err == nil {
				return en.cases, nil
			}
			// The scan failed for the request that ran it (which may have been
			// cancelled): scan for this one.
			ids, err := e.store.CaseIDsMatchingSearch(ctx, search)
			if err != nil {
				return nil, err
			}
			return newCaseSet(ids), nil
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

	// The scan reads the database as it is now, which may be a release newer than gen;
	// the next question then moves to that release, and its searches scan again.
	ids, err := e.store.CaseIDsMatchingSearch(ctx, search)
	if err == nil {
		en.cases = newCaseSet(ids)
	}
	en.err = err
	close(en.ready)
	if err != nil {
		// Not kept: a cancelled request must not fail the next one.
		c.mu.Lock()
		if el, ok := c.entries[key]; ok && el.Value == en {
			c.order.Remove(el)
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return en.cases, en.err
}
