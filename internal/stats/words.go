package stats

import (
	"bytes"
	"maps"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// A search matches the cases whose summary holds every word of it as a substring
// (store.SearchWords, store.SearchText: both folded to lower case). A search word has no
// space in it, so it lies within one of the summary's space-separated tokens: the cases
// holding a word are those of the tokens that contain it. words keeps, for every token of
// every summary, the positions of the facts whose summary has it; a search reads the list
// of tokens (tens of thousands, not the million summaries) and unites their bitmaps, with
// no scan of the summaries and no SQL.

// words maps each token of the summaries to the positions of the facts that have it.
// Published with its snapshot, it is never changed.
type words struct {
	tokens map[string]*roaring.Bitmap
}

// tokensOf calls fn with each distinct token of a folded summary.
func tokensOf(text []byte, fn func(token []byte)) {
	seen := map[string]bool{}
	for _, t := range bytes.Fields(text) {
		if !seen[string(t)] {
			seen[string(t)] = true
			fn(t)
		}
	}
}

// wordsBuilder indexes the summaries of a table read in order of position, a chunk of
// 65,536 positions at a time (as buildIndex does).
type wordsBuilder struct {
	w       *words
	pending map[string][]uint32
	chunk   uint32
}

func newWordsBuilder() *wordsBuilder {
	return &wordsBuilder{w: &words{tokens: map[string]*roaring.Bitmap{}}, pending: map[string][]uint32{}}
}

// add indexes the summary of the fact at pos; positions come in increasing order.
func (b *wordsBuilder) add(pos uint32, text []byte) {
	if pos>>16 != b.chunk {
		b.flush()
		b.chunk = pos >> 16
	}
	tokensOf(text, func(t []byte) {
		if list, ok := b.pending[string(t)]; ok {
			b.pending[string(t)] = append(list, pos)
		} else {
			b.pending[string(t)] = []uint32{pos}
		}
	})
}

func (b *wordsBuilder) flush() {
	for t, list := range b.pending {
		bm := b.w.tokens[t]
		if bm == nil {
			bm = roaring.New()
			b.w.tokens[t] = bm
		}
		bm.AddMany(list)
	}
	clear(b.pending)
}

func (b *wordsBuilder) done() *words {
	b.flush()
	for _, bm := range b.w.tokens {
		bm.RunOptimize()
	}
	return b.w
}

// patch returns old with the facts at the positions in changed indexed by their summaries
// in texts (folded; none for a fact without a summary): those positions leave every token
// they had. Only the bitmaps that change are copied.
func (old *words) patch(changed []int32, texts map[int32][]byte) *words {
	w := &words{tokens: maps.Clone(old.tokens)}
	gone := roaring.New()
	for _, i := range changed {
		gone.Add(uint32(i))
	}
	for t, bm := range w.tokens {
		if bm.Intersects(gone) {
			if bm = roaring.AndNot(bm, gone); bm.IsEmpty() {
				delete(w.tokens, t)
			} else {
				w.tokens[t] = bm
			}
		}
	}
	copied := map[string]bool{}
	for i, text := range texts {
		tokensOf(text, func(t []byte) {
			bm := w.tokens[string(t)]
			switch {
			case bm == nil:
				bm = roaring.New()
				w.tokens[string(t)] = bm
				copied[string(t)] = true
			case !copied[string(t)] && old.tokens[string(t)] == bm:
				bm = bm.Clone()
				w.tokens[string(t)] = bm
				copied[string(t)] = true
			}
			bm.Add(uint32(i))
		})
	}
	return w
}

// match returns the positions of the facts whose summary holds every one of the words.
func (w *words) match(search []string) *roaring.Bitmap {
	var all []*roaring.Bitmap
	for _, word := range search {
		var with []*roaring.Bitmap
		for t, bm := range w.tokens {
			if strings.Contains(t, word) {
				with = append(with, bm)
			}
		}
		if len(with) == 0 {
			return roaring.New()
		}
		all = append(all, orOf(with))
	}
	switch len(all) {
	case 0:
		return roaring.New()
	case 1:
		return all[0]
	}
	return roaring.FastAnd(all...)
}
