package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// DefaultMaxBuckets bounds one answer (Engine.MaxBuckets): past it, a dashboard gets an
// error asking for fewer dimensions or a longer interval rather than megabytes of mostly
// withheld cells.
const DefaultMaxBuckets = 5000

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

// maxBucketsWithCases bounds, as a multiple of MaxBuckets, the buckets with cases a
// question may make before those without a published figure are left out.
const maxBucketsWithCases = 10

// TooManyBucketsError says an answer would exceed MaxBuckets. It does not say by how many:
// the number of combinations the cases have is itself a count.
type TooManyBucketsError struct{ Max int }

func (e *TooManyBucketsError) Error() string {
	return fmt.Sprintf("the answer would have more than %d buckets: group by fewer dimensions, use a longer interval or a narrower filter", e.Max)
}

// acc accumulates the exact figures of one bucket before disclosure control.
type acc struct {
	codes  [3]uint16
	period int // -1 without an interval
	// index is the bucket's number in the order it was first met.
	index int32

	// Each figure is a cell: its count and the sum of its cases' record keys, which decides
	// its perturbation (privacy.Cell).
	// By report date.
	count, prosecutorDecided, prosecutorRejected, expertConcluded, expertNoOffence privacy.Cell
	repeatDefendants                                                               privacy.Cell
	// By first-instance decision date; decisions are those with days to decision.
	liable, fined, appealed, succeeded, decisions privacy.Cell
	fines                                         map[uint16]*fineHistogram // by jurisdiction code
	// fineCodes lists the fines of the bucket by their code (snapshot.fines) until the
	// pass is over, and fineKeys sums their record keys by jurisdiction code: appending
	// costs less than counting in a histogram fine by fine (tallyFines).
	fineCodes []uint16
	fineKeys  [4]uint32
	// days holds the days from report to decision of each decision: two bytes a case
	// whatever the number of buckets (a histogram per bucket would cost kilobytes each).
	// The total keeps its buckets' lists instead of a copy.
	days      []int16
	dayChunks [][]int16
}

// merge adds b's figures to a (for the total, which is the sum of the buckets: every case
// counts once by report date and, when decided, once by decision date).
func (a *acc) merge(b *acc) {
	for _, c := range []struct{ to, from *privacy.Cell }{
		{&a.count, &b.count}, {&a.prosecutorDecided, &b.prosecutorDecided}, {&a.prosecutorRejected, &b.prosecutorRejected},
		{&a.expertConcluded, &b.expertConcluded}, {&a.expertNoOffence, &b.expertNoOffence},
		{&a.liable, &b.liable}, {&a.fined, &b.fined}, {&a.appealed, &b.appealed}, {&a.succeeded, &b.succeeded},
		{&a.decisions, &b.decisions},
	} {
		c.to.Merge(*c.from)
	}
	for j, h := range b.fines {
		for key, n := range h.counts {
			a.addFines(j, key, n)
		}
		a.fines[j].cell.Key += h.cell.Key
	}
	a.dayChunks = append(a.dayChunks, b.days)
}

// tallyFines moves the fines listed by code into the bucket's histograms. counts is
// scratch space of one count per code, all zero, and left so.
func (a *acc) tallyFines(d *fineDictionary, counts []int32) {
	var seen []uint16
	for _, c := range a.fineCodes {
		if counts[c] == 0 {
			seen = append(seen, c)
		}
		counts[c]++
	}
	for _, c := range seen {
		e := d.entries[c]
		a.addFines(e.jurisdiction, e.key, int(counts[c]))
		counts[c] = 0
	}
	for j, sum := range a.fineKeys {
		if h := a.fines[uint16(j)]; h != nil {
			h.cell.Key += sum
		}
	}
	a.fineCodes, a.fineKeys = nil, [4]uint32{}
}

// fineHistogram counts fines by amount and decision year. Fines are few distinct amounts
// (multiples of the index unit), so counting them is cheaper than sorting them all, and
// the value at any rank comes out exact all the same.
type fineHistogram struct {
	cell   privacy.Cell
	counts map[fineKey]int
}

type fineKey struct {
	amount int64
	year   int
}

// addFines counts n fines of one amount and year in jurisdiction code j; the caller adds
// their record keys to the histogram's cell.
func (a *acc) addFines(j uint16, key fineKey, n int) *fineHistogram {
	if a.fines == nil {
		a.fines = map[uint16]*fineHistogram{}
	}
	h := a.fines[j]
	if h == nil {
		h = &fineHistogram{counts: map[fineKey]int{}}
		a.fines[j] = h
	}
	h.cell.N += n
	h.counts[key] += n
	return h
}

