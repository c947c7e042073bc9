package stats

import (
	"cmp"
	"context"
	"iter"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/casewatch/casewatch/internal/model"
)

// scope is what a filter selects from.
type scope int

const (
	// aggregates: statistics and the funnel count the exact categories of every case, and
	// filter dates by month (the precision they group by).
	aggregates scope = iota
	// caseLists: a case list shows the case-level view, so it filters on what that view
	// publishes: it does not find a case by a value the view withholds, nor a case the view
	// leaves out, and a date range matches the published period (quarter or year) of a
	// date when the two overlap.
	caseLists
)

// matcher is a case filter compiled against one snapshot's dictionaries.
type matcher struct {
	// allowed[col][code] for the columns the filter restricts; nil for the others.
	allowed [nColumns][]bool
	// restricted lists those columns, so a match looks at them only.
	restricted []int
	// Date ranges, inclusive, in months (fact.reported, fact.decided), or, when byPeriod,
	// the periods (periodKey) of the range's first and last day, by quarter and by year.
	reportedFrom, reportedTo, decidedFrom, decidedTo uint16
	reportedYears, decidedYears                      [2]uint16
	hasDecided, byPeriod                             bool
	// withheld: facts with any of these view flags do not match.
	withheld uint16
	// searched holds the positions of the facts a search matched; nil without a search.
	searched *roaring.Bitmap
	// parts are the bitmaps whose intersection is the facts that match (narrow), the
	// smallest first; none when every fact does. without, when not nil, holds facts taken
	// out of that intersection: those whose view withholds a value the filter asks about,
	// when they are few (a few thousand of a million for most lists), since subtracting
	// them costs a fraction of intersecting with the many that remain. Both are the
	// index's and never changed. set is the facts that match, made when a question needs
	// them one by one (members): a count and a walk along a case order need not make it.
	parts   []*roaring.Bitmap
	without *roaring.Bitmap
	set     *roaring.Bitmap
	setFor  bool // set is made
}

// compile turns f into a matcher. The statistics filter matches the exact stored values:
// unlike case lists, it also finds cases whose region or defendant kind the case-level
// view withholds, because aggregates are computed from the exact categories (docs/design.md §6).
func (e *Engine) compile(ctx context.Context, s *snapshot, f model.CaseFilter, sc scope) (*matcher, error) {
	m := &matcher{reportedTo: ^uint16(0), decidedTo: ^uint16(0), byPeriod: sc == caseLists}
	if sc == caseLists {
		m.withheld = viewLeftOut
		for _, w := range []struct {
			filtered bool
			flag     uint16
		}{
			{len(f.Regions) > 0, viewRegion},
			{len(f.DefendantKinds) > 0, viewKind},
			{len(f.Platforms) > 0, viewPlatform},
			{len(f.Articles) > 0, viewArticle},
			{len(f.Sanctions) > 0, viewSanction},
			{len(f.AppealStatuses) > 0, viewAppealStatus},
			{len(f.Categories) > 0, viewCategory},
		} {
			if w.filtered {
				m.withheld |= w.flag
			}
		}
	}
	restrict := func(col int, codes []string) {
		if len(codes) == 0 {
			return
		}
		allowed := make([]bool, len(s.dicts[col].codes))
		for _, c := range codes {
			if i, ok := s.dicts[col].index[c]; ok {
				allowed[i] = true
			}
		}
		m.allowed[col] = allowed
		m.restricted = append(m.restricted, col)
	}
	if f.Jurisdiction != nil {
		restrict(column(model.DimensionJurisdiction), []string{string(*f.Jurisdiction)})
	}
	restrict(column(model.DimensionRegion), f.Regions)
	restrict(column(model.DimensionCategory), strs(f.Categories))
	restrict(column(model.DimensionConcern), strs(f.Concerns))
	restrict(column(model.DimensionPlatform), strs(f.Platforms))
	restrict(column(model.DimensionArticle), f.Articles)
	restrict(column(model.DimensionLiability), strs(f.Liabilities))
	restrict(column(model.DimensionDefendantKind), strs(f.DefendantKinds))
	restrict(column(model.DimensionStage), strs(f.Stages))
	restrict(column(model.DimensionDecision), strs(f.Decisions))
	restrict(column(model.DimensionSanction), strs(f.Sanctions))
	restrict(column(model.DimensionAppealStatus), strs(f.AppealStatuses))

	// bound returns the bound as a month, or, byPeriod, as the periodKey of its quarter and
	// of its year.
	bound := func(date *string, or uint16) (uint16, uint16, error) {
		if date == nil {
			return or, or, nil
		}
		t, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return 0, 0, err
		}
		if m.byPeriod {
			return periodKey(t, false), periodKey(t, true), nil
		}
		return monthIndex(t), 0, nil
	}
	var err error
	if m.reportedFrom, m.reportedYears[0], err = bound(f.ReportedFrom, 0); err != nil {
		return nil, err
	}
	if m.reportedTo, m.reportedYears[1], err = bound(f.ReportedTo, m.reportedTo); err != nil {
		return nil, err
	}
	if m.decidedFrom, m.decidedYears[0], err = bound(f.DecidedFrom, 0); err != nil {
		return nil, err
	}
	if m.decidedTo, m.decidedYears[1], err = bound(f.DecidedTo, m.decidedTo); err != nil {
		return nil, err
	}
	m.hasDecided = f.DecidedFrom != nil || f.DecidedTo != nil
	if f.Search != nil {
		if m.searched, err = e.matching(ctx, s, *f.Search); err != nil {
			return nil, err
		}
	}
	m.narrow(s)
	return m, nil
}

