package graph_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The statistics tests load random cases of every shape (both countries, every outcome,
// appeals that help or hurt the defendant, repeat defendants) and compare every figure of
// the answers with a computation over the same raw rows written here, in plain Go, the
// slow and obvious way.

// rawCase is a case as the test generated it.
type rawCase struct {
	model.Case
	Pseudonym *string
	Appeals   []model.Appeal
}

type statsFixture struct {
	engine *stats.Engine
	st     *store.Store
	ref    *reference.Data
	cases  []rawCase
	dets   []model.Detection
	url    string
}

func newStatsFixture(t *testing.T, databaseURL string, n int, seed uint64, k int) *statsFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, databaseURL)
	ref := reference.MustRead()
	f := &statsFixture{st: st, ref: ref}
	f.cases, f.dets = randomCases(ref, n, seed)
	_, err := st.Load(ctx, model.Release{Synthetic: true}, func(b *store.Batch) error {
		for i := range f.cases {
			c := &f.cases[i]
			rec := &store.CaseRecord{Case: c.Case, SourceKey: fmt.Sprintf("src-%d", i), Pseudonym: c.Pseudonym, Appeals: c.Appeals}
			if err := b.AddCase(ctx, rec); err != nil {
				return err
			}
			c.Case = rec.Case
		}
		for i := range f.dets {
			if err := b.AddDetection(ctx, &f.dets[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.engine = stats.NewEngine(st, ref)
	api, err := graph.New(graph.Options{Store: st, Engine: f.engine, Reference: ref, Secret: []byte("test secret"),
		Threshold: k, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.GraphQL)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

// randomCases draws n cases and some detections. Values come from small pools so that
// groups of every size, from 1 up, occur.
func randomCases(ref *reference.Data, n int, seed uint64) ([]rawCase, []model.Detection) {
	rng := rand.New(rand.NewPCG(seed, 11))
	pick := func(codes []string) string { return codes[rng.IntN(len(codes))] }
	day := func(from string, maxDays int) string {
		t, _ := time.Parse(time.DateOnly, from)
		return t.AddDate(0, 0, rng.IntN(maxDays)+1).Format(time.DateOnly)
	}
	people := make([]string, n/2+1)
	for i := range people {
		h := sha256.Sum256([]byte(fmt.Sprint("person", seed, i)))
		people[i] = hex.EncodeToString(h[:])
	}
	var out []rawCase
	for i := range n {
		j := model.JurisdictionKZ
		if rng.IntN(4) == 0 {
			j = model.JurisdictionKG
		}
		regions := reference.Filter(ref.Regions, j, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
		articles := reference.Filter(ref.Articles, j, func(a *model.Article) model.Jurisdiction { return a.Jurisdiction })
		cat := model.ContentCategory(pick(model.ContentCategoryVocabulary.Codes()))
		c := rawCase{Case: model.Case{
			Reference: fmt.Sprintf("%s-T-%06d", j, i), Jurisdiction: j, Category: cat, Concern: cat.Concern(),
			Platform:   model.Platform(pick(model.PlatformVocabulary.Codes())),
			Liability:  model.LiabilityAdministrative,
			ReportedOn: day("2022-12-31", 3*365),
		}}
		if rng.IntN(20) > 0 {
			c.RegionCode = ptr(regions[rng.IntN(len(regions))].Code)
		}
		if rng.IntN(10) > 0 {
			a := articles[rng.IntN(len(articles))]
			c.ArticleCode, c.Liability = ptr(a.Code), a.Liability
		}
		if rng.IntN(8) > 0 {
			c.DefendantKind = ptr(model.DefendantKind(pick(model.DefendantKindVocabulary.Codes())))
		}
		if rng.IntN(6) > 0 {
			c.Pseudonym = ptr(people[rng.IntN(len(people))])
		}
		if rng.IntN(8) > 0 {
			c.ExpertConclusion = ptr(model.ExpertConclusion(pick(model.ExpertConclusionVocabulary.Codes())))
			c.ExpertOn = ptr(day(c.ReportedOn, 30))
		}
		offence := c.ExpertConclusion != nil && (*c.ExpertConclusion == model.ExpertConclusionAdministrativeOffense || *c.ExpertConclusion == model.ExpertConclusionCriminalOffense)
		if offence && rng.IntN(10) > 0 {
			c.CaseOpenedOn = ptr(day(*c.ExpertOn, 20))
			c.ProsecutorDecision = ptr(model.ProsecutorDecision(pick([]string{"APPROVED", "APPROVED", "APPROVED", "REJECTED", "RETURNED", "PENDING"})))
			if *c.ProsecutorDecision != model.ProsecutorDecisionPending {
				c.ProsecutorOn = ptr(day(*c.CaseOpenedOn, 20))
			}
		}
		if c.ProsecutorDecision != nil && *c.ProsecutorDecision == model.ProsecutorDecisionApproved && rng.IntN(7) > 0 {
			c.CourtDecision = ptr(model.Decision(pick([]string{"LIABLE", "LIABLE", "LIABLE", "NOT_LIABLE", "DISMISSED", "TERMINATED", "PENDING"})))
			if *c.CourtDecision != model.DecisionPending {
				c.CourtOn = ptr(day(*c.ProsecutorOn, 300))
			}
			if *c.CourtDecision == model.DecisionLiable {
				c.Sanction = ptr(model.Sanction(pick([]string{"FINE", "FINE", "FINE", "WARNING", "ADMINISTRATIVE_ARREST", "IMPRISONMENT"})))
				if *c.Sanction == model.SanctionFine {
					c.FineAmount = ptr(int64(1+rng.IntN(40)) * 3692)
				}
			}
		}
		if c.CourtOn != nil && rng.IntN(3) == 0 {
			ap := model.Appeal{Level: model.AppealLevelAppeal, Jurisdiction: j, FiledOn: ptr(day(*c.CourtOn, 10)),
				FiledBy: ptr(model.AppealParty(pick(model.AppealPartyVocabulary.Codes()))),
				Status:  model.AppealStatus(pick(model.AppealStatusVocabulary.Codes()))}
			if ap.Status != model.AppealStatusPending {
				ap.DecidedOn = ptr(day(*ap.FiledOn, 60))
			}
			if ap.Status == model.AppealStatusModified && c.FineAmount != nil {
				ap.FineAmount = ptr(*c.FineAmount + int64(rng.IntN(3)-1)*5000)
			}
			c.Appeals = append(c.Appeals, ap)
			if ap.DecidedOn != nil && rng.IntN(3) == 0 {
				cs := model.Appeal{Level: model.AppealLevelCassation, Jurisdiction: j, FiledOn: ptr(day(*ap.DecidedOn, 30)),
					FiledBy: ptr(model.AppealParty(pick(model.AppealPartyVocabulary.Codes()))),
					Status:  model.AppealStatus(pick(model.AppealStatusVocabulary.Codes()))}
				if cs.Status != model.AppealStatusPending {
					cs.DecidedOn = ptr(day(*cs.FiledOn, 90))
				}
				if cs.Status == model.AppealStatusModified && c.FineAmount != nil && rng.IntN(2) == 0 {
					cs.FineAmount = ptr(*c.FineAmount / 2)
				}
				c.Appeals = append(c.Appeals, cs)
			}
			c.AppealStatus = ptr(c.Appeals[len(c.Appeals)-1].Status)
		}
		c.Stage = c.DeriveStage(c.Appeals)
		out = append(out, c)
	}
	var dets []model.Detection
	for range 3 * n {
		d := model.Detection{
			Jurisdiction: model.JurisdictionKZ,
			Category:     model.ContentCategory(pick(model.ContentCategoryVocabulary.Codes())),
			Platform:     model.Platform(pick([]string{"TELEGRAM", "WEBSITE", "TIKTOK"})),
			Action:       model.DetectionAction(pick(model.DetectionActionVocabulary.Codes())),
			DetectedOn:   day("2022-12-31", 3*365),
		}
		if rng.IntN(5) > 0 {
			d.RegionCode = ptr(pick([]string{"KZ-75", "KZ-71", "KZ-79"}))
		}
		dets = append(dets, d)
	}
	return out, dets
}

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

// ---------------------------------------------------------------- the answer

type statAnswer struct {
	Statistics struct {
		SuppressionThreshold int
		Total                statBucket
		Buckets              []statBucket
	}
}

type statBucket struct {
	Key []struct {
		Dimension, Code, Label string
	}
	Period                  *string
	Count                   *int
	Suppressed              bool
	Liable, Fined, Appealed *int
	AppealsSucceeded        *int
	Fines                   []struct {
		Currency               string
		Count, Total, Min, Max *int
		Mean, Median, P90      *float64
		IndexUnits             *struct {
			Unit                  string
			Total, Mean, Min, Max float64
			Median, P90           *float64
		}
	}
	MedianDaysToDecision    *float64
	ProsecutorRejectionRate *float64
	ExpertNoOffenceRate     *float64
	RepeatDefendants        *int
	CountPer100k            *float64
}

const statFields = `key { dimension code label(lang: RU) } period count suppressed liable fined appealed appealsSucceeded
	fines { currency count total mean median p90 min max indexUnits { unit total mean median p90 min max } }
	medianDaysToDecision prosecutorRejectionRate expertNoOffenceRate repeatDefendants countPer100k`

func (f *statsFixture) statistics(t *testing.T, filter map[string]any, groupBy []string, interval string, k *int) statAnswer {
	t.Helper()
	if groupBy == nil {
		groupBy = []string{}
	}
	vars := map[string]any{"f": filter, "g": groupBy, "k": k}
	if interval != "" {
		vars["i"] = interval
	}
	var a statAnswer
	fx := &fixture{url: f.url}
	fx.data(t, `query($f: CaseFilter, $g: [Dimension!]!, $i: Interval, $k: Int) {
		statistics(filter: $f, groupBy: $g, interval: $i, suppressionThreshold: $k) {
			suppressionThreshold total { `+statFields+` } buckets { `+statFields+` } } }`, vars, &a)
	return a
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

// attack fails the test for every withheld count that leaks.
func attack(t *testing.T, a statAnswer) {
	t.Helper()
	for _, leak := range leaks(a) {
		t.Error(leak)
	}
}

// leaks tries to work out withheld counts from the rest of the answer: for each
// additive figure the buckets add up to the total, and in each bucket fined is the sum of
// the fine counts per currency. Any equation with a single unknown reveals it; solving
// repeats until nothing new is learnt.
func leaks(a statAnswer) []string {
	var out []string
	type cell struct {
		row int // -1 for the total
		fig string
	}
	known := map[cell]int{}
	unknown := map[cell]bool{}
	rows := append([]statBucket{a.Statistics.Total}, a.Statistics.Buckets...)
	put := func(c cell, v *int) {
		if v == nil {
			unknown[c] = true
		} else {
			known[c] = *v
		}
	}
	currencies := map[string]bool{}
	for i, b := range rows {
		r := i - 1
		put(cell{r, "count"}, b.Count)
		put(cell{r, "liable"}, b.Liable)
		put(cell{r, "fined"}, b.Fined)
		put(cell{r, "appealed"}, b.Appealed)
		put(cell{r, "succeeded"}, b.AppealsSucceeded)
		for _, fs := range b.Fines {
			currencies[fs.Currency] = true
			put(cell{r, "fines " + fs.Currency}, fs.Count)
			put(cell{r, "total " + fs.Currency}, fs.Total)
		}
	}
	// A currency without an entry in a bucket has no fines there.
	for cur := range currencies {
		for i := range rows {
			for _, fig := range []string{"fines " + cur, "total " + cur} {
				c := cell{i - 1, fig}
				if _, ok := known[c]; !ok && !unknown[c] {
					known[c] = 0
				}
			}
		}
	}
	// Each equation: sum of plus cells = sum of minus cells.
	type equation struct{ plus, minus []cell }
	var eqs []equation
	figs := []string{"count", "liable", "fined", "appealed", "succeeded"}
	for cur := range currencies {
		figs = append(figs, "fines "+cur, "total "+cur)
	}
	for _, fig := range figs {
		var parts []cell
		for r := range a.Statistics.Buckets {
			parts = append(parts, cell{r, fig})
		}
		eqs = append(eqs, equation{plus: parts, minus: []cell{{-1, fig}}})
	}
	for i := range rows {
		var parts []cell
		for cur := range currencies {
			parts = append(parts, cell{i - 1, "fines " + cur})
		}
		eqs = append(eqs, equation{plus: []cell{{i - 1, "fined"}}, minus: parts})
	}
	// Only an equation whose cells all come from one answer applies: when buckets are
	// grouped by period, counts and outcomes sit in different buckets but each figure's
	// buckets still add up to its total.
	for progress := true; progress; {
		progress = false
		for _, eq := range eqs {
			var missing []cell
			sum := 0
			for _, c := range eq.plus {
				if v, ok := known[c]; ok {
					sum += v
				} else {
					missing = append(missing, c)
				}
			}
			for _, c := range eq.minus {
				if v, ok := known[c]; ok {
					sum -= v
				} else {
					missing = append(missing, c)
				}
			}
			if len(missing) == 1 {
				c := missing[0]
				if slices.Contains(eq.minus, c) {
					known[c] = sum
				} else {
					known[c] = -sum
				}
				if unknown[c] {
					out = append(out, fmt.Sprintf("withheld %s of row %d worked out from the answer: %d", c.fig, c.row, known[c]))
				}
				progress = true
			}
		}
	}
	return out
}

// TestAttackFindsLeaks makes sure the attack above would notice the classic mistakes:
// withholding only the small cell, or a fined figure next to its currencies.
func TestAttackFindsLeaks(t *testing.T) {
	var a statAnswer
	n := func(v int) *int { return &v }
	a.Statistics.Total = statBucket{Count: n(20), Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)}
	a.Statistics.Buckets = []statBucket{
		{Count: nil, Suppressed: true, Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)},
		{Count: n(18), Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)},
	}
	if got := leaks(a); len(got) != 1 {
		t.Fatalf("primary suppression alone: leaks %v, want the withheld count", got)
	}
	a.Statistics.Buckets[1].Count = nil
	if got := leaks(a); len(got) != 0 {
		t.Fatalf("two withheld cells: leaks %v, want none", got)
	}
	type fines = struct {
		Currency               string
		Count, Total, Min, Max *int
		Mean, Median, P90      *float64
		IndexUnits             *struct {
			Unit                  string
			Total, Mean, Min, Max float64
			Median, P90           *float64
		}
	}
	a.Statistics.Total.Fined = n(10)
	a.Statistics.Total.Fines = []fines{{Currency: "KGS", Count: nil}, {Currency: "KZT", Count: n(8)}}
	if got := leaks(a); len(got) == 0 {
		t.Fatal("fined published next to all but one currency: no leak found")
	}
}

// ---------------------------------------------------------------- the tests

// statQuestion is a statistics question and the filter it asks for, written twice: as
// GraphQL variables and as a plain Go predicate over raw cases.
type statQuestion struct {
	name     string
	groupBy  []string
	interval string
	filter   map[string]any
	keep     func(*rawCase) bool
}

var statQuestions = []statQuestion{
	{"region by year", []string{"REGION"}, "YEAR", nil, nil},
	{"jurisdiction and concern", []string{"JURISDICTION", "CONCERN"}, "", nil, nil},
	{"no grouping", nil, "", nil, nil},
	{"kind, decision and appeal by quarter, filtered", []string{"DEFENDANT_KIND", "DECISION", "APPEAL_STATUS"}, "QUARTER",
		map[string]any{"concerns": []string{"CORE_EXPRESSION", "CONTESTED"}, "reportedFrom": "2023-03-15"},
		func(c *rawCase) bool {
			return (c.Concern == model.ConcernCoreExpression || c.Concern == model.ConcernContested) && c.ReportedOn >= "2023-03-01"
		}},
	{"article by month in KZ, decided in 2024", []string{"ARTICLE"}, "MONTH",
		map[string]any{"jurisdiction": "KZ", "decidedFrom": "2024-01-01", "decidedTo": "2024-12-31"},
		func(c *rawCase) bool {
			return c.Jurisdiction == model.JurisdictionKZ && c.CourtOn != nil && inMonthRange(*c.CourtOn, ptr("2024-01-01"), ptr("2024-12-31"))
		}},
	{"stage, sanction, platform for some regions", []string{"STAGE", "SANCTION", "PLATFORM"}, "",
		map[string]any{"regions": []string{"KZ-75", "KZ-71", "KG-GB"}},
		func(c *rawCase) bool {
			return c.RegionCode != nil && slices.Contains([]string{"KZ-75", "KZ-71", "KG-GB"}, *c.RegionCode)
		}},
	{"liability and category by year", []string{"LIABILITY", "CATEGORY"}, "YEAR", nil, nil},
}

// check asks q with threshold k and compares the whole answer with the raw cases.
func (f *statsFixture) check(t *testing.T, q statQuestion, k int) {
	t.Helper()
	keep := q.keep
	if keep == nil {
		keep = func(*rawCase) bool { return true }
	}
	a := f.statistics(t, q.filter, q.groupBy, q.interval, &k)
	want, wantTotal := f.expected(q.groupBy, q.interval, keep)
	if a.Statistics.SuppressionThreshold != k {
		t.Fatalf("suppressionThreshold %d, want %d", a.Statistics.SuppressionThreshold, k)
	}
	checkBucket(t, "total", k, a.Statistics.Total, wantTotal, 0)
	seen := map[string]bool{}
	for _, got := range a.Statistics.Buckets {
		var parts []string
		for i, kv := range got.Key {
			if kv.Dimension != q.groupBy[i] {
				t.Fatalf("key %d is %s, want %s", i, kv.Dimension, q.groupBy[i])
			}
			if kv.Label == "" {
				t.Errorf("no label for %s %s", kv.Dimension, kv.Code)
			}
			parts = append(parts, kv.Code)
		}
		parts = append(parts, deref(got.Period))
		key := strings.Join(parts, "|")
		if seen[key] {
			t.Fatalf("bucket %s twice", key)
		}
		seen[key] = true
		w := want[key]
		if w == nil {
			t.Errorf("bucket %s: not in the data", key)
			continue
		}
		checkBucket(t, key, k, got, w, f.population(q.groupBy, got.Key))
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("bucket %s missing", key)
		}
	}
	attack(t, a)
}

func TestStatisticsMatchAnIndependentComputation(t *testing.T) {
	const serverK = 3
	withheldCells, complementaryCells = 0, 0
	for _, seed := range []uint64{42, 7} {
		for _, b := range storetest.Backends(t) {
			t.Run(fmt.Sprintf("%s seed %d", b.Name, seed), func(t *testing.T) {
				f := newStatsFixture(t, b.URL, 1200, seed, serverK)
				for _, q := range statQuestions {
					for _, k := range []int{serverK, 5, 11} {
						t.Run(fmt.Sprintf("%s k=%d", q.name, k), func(t *testing.T) { f.check(t, q, k) })
					}
				}
			})
		}
	}
	if withheldCells == 0 || complementaryCells == 0 {
		t.Errorf("the questions withheld %d cells, %d of them by complementary suppression: the test data exercise too little", withheldCells, complementaryCells)
	}
	t.Logf("%d cells withheld, %d of them complementary", withheldCells, complementaryCells)
}

// TestStatisticsFollowAnImport: once an import has committed, the very next answer
// includes its new and changed cases.
func TestStatisticsFollowAnImport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			const k = 3
			f := newStatsFixture(t, b.URL, 800, 5, k)
			q := statQuestions[0]
			f.check(t, q, k) // builds the fact table of the first release

			// Move every tenth case, acquit it if it was liable, and add new cases, as an import would.
			more, _ := randomCases(f.ref, 300, 99)
			ctx := context.Background()
			_, err := f.st.Import(ctx, store.ImportOptions{
				Release: model.Release{Synthetic: true},
				Reference: func(rec *store.CaseRecord, attempt int) string {
					return fmt.Sprintf("%s-N%d", rec.Case.Reference, attempt)
				},
			}, func(batch *store.ImportBatch) error {
				for i := 0; i < len(f.cases); i += 10 {
					c := &f.cases[i]
					c.RegionCode, c.Jurisdiction = ptr("KZ-79"), model.JurisdictionKZ
					if i%20 == 0 { // now the case of another defendant (or of none)
						c.Pseudonym = f.cases[i+1].Pseudonym
					}
					if c.CourtDecision != nil && *c.CourtDecision == model.DecisionLiable {
						c.CourtDecision, c.Sanction, c.FineAmount = ptr(model.DecisionNotLiable), nil, nil
					}
					if err := batch.Put(ctx, &store.CaseRecord{Case: c.Case, SourceKey: fmt.Sprintf("src-%d", i), Pseudonym: c.Pseudonym, Appeals: c.Appeals}); err != nil {
						return err
					}
				}
				for i := range more {
					if i%3 == 0 { // a defendant already on record
						more[i].Pseudonym = f.cases[i*7%len(f.cases)].Pseudonym
					}
					if err := batch.Put(ctx, &store.CaseRecord{Case: more[i].Case, SourceKey: fmt.Sprintf("new-%d", i), Pseudonym: more[i].Pseudonym, Appeals: more[i].Appeals}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			f.cases = append(f.cases, more...)
			for _, q := range statQuestions[:3] {
				t.Run(q.name, func(t *testing.T) { f.check(t, q, k) })
			}
		})
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

func TestFunnelMatchesAnIndependentCount(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			const k = 3
			f := newStatsFixture(t, b.URL, 1500, 9, k)
			for _, q := range []struct {
				name       string
				filter     map[string]any
				keep       func(*rawCase) bool
				keepDet    func(*model.Detection) bool
				detections bool
			}{
				{"everything", nil, func(*rawCase) bool { return true }, func(*model.Detection) bool { return true }, true},
				{"core expression in Almaty from 2024", map[string]any{"concerns": []string{"CORE_EXPRESSION"}, "regions": []string{"KZ-75"}, "reportedFrom": "2024-01-01"},
					func(c *rawCase) bool {
						return c.Concern == model.ConcernCoreExpression && c.RegionCode != nil && *c.RegionCode == "KZ-75" && c.ReportedOn >= "2024-01-01"
					},
					func(d *model.Detection) bool {
						return d.Category.Concern() == model.ConcernCoreExpression && d.RegionCode != nil && *d.RegionCode == "KZ-75" && d.DetectedOn >= "2024-01-01"
					}, true},
				{"journalists (no detections)", map[string]any{"defendantKinds": []string{"JOURNALIST"}},
					func(c *rawCase) bool {
						return c.DefendantKind != nil && *c.DefendantKind == model.DefendantKindJournalist
					}, nil, false},
			} {
				t.Run(q.name, func(t *testing.T) {
					var a struct {
						Funnel struct {
							SuppressionThreshold int
							Steps                []struct {
								Step, Label           string
								Count                 *int
								Suppressed, Available bool
								ShareOfPrevious       *float64
							}
						}
					}
					fx := &fixture{url: f.url}
					fx.data(t, `query($f: CaseFilter) { funnel(filter: $f) { suppressionThreshold
						steps { step label(lang: KK) count suppressed available shareOfPrevious } } }`, map[string]any{"f": q.filter}, &a)

					// The case steps, each a part of the one before, counted by hand.
					want := make([]int, 11)
					for i := range f.dets {
						d := &f.dets[i]
						if q.keepDet != nil && q.keepDet(d) {
							want[0]++
							if d.Action == model.DetectionActionReferredToPolice {
								want[1]++
							}
						}
					}
					for i := range f.cases {
						c := &f.cases[i]
						if !q.keep(c) || c.ExpertConclusion == nil {
							continue
						}
						want[2]++
						if *c.ExpertConclusion != model.ExpertConclusionAdministrativeOffense && *c.ExpertConclusion != model.ExpertConclusionCriminalOffense {
							continue
						}
						want[3]++
						if c.CaseOpenedOn == nil {
							continue
						}
						want[4]++
						if c.ProsecutorDecision == nil || *c.ProsecutorDecision != model.ProsecutorDecisionApproved {
							continue
						}
						want[5]++
						if c.CourtDecision == nil || *c.CourtDecision == model.DecisionPending {
							continue
						}
						want[6]++
						if *c.CourtDecision != model.DecisionLiable {
							continue
						}
						want[7]++
						if c.Sanction == nil || *c.Sanction != model.SanctionFine {
							continue
						}
						want[8]++
						if len(c.Appeals) == 0 {
							continue
						}
						want[9]++
						if helped(c) {
							want[10]++
						}
					}
					names := []string{"DETECTED", "REFERRED", "EXPERT_REVIEWED", "OFFENCE_FOUND", "CASE_OPENED", "APPROVED", "DECIDED", "LIABLE", "FINED", "APPEALED", "OVERTURNED_OR_MODIFIED"}
					steps := a.Funnel.Steps
					if len(steps) != len(names) {
						t.Fatalf("%d steps, want %d", len(steps), len(names))
					}
					lastPublished := -1
					for i, st := range steps {
						if st.Step != names[i] || st.Label == "" {
							t.Fatalf("step %d is %s %q, want %s with a label", i, st.Step, st.Label, names[i])
						}
						if i < 2 {
							if st.Available != q.detections || (st.Count == nil) == q.detections {
								t.Errorf("%s: available %v count %v, want available %v", st.Step, st.Available, st.Count, q.detections)
							}
							if st.Count != nil && *st.Count != want[i] {
								t.Errorf("%s = %d, want %d", st.Step, *st.Count, want[i])
							}
							continue
						}
						if st.Count == nil {
							if !st.Suppressed {
								t.Errorf("%s: no count and not suppressed", st.Step)
							}
							continue
						}
						n := *st.Count
						if n != want[i] || (n > 0 && n < k) {
							t.Errorf("%s = %d, want %d (k %d)", st.Step, n, want[i], k)
						}
						if lastPublished >= 0 {
							prev := *steps[lastPublished].Count
							if n > prev {
								t.Errorf("%s = %d is more than %s = %d: the funnel does not add up", st.Step, n, steps[lastPublished].Step, prev)
							}
							if d := prev - n; d > 0 && d < k {
								t.Errorf("%s − %s = %d reveals a small count", steps[lastPublished].Step, st.Step, d)
							}
							if lastPublished == i-1 && prev > 0 && (st.ShareOfPrevious == nil || !near(*st.ShareOfPrevious, float64(n)/float64(prev))) {
								t.Errorf("%s: shareOfPrevious %v, want %v", st.Step, st.ShareOfPrevious, float64(n)/float64(prev))
							}
						}
						lastPublished = i
					}
					if want[2] >= 50 && lastPublished < 8 {
						t.Errorf("too much withheld for %d cases: last published step %d", want[2], lastPublished)
					}
				})
			}
		})
	}
}

func TestStatisticsRejectBadInput(t *testing.T) {
	f := newStatsFixture(t, storetest.SQLiteURL(t), 50, 1, 5)
	f.engine.MaxBuckets = 40
	fx := &fixture{url: f.url}
	for _, c := range []struct {
		name, query, want string
	}{
		{"four dimensions", `{ statistics(groupBy: [REGION, CATEGORY, PLATFORM, STAGE]) { total { count } } }`, "at most 3 dimensions"},
		{"a dimension twice", `{ statistics(groupBy: [REGION, REGION]) { total { count } } }`, "REGION is listed twice"},
		{"threshold below the server's", `{ statistics(groupBy: [], suppressionThreshold: 3) { total { count } } }`, "below this server's threshold of 5"},
		{"funnel threshold below", `{ funnel(suppressionThreshold: 2) { steps { count } } }`, "below this server's threshold"},
		{"empty report range", `{ statistics(groupBy: [], filter: {reportedFrom: "2024-05-01", reportedTo: "2024-04-30"}) { total { count } } }`, "the range is empty"},
		{"empty decision range", `{ funnel(filter: {decidedFrom: "2025-01-01", decidedTo: "2024-01-01"}) { steps { count } } }`, "the range is empty"},
		{"unknown region", `{ statistics(groupBy: [], filter: {regions: ["KZ-99"]}) { total { count } } }`, "filter.regions[0]"},
		{"unknown dimension", `{ statistics(groupBy: [COLOUR]) { total { count } } }`, "Dimension"},
		{"unknown interval", `{ statistics(groupBy: [REGION], interval: WEEK) { total { count } } }`, "Interval"},
		{"too many buckets", `{ statistics(groupBy: [REGION, PLATFORM], interval: MONTH) { total { count } } }`, "more than 40: group by fewer dimensions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := fx.errors(t, c.query, nil)
			if len(errs) == 0 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, c.want) {
				t.Fatalf("errors %+v, want BAD_USER_INPUT mentioning %q", errs, c.want)
			}
		})
	}
}

// errors posts a query that must fail and returns its errors.
func (f *fixture) errors(t *testing.T, query string, vars map[string]any) []gqlError {
	t.Helper()
	r := f.post(t, query, vars)
	if len(r.Errors) == 0 {
		t.Fatalf("status %d: no errors", r.status)
	}
	return r.Errors
}
