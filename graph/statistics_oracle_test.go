package graph_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// The oracle of the statistics tests: the figures computed from the raw rows in plain Go,
// and the comparison of an answer with them.

// ---------------------------------------------------------------- the independent computation

// figures are the exact figures of one group of raw cases, each count with the sum of its
// cases' record keys: what decides its perturbation (privacy.Cell). Which cases a figure
// counts is computed here independently; the perturbation table itself is tested in
// internal/privacy.
type figures struct {
	count, liable, fined, appealed, succeeded         privacy.Cell
	prosDecided, prosRejected, expertDone, expertNone privacy.Cell
	fines                                             map[string][]int64 // by currency
	fineCells                                         map[string]*privacy.Cell
	fineUnits                                         map[string][]float64
	days                                              []int
	decisions                                         privacy.Cell
	people                                            map[string]int
}

func newFigures() *figures {
	return &figures{fines: map[string][]int64{}, fineCells: map[string]*privacy.Cell{}, fineUnits: map[string][]float64{}, people: map[string]int{}}
}

func orNone[T ~string](v *T) string {
	if v == nil {
		return "NONE"
	}
	return string(*v)
}

// dimensionCode is a raw case's value in a dimension.
func dimensionCode(c *rawCase, d string) string {
	switch d {
	case "JURISDICTION":
		return string(c.Jurisdiction)
	case "REGION":
		return orNone(c.RegionCode)
	case "CATEGORY":
		return string(c.Category)
	case "CONCERN":
		return string(c.Category.Concern())
	case "PLATFORM":
		return string(c.Platform)
	case "ARTICLE":
		return orNone(c.ArticleCode)
	case "LIABILITY":
		return string(c.Liability)
	case "DEFENDANT_KIND":
		return orNone(c.DefendantKind)
	case "STAGE":
		return string(c.Stage)
	case "DECISION":
		return orNone(c.CourtDecision)
	case "SANCTION":
		return orNone(c.Sanction)
	case "APPEAL_STATUS":
		return orNone(c.AppealStatus)
	}
	panic(d)
}

func periodOf(date, interval string) string {
	switch interval {
	case "YEAR":
		return date[:4]
	case "QUARTER":
		var m int
		fmt.Sscanf(date[5:7], "%d", &m)
		return fmt.Sprintf("%s-Q%d", date[:4], (m+2)/3)
	case "MONTH":
		return date[:7]
	}
	return ""
}

// helped says whether appeals left the defendant better off, walking the levels by hand.
func helped(c *rawCase) bool {
	wasLiable := c.CourtDecision != nil && *c.CourtDecision == model.DecisionLiable
	liable := wasLiable
	var fine int64
	if c.FineAmount != nil {
		fine = *c.FineAmount
	}
	for _, a := range c.Appeals {
		if a.Status == model.AppealStatusOverturned {
			liable = !liable
		}
		if a.Status == model.AppealStatusModified && a.FineAmount != nil {
			fine = *a.FineAmount
		}
	}
	if wasLiable && !liable {
		return true
	}
	return wasLiable && c.FineAmount != nil && fine < *c.FineAmount
}

func daysBetween(a, b string) int {
	ta, _ := time.Parse(time.DateOnly, a)
	tb, _ := time.Parse(time.DateOnly, b)
	return int(math.Round(tb.Sub(ta).Hours() / 24))
}

// inMonthRange reports whether a date falls in the months of from and to, as filters compare at
// month precision.
func inMonthRange(date string, from, to *string) bool {
	return (from == nil || date[:7] >= (*from)[:7]) && (to == nil || date[:7] <= (*to)[:7])
}

