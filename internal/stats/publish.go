package stats

import (
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// additive names the figures whose buckets add up to the total; each is protected as one
// table (privacy.ProtectTable).
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
	fineCount := func(j uint16) func(*acc) int { return func(a *acc) int { return len(a.fines[j]) } }
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
				linked = linked || (w[r] && len(a.fines[j]) > 0)
			}
			if !linked {
				continue
			}
			if !withheld[figFined][r] {
				withheld[figFined][r], changed = true, true
			}
			for j, w := range currencies {
				if len(a.fines[j]) > 0 && !w[r] {
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

		if v, ok := medianOfHistogram(a.days, k); ok {
			b.MedianDaysToDecision = &v
		}
		if v, ok := privacy.Rate(a.prosecutorRejected, a.prosecutorDecided, k); ok {
			b.ProsecutorRejectionRate = &v
		}
		if v, ok := privacy.Rate(a.expertNoOffence, a.expertConcluded, k); ok {
			b.ExpertNoOffenceRate = &v
		}
		if req.RepeatDefendants {
			if v := repeatDefendants(a.people); !privacy.Small(v, k) {
				b.RepeatDefendants = &v
			}
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
func (e *Engine) fineStats(j model.Jurisdiction, fines []fineEntry, k int, withheld bool) *model.FineStats {
	fs := &model.FineStats{Currency: j.Currency()}
	if withheld || privacy.Small(len(fines), k) {
		return fs
	}
	amounts := make([]int64, len(fines))
	units := make([]float64, len(fines))
	unitsKnown := true
	var sum int64
	var unitSum float64
	for i, f := range fines {
		amounts[i] = f.amount
		sum += f.amount
		if u, ok := e.ref.InIndexUnits(j, f.year, f.amount); ok {
			units[i] = u
			unitSum += u
		} else {
			unitsKnown = false
		}
	}
	slices.Sort(amounts)
	count, total, lo, hi := len(fines), int(sum), int(amounts[0]), int(amounts[len(amounts)-1])
	mean := float64(sum) / float64(count)
	fs.Count, fs.Total, fs.Mean, fs.Min, fs.Max = &count, &total, &mean, &lo, &hi
	if v, ok := privacy.Median(amounts, k); ok {
		fs.Median = &v
	}
	if v, ok := privacy.P90(amounts, k); ok {
		fs.P90 = &v
	}
	if unitsKnown {
		slices.Sort(units)
		ix := &model.IndexedFineStats{Unit: j.IndexUnit(), Total: unitSum, Mean: unitSum / float64(count), Min: units[0], Max: units[count-1]}
		ix.Median, _ = privacy.Median(units, k)
		ix.P90, _ = privacy.P90(units, k)
		fs.IndexUnits = ix
	}
	return fs
}

// repeatDefendants counts the pseudonyms that occur twice or more.
func repeatDefendants(people []uint64) int {
	p := slices.Clone(people)
	slices.Sort(p)
	n := 0
	for i := 1; i < len(p); i++ {
		if p[i] == p[i-1] && (i == 1 || p[i-1] != p[i-2]) {
			n++
		}
	}
	return n
}

// population is the number of people a bucket's count can be set against: its region's,
// or its jurisdiction's (the sum of its regions) when it is grouped by jurisdiction and
// not by region; 0 when unknown.
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
	if jurisdiction == "" || jurisdiction == model.NoValue {
		return 0
	}
	total := 0
	for _, r := range e.ref.Regions {
		if string(r.Jurisdiction) != jurisdiction {
			continue
		}
		if r.Population == nil {
			return 0
		}
		total += *r.Population
	}
	return total
}

// byCurrency lists the jurisdiction codes of fines in the order of their currencies' codes.
func (s *snapshot) byCurrency(fines map[uint16][]fineEntry) []uint16 {
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

// medianOfHistogram is privacy.Median of the values a histogram counts (hist[v] values
// equal to v).
func medianOfHistogram(hist []int32, k int) (float64, bool) {
	n := 0
	for _, c := range hist {
		n += int(c)
	}
	if n == 0 || n < k {
		return 0, false
	}
	// nth returns the value of rank i (0-based) in sorted order.
	nth := func(i int) int {
		for v, c := range hist {
			if i < int(c) {
				return v
			}
			i -= int(c)
		}
		panic("rank out of range")
	}
	if n%2 == 1 {
		return float64(nth(n / 2)), true
	}
	return float64(nth(n/2-1)+nth(n/2)) / 2, true
}
