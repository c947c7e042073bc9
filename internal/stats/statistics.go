package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// MaxBuckets bounds one answer: past it, a dashboard gets an error asking for fewer
// dimensions or a longer interval rather than megabytes of mostly withheld cells.
const MaxBuckets = 5000

// Request is one statistics question. Filter must already be checked (known codes, dates
// at month bounds, a non-empty range).
type Request struct {
	Filter   model.CaseFilter
	GroupBy  []model.Dimension
	Interval *model.Interval
	// K is the suppression threshold, at least privacy.MinThreshold.
	K int
	// RepeatDefendants asks for the repeat-defendant figure, which costs a sort of the
	// pseudonyms; left out when the query does not select it.
	RepeatDefendants bool
}

// TooManyBucketsError says an answer would exceed MaxBuckets.
type TooManyBucketsError struct{ Buckets int }

func (e *TooManyBucketsError) Error() string {
	return fmt.Sprintf("the answer would have %d buckets, more than %d: group by fewer dimensions or use a longer interval", e.Buckets, MaxBuckets)
}

// acc accumulates the exact figures of one bucket before disclosure control.
type acc struct {
	key    uint64
	codes  [3]uint16
	period int // -1 without an interval

	// By report date.
	count, prosecutorDecided, prosecutorRejected, expertConcluded, expertNoOffence int
	people                                                                         []uint64
	// By first-instance decision date.
	liable, fined, appealed, succeeded int
	fines                              map[uint16][]fineEntry // by jurisdiction code
	// days[d] counts the decisions taken d days after the report: a histogram gives the
	// exact median without sorting every decision.
	days []int32
}

// merge adds b's figures to a (for the total, which is the sum of the buckets: every case
// counts once by report date and, when decided, once by decision date).
func (a *acc) merge(b *acc) {
	a.count += b.count
	a.prosecutorDecided += b.prosecutorDecided
	a.prosecutorRejected += b.prosecutorRejected
	a.expertConcluded += b.expertConcluded
	a.expertNoOffence += b.expertNoOffence
	a.people = append(a.people, b.people...)
	a.liable += b.liable
	a.fined += b.fined
	a.appealed += b.appealed
	a.succeeded += b.succeeded
	for j, f := range b.fines {
		if a.fines == nil {
			a.fines = map[uint16][]fineEntry{}
		}
		a.fines[j] = append(a.fines[j], f...)
	}
	if len(a.days) < len(b.days) {
		a.days = append(a.days, make([]int32, len(b.days)-len(a.days))...)
	}
	for d, n := range b.days {
		a.days[d] += n
	}
}

type fineEntry struct {
	amount int64
	year   int
}