// expected computes every bucket of a statistics question, keyed by "code|code|period".
func (f *statsFixture) expected(groupBy []string, interval string, keep func(*rawCase) bool) (map[string]*figures, *figures) {
	buckets := map[string]*figures{}
	total := newFigures()
	bucket := func(c *rawCase, date string) *figures {
		var parts []string
		for _, d := range groupBy {
			parts = append(parts, dimensionCode(c, d))
		}
		parts = append(parts, periodOf(date, interval))
		key := strings.Join(parts, "|")
		if buckets[key] == nil {
			buckets[key] = newFigures()
		}
		return buckets[key]
	}
	for i := range f.cases {
		c := &f.cases[i]
		if !keep(c) {
			continue
		}
		key := f.recordKey([]byte(c.Reference))
		for _, g := range []*figures{bucket(c, c.ReportedOn), total} {
			g.count.Add(key)
			if p := c.ProsecutorDecision; p != nil && *p != model.ProsecutorDecisionPending {
				g.prosDecided.Add(key)
				if *p == model.ProsecutorDecisionRejected {
					g.prosRejected.Add(key)
				}
			}
			if c.ExpertConclusion != nil {
				g.expertDone.Add(key)
				if *c.ExpertConclusion == model.ExpertConclusionNoOffense {
					g.expertNone.Add(key)
				}
			}
			if c.Pseudonym != nil {
				g.people[*c.Pseudonym]++
			}
		}
		if c.CourtOn == nil {
			continue
		}
		for _, g := range []*figures{bucket(c, *c.CourtOn), total} {
			liable := *c.CourtDecision == model.DecisionLiable
			if liable {
				g.liable.Add(key)
			}
			if liable && c.Sanction != nil && *c.Sanction == model.SanctionFine {
				g.fined.Add(key)
			}
			if c.FineAmount != nil {
				cur := c.Jurisdiction.Currency()
				g.fines[cur] = append(g.fines[cur], *c.FineAmount)
				if g.fineCells[cur] == nil {
					g.fineCells[cur] = &privacy.Cell{}
				}
				g.fineCells[cur].Add(key)
				year, _ := time.Parse(time.DateOnly, *c.CourtOn)
				u, ok := f.ref.InIndexUnits(c.Jurisdiction, year.Year(), *c.FineAmount)
				if !ok {
					u = math.NaN() // the year's unit is not known: no figures in index units
				}
				g.fineUnits[cur] = append(g.fineUnits[cur], u)
			}
			g.days = append(g.days, daysBetween(c.ReportedOn, *c.CourtOn))
			g.decisions.Add(key)
			if len(c.Appeals) > 0 {
				g.appealed.Add(key)
				if helped(c) {
					g.succeeded.Add(key)
				}
			}
		}
	}
	return buckets, total
}

// ---------------------------------------------------------------- comparison

// quantile is the value of sorted v at the rank the cell's quantile q is read at.
func quantile[T int | int64 | float64](v []T, c privacy.Cell, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return float64(s[c.QuantileRank(q)])
}