// narrow finds the facts m matches in s's index (m.parts and m.without): for each
// restricted column the union of its allowed codes' bitmaps, for a date range the union of
// its months' (or periods'), and the facts that publish what a case list filters by, or,
// when they are fewer, those that withhold it, to take out; what remains is exactly the
// facts match accepts (TestIndexAgreesWithMatch). The parts to intersect come the smallest
// first; none for every fact.
func (m *matcher) narrow(s *snapshot) {
	m.parts, m.without = m.narrowParts(s)
}

func (m *matcher) narrowParts(s *snapshot) (parts []*roaring.Bitmap, without *roaring.Bitmap) {
	x := s.index
	none := false
	need := func(b *roaring.Bitmap) {
		if b == nil {
			none = true
			return
		}
		parts = append(parts, b)
	}
	for _, col := range m.restricted {
		var codes []*roaring.Bitmap
		for code, ok := range m.allowed[col] {
			if b := x.get(keyOf(col, uint16(code))); ok && b != nil {
				codes = append(codes, b)
			}
		}
		need(orOf(codes))
	}
	if m.byPeriod {
		if m.reportedFrom != 0 || m.reportedTo != ^uint16(0) {
			need(x.union(kindReportedPeriod, func(p uint16) bool { return overlaps(p, m.reportedFrom, m.reportedTo, m.reportedYears) }))
		}
		if m.hasDecided {
			need(x.union(kindDecidedPeriod, func(p uint16) bool { return overlaps(p, m.decidedFrom, m.decidedTo, m.decidedYears) }))
		}
	} else {
		if m.reportedFrom != 0 || m.reportedTo != ^uint16(0) {
			need(x.union(kindReportedMonth, func(mo uint16) bool { return mo >= m.reportedFrom && mo <= m.reportedTo }))
		}
		if m.hasDecided {
			need(x.union(kindDecidedMonth, func(mo uint16) bool { return mo >= m.decidedFrom && mo <= m.decidedTo }))
		}
	}
	if m.searched != nil {
		need(m.searched)
	}
	if none {
		return []*roaring.Bitmap{roaring.New()}, nil
	}
	if m.withheld != 0 {
		// Both kept per snapshot. When many facts withhold one of those values (a filter by
		// region), a word-by-word AND with those that publish them costs a fraction of
		// removing the others; when few do, removing them is the cheaper.
		if w := x.withholding(m.withheld); w != nil && int(w.GetCardinality()) <= x.n/2 {
			without = w
		} else if w != nil {
			parts = append(parts, x.publishing(m.withheld))
		}
	}
	slices.SortFunc(parts, func(a, b *roaring.Bitmap) int { return cmp.Compare(a.GetCardinality(), b.GetCardinality()) })
	return parts, without
}

