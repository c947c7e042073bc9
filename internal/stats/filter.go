package stats

import (
	"context"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

// matcher is a case filter compiled against one snapshot's dictionaries.
type matcher struct {
	// allowed[col][code] for the columns the filter restricts; nil for the others.
	allowed [nColumns][]bool
	// Month ranges, inclusive; the zero range means unrestricted.
	reportedFrom, reportedTo, decidedFrom, decidedTo uint16
	hasDecided                                       bool
	// ids are the cases a search matched; nil without a search.
	ids map[int64]struct{}
}

// compile turns f into a matcher. The statistics filter matches the exact stored values:
// unlike case lists, it also finds cases whose region or defendant kind the case-level
// view withholds, because aggregates are computed from the exact categories (DESIGN §6).
func (e *Engine) compile(ctx context.Context, s *snapshot, f model.CaseFilter) (*matcher, error) {
	m := &matcher{reportedTo: ^uint16(0), decidedTo: ^uint16(0)}
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

	month := func(date *string, or uint16) (uint16, error) {
		if date == nil {
			return or, nil
		}
		t, err := time.Parse(time.DateOnly, *date)
		if err != nil {
			return 0, err
		}
		return monthIndex(t), nil
	}
	var err error
	if m.reportedFrom, err = month(f.ReportedFrom, 0); err != nil {
		return nil, err
	}
	if m.reportedTo, err = month(f.ReportedTo, m.reportedTo); err != nil {
		return nil, err
	}
	if m.decidedFrom, err = month(f.DecidedFrom, 0); err != nil {
		return nil, err
	}
	if m.decidedTo, err = month(f.DecidedTo, m.decidedTo); err != nil {
		return nil, err
	}
	m.hasDecided = f.DecidedFrom != nil || f.DecidedTo != nil
	if f.Search != nil {
		ids, err := e.store.CaseIDsMatchingSearch(ctx, *f.Search)
		if err != nil {
			return nil, err
		}
		m.ids = make(map[int64]struct{}, len(ids))
		for _, id := range ids {
			m.ids[id] = struct{}{}
		}
	}
	return m, nil
}

func (m *matcher) match(f *fact) bool {
	for col, allowed := range m.allowed {
		if allowed != nil && !allowed[f.codes[col]] {
			return false
		}
	}
	if f.reported < m.reportedFrom || f.reported > m.reportedTo {
		return false
	}
	if m.hasDecided && (f.decided == 0 || f.decided < m.decidedFrom || f.decided > m.decidedTo) {
		return false
	}
	if m.ids != nil {
		if _, ok := m.ids[f.id]; !ok {
			return false
		}
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
