package stats_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// A case list does not find a case by a region or defendant kind its case-level view
// withholds, also when an import withholds it from a case the import did not change:
// generalisation marks the rows it rewrites as changed, so the fact table sees it.
func TestCaseListsDoNotFindWithheldValues(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			engine := stats.NewEngine(s, reference.MustRead(), []byte("test secret"))
			rec := func(key, reported string) *store.CaseRecord {
				return &store.CaseRecord{SourceKey: key, Case: model.Case{Jurisdiction: model.JurisdictionKZ,
					RegionCode: ptr("KZ-10"), DefendantKind: ptr(model.DefendantKindJournalist),
					Category: model.ContentCategoryOther, Concern: model.ConcernOther, Platform: model.PlatformX,
					Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview, ReportedOn: reported}}
			}
			withhold := func(fields ...string) model.Generalizer {
				return model.Generalizer{Apply: func(qis []model.QuasiIdentifiers) [][]string {
					out := make([][]string, len(qis))
					for i := range qis {
						out[i] = fields
					}
					return out
				}}
			}
			importAs := func(generalize model.Generalizer, recs ...*store.CaseRecord) {
				t.Helper()
				opts := store.ImportOptions{Generalize: generalize, Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint("KZ-", r.SourceKey, n) }}
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
			}
			list := func(f model.CaseFilter) (refs []string, count int) {
				t.Helper()
				keys, more, err := engine.ListCases(ctx, f, model.CaseOrderReportedAsc, 10, nil)
				if err != nil || more {
					t.Fatalf("list %+v: more %v, %v", f, more, err)
				}
				cases, err := s.CasesByID(ctx, model.CaseKeyIDs(keys))
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range cases {
					refs = append(refs, c.Reference)
				}
				if count, err = engine.CountCases(ctx, f); err != nil {
					t.Fatal(err)
				}
				return refs, count
			}
			byRegion := model.CaseFilter{Regions: []string{"KZ-10"}}
			byKind := model.CaseFilter{DefendantKinds: []model.DefendantKind{model.DefendantKindJournalist}}

			importAs(withhold(), rec("a", "2024-01-01"), rec("b", "2025-01-01"))
			for _, f := range []model.CaseFilter{byRegion, byKind, {}} {
				if refs, n := list(f); fmt.Sprint(refs) != "[KZ-a0 KZ-b0]" || n != 2 {
					t.Fatalf("before: %+v found %v (count %d)", f, refs, n)
				}
			}
			// Withholds the region of every case of 2024: case a, which the import leaves as it was.
			importAs(withhold("region"), rec("c", "2024-06-01"))
			if refs, n := list(byRegion); fmt.Sprint(refs) != "[KZ-b0]" || n != 1 {
				t.Fatalf("by region: found %v (count %d), want only the 2025 case", refs, n)
			}
			if refs, n := list(byKind); fmt.Sprint(refs) != "[KZ-a0 KZ-c0 KZ-b0]" || n != 3 {
				t.Fatalf("by kind: found %v (count %d)", refs, n)
			}
			// Withholds the kind too: now neither filter finds a 2024 case.
			importAs(withhold("region", "defendant.kind"), rec("d", "2024-07-01"))
			if refs, n := list(byKind); fmt.Sprint(refs) != "[KZ-b0]" || n != 1 {
				t.Fatalf("by kind after the second import: found %v (count %d)", refs, n)
			}
			if refs, n := list(model.CaseFilter{}); len(refs) != 4 || n != 4 {
				t.Fatalf("unfiltered: found %v (count %d)", refs, n)
			}
		})
	}
}

