package stats

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// publish applies disclosure control to the buckets (list) and the total (last in the
// result) and turns them into the published form. Every count is perturbed by its cell
// key and withheld when the perturbed value is below k (privacy.Cell); the total is a cell
// of its own, perturbed on its own, so the buckets do not add up to it exactly. Rates,
// per-capita figures and means are computed from perturbed counts; totals of fines are
// perturbed by a share of their largest fine; medians and percentiles are read at a
// perturbed rank.
func (e *Engine) publish(s *snapshot, req Request, cols []int, list []*acc, total *acc) []*model.StatBucket {
	k := req.K
	rows := append(slices.Clone(list), total) // the total is the last row
	n := len(list)
	jurisdictions := e.currencies(s, req)

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
		count := func(c privacy.Cell) *int {
			v, ok := c.Publish(k)
			if !ok {
				b.Suppressed = true
				return nil
			}
			return &v
		}
		b.Count, b.Liable, b.Fined, b.Appealed, b.AppealsSucceeded = count(a.count), count(a.liable), count(a.fined), count(a.appealed), count(a.succeeded)

		b.Fines = []*model.FineStats{}
		for _, j := range jurisdictions(b.Key) {
			fs := e.fineStats(model.Jurisdiction(s.dicts[column(model.DimensionJurisdiction)].codes[j]), a.fines[j], k)
			if fs.Count == nil {
				b.Suppressed = true
			}
			b.Fines = append(b.Fines, fs)
		}

		if a.decisions.PublishQuantile(k) {
			v := ranks.of(append(a.dayChunks, a.days))(a.decisions.QuantileRank(0.5))
			b.MedianDaysToDecision = &v
		}
		b.ProsecutorRejectionRate = rate(a.prosecutorRejected, a.prosecutorDecided, k)
		b.ExpertNoOffenceRate = rate(a.expertNoOffence, a.expertConcluded, k)
		if req.RepeatDefendants && a.count.Perturbed() >= privacy.MinRepeatDefendantCases {
			if v, ok := a.repeatDefendants.Publish(k); ok {
				b.RepeatDefendants = &v
			}
		}
		if (b.Count != nil || b.Liable != nil || b.Fined != nil) && r < n {
			if pop := e.population(s, req.GroupBy, a.codes, periodYear(req.Interval, a.period)); pop != nil {
				// Each from its published (perturbed) count; null where that count is withheld.
				per100k := func(c *int) *float64 {
					if c == nil {
						return nil
					}
					v := float64(*c) * 100_000 / pop.Value
					return &v
				}
				b.CountPer100k, b.LiablePer100k, b.FinedPer100k = per100k(b.Count), per100k(b.Liable), per100k(b.Fined)
				year := pop.Year
				b.PopulationYear = &year
			}
		}
		out[r] = b
	}
	return out
}

// rate is num/den from their perturbed counts (num keyed within den), when privacy.Rate
// allows it.
func rate(num, den privacy.Cell, k int) *float64 {
	d := den.Perturbed()
	if v, ok := privacy.Rate(min(num.Within(den).Perturbed(), d), d, k); ok {
		return &v
	}
	return nil
}

// currencies returns, for a bucket's key, the jurisdiction codes whose fines it lists, in
// the order of their currencies: every jurisdiction the filter and the key allow, whether
// the bucket has fines in it or not (which currencies a bucket lists must not depend on
// its cases).
func (e *Engine) currencies(s *snapshot, req Request) func(key []model.DimensionValue) []uint16 {
	dict := s.dicts[column(model.DimensionJurisdiction)]
	var all []model.Jurisdiction
	for _, code := range dict.codes[1:] {
		j := model.Jurisdiction(code)
		if req.Filter.Jurisdiction == nil || *req.Filter.Jurisdiction == j {
			all = append(all, j)
		}
	}
	slices.SortFunc(all, func(a, b model.Jurisdiction) int { return strings.Compare(a.Currency(), b.Currency()) })
	return func(key []model.DimensionValue) []uint16 {
		var only model.Jurisdiction
		for _, v := range key {
			switch v.Dimension {
			case model.DimensionJurisdiction:
				only = model.Jurisdiction(v.Code)
			case model.DimensionRegion:
				if r := e.ref.Region(v.Code); r != nil {
					only = r.Jurisdiction
				}
			case model.DimensionArticle:
				if j, ok := e.articleJurisdiction[v.Code]; ok {
					only = j
				}
			}
		}
		out := make([]uint16, 0, len(all))
		for _, j := range all {
			if only == "" || only == j {
				out = append(out, dict.index[string(j)])
			}
		}
		return out
	}
}

