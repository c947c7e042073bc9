package stats

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// Case lists are filtered, ordered and counted here, from the fact table, rather than by
// SQL: the table already holds every filterable column of every case, a pass over a
// million facts takes milliseconds, and without the indexes SQL would need for the same
// speed (one per filter and order, plus a covering one for counts) an import writes
// several times faster. The caller reads the page's rows by id (store.CasesByID).

// Case-level dates are published by quarter, or by year for a case whose dates
// generalisation coarsened, so a list must not be ordered by anything finer: a case's place
// among the cases of its period would give its month or day away. Lists are ordered by the
// published period (periodKey: a year-only period after the quarters of its year), and,
// within a period, by rank, a keyed pseudo-random value (the first 8 bytes of
// HMAC-SHA256 of the case reference under a key derived from the server's secret): the
// same from page to page and from release to release, and, without the secret,
// independent of the day.

// orderKey derives the key of the ranks from the server's secret.
func orderKey(secret []byte) []byte {
	k := sha256.Sum256(append([]byte("casewatch case order\x00"), secret...))
	return k[:]
}

// newRanker returns a function giving the rank of a case by its reference. It is not
// safe for concurrent use.
func newRanker(key []byte) func(reference []byte) uint64 {
	mac := hmac.New(sha256.New, key)
	var sum [sha256.Size]byte
	return func(reference []byte) uint64 {
		mac.Reset()
		mac.Write(reference)
		return binary.BigEndian.Uint64(mac.Sum(sum[:0]))
	}
}

// caseOrders are a snapshot's facts in the orders case lists use, built on first use.
type caseOrders struct {
	byReported, byDecided []int32 // positions in snapshot.facts
}

// order returns the positions of s's facts sorted by published period of report (or of
// decision), then rank, then id.
func (s *snapshot) order(byDecision bool) []int32 {
	s.ordersOnce.Do(func() {
		defer s.ordered.Store(true)
		byRank := make([]int32, len(s.facts))
		for i := range byRank {
			byRank[i] = int32(i)
		}
		slices.SortFunc(byRank, func(a, b int32) int {
			fa, fb := &s.facts[a], &s.facts[b]
			return cmp.Or(cmp.Compare(fa.rank, fb.rank), cmp.Compare(fa.id, fb.id))
		})
		s.orders.byReported = sortByPeriod(s.facts, byRank, func(f *fact) uint16 { return f.reportedPeriod })
		s.orders.byDecided = sortByPeriod(s.facts, byRank, func(f *fact) uint16 { return f.decidedPeriod })
	})
	if byDecision {
		return s.orders.byDecided
	}
	return s.orders.byReported
}

// patchOrders gives s, old with the facts at the positions changed replaced or added,
// old's orders with those facts put in their new places, when old has its orders (a sort
// of a million facts took most of a second).
func (s *snapshot) patchOrders(old *snapshot, changed []int32) {
	if !old.ordered.Load() {
		return
	}
	by := func(period func(*fact) uint16) func(a, b int32) int {
		return func(a, b int32) int {
			fa, fb := &s.facts[a], &s.facts[b]
			return cmp.Or(cmp.Compare(period(fa), period(fb)), cmp.Compare(fa.rank, fb.rank), cmp.Compare(fa.id, fb.id))
		}
	}
	all := func(int32) bool { return true }
	orders := caseOrders{
		byReported: mergeChanged(old.orders.byReported, len(s.facts), changed, all, by(func(f *fact) uint16 { return f.reportedPeriod })),
		byDecided:  mergeChanged(old.orders.byDecided, len(s.facts), changed, all, by(func(f *fact) uint16 { return f.decidedPeriod })),
	}
	s.ordersOnce.Do(func() {
		s.orders = orders
		s.ordered.Store(true)
	})
}

// sortByPeriod sorts positions (of facts, in rank order) by period, keeping the rank order
// within a period: a stable counting sort, one pass rather than n log n.
func sortByPeriod(facts []fact, positions []int32, month func(*fact) uint16) []int32 {
	starts := make([]int32, 1<<16+1)
	for _, p := range positions {
		starts[int(month(&facts[p]))+1]++
	}
	for d := 1; d < len(starts); d++ {
		starts[d] += starts[d-1]
	}
	out := make([]int32, len(positions))
	for _, p := range positions {
		m := month(&facts[p])
		out[starts[m]] = p
		starts[m]++
	}
	return out
}

