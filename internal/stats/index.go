package stats

import (
	"math/bits"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// The index holds, for every value a filter can ask for, the positions (in
// snapshot.facts) of the facts with that value, as compressed bitmaps. A filter is then
// an intersection of unions of bitmaps (matcher.set): a count is its cardinality, a
// statistics pass visits its members only, and a case list tests membership along its
// order. Without it, each of these read the whole table, 80 MB at a million cases.
//
// Bitmaps are kept for the code of every column (NONE, which no filter asks for, left
// out), the months of report and of decision, the published periods case lists filter by,
// and each flag of what the case-level view withholds. At a million cases they take
// about a third of the facts' memory.

// indexKey names one bitmap: a kind of value and the value.
type indexKey uint32

// Kinds of indexed values; a column's codes are kinds 0 to nColumns-1.
const (
	kindReportedMonth = nColumns + iota
	kindDecidedMonth
	kindReportedPeriod
	kindDecidedPeriod
	kindView
)

func keyOf(kind int, value uint16) indexKey { return indexKey(kind)<<16 | indexKey(value) }

func (k indexKey) kind() int { return int(k >> 16) }

func (k indexKey) value() uint16 { return uint16(k) }

// factKeys calls add with every bitmap fact f belongs to.
func factKeys(f *fact, add func(indexKey)) {
	for col, c := range f.codes {
		if c != 0 {
			add(keyOf(col, c))
		}
	}
	add(keyOf(kindReportedMonth, f.reported))
	add(keyOf(kindReportedPeriod, f.reportedPeriod))
	if f.decided != 0 {
		add(keyOf(kindDecidedMonth, f.decided))
		add(keyOf(kindDecidedPeriod, f.decidedPeriod))
	}
	for v := f.view; v != 0; v &= v - 1 {
		add(keyOf(kindView, uint16(1)<<bits.TrailingZeros16(v)))
	}
}

// index maps each indexed value to its bitmap. Published with its snapshot, it is never
// changed.
type index struct {
	bitmaps map[indexKey]*roaring.Bitmap
	// n is the number of facts; the bitmap of all of them is [0, n).
	n int
	// publishers keeps, by a set of view flags, the facts whose view withholds none of
	// them (publishing), and withholders those that withhold one at least (withholding),
	// made on first use: case lists ask for a few such sets only.
	publishers, withholders sync.Map // uint16 → *roaring.Bitmap
}

// withholding returns the facts whose case-level view withholds one at least of the values
// flagged in withheld; nil for none.
func (x *index) withholding(withheld uint16) *roaring.Bitmap {
	if b, ok := x.withholders.Load(withheld); ok {
		return b.(*roaring.Bitmap)
	}
	var flagged []*roaring.Bitmap
	for v := withheld; v != 0; v &= v - 1 {
		if w := x.get(keyOf(kindView, uint16(1)<<bits.TrailingZeros16(v))); w != nil {
			flagged = append(flagged, w)
		}
	}
	b := orOf(flagged)
	if b != nil {
		x.withholders.Store(withheld, b)
	}
	return b
}

// publishing returns the facts whose case-level view withholds none of the values flagged
// in withheld (viewRegion, …).
func (x *index) publishing(withheld uint16) *roaring.Bitmap {
	if b, ok := x.publishers.Load(withheld); ok {
		return b.(*roaring.Bitmap)
	}
	// Kept as plain bitmaps, not runs: intersecting a run with a bitmap makes a bitmap of
	// the run first, on every question.
	words := make([]uint64, (x.n+63)/64)
	for i := range words {
		words[i] = ^uint64(0)
	}
	if x.n%64 != 0 {
		words[len(words)-1] = 1<<(x.n%64) - 1
	}
	if w := x.withholding(withheld); w != nil {
		w.Iterate(func(p uint32) bool {
			words[p/64] &^= 1 << (p % 64)
			return true
		})
	}
	b := roaring.FromDense(words, false)
	x.publishers.Store(withheld, b)
	return b
}

// get returns the bitmap of k, or nil when no fact has that value.
func (x *index) get(k indexKey) *roaring.Bitmap { return x.bitmaps[k] }

// union returns the facts with any of the values that keep accepts among those of kind
// (nil when none has), without changing the index's bitmaps.
func (x *index) union(kind int, keep func(uint16) bool) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	for k, b := range x.bitmaps {
		if k.kind() == kind && keep(k.value()) {
			parts = append(parts, b)
		}
	}
	return orOf(parts)
}

// buildIndex indexes facts. Positions are added in increasing order, buffered per bitmap
// and written one 65,536-position chunk at a time (AddMany of sorted values fills a
// container at once, where Add would search for it every time).
func buildIndex(facts []fact) *index {
	x := &index{bitmaps: map[indexKey]*roaring.Bitmap{}, n: len(facts)}
	type pending struct {
		bitmap *roaring.Bitmap
		buf    []uint32
	}
	byKey := map[indexKey]*pending{}
	var active []*pending
	flush := func() {
		for _, p := range active {
			p.bitmap.AddMany(p.buf)
			p.buf = p.buf[:0]
		}
		active = active[:0]
	}
	var pos uint32
	add := func(k indexKey) {
		p := byKey[k]
		if p == nil {
			p = &pending{bitmap: roaring.New()}
			byKey[k] = p
			x.bitmaps[k] = p.bitmap
		}
		if len(p.buf) == 0 {
			active = append(active, p)
		}
		p.buf = append(p.buf, pos)
	}
	for i := range facts {
		if i&0xFFFF == 0 {
			flush()
		}
		pos = uint32(i)
		factKeys(&facts[i], add)
	}
	flush()
	for _, b := range x.bitmaps {
		b.RunOptimize()
	}
	return x
}

// patch returns old's index brought to facts: the facts at the positions in changed were
// replaced or added (old held oldFacts). Only the bitmaps a changed fact leaves or joins
// are copied; the others are shared with old, which is never changed.
func (old *index) patch(oldFacts, facts []fact, changed []int32) *index {
	x := &index{bitmaps: make(map[indexKey]*roaring.Bitmap, len(old.bitmaps)), n: len(facts)}
	for k, b := range old.bitmaps {
		x.bitmaps[k] = b
	}
	copied := map[indexKey]bool{}
	own := func(k indexKey) *roaring.Bitmap {
		b := x.bitmaps[k]
		switch {
		case b == nil:
			b = roaring.New()
			x.bitmaps[k] = b
		case !copied[k]:
			b = b.Clone()
			x.bitmaps[k] = b
		}
		copied[k] = true
		return b
	}
	changed = slices.Clone(changed)
	slices.Sort(changed)
	changed = slices.Compact(changed)
	var pos uint32
	remove := func(k indexKey) { own(k).Remove(pos) }
	add := func(k indexKey) { own(k).Add(pos) }
	for _, i := range changed {
		pos = uint32(i)
		if int(i) < len(oldFacts) {
			factKeys(&oldFacts[i], remove)
		}
		factKeys(&facts[i], add)
	}
	for k := range copied {
		if x.bitmaps[k].IsEmpty() {
			delete(x.bitmaps, k)
		}
	}
	return x
}