// fineStats summarises the fines of one currency (h is nil when the bucket has none).
// Every figure is withheld when the perturbed count is below k. The total is perturbed by
// a share of the largest fine, and the mean is that total over the perturbed count; the
// median and the 90th percentile are read at perturbed ranks and need
// privacy.MinQuantileValues fines; min and max are the smallest and the largest amount at
// least k fines share, so that no single fine is published.
func (e *Engine) fineStats(j model.Jurisdiction, h *fineHistogram, k int) *model.FineStats {
	fs := &model.FineStats{Currency: j.Currency()}
	if h == nil {
		return fs
	}
	count, ok := h.cell.Publish(k)
	if !ok {
		return fs
	}
	type value struct {
		v float64
		n int
	}
	amounts := make([]value, 0, len(h.counts))
	units := make([]value, 0, len(h.counts))
	unitsKnown := true
	var sum, unitSum float64
	for key, n := range h.counts {
		amounts = append(amounts, value{float64(key.amount), n})
		sum += float64(key.amount) * float64(n)
		if u, ok := e.ref.InIndexUnits(j, key.year, key.amount); ok {
			units = append(units, value{u, n})
			unitSum += u * float64(n)
		} else {
			unitsKnown = false
		}
	}
	// sorted merges equal values and sorts them.
	sorted := func(values []value) []value {
		slices.SortFunc(values, func(a, b value) int { return cmp.Compare(a.v, b.v) })
		out := values[:0]
		for _, v := range values {
			if len(out) > 0 && out[len(out)-1].v == v.v {
				out[len(out)-1].n += v.n
				continue
			}
			out = append(out, v)
		}
		return out
	}
	// nth gives the value of rank i among the sorted values.
	nth := func(values []value, i int) float64 {
		for _, v := range values {
			if i < v.n {
				return v.v
			}
			i -= v.n
		}
		panic("rank out of range")
	}
	// shared gives the smallest and the largest value at least k fines have.
	shared := func(values []value) (lo, hi *float64) {
		for i := range values {
			if values[i].n >= k {
				if lo == nil {
					lo = &values[i].v
				}
				hi = &values[i].v
			}
		}
		return lo, hi
	}
	quantiles := h.cell.PublishQuantile(k)
	median, p90 := h.cell.QuantileRank(0.5), h.cell.QuantileRank(0.9)

	amounts = sorted(amounts)
	largest := amounts[len(amounts)-1].v
	totalAmount := int(math.Round(h.cell.PerturbMagnitude(sum, largest)))
	mean := float64(totalAmount) / float64(count)
	fs.Count, fs.Total, fs.Mean = &count, &totalAmount, &mean
	if lo, hi := shared(amounts); lo != nil {
		l, h := int(*lo), int(*hi)
		fs.Min, fs.Max = &l, &h
	}
	if quantiles {
		m, p := nth(amounts, median), nth(amounts, p90)
		fs.Median, fs.P90 = &m, &p
	}
	if unitsKnown {
		units = sorted(units)
		t := h.cell.PerturbMagnitude(unitSum, units[len(units)-1].v)
		ix := &model.IndexedFineStats{Unit: j.IndexUnit(), Total: t, Mean: t / float64(count)}
		ix.Min, ix.Max = shared(units)
		if quantiles {
			m, p := nth(units, median), nth(units, p90)
			ix.Median, ix.P90 = &m, &p
		}
		fs.IndexUnits = ix
	}
	return fs
}

// population is the population a bucket's count is set against (nil when unknown): its
// region's, or its country's when it is grouped by jurisdiction and not by region, in year
// (the year of the bucket's period, 0 without one) as reference.PopulationIn picks it: a
// year without a figure takes the latest before it, no year the latest. A country without
// figures per year (Kyrgyzstan) takes its latest official figure with metric "population".
func (e *Engine) population(s *snapshot, groupBy []model.Dimension, codes [3]uint16, year int) *model.Population {
	var jurisdiction string
	for i, d := range groupBy {
		code := s.dicts[column(d)].codes[codes[i]]
		switch d {
		case model.DimensionRegion:
			return e.ref.PopulationIn(code, year)
		case model.DimensionJurisdiction:
			jurisdiction = code
		}
	}
	if jurisdiction == "" {
		return nil
	}
	if p := e.ref.PopulationIn(jurisdiction, year); p != nil {
		return p
	}
	if f := e.ref.Population(model.Jurisdiction(jurisdiction)); f != nil && f.Value > 0 {
		y, _ := strconv.Atoi(f.PeriodEnd[:min(4, len(f.PeriodEnd))])
		return &model.Population{Code: jurisdiction, Jurisdiction: f.Jurisdiction, Year: y, Value: f.Value}
	}
	return nil
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
