package stats

import (
	"github.com/casewatch/casewatch/internal/model"
)

// Buckets are listed from the domain of each dimension, not from where cases happen to
// be: a bucket that is there only because one case is would tell that case's value to
// anyone who can isolate it with a filter. The domain of a dimension is every value it can
// take — the vocabulary, the regions and articles of the reference data and of imports,
// and NONE where a case may have no value — less the values the filter rules out and
// the combinations that cannot exist (a Kyrgyz region in Kazakhstan, a category under
// another concern). What it leaves out follows from the question and the reference data
// alone, never from the cases.

// optional are the dimensions a case may have no value in: their domain includes NONE.
var optional = map[model.Dimension]bool{
	model.DimensionRegion: true, model.DimensionArticle: true, model.DimensionDefendantKind: true,
	model.DimensionDecision: true, model.DimensionSanction: true, model.DimensionAppealStatus: true,
}

// domain lists the bucket keys (codes per grouped column) and periods of a statistics
// question; when they would be more than maxBuckets it lists none and returns how many
// they would be (at least).
func (e *Engine) domain(s *snapshot, m *matcher, groupBy []model.Dimension, interval *model.Interval, maxBuckets int) (keys [][3]uint16, periods []int, tooMany int) {
	values := make([][]uint16, len(groupBy))
	for i, d := range groupBy {
		col := column(d)
		first := uint16(1)
		if optional[d] {
			first = 0
		}
		for c := first; int(c) < len(s.dicts[col].codes); c++ {
			if m.allowed[col] == nil || m.allowed[col][c] {
				if e.possible(s, m, col, c) {
					values[i] = append(values[i], c)
				}
			}
		}
	}
	periods = []int{-1}
	if interval != nil {
		periods = periods[:0]
		lo, hi := s.firstMonth, s.lastMonth
		lo = max(lo, m.reportedFrom)
		if m.hasDecided {
			hi = min(hi, m.decidedTo)
		}
		period := periodFunc(interval)
		if lo <= hi {
			for p := period(lo); p <= period(hi); p++ {
				periods = append(periods, p)
			}
		}
	}

	// The product of the domains bounds the number of keys; past a million, the question
	// is refused without listing them.
	bound := len(periods)
	for _, v := range values {
		bound *= len(v)
	}
	if bound > maxDomain {
		return nil, nil, bound
	}
	var key [3]uint16
	var walk func(i int)
	walk = func(i int) {
		if i == len(groupBy) {
			if e.consistent(s, groupBy, key) {
				keys = append(keys, key)
			}
			return
		}
		for _, c := range values[i] {
			key[i] = c
			walk(i + 1)
		}
	}
	walk(0)
	if n := len(keys) * len(periods); n > maxBuckets {
		return nil, nil, n
	}
	return keys, periods, 0
}

// maxDomain bounds the combinations domain lists before it refuses a question.
const maxDomain = 1 << 20

// possible reports whether code c of column col can hold cases that match the filter, as
// far as the reference data tells: a region or an article of another jurisdiction than the
// filter's, a category whose concern the filter rules out (or the other way round) cannot.
func (e *Engine) possible(s *snapshot, m *matcher, col int, c uint16) bool {
	jurisdictions := m.allowed[column(model.DimensionJurisdiction)]
	switch col {
	case column(model.DimensionRegion), column(model.DimensionArticle):
		if j, ok := e.jurisdictionOf(s, col, c); ok && jurisdictions != nil {
			return jurisdictions[s.dicts[column(model.DimensionJurisdiction)].index[string(j)]]
		}
	case column(model.DimensionCategory):
		if allowed := m.allowed[column(model.DimensionConcern)]; allowed != nil {
			return allowed[s.concernCode(c)]
		}
	case column(model.DimensionConcern):
		if allowed := m.allowed[column(model.DimensionCategory)]; allowed != nil {
			for cat, ok := range allowed {
				if ok && s.concernCode(uint16(cat)) == c {
					return true
				}
			}
			return false
		}
	}
	return true
}

// consistent reports whether a combination of grouped codes can exist: the jurisdictions
// its region, article and jurisdiction imply agree, and its category is under its concern.
func (e *Engine) consistent(s *snapshot, groupBy []model.Dimension, key [3]uint16) bool {
	var jurisdiction model.Jurisdiction
	category, concern := -1, -1
	for i, d := range groupBy {
		col, c := column(d), key[i]
		switch d {
		case model.DimensionCategory:
			category = int(c)
		case model.DimensionConcern:
			concern = int(c)
		}
		j, ok := e.jurisdictionOf(s, col, c)
		if !ok {
			continue
		}
		if jurisdiction != "" && j != jurisdiction {
			return false
		}
		jurisdiction = j
	}
	if category >= 0 && concern >= 0 && int(s.concernCode(uint16(category))) != concern {
		return false
	}
	return true
}

// jurisdictionOf returns the jurisdiction a code of the jurisdiction, region or article
// column belongs to, when the reference data knows it.
func (e *Engine) jurisdictionOf(s *snapshot, col int, c uint16) (model.Jurisdiction, bool) {
	if c == 0 {
		return "", false
	}
	code := s.dicts[col].codes[c]
	switch col {
	case column(model.DimensionJurisdiction):
		return model.Jurisdiction(code), true
	case column(model.DimensionRegion):
		if r := e.ref.Region(code); r != nil {
			return r.Jurisdiction, true
		}
	case column(model.DimensionArticle):
		if j, ok := e.articleJurisdiction[code]; ok {
			return j, true
		}
	}
	return "", false
}
