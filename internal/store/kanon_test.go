package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The case view of a generated dataset, generalised by the store as a release is, is
// k-anonymous on both backends (docs/design.md §6): over every case a list shows, the
// published combination (model.PublishedView, as the API and the exports render it)
// is shared by at least k cases within its jurisdiction and year of report; the cases the
// view leaves out are neither listed nor counted, by any filter; and filters count on
// the published values only.
func TestCaseViewOfAGeneratedDatasetIsKAnonymous(t *testing.T) {
	const k = 5
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, b.URL)
			ref := reference.MustRead()
			if _, err := demo.Seed(ctx, st, ref, demo.Options{Cases: 3000, Generalize: privacy.Generalizer(k, ref.FineBand)}); err != nil {
				t.Fatal(err)
			}

			// Every stored case, with its appeals, and its case view.
			var ids []int64
			if err := st.EachCaseFact(ctx, 0, func(f *store.CaseFact) error { ids = append(ids, f.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(ids) != 3000 {
				t.Fatalf("the store holds %d cases, want 3000", len(ids))
			}
			views := map[int64]model.View{}
			years := map[int64]string{} // year of report, as stored
			for chunk := range slices.Chunk(ids, 500) {
				cases, err := st.CasesByID(ctx, chunk)
				if err != nil {
					t.Fatal(err)
				}
				appeals, err := st.AppealsByCase(ctx, chunk)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cases {
					views[c.ID] = c.PublishedView(appeals[c.ID], ref.FineBand)
					years[c.ID] = model.Year(c.ReportedOn)
				}
			}
			if len(views) != len(ids) {
				t.Fatalf("read %d of %d cases", len(views), len(ids))
			}

			// What a case list shows, page by page through the cursors.
			engine := stats.NewEngine(st, ref, []byte("test secret"))
			list := func(f model.CaseFilter) []int64 {
				t.Helper()
				var out []int64
				var after *model.CaseKey
				for {
					keys, more, err := engine.ListCases(ctx, f, model.CaseOrderReportedAsc, 1000, after)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, model.CaseKeyIDs(keys)...)
					if !more {
						return out
					}
					after = &keys[len(keys)-1]
				}
			}
			listed := list(model.CaseFilter{})
			shown := map[int64]bool{}
			for _, id := range listed {
				if shown[id] {
					t.Fatalf("case %d is listed twice", id)
				}
				shown[id] = true
			}

			// The listed cases are exactly those the view does not leave out.
			left := 0
			for _, id := range ids {
				v := views[id]
				if v.Withheld != !shown[id] {
					t.Errorf("case %d: left out %t, listed %t (generalized %q)", id, v.Withheld, shown[id], v.Case.Generalized)
				}
				if v.Withheld {
					left++
				}
			}
			if left == 0 || left == len(ids) {
				t.Fatalf("%d of %d cases left out: the data no longer exercise the last step", left, len(ids))
			}

			// No published combination of the listed cases is shared by fewer than k.
			groups := map[string][]int64{}
			for _, id := range listed {
				v := views[id]
				key := fmt.Sprintf("%s|%s|%s", v.Case.Jurisdiction, years[id], v.Key())
				groups[key] = append(groups[key], id)
			}
			steps := map[string]int{}
			for key, g := range groups {
				if len(g) < k {
					t.Errorf("%d listed case(s) share the published combination %q, want at least %d", len(g), key, k)
				}
				v := views[g[0]]
				for _, s := range v.Case.GeneralizedFields() {
					steps[s] += len(g)
				}
			}
			t.Logf("%d cases, %d listed in %d published combinations, %d left out; steps taken: %v", len(ids), len(listed), len(groups), left, steps)
			// The listed cases took the ladder's steps, not only the base view.
			for _, s := range []string{model.GeneralizedKind, model.GeneralizedRegion, model.GeneralizedDates} {
				if steps[s] == 0 {
					t.Errorf("no listed case generalises %q: the data no longer exercise the ladder (%v)", s, steps)
				}
			}

			// Counts and lists of filters match the published values of the listed cases,
			// and never count a case left out: by jurisdiction and year, by category, by
			// region, by platform and by article.
			count := func(name string, f model.CaseFilter, keep func(v *model.Case, id int64) bool) {
				t.Helper()
				var want []int64
				for _, id := range listed {
					if v := views[id]; keep(&v.Case, id) {
						want = append(want, id)
					}
				}
				n, err := engine.CountCases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got := list(f)
				slices.Sort(got)
				slices.Sort(want)
				if n != len(want) || !slices.Equal(got, want) {
					t.Errorf("%s: counted %d, listed %d, want %d", name, n, len(got), len(want))
				}
			}
			for _, j := range []model.Jurisdiction{model.JurisdictionKZ, model.JurisdictionKG} {
				for y := 2022; y <= 2027; y++ { // the demo: 2023 to 2026
					from, to := fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)
					count(fmt.Sprintf("%s %d", j, y), model.CaseFilter{Jurisdiction: &j, ReportedFrom: &from, ReportedTo: &to},
						func(v *model.Case, id int64) bool { return v.Jurisdiction == j && years[id] == fmt.Sprint(y) })
				}
			}
			for _, c := range model.ContentCategoryVocabulary.Codes() {
				count("category "+c, model.CaseFilter{Categories: []model.ContentCategory{model.ContentCategory(c)}},
					func(v *model.Case, _ int64) bool { return string(v.Category) == c })
			}
			for _, r := range ref.Regions {
				count("region "+r.Code, model.CaseFilter{Regions: []string{r.Code}},
					func(v *model.Case, _ int64) bool { return v.RegionCode != nil && *v.RegionCode == r.Code })
			}
			for _, p := range []model.Platform{model.PlatformTelegram, model.PlatformX} {
				count("platform "+string(p), model.CaseFilter{Platforms: []model.Platform{p}},
					func(v *model.Case, _ int64) bool { return v.Platform == p })
			}
			for _, a := range []string{"CAO 456-2", "CC 274"} {
				count("article "+a, model.CaseFilter{Articles: []string{a}},
					func(v *model.Case, _ int64) bool { return v.ArticleCode != nil && *v.ArticleCode == a })
			}
		})
	}
}
