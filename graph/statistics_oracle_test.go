package graph_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

// The oracle of the statistics tests: the figures computed from the raw rows in plain Go,
// and the comparison of an answer with them.

// ---------------------------------------------------------------- the independent computation

// figures are the exact figures of one group of raw cases.
type figures struct {
	count, liable, fined, appealed, succeeded         int
	prosDecided, prosRejected, expertDone, expertNone int
	fines                                             map[string][]int64 // by currency
	fineUnits                                         map[string][]float64
	days                                              []int
	people                                            map[string]int
}

func newFigures() *figures {
	return &figures{fines: map[string][]int64{}, fineUnits: map[string][]float64{}, people: map[string]int{}}
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
		for _, g := range []*figures{bucket(c, c.ReportedOn), total} {
			g.count++
			if p := c.ProsecutorDecision; p != nil && *p != model.ProsecutorDecisionPending {
				g.prosDecided++
				if *p == model.ProsecutorDecisionRejected {
					g.prosRejected++
				}
			}
			if c.ExpertConclusion != nil {
				g.expertDone++
				if *c.ExpertConclusion == model.ExpertConclusionNoOffense {
					g.expertNone++
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
				g.liable++
			}
			if liable && c.Sanction != nil && *c.Sanction == model.SanctionFine {
				g.fined++
			}
			if c.FineAmount != nil {
				cur := c.Jurisdiction.Currency()
				g.fines[cur] = append(g.fines[cur], *c.FineAmount)
				year, _ := time.Parse(time.DateOnly, *c.CourtOn)
				u, ok := f.ref.InIndexUnits(c.Jurisdiction, year.Year(), *c.FineAmount)
				if !ok {
					u = math.NaN() // the year's unit is not known: no figures in index units
				}
				g.fineUnits[cur] = append(g.fineUnits[cur], u)
			}
			g.days = append(g.days, daysBetween(c.ReportedOn, *c.CourtOn))
			if len(c.Appeals) > 0 {
				g.appealed++
				if helped(c) {
					g.succeeded++
				}
			}
		}
	}
	return buckets, total
}

// ---------------------------------------------------------------- comparison

func median[T int | int64 | float64](v []T) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return (float64(s[n/2-1]) + float64(s[n/2])) / 2
}

func p90[T int64 | float64](v []T) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return float64(s[int(math.Ceil(0.9*float64(len(s))))-1])
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// withheldCells and complementaryCells count what checkBucket saw withheld, so the test
// can tell it exercised disclosure control at all.
var withheldCells, complementaryCells int