// Statistics answers one statistics question from the current release.
func (e *Engine) Statistics(ctx context.Context, req Request) (*model.Statistics, error) {
	if req.K < privacy.MinThreshold {
		return nil, fmt.Errorf("suppression threshold %d is below %d", req.K, privacy.MinThreshold)
	}
	s, err := e.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	m, err := e.compile(ctx, s, req.Filter)
	if err != nil {
		return nil, err
	}
	cols := make([]int, len(req.GroupBy))
	for i, d := range req.GroupBy {
		cols[i] = column(d)
	}
	period := periodFunc(req.Interval)

	codes := s.dicts
	prosApproved, prosRejected, prosReturned := codes[colProsecutor].index[string(model.ProsecutorDecisionApproved)], codes[colProsecutor].index[string(model.ProsecutorDecisionRejected)], codes[colProsecutor].index[string(model.ProsecutorDecisionReturned)]
	expertNoOffence := codes[colExpert].index[string(model.ExpertConclusionNoOffense)]
	liableCode := codes[column(model.DimensionDecision)].index[string(model.DecisionLiable)]
	fineCode := codes[column(model.DimensionSanction)].index[string(model.SanctionFine)]
	colJurisdiction, colDecision, colSanction, colAppeal := column(model.DimensionJurisdiction), column(model.DimensionDecision), column(model.DimensionSanction), column(model.DimensionAppealStatus)

	buckets := map[uint64]*acc{}
	total := &acc{period: -1}
	get := func(f *fact, month uint16) *acc {
		var key uint64
		var kc [3]uint16
		for i, c := range cols {
			kc[i] = f.codes[c]
			key |= uint64(kc[i]) << (16 * i)
		}
		p := period(month)
		key |= uint64(p+1) << 48
		a := buckets[key]
		if a == nil {
			a = &acc{key: key, codes: kc, period: p}
			buckets[key] = a
		}
		return a
	}
	reported := func(a *acc, f *fact) {
		a.count++
		switch f.codes[colProsecutor] {
		case prosRejected:
			a.prosecutorRejected++
			a.prosecutorDecided++
		case prosApproved, prosReturned:
			a.prosecutorDecided++
		}
		if f.codes[colExpert] != 0 {
			a.expertConcluded++
			if f.codes[colExpert] == expertNoOffence {
				a.expertNoOffence++
			}
		}
		if req.RepeatDefendants && f.pseudonym != 0 {
			a.people = append(a.people, f.pseudonym)
		}
	}
	decided := func(a *acc, f *fact) {
		if f.codes[colDecision] == liableCode {
			a.liable++
		}
		if f.codes[colDecision] == liableCode && f.codes[colSanction] == fineCode {
			a.fined++
		}
		if f.flags&hasFine != 0 {
			if a.fines == nil {
				a.fines = map[uint16][]fineEntry{}
			}
			j := f.codes[colJurisdiction]
			a.fines[j] = append(a.fines[j], fineEntry{f.fine, int(f.decided) / 12})
		}
		if d := int(f.daysToDecision); d >= 0 {
			if d >= len(a.days) {
				a.days = append(a.days, make([]int32, d+1-len(a.days)+64)...)
			}
			a.days[d]++
		}
		if f.codes[colAppeal] != 0 {
			a.appealed++
			if f.flags&appealSucceeded != 0 {
				a.succeeded++
			}
		}
	}
	for i := range s.facts {
		f := &s.facts[i]
		if !m.match(f) {
			continue
		}
		a := get(f, f.reported)
		reported(a, f)
		if f.decided != 0 {
			if req.Interval != nil {
				a = get(f, f.decided)
			}
			decided(a, f)
		}
	}
	if len(buckets) > MaxBuckets {
		return nil, &TooManyBucketsError{Buckets: len(buckets)}
	}

	list := make([]*acc, 0, len(buckets))
	for _, a := range buckets {
		list = append(list, a)
		total.merge(a)
	}
	s.sortBuckets(list, cols)

	out := &model.Statistics{SuppressionThreshold: req.K}
	pub := e.publish(s, req, cols, list, total)
	out.Buckets, out.Total = pub[:len(list)], pub[len(list)]
	return out, nil
}

// periodFunc maps a month index to the index of its period, -1 without an interval.
func periodFunc(i *model.Interval) func(uint16) int {
	if i == nil {
		return func(uint16) int { return -1 }
	}
	switch *i {
	case model.IntervalYear:
		return func(m uint16) int { return int(m) / 12 }
	case model.IntervalQuarter:
		return func(m uint16) int { return int(m)/12*4 + int(m)%12/3 }
	}
	return func(m uint16) int { return int(m) }
}

// periodLabel names a period: "2024", "2024-Q2", "2024-05".
func periodLabel(i model.Interval, p int) string {
	switch i {
	case model.IntervalYear:
		return fmt.Sprintf("%04d", p)
	case model.IntervalQuarter:
		return fmt.Sprintf("%04d-Q%d", p/4, p%4+1)
	}
	return fmt.Sprintf("%04d-%02d", p/12, p%12+1)
}

// sortBuckets orders buckets by their values (schema order for enumerations, code order
// for regions and articles, NONE last), then by period.
func (s *snapshot) sortBuckets(list []*acc, cols []int) {
	ranks := make([][]int, len(cols))
	for i, c := range cols {
		codes := s.dicts[c].codes
		order := make([]int, len(codes))
		for j := range order {
			order[j] = j
		}
		if c == column(model.DimensionArticle) || c == column(model.DimensionRegion) {
			slices.SortFunc(order[1:], func(a, b int) int { return strings.Compare(codes[a], codes[b]) })
		}
		rank := make([]int, len(codes))
		for pos, j := range order {
			rank[j] = pos
		}
		rank[0] = len(codes) // NONE last
		ranks[i] = rank
	}
	slices.SortFunc(list, func(a, b *acc) int {
		for i := range cols {
			if d := ranks[i][a.codes[i]] - ranks[i][b.codes[i]]; d != 0 {
				return d
			}
		}
		return a.period - b.period
	})
}