// Statistics answers one statistics question from the current release.
func (e *Engine) Statistics(ctx context.Context, req Request) (*model.Statistics, error) {
	if err := checkThreshold(req.K); err != nil {
		return nil, err
	}
	s, m, release, err := e.begin(ctx, req.Filter, aggregates)
	if err != nil {
		return nil, err
	}
	defer release()
	cols, list, total, err := e.aggregate(s, m, req)
	if err != nil {
		return nil, err
	}
	out := &model.Statistics{SuppressionThreshold: req.K, Perturbed: true}
	pub := e.publish(s, req, cols, list, total)
	out.Total = pub[len(list)]
	// A bucket with no figure published is left out: whether it is listed then depends
	// only on its published figures, so a bucket without cases and one with a few cases
	// look the same (absent), and listing reveals nothing.
	for _, b := range pub[:len(list)] {
		if b.Published() {
			out.Buckets = append(out.Buckets, b)
		}
	}
	if len(out.Buckets) > e.MaxBuckets {
		return nil, &TooManyBucketsError{Max: e.MaxBuckets}
	}
	if out.Buckets == nil {
		out.Buckets = []*model.StatBucket{}
	}
	return out, nil
}

// aggregate makes the exact figures of the buckets of a question (in the published order)
// and of the total, each figure a cell that publish perturbs.
func (e *Engine) aggregate(s *snapshot, m *matcher, req Request) (cols []int, list []*acc, total *acc, err error) {
	cols = make([]int, len(req.GroupBy))
	for i, d := range req.GroupBy {
		cols[i] = column(d)
	}
	period := periodFunc(req.Interval)

	// Every code below is in its dictionary from the start (enumerations are loaded whole),
	// so none of them is 0, the code of NONE.
	code := func(col int, v string) uint16 { return s.dicts[col].index[v] }
	prosApproved := code(colProsecutor, string(model.ProsecutorDecisionApproved))
	prosRejected := code(colProsecutor, string(model.ProsecutorDecisionRejected))
	prosReturned := code(colProsecutor, string(model.ProsecutorDecisionReturned))
	expertNoOffence := code(colExpert, string(model.ExpertConclusionNoOffense))
	liableCode := code(column(model.DimensionDecision), string(model.DecisionLiable))
	fineCode := code(column(model.DimensionSanction), string(model.SanctionFine))
	colJurisdiction, colDecision, colSanction, colAppeal := column(model.DimensionJurisdiction), column(model.DimensionDecision), column(model.DimensionSanction), column(model.DimensionAppealStatus)

	// The buckets are found by their codes and period: in a table with a slot for every
	// combination when there are few enough (a look-up per fact in a map cost more than
	// the rest of the pass), otherwise in a map.
	var buckets []*acc
	slots := s.bucketSlots(cols, period)
	var table []*acc
	var byKey map[uint64]*acc
	if slots.size > 0 {
		table = make([]*acc, slots.size)
	} else {
		byKey = map[uint64]*acc{}
	}
	total = &acc{period: -1}
	get := func(f *fact, month uint16) *acc {
		var p int
		if i := int(month) - int(slots.firstMonth); i >= 0 && i < len(slots.periodOf) {
			p = int(slots.periodOf[i])
		} else {
			p = period(month)
		}
		var a *acc
		var slot int
		var key uint64
		if table != nil {
			for i, c := range cols {
				slot = slot*slots.dims[i] + int(f.codes[c])
			}
			slot = slot*slots.periods + p - slots.firstPeriod
			a = table[slot]
		} else {
			for i, c := range cols {
				key |= uint64(f.codes[c]) << (16 * i)
			}
			key |= uint64(p+1) << 48
			a = byKey[key]
		}
		if a == nil {
			a = &acc{period: p, index: int32(len(buckets))}
			for i, c := range cols {
				a.codes[i] = f.codes[c]
			}
			buckets = append(buckets, a)
			if table != nil {
				table[slot] = a
			} else {
				byKey[key] = a
			}
		}
		return a
	}
	// reportBucket[i] is the bucket fact i is counted in by report date, for the repeat
	// defendants; nil when they are not asked for.
	var reportBucket []*acc
	if req.RepeatDefendants {
		reportBucket = make([]*acc, len(s.facts))
	}
	reported := func(a *acc, f *fact) {
		a.count.Add(f.key)
		switch f.codes[colProsecutor] {
		case prosRejected:
			a.prosecutorRejected.Add(f.key)
			a.prosecutorDecided.Add(f.key)
		case prosApproved, prosReturned:
			a.prosecutorDecided.Add(f.key)
		}
		if f.codes[colExpert] != 0 {
			a.expertConcluded.Add(f.key)
			if f.codes[colExpert] == expertNoOffence {
				a.expertNoOffence.Add(f.key)
			}
		}
	}
	decided := func(a *acc, f *fact) {
		if f.codes[colDecision] == liableCode {
			a.liable.Add(f.key)
		}
		if f.codes[colDecision] == liableCode && f.codes[colSanction] == fineCode {
			a.fined.Add(f.key)
		}
		if f.flags&hasFine != 0 {
			if j := f.codes[colJurisdiction]; f.fineCode != 0 && int(j) < len(a.fineKeys) {
				// Counted by code once the pass is done (tallyFines).
				a.fineCodes = append(a.fineCodes, f.fineCode)
				a.fineKeys[j] += uint32(f.key)
			} else {
				h := a.addFines(j, fineKey{f.fine, int(f.decided) / 12}, 1)
				h.cell.Key += uint32(f.key)
			}
		}
		if days, ok := f.daysToDecision(); ok {
			a.days = append(a.days, int16(min(days, math.MaxInt16)))
			a.decisions.Add(f.key)
		}
		if f.codes[colAppeal] != 0 {
			a.appealed.Add(f.key)
			if f.flags&appealSucceeded != 0 {
				a.succeeded.Add(f.key)
			}
		}
	}
	for i := range m.members(len(s.facts)) {
		f := &s.facts[i]
		a := get(f, f.reported)
		reported(a, f)
		if reportBucket != nil {
			reportBucket[i] = a
		}
		if f.decided != 0 {
			if req.Interval != nil {
				a = get(f, f.decided)
			}
			decided(a, f)
		}
	}
	// Buckets are counted twice: with cases, to bound the work (a bound on the
	// combinations the cases have, never told), and as answered (below).
	if len(buckets) > maxBucketsWithCases*e.MaxBuckets {
		return nil, nil, nil, &TooManyBucketsError{Max: e.MaxBuckets}
	}

	if reportBucket != nil {
		s.countRepeatDefendants(reportBucket, total)
	}
	list = make([]*acc, 0, len(buckets))
	counts := make([]int32, len(s.fines.entries))
	for _, a := range buckets {
		a.tallyFines(s.fines, counts)
		list = append(list, a)
		total.merge(a)
	}
	s.sortBuckets(list, cols)
	return cols, list, total, nil
}

