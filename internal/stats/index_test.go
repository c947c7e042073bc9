package stats

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// randomFact makes a fact with values from small ranges, so that filters over them match
// some facts and not others.
func randomFact(rng *rand.Rand, id int64) fact {
	f := fact{id: id, rank: rng.Uint64N(50)} // ties in rank are ordered by id
	for col := range f.codes {
		f.codes[col] = uint16(rng.IntN(5)) // 0 is NONE
	}
	f.reported = uint16(2020*12 + rng.IntN(60))
	f.reportedPeriod = uint16(2020*5 + rng.IntN(25))
	if rng.IntN(3) > 0 {
		f.decided = f.reported + uint16(rng.IntN(12))
		f.decidedPeriod = f.reportedPeriod + uint16(rng.IntN(5))
	}
	if rng.IntN(4) == 0 {
		f.view = uint16(rng.IntN(256))
	}
	return f
}

// randomMatcher makes a filter over the values randomFact gives, as compile would.
func randomMatcher(rng *rand.Rand, n int) *matcher {
	m := &matcher{reportedTo: ^uint16(0), decidedTo: ^uint16(0), byPeriod: rng.IntN(2) == 0,
		reportedYears: [2]uint16{0, ^uint16(0)}, decidedYears: [2]uint16{0, ^uint16(0)}}
	for col := range nColumns {
		if rng.IntN(4) != 0 {
			continue
		}
		allowed := make([]bool, 6) // a code no fact has (5) may be asked for
		for c := 1; c < len(allowed); c++ {
			allowed[c] = rng.IntN(3) == 0
		}
		m.allowed[col] = allowed
		m.restricted = append(m.restricted, col)
	}
	span := func(lo, width int) (uint16, uint16) {
		a, b := lo+rng.IntN(width), lo+rng.IntN(width)
		return uint16(min(a, b)), uint16(max(a, b))
	}
	if rng.IntN(2) == 0 {
		if m.byPeriod {
			m.reportedFrom, m.reportedTo = span(2020*5, 25)
			m.reportedYears = [2]uint16{m.reportedFrom / 5 * 5, m.reportedTo/5*5 + 4}
		} else {
			m.reportedFrom, m.reportedTo = span(2020*12, 60)
		}
	}
	if rng.IntN(3) == 0 {
		m.hasDecided = true
		if m.byPeriod {
			m.decidedFrom, m.decidedTo = span(2020*5, 30)
			m.decidedYears = [2]uint16{m.decidedFrom / 5 * 5, m.decidedTo/5*5 + 4}
		} else {
			m.decidedFrom, m.decidedTo = span(2020*12, 70)
		}
	}
	if rng.IntN(2) == 0 {
		m.withheld = uint16(rng.IntN(256))
	}
	if rng.IntN(4) == 0 {
		m.searched = roaring.New()
		for range rng.IntN(n) {
			m.searched.Add(uint32(rng.IntN(n)))
		}
	}
	return m
}

// The index finds exactly the facts match accepts, for any filter, on a built index and
// on one patched through several releases; patched case orders are the orders built anew.
func TestIndexAgreesWithMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := &snapshot{}
	for i := range 3000 {
		s.facts = append(s.facts, randomFact(rng, int64(i+1)))
	}
	s.index = buildIndex(s.facts)
	check := func(s *snapshot) {
		t.Helper()
		for range 400 {
			m := randomMatcher(rng, len(s.facts))
			m.narrow(s)
			var want []int
			for i := range s.facts {
				if m.match(i, &s.facts[i]) {
					want = append(want, i)
				}
			}
			got := slices.Collect(m.members(len(s.facts)))
			if !slices.Equal(got, want) {
				t.Fatalf("filter %+v: the index finds %d facts, match %d", m, len(got), len(want))
			}
			if m.count(len(s.facts)) != len(want) {
				t.Fatalf("count %d, want %d", m.count(len(s.facts)), len(want))
			}
			for _, i := range []int{0, len(s.facts) / 2, len(s.facts) - 1} {
				if m.has(i) != m.match(i, &s.facts[i]) {
					t.Fatalf("has(%d) = %v, match says otherwise", i, m.has(i))
				}
			}
		}
	}
	check(s)
	for range 5 {
		next := &snapshot{facts: slices.Clone(s.facts)}
		var changed []int32
		for range rng.IntN(300) {
			i := rng.IntN(len(next.facts))
			next.facts[i] = randomFact(rng, next.facts[i].id)
			changed = append(changed, int32(i)) // repeats included
		}
		for range rng.IntN(300) {
			changed = append(changed, int32(len(next.facts)))
			next.facts = append(next.facts, randomFact(rng, int64(len(next.facts)+1)))
		}
		s.order(false)
		next.patchOrders(s, changed)
		sorted := &snapshot{facts: next.facts}
		for _, byDecision := range []bool{false, true} {
			if !slices.Equal(next.order(byDecision), sorted.order(byDecision)) {
				t.Fatalf("patched case order (by decision %v) differs from the sorted one", byDecision)
			}
		}
		before := s.index.bitmaps[keyOf(0, 1)].Clone()
		next.index = s.index.patch(s.facts, next.facts, changed)
		if !s.index.bitmaps[keyOf(0, 1)].Equals(before) {
			t.Fatal("patching changed the older snapshot's index")
		}
		built := buildIndex(next.facts)
		if len(built.bitmaps) != len(next.index.bitmaps) {
			t.Fatalf("patched index has %d bitmaps, built %d", len(next.index.bitmaps), len(built.bitmaps))
		}
		for k, b := range built.bitmaps {
			if p := next.index.bitmaps[k]; p == nil || !p.Equals(b) {
				t.Fatalf("bitmap %x: patched differs from built", k)
			}
		}
		check(next)
		s = next
	}
	// Where few facts withhold a value (as in real data, a few in a thousand), the matcher
	// takes them out of the intersection rather than intersecting with the rest.
	sparse := &snapshot{facts: slices.Clone(s.facts)}
	for i := range sparse.facts {
		sparse.facts[i].view = 0
		if rng.IntN(40) == 0 {
			sparse.facts[i].view = uint16(1) << rng.IntN(8)
		}
	}
	sparse.index = buildIndex(sparse.facts)
	took := 0
	for range 200 {
		m := randomMatcher(rng, len(sparse.facts))
		if m.narrow(sparse); m.without != nil {
			took++
		}
	}
	if took == 0 {
		t.Fatal("no filter took withheld facts out: the sparse case is not tested")
	}
	check(sparse)
}

// A period written into a case key reads back as itself, and is written as fmt writes it.
func TestPeriodRoundTrip(t *testing.T) {
	for _, year := range []uint16{1, 7, 99, 999, 2024, 9999} {
		for q := range uint16(5) {
			p := year*5 + q
			want := fmt.Sprintf("%04d-Q%d", year, q+1)
			if q == 4 {
				want = fmt.Sprintf("%04d", year)
			}
			if got := periodOf(p); got != want {
				t.Errorf("periodOf(%d) = %q, want %q", p, got, want)
			}
			if back, err := parsePeriod(periodOf(p)); err != nil || back != p {
				t.Errorf("parsePeriod(%q) = %d, %v; want %d", periodOf(p), back, err, p)
			}
		}
	}
	if periodOf(0) != "" {
		t.Errorf("periodOf(0) = %q, want none", periodOf(0))
	}
}
