package stats

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The word index finds exactly the summaries holding every word of a search as a
// substring, built at once or patched through releases.
func TestWordsAgreeWithSubstrings(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vocabulary := []string{"пост", "паводок", "паводке", "о", "атырау", "видео", "100%", "x_y", "репост:", "выборах"}
	text := func() []byte {
		if rng.IntN(4) == 0 {
			return nil // no summary
		}
		var ws []string
		for range 1 + rng.IntN(6) {
			ws = append(ws, vocabulary[rng.IntN(len(vocabulary))])
		}
		return []byte(strings.Join(ws, " "))
	}
	texts := make([][]byte, 2000)
	b := newWordsBuilder()
	for i := range texts {
		if texts[i] = text(); texts[i] != nil {
			b.add(uint32(i), texts[i])
		}
	}
	w := b.done()
	check := func(w *words) {
		t.Helper()
		for _, search := range [][]string{{"паводк"}, {"пост"}, {"о", "пост"}, {"%"}, {"_"}, {"ст", "в"}, {"нет"}, {"ост:"}, {}} {
			var want []uint32
			for i, text := range texts {
				if text == nil || len(search) == 0 {
					continue
				}
				all := true
				for _, s := range search {
					all = all && strings.Contains(string(text), s)
				}
				if all {
					want = append(want, uint32(i))
				}
			}
			if got := w.match(search).ToArray(); !slices.Equal(got, want) {
				t.Fatalf("%q: %d summaries found, want %d", search, len(got), len(want))
			}
		}
	}
	check(w)
	for range 5 {
		var changed []int32
		byPosition := map[int32][]byte{}
		for range rng.IntN(200) {
			i := rng.IntN(len(texts))
			texts[i] = text()
			changed = append(changed, int32(i))
		}
		for range rng.IntN(100) {
			changed = append(changed, int32(len(texts)))
			texts = append(texts, text())
		}
		for _, i := range changed {
			if texts[i] != nil {
				byPosition[i] = texts[i]
			}
		}
		before := len(w.tokens)
		next := w.patch(changed, byPosition)
		if len(w.tokens) != before {
			t.Fatal("patching changed the older index")
		}
		check(next)
		w = next
	}
}
