package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// docs/design.md §6: the case-level view of the 50,000-case demo, generalised with k = 5.
//
//	go test -run '^$' -bench CaseView -benchtime 1x ./internal/demo/
//
// It reports the share of the values the view could publish that generalisation
// coarsened or withheld (loss), the published combinations shared by fewer than k cases
// (small-groups, 0), the cases left out of the view (left-out), and the share of the fined
// cases in the view that an attacker who knows a case's fine, decision month, region and
// article (a court's press release) finds as the only match (press-unique).
func BenchmarkCaseView(b *testing.B) {
	const k = 5
	ref := reference.MustRead()
	ctx := context.Background()
	var qis []model.QuasiIdentifiers
	var masks [][]string
	gen := privacy.Generalizer(k, ref.FineBand)
	capture := func(recs []model.QuasiIdentifiers) [][]string { // called once per year group
		out := gen.Apply(recs)
		qis, masks = append(qis, recs...), append(masks, out...)
		return out
	}
	s := storetest.Open(b, storetest.SQLiteURL(b))
	if _, err := demo.Seed(ctx, s, ref, demo.Options{Generalize: model.Generalizer{Apply: capture}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		masks = gen.Apply(qis)
	}
	m := measureCaseView(qis, masks, k, ref.FineBand)
	b.ReportMetric(m.loss, "loss")
	b.ReportMetric(float64(m.smallGroups), "small-groups")
	b.ReportMetric(float64(m.leftOut), "left-out")
	b.ReportMetric(m.pressUnique, "press-unique")
	for _, step := range privacy.Ladder {
		b.Logf("step %-18s taken by %5.1f%% of the cases", step, 100*m.stepShares[step])
	}
	if m.smallGroups != 0 {
		b.Errorf("%d published combinations are shared by fewer than %d cases", m.smallGroups, k)
	}
}

type caseViewFigures struct {
	loss             float64
	smallGroups      int
	leftOut          int
	pressUnique      float64
	stepShares       map[string]float64
	publishedPerCase int
}

// measureCaseView renders every case's view with its generalisation, as the API does, and
// measures it.
func measureCaseView(qis []model.QuasiIdentifiers, masks [][]string, k int, band model.FineBander) caseViewFigures {
	var f caseViewFigures
	f.stepShares = map[string]float64{}
	views := make([]model.View, len(qis))
	groups := map[string]int{}
	lost, total := 0, 0
	for i := range qis {
		c := qis[i].Case
		c.Generalized = strings.Join(masks[i], ",")
		views[i] = c.PublishedView(qis[i].Appeals, band)
		steps := 0
		for _, s := range privacy.Ladder {
			if slices.Contains(masks[i], s) {
				steps++
				f.stepShares[s]++
			}
		}
		total += len(privacy.Ladder)
		if views[i].Withheld {
			f.leftOut++
			lost += len(privacy.Ladder)
			continue
		}
		lost += steps
		groups[strings.Join([]string{model.Year(qis[i].Case.ReportedOn), views[i].Key()}, "|")]++
	}
	for s := range f.stepShares {
		f.stepShares[s] /= float64(len(qis))
	}
	f.loss = float64(lost) / float64(total)
	for _, n := range groups {
		if n < k {
			f.smallGroups++
		}
	}

	// The attacker knows the exact fine, decision date, region and article of a fined case,
	// and counts the published cases those facts fit: same or withheld region and article,
	// the band of the fine or none, a published decision period holding the date.
	type press struct{ jurisdiction, band, period, region, article string }
	counts := map[press]int{}
	str := func(s *string) string {
		if s == nil {
			return "-"
		}
		return *s
	}
	for i := range views {
		v := &views[i]
		if v.Withheld || v.Case.CourtOn == nil {
			continue
		}
		b := "-"
		if v.Case.FineBand != nil {
			b = v.Case.FineBand.Label()
		}
		counts[press{string(v.Case.Jurisdiction), b, *v.Case.CourtOn, str(v.Case.RegionCode), str(v.Case.ArticleCode)}]++
	}
	fined, unique := 0, 0
	for i := range qis {
		c := &qis[i].Case
		if views[i].Withheld || c.FineAmount == nil || c.CourtOn == nil {
			continue
		}
		fined++
		bandOf := "-"
		if b := band(qis[i].Jurisdiction, *c.CourtOn, *c.FineAmount); b != nil {
			bandOf = b.Label()
		}
		n := 0
		for _, bd := range slices.Compact([]string{bandOf, "-"}) {
			for _, p := range []string{model.Quarter(*c.CourtOn), model.Year(*c.CourtOn)} {
				for _, r := range []string{str(c.RegionCode), "-"} {
					for _, a := range []string{str(c.ArticleCode), "-"} {
						n += counts[press{string(qis[i].Jurisdiction), bd, p, r, a}]
					}
				}
			}
		}
		if n == 1 {
			unique++
		}
	}
	if fined > 0 {
		f.pressUnique = float64(unique) / float64(fined)
	}
	return f
}
