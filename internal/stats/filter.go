package stats

import (
	"context"
	"math"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

// scope is what a filter selects from.
type scope int

const (
	// aggregates: statistics and the funnel count the exact categories of every case, and
	// filter dates by month (the precision they group by).
	aggregates scope = iota
	// caseLists: a case list shows the case-level view, so it does not find a case by a
	// region or defendant kind that view withholds; dates are filtered by day.
	caseLists
)

// matcher is a case filter compiled against one snapshot's dictionaries.
type matcher struct {
	// allowed[col][code] for the columns the filter restricts; nil for the others.
	allowed [nColumns][]bool
	// restricted lists those columns, so a match looks at them only.
	restricted []int
	// Date ranges, inclusive, in months (fact.reported, fact.decided) or, when byDay, in
	// days (fact.reportedDay, fact.decidedDay).
	reportedFrom, reportedTo, decidedFrom, decidedTo uint16
	hasDecided, byDay                                bool
	// withheld: facts with any of these flags do not match.
	withheld uint8
	// searched are the cases a search matched; nil without a search.
	searched *caseSet
}

// compile turns f into a matcher. The statistics filter matches the exact stored values:
// unlike case lists, it also finds cases whose region or defendant kind the case-level
// view withholds, because aggregates are computed from the exact categories (docs/design.md §6).
func (e *Engine) compile(ctx context.Context, s *snapshot, f model.CaseFilter, sc scope) (*matcher, error) {
	m := &matcher{reportedTo: ^uint16(0), decidedTo: ^uint16(0), byDay: sc == caseLists}
	if sc == caseLists {
		if len(f.Regions) > 0 {
			m.withheld |= regionWithheld
		}
		if len(f.DefendantKinds) > 0 {
			m.withheld |= kindWithheld
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

	bound := func(date *string, or uint16) (uint16, error) {
		if date == nil {
			return or, nil
		}
		t, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return 0, err
		}
		if m.byDay {
			// Clamped: a bound outside the days facts can have still bounds them.
			return uint16(min(max(t.Unix()/86400, 0), math.MaxUint16)), nil
		}
		return monthIndex(t), nil
	}
	var err error
	if m.reportedFrom, err = bound(f.ReportedFrom, 0); err != nil {
		return nil, err
	}
	if m.reportedTo, err = bound(f.ReportedTo, m.reportedTo); err != nil {
		return nil, err
	}
	if m.decidedFrom, err = bound(f.DecidedFrom, 0); err != nil {
		return nil, err
	}
	if m.decidedTo, err = bound(f.DecidedTo, m.decidedTo); err != nil {
		return nil, err
	}
	m.hasDecided = f.DecidedFrom != nil || f.DecidedTo != nil
	if f.Search != nil {
		if m.searched, err = e.matching(ctx, s.generation, *f.Search); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *matcher) match(f *fact) bool {
	for _, col := range m.restricted {
		if !m.allowed[col][f.codes[col]] {
			return false
		}
	}
	if f.flags&m.withheld != 0 {
		return false
	}
	reported, decided := f.reported, f.decided
	if m.byDay {
		reported, decided = f.reportedDay, f.decidedDay
	}
	if reported < m.reportedFrom || reported > m.reportedTo {
		return false
	}
	if m.hasDecided && (decided == 0 || decided < m.decidedFrom || decided > m.decidedTo) {
		return false
	}
	if m.searched != nil && !m.searched.has(f.id) {
		return false
	}
	return true
}

func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