// shared is the smallest and the largest value at least k of v have.
func shared[T int64 | float64](v []T, k int) (lo, hi *float64) {
	n := map[T]int{}
	for _, x := range v {
		n[x]++
	}
	for x, c := range n {
		if c < k {
			continue
		}
		f := float64(x)
		if lo == nil || f < *lo {
			lo = &f
		}
		if hi == nil || f > *hi {
			h := f
			hi = &h
		}
	}
	return lo, hi
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// withheldCells and perturbedCells count what checkBucket saw withheld and published with a
// perturbation, so the test can tell it exercised disclosure control at all.
var withheldCells, perturbedCells int

// perCapitaOfTheYear and perCapitaOfAnotherYear count the per-capita figures of a period
// checkBucket saw divided by the population of the period's year and by another year's.
var perCapitaOfTheYear, perCapitaOfAnotherYear int

// perCapitaOutcomes counts the published liablePer100k and finedPer100k figures, and
// perCapitaOutcomesWithoutCount those of buckets whose count is withheld (the outcome
// figures follow the decision date, the count the report date).
var perCapitaOutcomes, perCapitaOutcomesWithoutCount int

// published is the value a cell is published as, nil when withheld.
func published(c privacy.Cell, k int) *int {
	if v, ok := c.Publish(k); ok {
		return &v
	}
	return nil
}

func eqInt(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func eqFloat(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || near(*a, *b)) }

func show[T any](v *T) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// checkBucket compares one answered bucket with the figures the raw cases and their record
// keys give: every figure must be exactly the published value of its cell, no published
// count is below k, and a withheld count marks its bucket.
func (f *statsFixture) checkBucket(t *testing.T, name string, k int, got statBucket, want *figures, pop denominator) {
	t.Helper()
	counts := []struct {
		name string
		got  *int
		want privacy.Cell
	}{
		{"count", got.Count, want.count}, {"liable", got.Liable, want.liable}, {"fined", got.Fined, want.fined},
		{"appealed", got.Appealed, want.appealed}, {"appealsSucceeded", got.AppealsSucceeded, want.succeeded},
	}
	for _, c := range counts {
		w := published(c.want, k)
		switch {
		case c.got == nil:
			withheldCells++
		case *c.got != c.want.N:
			perturbedCells++
		}
		switch {
		case !eqInt(c.got, w):
			t.Errorf("%s: %s = %s, want %s (exactly %d)", name, c.name, show(c.got), show(w), c.want.N)
		case c.got == nil && !got.Suppressed:
			t.Errorf("%s: %s withheld but the bucket is not marked suppressed", name, c.name)
		case c.got != nil && *c.got < k:
			t.Errorf("%s: %s = %d published below k = %d", name, c.name, *c.got, k)
		}
	}

	for i, fs := range got.Fines {
		if i > 0 && got.Fines[i-1].Currency >= fs.Currency {
			t.Errorf("%s: fines not in the order of their currencies", name)
		}
	}
	for cur := range want.fines {
		if !slices.ContainsFunc(got.Fines, func(fs fineStats) bool { return fs.Currency == cur }) {
			t.Errorf("%s: no fines in %s", name, cur)
		}
	}
	for _, fs := range got.Fines {
		cur := fs.Currency
		amounts, units := want.fines[cur], want.fineUnits[cur]
		cell := privacy.Cell{}
		if c := want.fineCells[cur]; c != nil {
			cell = *c
		}
		wantCount := published(cell, k)
		if !eqInt(fs.Count, wantCount) {
			t.Errorf("%s: %s fine count %s, want %s (exactly %d)", name, cur, show(fs.Count), show(wantCount), cell.N)
		}
		if fs.Count == nil {
			if !got.Suppressed {
				t.Errorf("%s: %s fines withheld but the bucket is not marked", name, cur)
			}
			if fs.Total != nil || fs.Mean != nil || fs.Median != nil || fs.P90 != nil || fs.Min != nil || fs.Max != nil || fs.IndexUnits != nil {
				t.Errorf("%s: %s fine count withheld but other fine figures published", name, cur)
			}
			continue
		}
		var sum float64
		var unitSum float64
		for j, a := range amounts {
			sum += float64(a)
			unitSum += units[j]
		}
		total := int(math.Round(cell.PerturbMagnitude(sum, float64(slices.Max(amounts)))))
		lo, hi := shared(amounts, k)
		var median, p90 *float64
		if cell.PublishQuantile(k) {
			m, p := quantile(amounts, cell, 0.5), quantile(amounts, cell, 0.9)
			median, p90 = &m, &p
		}
		toInt := func(v *float64) *int {
			if v == nil {
				return nil
			}
			i := int(*v)
			return &i
		}
		switch {
		case fs.Total == nil || *fs.Total != total || !near(*fs.Mean, float64(total)/float64(*wantCount)):
			t.Errorf("%s: %s fines total %s mean %s, want %d %v (exactly %v)", name, cur, show(fs.Total), show(fs.Mean), total, float64(total)/float64(*wantCount), sum)
		case !eqInt(fs.Min, toInt(lo)) || !eqInt(fs.Max, toInt(hi)):
			t.Errorf("%s: %s fines min %s max %s, want %s %s", name, cur, show(fs.Min), show(fs.Max), show(lo), show(hi))
		case !eqFloat(fs.Median, median) || !eqFloat(fs.P90, p90):
			t.Errorf("%s: %s fines median %s p90 %s, want %s %s", name, cur, show(fs.Median), show(fs.P90), show(median), show(p90))
		}
		if math.IsNaN(unitSum) {
			if fs.IndexUnits != nil {
				t.Errorf("%s: %s fines in index units although a year's unit is unknown", name, cur)
			}
			continue
		}
		ix := fs.IndexUnits
		unitTotal := cell.PerturbMagnitude(unitSum, slices.Max(units))
		lo, hi = shared(units, k)
		median, p90 = nil, nil
		if cell.PublishQuantile(k) {
			m, p := quantile(units, cell, 0.5), quantile(units, cell, 0.9)
			median, p90 = &m, &p
		}
		if ix == nil || !near(ix.Total, unitTotal) || !eqFloat(ix.Median, median) || !eqFloat(ix.P90, p90) || !eqFloat(ix.Min, lo) || !eqFloat(ix.Max, hi) {
			t.Errorf("%s: %s fines in index units %+v, want total %v median %s min %s max %s", name, cur, ix, unitTotal, show(median), show(lo), show(hi))
		}
	}

	checkOptional := func(what string, got, want *float64) {
		t.Helper()
		if !eqFloat(got, want) {
			t.Errorf("%s: %s = %s, want %s", name, what, show(got), show(want))
		}
	}
	var days *float64
	if want.decisions.PublishQuantile(k) {
		d := quantile(want.days, want.decisions, 0.5)
		days = &d
	}
	checkOptional("medianDaysToDecision", got.MedianDaysToDecision, days)
	rate := func(num, den privacy.Cell) *float64 {
		d := den.Perturbed()
		n := min(num.Within(den).Perturbed(), d)
		if n < k || d-n < k {
			return nil
		}
		r := float64(n) / float64(d)
		return &r
	}
	checkOptional("prosecutorRejectionRate", got.ProsecutorRejectionRate, rate(want.prosRejected, want.prosDecided))
	checkOptional("expertNoOffenceRate", got.ExpertNoOffenceRate, rate(want.expertNone, want.expertDone))

	// Repeat defendants: each counts with the record key of their first case.
	var repeat privacy.Cell
	for person, n := range want.people {
		if n >= 2 {
			repeat.Add(f.personKey[person])
		}
	}
	var wantRepeat *int
	if want.count.Perturbed() >= privacy.MinRepeatDefendantCases {
		wantRepeat = published(repeat, k)
	}
	if !eqInt(got.RepeatDefendants, wantRepeat) {
		t.Errorf("%s: repeatDefendants = %s, want %s (exactly %d, k %d)", name, show(got.RepeatDefendants), show(wantRepeat), repeat.N, k)
	}
	// Per-capita figures: each published count (as published, perturbed) over the same
	// population; null where that count is withheld.
	var popYear *int
	perCapita := func(c *int) *float64 {
		if c == nil || pop.value <= 0 {
			return nil
		}
		v := float64(*c) * 100000 / pop.value
		popYear = &pop.year
		return &v
	}
	per100k := perCapita(got.Count)
	if per100k != nil && got.Period != nil {
		if (*got.Period)[:4] == fmt.Sprint(pop.year) {
			perCapitaOfTheYear++
		} else {
			perCapitaOfAnotherYear++
		}
	}
	checkOptional("countPer100k", got.CountPer100k, per100k)
	checkOptional("liablePer100k", got.LiablePer100k, perCapita(got.Liable))
	checkOptional("finedPer100k", got.FinedPer100k, perCapita(got.Fined))
	for _, v := range []*float64{got.LiablePer100k, got.FinedPer100k} {
		if v != nil {
			perCapitaOutcomes++
			if got.Count == nil {
				perCapitaOutcomesWithoutCount++
			}
		}
	}
	if !eqInt(got.PopulationYear, popYear) {
		t.Errorf("%s: populationYear = %s, want %s", name, show(got.PopulationYear), show(popYear))
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// denominator is a population a bucket's count is set against and the year of that
// population; value 0 when there is none.
type denominator struct {
	value float64
	year  int
}

// population is the population behind a bucket, as the schema describes it: its region's,
// else its country's, of the year of its period (the latest without one; a year without a
// figure takes the latest year before it, else the earliest), picked from the whole list of
// figures; Kyrgyzstan's country total is its latest official figure.
func (f *statsFixture) population(key []struct{ Dimension, Code, Label string }, period *string) denominator {
	code, isRegion := "", false
	for _, kv := range key {
		switch {
		case kv.Dimension == "REGION":
			code, isRegion = kv.Code, true
		case kv.Dimension == "JURISDICTION" && !isRegion:
			code = kv.Code
		}
	}
	if code == "" {
		return denominator{}
	}
	year := 0
	if period != nil {
		fmt.Sscanf((*period)[:4], "%d", &year)
	}
	var best *model.Population
	for i := range f.ref.Populations {
		p := &f.ref.Populations[i]
		if p.Code != code {
			continue
		}
		switch {
		case best == nil,
			year == 0 && p.Year > best.Year,
			year != 0 && p.Year <= year && (best.Year > year || p.Year > best.Year), // the latest at or before year
			year != 0 && p.Year > year && best.Year > year && p.Year < best.Year:    // none before: the earliest
			best = p
		}
	}
	switch {
	case best != nil:
		return denominator{best.Value, best.Year}
	case isRegion:
		return denominator{}
	}
	if p := f.ref.Population(model.Jurisdiction(code)); p != nil {
		var y int
		fmt.Sscanf(p.PeriodEnd[:4], "%d", &y)
		return denominator{p.Value, y}
	}
	return denominator{}
}
