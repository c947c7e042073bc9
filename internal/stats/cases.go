package stats

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

// Case lists are filtered, ordered and counted here, from the fact table, rather than by
// SQL: the table already holds every filterable column of every case, a pass over a
// million facts takes milliseconds, and without the indexes SQL would need for the same
// speed (one per filter and order, plus a covering one for counts) an import writes
// several times faster. The caller reads the page's rows by id (store.CasesByID).

// caseOrders are a snapshot's facts in the orders case lists use, built on first use.
type caseOrders struct {
	byReported, byDecided []int32 // positions in snapshot.facts
}

// order returns the positions of s's facts sorted by report (or decision) day, then id.
func (s *snapshot) order(byDecision bool) []int32 {
	s.ordersOnce.Do(func() {
		s.orders.byReported = sortByDay(s.facts, func(f *fact) uint16 { return f.reportedDay })
		s.orders.byDecided = sortByDay(s.facts, func(f *fact) uint16 { return f.decidedDay })
	})
	if byDecision {
		return s.orders.byDecided
	}
	return s.orders.byReported
}

// sortByDay sorts the positions of facts by day, then id: facts are in id order, so a
// stable counting sort by day is enough, and takes one pass rather than n log n.
func sortByDay(facts []fact, day func(*fact) uint16) []int32 {
	starts := make([]int32, 1<<16+1)
	for i := range facts {
		starts[int(day(&facts[i]))+1]++
	}
	for d := 1; d < len(starts); d++ {
		starts[d] += starts[d-1]
	}
	out := make([]int32, len(facts))
	for i := range facts {
		d := day(&facts[i])
		out[starts[d]] = int32(i)
		starts[d]++
	}
	return out
}

// ListCases returns the ids of up to first cases matching f in order o after the key (from
// the start when after is nil), and whether more follow. Like the case-level view, it does
// not find a case by a withheld region or defendant kind.
func (e *Engine) ListCases(ctx context.Context, f model.CaseFilter, o model.CaseOrder, first int, after *model.CaseKey) ([]int64, bool, error) {
	if !o.Valid() {
		return nil, false, fmt.Errorf("unknown case order %q", o)
	}
	var afterDay uint16
	if after != nil && after.Sort != "" { // "" is an undecided case's decision date
		t, err := time.Parse(time.DateOnly, after.Sort)
		if err != nil {
			return nil, false, fmt.Errorf("case list key: %w", err)
		}
		if afterDay, err = dayIndex(t); err != nil {
			return nil, false, fmt.Errorf("case list key: %w", err)
		}
	}
	s, m, release, err := e.begin(ctx, f, caseLists)
	if err != nil {
		return nil, false, err
	}
	defer release()

	order := s.order(o.ByDecision())
	day := func(f *fact) uint16 { return f.reportedDay }
	if o.ByDecision() {
		day = func(f *fact) uint16 { return f.decidedDay }
	}
	// keyAt compares the fact at position i of the order with the key.
	keyAt := func(i int) int {
		f := &s.facts[order[i]]
		return cmp.Or(cmp.Compare(day(f), afterDay), cmp.Compare(f.id, after.ID))
	}
	i, step := 0, 1
	if o.Descending() {
		i, step = len(order)-1, -1
	}
	if after != nil {
		if o.Descending() {
			i = sort.Search(len(order), func(i int) bool { return keyAt(i) >= 0 }) - 1
		} else {
			i = sort.Search(len(order), func(i int) bool { return keyAt(i) > 0 })
		}
	}
	ids := make([]int64, 0, first+1)
	for ; i >= 0 && i < len(order) && len(ids) <= first; i += step {
		if f := &s.facts[order[i]]; m.match(f) {
			ids = append(ids, f.id)
		}
	}
	if len(ids) > first {
		return ids[:first], true, nil
	}
	return ids, false, nil
}

// CountCases counts the cases a case list with filter f holds.
func (e *Engine) CountCases(ctx context.Context, f model.CaseFilter) (int, error) {
	s, m, release, err := e.begin(ctx, f, caseLists)
	if err != nil {
		return 0, err
	}
	defer release()
	n := 0
	for i := range s.facts {
		if m.match(&s.facts[i]) {
			n++
		}
	}
	return n, nil
}
