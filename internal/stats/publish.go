package stats

import (
	"cmp"
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// The counts whose buckets add up to the total's; each is protected as one table
// (privacy.ProtectTable), and so is each currency's fine count.
const (
	figCount = iota
	figLiable
	figFined
	figAppealed
	figSucceeded
	nFigures
)

// publish applies disclosure control to the buckets (list) and the total (last in the
// result) and turns them into the published form.
func (e *Engine) publish(s *snapshot, req Request, cols []int, list []*acc, total *acc) []*model.StatBucket {
	k := req.K
	rows := append(slices.Clone(list), total) // the total is the last row
	n := len(list)

	value := func(a *acc, fig int) int {
		switch fig {
		case figCount:
			return a.count
		case figLiable:
			return a.liable
		case figFined:
			return a.fined
		case figAppealed:
			return a.appealed
		}
		return a.succeeded
	}
	// withheld[fig][row]; currencies[j][row] for the fine count of jurisdiction code j.
	var withheld [nFigures][]bool
	protect := func(cells func(*acc) int, held []bool) []bool {
		vals := make([]int, n)
		for i, a := range list {
			vals[i] = cells(a)
		}
		var h []bool
		var th bool
		if held != nil {
			h, th = held[:n], held[n]
		}
		w, tw := privacy.ProtectTable(vals, cells(total), k, h, th)
		return append(w, tw)
	}
	for fig := range nFigures {
		withheld[fig] = protect(func(a *acc) int { return value(a, fig) }, nil)
	}
	fineCount := func(j uint16) func(*acc) int { return func(a *acc) int { return a.fineCount(j) } }
	currencies := map[uint16][]bool{}
	for j := range total.fines {
		currencies[j] = protect(fineCount(j), nil)
	}

	// A bucket's fined figure is the sum of its fine counts per currency (in an answer that
	// mixes KZ and KG), so they are withheld together; withholding more may call for more
	// complementary cells, until nothing changes.
	for changed := true; changed; {
		changed = false
		for r, a := range rows {
			linked := withheld[figFined][r]
			for j, w := range currencies {
				linked = linked || (w[r] && a.fineCount(j) > 0)
			}
			if !linked {
				continue
			}
			if !withheld[figFined][r] {
				withheld[figFined][r], changed = true, true
			}
			for j, w := range currencies {
				if a.fineCount(j) > 0 && !w[r] {
					w[r], changed = true, true
				}
			}
		}
		if changed {
			withheld[figFined] = protect(func(a *acc) int { return a.fined }, withheld[figFined])
			for j, w := range currencies {
				currencies[j] = protect(fineCount(j), w)
			}
		}
	}

	var ranks dayRanks
	out := make([]*model.StatBucket, len(rows))
	for r, a := range rows {
		b := &model.StatBucket{}
		for i, c := range cols {
			if r < n {
				b.Key = append(b.Key, model.DimensionValue{Dimension: req.GroupBy[i], Code: s.dicts[c].codes[a.codes[i]]})
			}
		}
		if b.Key == nil {
			b.Key = []model.DimensionValue{}
		}
		if req.Interval != nil && a.period >= 0 {
			p := periodLabel(*req.Interval, a.period)
			b.Period = &p
		}
		fig := func(i int) *int {
			if withheld[i][r] {
				b.Suppressed = true
				return nil
			}
			v := value(a, i)
			return &v
		}
		b.Count, b.Liable, b.Fined, b.Appealed, b.AppealsSucceeded = fig(figCount), fig(figLiable), fig(figFined), fig(figAppealed), fig(figSucceeded)

		b.Fines = []*model.FineStats{}
		for _, j := range s.byCurrency(a.fines) {
			fs := e.fineStats(model.Jurisdiction(s.dicts[column(model.DimensionJurisdiction)].codes[j]), a.fines[j], k, currencies[j][r])
			if fs.Count == nil {
				b.Suppressed = true
			}
			b.Fines = append(b.Fines, fs)
		}

		chunks := append(a.dayChunks, a.days)
		decisions := 0
		for _, c := range chunks {
			decisions += len(c)
		}
		if v, ok := privacy.Median(decisions, k, ranks.of(chunks)); ok {
			b.MedianDaysToDecision = &v
		}
		if v, ok := privacy.Rate(a.prosecutorRejected, a.prosecutorDecided, k); ok {
			b.ProsecutorRejectionRate = &v
		}
		if v, ok := privacy.Rate(a.expertNoOffence, a.expertConcluded, k); ok {
			b.ExpertNoOffenceRate = &v
		}
		if req.RepeatDefendants && !privacy.Small(a.repeatDefendants, k) {
			v := a.repeatDefendants
			b.RepeatDefendants = &v
		}
		if b.Count != nil && r < n {
			if pop := e.population(s, req.GroupBy, a.codes); pop > 0 {
				v := float64(*b.Count) * 100_000 / float64(pop)
				b.CountPer100k = &v
			}
		}
		out[r] = b
	}
	return out
}

// fineStats summarises the fines of one currency; every figure is withheld when the count
// is.
func (e *Engine) fineStats(j model.Jurisdiction, h *fineHistogram, k int, withheld bool) *model.FineStats {
	fs := &model.FineStats{Currency: j.Currency()}
	if withheld || privacy.Small(h.n, k) {
		return fs
	}
	type value struct {
		v float64
		n int
	}
	amounts := make([]value, 0, len(h.counts))
	units := make([]value, 0, len(h.counts))
	unitsKnown := true
	var sum int64
	var unitSum float64
	for key, n := range h.counts {
		amounts = append(amounts, value{float64(key.amount), n})
		sum += key.amount * int64(n)
		if u, ok := e.ref.InIndexUnits(j, key.year, key.amount); ok {
			units = append(units, value{u, n})
			unitSum += u * float64(n)
		} else {
			unitsKnown = false
		}
	}
	byValue := func(a, b value) int { return cmp.Compare(a.v, b.v) }
	// nth gives the value of rank i among the sorted values the histogram counts.
	nth := func(values []value) func(int) float64 {
		return func(i int) float64 {
			for _, v := range values {
				if i < v.n {
					return v.v
				}
				i -= v.n
			}
			panic("rank out of range")
		}
	}
	slices.SortFunc(amounts, byValue)
	count, total := h.n, int(sum)
	lo, hi := int(amounts[0].v), int(amounts[len(amounts)-1].v)
	mean := float64(sum) / float64(count)
	fs.Count, fs.Total, fs.Mean, fs.Min, fs.Max = &count, &total, &mean, &lo, &hi
	if v, ok := privacy.Median(count, k, nth(amounts)); ok {
		fs.Median = &v
	}
	if v, ok := privacy.P90(count, k, nth(amounts)); ok {
		fs.P90 = &v
	}
	if unitsKnown {
		slices.SortFunc(units, byValue)
		ix := &model.IndexedFineStats{Unit: j.IndexUnit(), Total: unitSum, Mean: unitSum / float64(count),
			Min: units[0].v, Max: units[len(units)-1].v}
		ix.Median, _ = privacy.Median(count, k, nth(units))
		ix.P90, _ = privacy.P90(count, k, nth(units))
		fs.IndexUnits = ix
	}
	return fs
}

// population is the number of people a bucket's count can be set against: its region's,
// or its country's when it is grouped by jurisdiction and not by region; 0 when unknown.
func (e *Engine) population(s *snapshot, groupBy []model.Dimension, codes [3]uint16) int {
	var jurisdiction string
	for i, d := range groupBy {
		code := s.dicts[column(d)].codes[codes[i]]
		switch d {
		case model.DimensionRegion:
			if r := e.ref.Region(code); r != nil && r.Population != nil {
				return *r.Population
			}
			return 0
		case model.DimensionJurisdiction:
			jurisdiction = code
		}
	}
	if p := e.ref.Population(model.Jurisdiction(jurisdiction)); p != nil {
		return int(p.Value)
	}
	return 0
}

// byCurrency lists the jurisdiction codes of fines in the order of their currencies' codes.
func (s *snapshot) byCurrency(fines map[uint16]*fineHistogram) []uint16 {
	currency := func(j uint16) string {
		return model.Jurisdiction(s.dicts[column(model.DimensionJurisdiction)].codes[j]).Currency()
	}
	keys := make([]uint16, 0, len(fines))
	for j := range fines {
		keys = append(keys, j)
	}
	slices.SortFunc(keys, func(a, b uint16) int { return strings.Compare(currency(a), currency(b)) })
	return keys
}

// dayRanks gives the value of each rank of lists of day counts without sorting them: it
// counts the values into a histogram (reused from one bucket to the next), which takes time
// linear in the list and its largest value.
type dayRanks struct{ hist []int32 }

func (r *dayRanks) of(lists [][]int16) func(int) float64 {
	top := int16(0)
	for _, days := range lists {
		for _, d := range days {
			top = max(top, d)
		}
	}
	if cap(r.hist) < int(top)+1 {
		r.hist = make([]int32, int(top)+1)
	}
	r.hist = r.hist[:int(top)+1]
	clear(r.hist)
	for _, days := range lists {
		for _, d := range days {
			r.hist[d]++
		}
	}
	return func(i int) float64 {
		for v, c := range r.hist {
			if i < int(c) {
				return float64(v)
			}
			i -= int(c)
		}
		panic("rank out of range")
	}
}