// matching returns the bitmap of the facts m matches among n, nil for every fact.
func (m *matcher) matching(n int) *roaring.Bitmap {
	if !m.setFor {
		switch len(m.parts) {
		case 0:
			if m.without != nil {
				m.set = roaring.Flip(m.without, 0, uint64(n))
			}
		case 1:
			m.set = m.parts[0]
			if m.without != nil {
				m.set = roaring.AndNot(m.set, m.without)
			}
		default:
			m.set = roaring.FastAnd(m.parts...)
			if m.without != nil {
				m.set.AndNot(m.without) // the intersection is m's own
			}
		}
		m.setFor = true
	}
	return m.set
}

// orOf returns the union of bitmaps, nil for none; one is returned as it is.
func orOf(bitmaps []*roaring.Bitmap) *roaring.Bitmap {
	switch len(bitmaps) {
	case 0:
		return nil
	case 1:
		return bitmaps[0]
	}
	return roaring.FastOr(bitmaps...)
}

// count returns the number of facts m matches among n.
func (m *matcher) count(n int) int {
	c := intersection(n, m.parts)
	if m.without != nil && c > 0 {
		// Those of the few facts taken out that are in the intersection: the parts are
		// intersected with them, the smallest, first, so no large bitmap is made.
		c -= intersection(n, append([]*roaring.Bitmap{m.without}, m.parts...))
	}
	return c
}

// intersection returns the number of facts among n in every one of parts, the smallest
// first (all n for none).
func intersection(n int, parts []*roaring.Bitmap) int {
	switch len(parts) {
	case 0:
		return n
	case 1:
		return int(parts[0].GetCardinality())
	case 2:
		return int(parts[0].AndCardinality(parts[1]))
	}
	last := len(parts) - 1
	return int(roaring.FastAnd(parts[:last]...).AndCardinality(parts[last]))
}

// members yields, in order, the positions among n facts of those m matches.
func (m *matcher) members(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		set := m.matching(n)
		if set == nil {
			for i := range n {
				if !yield(i) {
					return
				}
			}
			return
		}
		it := set.ManyIterator()
		buf := make([]uint32, 512)
		for {
			k := it.NextMany(buf)
			if k == 0 {
				return
			}
			for _, p := range buf[:k] {
				if !yield(int(p)) {
					return
				}
			}
		}
	}
}

// has reports whether m matches the fact at position i: a test of each bitmap, cheaper
// than their intersection for the few facts a walk along a case order tests.
func (m *matcher) has(i int) bool {
	for _, p := range m.parts {
		if !p.Contains(uint32(i)) {
			return false
		}
	}
	return m.without == nil || !m.without.Contains(uint32(i))
}

// match is the definition of a filter, fact by fact, that narrow computes from the index;
// the tests hold the two to each other.
func (m *matcher) match(i int, f *fact) bool {
	for _, col := range m.restricted {
		if !m.allowed[col][f.codes[col]] {
			return false
		}
	}
	if f.view&m.withheld != 0 {
		return false
	}
	if m.byPeriod {
		if !overlaps(f.reportedPeriod, m.reportedFrom, m.reportedTo, m.reportedYears) {
			return false
		}
		if m.hasDecided && (f.decidedPeriod == 0 || !overlaps(f.decidedPeriod, m.decidedFrom, m.decidedTo, m.decidedYears)) {
			return false
		}
	} else {
		if f.reported < m.reportedFrom || f.reported > m.reportedTo {
			return false
		}
		if m.hasDecided && (f.decided == 0 || f.decided < m.decidedFrom || f.decided > m.decidedTo) {
			return false
		}
	}
	if m.searched != nil && !m.searched.Contains(uint32(i)) {
		return false
	}
	return true
}

// overlaps reports whether a published period (periodKey) overlaps the range whose first
// and last days fall in the quarters from and to and in the years years[0] and years[1]
// (periodKeys too). A quarter overlaps when it lies between the range's quarters; a year
// when it lies between the range's years. An open end is 0 or the maximum, which compare
// alike under either numbering.
func overlaps(p, from, to uint16, years [2]uint16) bool {
	if p%5 == 4 { // a year alone
		return p/5 >= years[0]/5 && p/5 <= years[1]/5
	}
	return p >= from && p <= to
}

func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