// periodOf formats a periodKey as the view publishes it, "2024-Q2" or "2024"; 0
// (undecided) is "".
func periodOf(p uint16) string {
	year := p / 5
	switch {
	case p == 0:
		return ""
	case year > 9999: // no date has such a year; written as fmt would
		if p%5 == 4 {
			return fmt.Sprintf("%04d", year)
		}
		return fmt.Sprintf("%04d-Q%d", year, p%5+1)
	}
	// Every key of every page is written here: without fmt.
	b := [7]byte{byte('0' + year/1000), byte('0' + year/100%10), byte('0' + year/10%10), byte('0' + year%10), '-', 'Q', byte('1' + p%5)}
	if p%5 == 4 {
		return string(b[:4])
	}
	return string(b[:])
}

// parsePeriod reads a key's period back into a periodKey.
func parsePeriod(p string) (uint16, error) {
	if p == "" {
		return 0, nil
	}
	year, quarter, ok := strings.Cut(p, "-Q")
	y, err := strconv.Atoi(year)
	if err != nil || y < 1 || y > 9999 {
		return 0, fmt.Errorf("%q is not a period", p)
	}
	if !ok {
		return uint16(y*5 + 4), nil
	}
	q, err := strconv.Atoi(quarter)
	if err != nil || q < 1 || q > 4 {
		return 0, fmt.Errorf("%q is not a period", p)
	}
	return uint16(y*5 + q - 1), nil
}

// ListCases returns the keys (and so the ids) of up to first cases matching f in order o
// after the key (from the start when after is nil), and whether more follow. Like the
// case-level view, it filters on what that view publishes (filter.go): it does not find a
// case by a withheld value, nor a case the view leaves out.
func (e *Engine) ListCases(ctx context.Context, f model.CaseFilter, o model.CaseOrder, first int, after *model.CaseKey) ([]model.CaseKey, bool, error) {
	if !o.Valid() {
		return nil, false, fmt.Errorf("unknown case order %q", o)
	}
	var afterPeriod uint16
	if after != nil {
		var err error
		if afterPeriod, err = parsePeriod(after.Period); err != nil {
			return nil, false, fmt.Errorf("case list key: %w", err)
		}
	}
	s, m, release, err := e.begin(ctx, f, caseLists)
	if err != nil {
		return nil, false, err
	}
	defer release()

	order := s.order(o.ByDecision())
	month := func(f *fact) uint16 { return f.reportedPeriod }
	if o.ByDecision() {
		month = func(f *fact) uint16 { return f.decidedPeriod }
	}
	// keyAt compares the fact at position i of the order with the key.
	keyAt := func(i int) int {
		f := &s.facts[order[i]]
		return cmp.Or(cmp.Compare(month(f), afterPeriod), cmp.Compare(f.rank, after.Rank), cmp.Compare(f.id, after.ID))
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
	keys := make([]model.CaseKey, 0, first+1)
	for ; i >= 0 && i < len(order) && len(keys) <= first; i += step {
		if p := order[i]; m.has(int(p)) {
			f := &s.facts[p]
			keys = append(keys, model.CaseKey{Period: periodOf(month(f)), Rank: f.rank, ID: f.id})
		}
	}
	if len(keys) > first {
		return keys[:first], true, nil
	}
	return keys, false, nil
}

// CaseRank returns the rank of the case with the given reference under secret: what
// orders it among the cases of its month. For tests that check an order.
func CaseRank(secret []byte, reference string) uint64 {
	return newRanker(orderKey(secret))([]byte(reference))
}

// CountCases counts the cases a case list with filter f holds.
func (e *Engine) CountCases(ctx context.Context, f model.CaseFilter) (int, error) {
	s, m, release, err := e.begin(ctx, f, caseLists)
	if err != nil {
		return 0, err
	}
	defer release()
	return m.count(len(s.facts)), nil
}