// checkBucket compares one answered bucket with the exact figures: a published figure must
// equal them, a withheld one must be small or its bucket marked, and no published count
// may be small.
func checkBucket(t *testing.T, name string, k int, got statBucket, want *figures, population int) {
	t.Helper()
	counts := []struct {
		name string
		got  *int
		want int
	}{
		{"count", got.Count, want.count}, {"liable", got.Liable, want.liable}, {"fined", got.Fined, want.fined},
		{"appealed", got.Appealed, want.appealed}, {"appealsSucceeded", got.AppealsSucceeded, want.succeeded},
	}
	for _, c := range counts {
		if c.got == nil {
			withheldCells++
			if c.want >= k {
				complementaryCells++
			}
		}
		switch {
		case c.got == nil && !got.Suppressed:
			t.Errorf("%s: %s withheld but the bucket is not marked suppressed", name, c.name)
		case c.got == nil:
		case *c.got != c.want:
			t.Errorf("%s: %s = %d, want %d", name, c.name, *c.got, c.want)
		case c.want > 0 && c.want < k:
			t.Errorf("%s: %s = %d published below k = %d", name, c.name, c.want, k)
		}
	}

	var currencies []string
	for cur := range want.fines {
		currencies = append(currencies, cur)
	}
	slices.Sort(currencies)
	if len(got.Fines) != len(currencies) {
		t.Fatalf("%s: fines for %d currencies, want %v", name, len(got.Fines), currencies)
	}
	for i, cur := range currencies {
		fs, amounts, units := got.Fines[i], want.fines[cur], want.fineUnits[cur]
		if fs.Currency != cur {
			t.Errorf("%s: fines[%d] in %s, want %s", name, i, fs.Currency, cur)
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
		n := len(amounts)
		var sum int64
		var unitSum float64
		for j, a := range amounts {
			sum += a
			unitSum += units[j]
		}
		if math.IsNaN(unitSum) {
			if fs.IndexUnits != nil {
				t.Errorf("%s: %s fines in index units although a year's unit is unknown", name, cur)
			}
			units, unitSum = nil, 0
		}
		switch {
		case *fs.Count != n:
			t.Errorf("%s: %s fine count %d, want %d", name, cur, *fs.Count, n)
		case n < k:
			t.Errorf("%s: %s fine count %d published below k", name, cur, n)
		case int64(*fs.Total) != sum || !near(*fs.Mean, float64(sum)/float64(n)):
			t.Errorf("%s: %s fines total %d mean %v, want %d %v", name, cur, *fs.Total, *fs.Mean, sum, float64(sum)/float64(n))
		case int64(*fs.Min) != slices.Min(amounts) || int64(*fs.Max) != slices.Max(amounts):
			t.Errorf("%s: %s fines min %d max %d, want %d %d", name, cur, *fs.Min, *fs.Max, slices.Min(amounts), slices.Max(amounts))
		case fs.Median == nil || !near(*fs.Median, median(amounts)) || fs.P90 == nil || !near(*fs.P90, p90(amounts)):
			t.Errorf("%s: %s fines median %v p90 %v, want %v %v", name, cur, fs.Median, fs.P90, median(amounts), p90(amounts))
		case units == nil:
		case fs.IndexUnits == nil || !near(fs.IndexUnits.Total, unitSum) || !near(*fs.IndexUnits.Median, median(units)) ||
			!near(*fs.IndexUnits.P90, p90(units)) || !near(fs.IndexUnits.Max, slices.Max(units)):
			t.Errorf("%s: %s fines in index units %+v, want total %v median %v", name, cur, fs.IndexUnits, unitSum, median(units))
		}
	}

	checkOptional := func(what string, got *float64, want float64, publish bool) {
		t.Helper()
		switch {
		case publish && got == nil:
			t.Errorf("%s: %s withheld, want %v", name, what, want)
		case !publish && got != nil:
			t.Errorf("%s: %s = %v published, should be withheld", name, what, *got)
		case got != nil && !near(*got, want):
			t.Errorf("%s: %s = %v, want %v", name, what, *got, want)
		}
	}
	small := func(n int) bool { return n > 0 && n < k }
	rate := func(num, den int) (float64, bool) {
		if den < k || small(num) || small(den-num) {
			return 0, false
		}
		return float64(num) / float64(den), true
	}
	if len(want.days) > 0 {
		checkOptional("medianDaysToDecision", got.MedianDaysToDecision, median(want.days), len(want.days) >= k)
	} else if got.MedianDaysToDecision != nil {
		t.Errorf("%s: medianDaysToDecision without decisions", name)
	}
	r, ok := rate(want.prosRejected, want.prosDecided)
	checkOptional("prosecutorRejectionRate", got.ProsecutorRejectionRate, r, ok)
	r, ok = rate(want.expertNone, want.expertDone)
	checkOptional("expertNoOffenceRate", got.ExpertNoOffenceRate, r, ok)
	repeat := 0
	for _, n := range want.people {
		if n >= 2 {
			repeat++
		}
	}
	if got.RepeatDefendants == nil {
		if !small(repeat) {
			t.Errorf("%s: repeatDefendants withheld, want %d", name, repeat)
		}
	} else if *got.RepeatDefendants != repeat || small(repeat) {
		t.Errorf("%s: repeatDefendants = %d, want %d (k %d)", name, *got.RepeatDefendants, repeat, k)
	}
	if got.Count != nil && population > 0 {
		checkOptional("countPer100k", got.CountPer100k, float64(want.count)*100000/float64(population), true)
	} else if got.CountPer100k != nil {
		t.Errorf("%s: countPer100k published without a published count and a population", name)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// population is the population behind a bucket, as the schema describes it.
func (f *statsFixture) population(groupBy []string, key []struct{ Dimension, Code, Label string }) int {
	j := ""
	for _, kv := range key {
		switch kv.Dimension {
		case "REGION":
			if r := f.ref.Region(kv.Code); r != nil && r.Population != nil {
				return *r.Population
			}
			return 0
		case "JURISDICTION":
			j = kv.Code
		}
	}
	if p := f.ref.Population(model.Jurisdiction(j)); p != nil {
		return int(p.Value)
	}
	return 0
}