// maxBucketSlots bounds the table of buckets aggregate makes (8 bytes a slot).
const maxBucketSlots = 1 << 17

// bucketSlots numbers the combinations of codes of cols and periods a question can have.
type bucketSlots struct {
	dims                 []int // codes of each column
	firstPeriod, periods int
	size                 int // 0: too many for a table
	// firstMonth and periodOf (by month from firstMonth) spare a call of the period
	// function per fact.
	firstMonth uint16
	periodOf   []int32
}

func (s *snapshot) bucketSlots(cols []int, period func(uint16) int) bucketSlots {
	first, last := s.monthRange()
	b := bucketSlots{firstPeriod: period(first), periods: period(last) - period(first) + 1, size: 1, firstMonth: first}
	for m := first; m <= last && m >= first; m++ {
		b.periodOf = append(b.periodOf, int32(period(m)))
	}
	for _, c := range cols {
		b.dims = append(b.dims, len(s.dicts[c].codes))
		b.size *= len(s.dicts[c].codes)
	}
	if b.size *= b.periods; b.size > maxBucketSlots || b.size <= 0 {
		b.size = 0
	}
	return b
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

// periodYear is the year of a period, 0 without one.
func periodYear(i *model.Interval, p int) int {
	if i == nil || p < 0 {
		return 0
	}
	switch *i {
	case model.IntervalYear:
		return p
	case model.IntervalQuarter:
		return p / 4
	}
	return p / 12
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

// countRepeatDefendants counts, in each bucket and in the total, the defendants with two
// or more of the bucket's cases. Only defendants with two or more cases at all can count,
// and the snapshot lists their cases together (repeatGroups), so this reads a small part
// of the facts and sorts nothing.
func (s *snapshot) countRepeatDefendants(reportBucket []*acc, total *acc) {
	var in []*acc
	for g := 0; g+1 < len(s.repeatStarts); g++ {
		in = in[:0]
		for _, i := range s.repeatFacts[s.repeatStarts[g]:s.repeatStarts[g+1]] {
			if a := reportBucket[i]; a != nil {
				in = append(in, a)
			}
		}
		if len(in) < 2 {
			continue
		}
		total.repeatDefendants.Add(s.facts[s.repeatFacts[s.repeatStarts[g]]].key)
		// A defendant counts once in each bucket holding two or more of their cases.
		slices.SortFunc(in, func(a, b *acc) int { return int(a.index - b.index) })
		for i := 1; i < len(in); i++ {
			if in[i] == in[i-1] && (i == 1 || in[i-1] != in[i-2]) {
				in[i].repeatDefendants.Add(s.facts[s.repeatFacts[s.repeatStarts[g]]].key)
			}
		}
	}
}