// Case lists filter and order on what the case view publishes (docs/design.md §6): a
// filter does not match a case that withholds the field, a date range matches a case
// whose published period (quarter, or year) overlaps it, the order is by published period
// (a year-only case after that year's quarters), and a case left out of the view is
// neither listed nor counted.
func TestCaseListsFilterAndOrderOnThePublishedView(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			engine := stats.NewEngine(s, reference.MustRead(), []byte("test secret"))
			base := []string{model.GeneralizedAgeBand, model.GeneralizedGender}
			// By report date: what each case's view generalises.
			steps := func(names ...string) []string { return append(slices.Clone(base), names...) }
			views := map[string][]string{
				"2024-05-10": steps(),                                                               // a: 2024-Q2
				"2024-05-20": steps("defendant.kind", "region", "dates"),                            // b: 2024
				"2024-02-01": steps("defendant.kind", "platform", "appeals", "article", "category"), // c: 2024-Q1
				"2024-05-15": steps("defendant.kind", "region", "dates", "platform", "appeals", "outcome.fine", "article",
					"outcome.sanction", "category", "case"), // d: left out
			}
			generalize := func(qis []model.QuasiIdentifiers) [][]string {
				out := make([][]string, len(qis))
				for i, q := range qis {
					out[i] = views[q.Case.ReportedOn]
				}
				return out
			}
			rec := func(key, reported string) *store.CaseRecord {
				return &store.CaseRecord{SourceKey: key, Case: model.Case{Jurisdiction: model.JurisdictionKZ,
					RegionCode: ptr("KZ-10"), DefendantKind: ptr(model.DefendantKindJournalist), ArticleCode: ptr("CAO 456-2"),
					Category: model.ContentCategoryFalseInformation, Concern: model.ConcernCoreExpression, Platform: model.PlatformX,
					Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview, ReportedOn: reported}}
			}
			opts := store.ImportOptions{Generalize: model.Generalizer{Apply: generalize}, Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint("KZ-", r.SourceKey, n) }}
			if _, err := s.Import(ctx, opts, func(b *store.ImportBatch) error {
				for _, r := range []*store.CaseRecord{rec("a", "2024-05-10"), rec("b", "2024-05-20"), rec("c", "2024-02-01"), rec("d", "2024-05-15")} {
					if err := b.Put(ctx, r); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			refs := map[int64]string{}
			list := func(f model.CaseFilter, o model.CaseOrder) (got string, periods []string) {
				t.Helper()
				// A page at a time, through the cursors.
				var after *model.CaseKey
				var names []string
				for {
					keys, more, err := engine.ListCases(ctx, f, o, 1, after)
					if err != nil {
						t.Fatal(err)
					}
					for _, k := range keys {
						if refs[k.ID] == "" {
							cs, err := s.CasesByID(ctx, []int64{k.ID})
							if err != nil || len(cs) != 1 {
								t.Fatal(err)
							}
							refs[k.ID] = cs[0].Reference[3:4]
						}
						names = append(names, refs[k.ID])
						periods = append(periods, k.Period)
					}
					if !more {
						break
					}
					after = &keys[len(keys)-1]
				}
				n, err := engine.CountCases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(names) {
					t.Errorf("%+v: count %d, list %v", f, n, names)
				}
				return strings.Join(names, ""), periods
			}
			for _, tc := range []struct {
				name string
				f    model.CaseFilter
				want string
			}{
				{"all", model.CaseFilter{}, "cab"},
				{"region", model.CaseFilter{Regions: []string{"KZ-10"}}, "ca"},
				{"kind", model.CaseFilter{DefendantKinds: []model.DefendantKind{model.DefendantKindJournalist}}, "a"},
				{"platform", model.CaseFilter{Platforms: []model.Platform{model.PlatformX}}, "ab"},
				{"article", model.CaseFilter{Articles: []string{"CAO 456-2"}}, "ab"},
				{"category", model.CaseFilter{Categories: []model.ContentCategory{model.ContentCategoryFalseInformation}}, "ab"},
				{"concern", model.CaseFilter{Concerns: []model.Concern{model.ConcernCoreExpression}}, "cab"},
				{"stage", model.CaseFilter{Stages: []model.CaseStage{model.CaseStageExpertReview}}, "cab"},
				// The published period overlaps the range: a's quarter and b's year do.
				{"second quarter", model.CaseFilter{ReportedFrom: ptr("2024-04-01"), ReportedTo: ptr("2024-06-30")}, "ab"},
				// A day inside a's quarter finds it, though a was reported on another day.
				{"one day", model.CaseFilter{ReportedFrom: ptr("2024-06-30"), ReportedTo: ptr("2024-06-30")}, "ab"},
				{"second half", model.CaseFilter{ReportedFrom: ptr("2024-07-01")}, "b"},
				{"first quarter", model.CaseFilter{ReportedTo: ptr("2024-03-31")}, "cb"},
				{"2025", model.CaseFilter{ReportedFrom: ptr("2025-01-01")}, ""},
			} {
				if got, _ := list(tc.f, model.CaseOrderReportedAsc); got != tc.want {
					t.Errorf("%s: listed %q, want %q", tc.name, got, tc.want)
				}
			}
			// The order: by published period, the year-only case after the year's quarters;
			// the keys name the published period only.
			if got, periods := list(model.CaseFilter{}, model.CaseOrderReportedAsc); got != "cab" || fmt.Sprint(periods) != "[2024-Q1 2024-Q2 2024]" {
				t.Errorf("ascending: %q, periods %v", got, periods)
			}
			if got, periods := list(model.CaseFilter{}, model.CaseOrderReportedDesc); got != "bac" || fmt.Sprint(periods) != "[2024 2024-Q2 2024-Q1]" {
				t.Errorf("descending: %q, periods %v", got, periods)
			}
		})
	}
}
