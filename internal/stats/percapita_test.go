package stats_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// A per-capita figure divides the published (perturbed) count by the population of the
// bucket's year (population.csv): the year of its period, the latest year without a period,
// the latest year for a year after it; populationYear names the year used. The expected
// populations are written out from the file.
func TestPerCapitaUsesThePopulationOfTheBucketsYear(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			engine := stats.NewEngine(s, reference.MustRead(), []byte("test secret"))
			var recs []*store.CaseRecord
			add := func(j model.Jurisdiction, region, reported string, n int) {
				for i := range n {
					recs = append(recs, &store.CaseRecord{SourceKey: fmt.Sprint(region, reported, i), Case: model.Case{Jurisdiction: j,
						RegionCode: ptr(region), Category: model.ContentCategoryOther, Concern: model.ConcernOther, Platform: model.PlatformX,
						Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview, ReportedOn: reported}})
				}
			}
			add(model.JurisdictionKZ, "KZ-75", "2023-03-10", 20)
			add(model.JurisdictionKZ, "KZ-75", "2024-05-10", 25)
			add(model.JurisdictionKZ, "KZ-75", "2026-02-10", 30)
			add(model.JurisdictionKG, "KG-GB", "2024-07-10", 20)
			opts := store.ImportOptions{
				Generalize: model.Generalizer{Apply: func(qis []model.QuasiIdentifiers) [][]string { return make([][]string, len(qis)) }},
				Reference:  func(r *store.CaseRecord, n int) string { return fmt.Sprint("R-", r.SourceKey, n) },
			}
			if _, err := s.Import(ctx, opts, func(b *store.ImportBatch) error {
				for _, r := range recs {
					if err := b.Put(ctx, r); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}

			type want struct {
				population float64
				year       int
			}
			for _, q := range []struct {
				by       model.Dimension
				interval *model.Interval
				want     map[string]want // by code and period
			}{
				{model.DimensionRegion, ptr(model.IntervalYear), map[string]want{
					"KZ-75 2023": {2195288, 2023}, "KZ-75 2024": {2260365, 2024}, "KZ-75 2026": {2320079, 2025},
					"KG-GB 2024": {1145044, 2023}}},
				{model.DimensionRegion, ptr(model.IntervalQuarter), map[string]want{
					"KZ-75 2023-Q1": {2195288, 2023}, "KZ-75 2024-Q2": {2260365, 2024}, "KZ-75 2026-Q1": {2320079, 2025},
					"KG-GB 2024-Q3": {1145044, 2023}}},
				{model.DimensionRegion, ptr(model.IntervalMonth), map[string]want{
					"KZ-75 2023-03": {2195288, 2023}, "KZ-75 2024-05": {2260365, 2024}, "KZ-75 2026-02": {2320079, 2025},
					"KG-GB 2024-07": {1145044, 2023}}},
				{model.DimensionRegion, nil, map[string]want{"KZ-75 ": {2320079, 2025}, "KG-GB ": {1145044, 2023}}},
				// Kazakhstan's total per year from population.csv; Kyrgyzstan's official figure (1 Dec 2025).
				{model.DimensionJurisdiction, ptr(model.IntervalYear), map[string]want{
					"KZ 2023": {19900324.5, 2023}, "KZ 2024": {20158620.5, 2024}, "KZ 2026": {20391610.5, 2025},
					"KG 2024": {7395000, 2025}}},
			} {
				st, err := engine.Statistics(ctx, stats.Request{GroupBy: []model.Dimension{q.by}, Interval: q.interval, K: 3})
				if err != nil {
					t.Fatal(err)
				}
				seen := 0
				for _, b := range st.Buckets {
					key := b.Key[0].Code + " "
					if b.Period != nil {
						key += *b.Period
					}
					w, ok := q.want[key]
					if !ok {
						t.Errorf("%s: unexpected bucket", key)
						continue
					}
					seen++
					if b.Count == nil {
						t.Fatalf("%s: count withheld", key)
					}
					if b.CountPer100k == nil || b.PopulationYear == nil || *b.PopulationYear != w.year ||
						*b.CountPer100k != float64(*b.Count)*100_000/w.population {
						t.Errorf("%s: countPer100k %v (year %v) for count %d, want %v (year %d)",
							key, orNull(b.CountPer100k), orNull(b.PopulationYear), *b.Count, float64(*b.Count)*100_000/w.population, w.year)
					}
				}
				if seen != len(q.want) {
					t.Errorf("by %s %v: %d buckets, want %d", q.by, q.interval, seen, len(q.want))
				}
				if st.Total.CountPer100k != nil || st.Total.PopulationYear != nil {
					t.Errorf("the total has a per-capita figure")
				}
			}
		})
	}
}

func orNull[T any](v *T) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}
