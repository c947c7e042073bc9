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
				return func(qis []model.QuasiIdentifiers) [][]string {
					out := make([][]string, len(qis))
					for i := range qis {
						out[i] = fields
					}
					return out
				}
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
