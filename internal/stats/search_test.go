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

// A search finds what SQL's scan of the summaries finds, from the engine's index of their
// words, with no SQL but the generation check; after a release it finds the cases the
// release added. Within a request it is looked up once (another page, its totalCount, the
// same words spelt differently); another request looks it up again.
func TestSearchFindsWhatSQLFinds(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := stats.WithSearches(context.Background())
			s := storetest.Open(t, b.URL)
			engine := stats.NewEngine(s, reference.MustRead(), []byte("test secret"))
			n := 0
			load := func(summaries ...string) {
				t.Helper()
				if _, err := s.Load(ctx, model.Release{Synthetic: true}, func(bt *store.Batch) error {
					for _, summary := range summaries {
						n++
						rec := &store.CaseRecord{SourceKey: fmt.Sprint("src-", n), Case: model.Case{
							Reference: fmt.Sprint("KZ-2024-S", n), Jurisdiction: model.JurisdictionKZ,
							Category: model.ContentCategoryOther, Concern: model.ConcernOther, Platform: model.PlatformX,
							Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview,
							ReportedOn: "2024-03-05", Summary: &summary}}
						if err := bt.AddCase(ctx, rec); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			count := func(search string) int {
				t.Helper()
				got, err := engine.CountCases(ctx, model.CaseFilter{Search: &search})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			load("Пост о паводке в Атырау", "Пост о выборах", "ПАВОДОК 100% (видео)", "Репост: паводок_2024")

			for search, want := range map[string]int{"паводк": 1, "Паводок": 2, "паводок_": 1, "100%": 1, "о паводке": 1, "пост": 3, "%": 1, "_": 1, "(": 1, "выбор метро": 0, "ст о": 3, "атырау": 1} {
				if got := count(search); got != want {
					t.Errorf("%q found %d cases, want %d", search, got, want)
				}
				if ids, err := s.CaseIDsMatchingSearch(ctx, search); err != nil || len(ids) != want {
					t.Errorf("%q: SQL finds %d cases (%v), want %d", search, len(ids), err, want)
				}
			}
			before := s.Statements()
			for _, search := range []string{"паводок", "ПАВОДОК", "  паводок "} {
				if got := count(search); got != 2 {
					t.Fatalf("%q found %d cases, want 2", search, got)
				}
				if _, _, err := engine.ListCases(ctx, model.CaseFilter{Search: &search}, model.CaseOrderReportedAsc, 1, nil); err != nil {
					t.Fatal(err)
				}
			}
			if ran := s.Statements() - before; ran != 6 {
				t.Fatalf("six questions with a search kept ran %d statements, want 6 (the generation each)", ran)
			}
			for _, other := range []context.Context{stats.WithSearches(context.Background()), context.Background()} {
				before = s.Statements()
				search := "паводок"
				if got, err := engine.CountCases(other, model.CaseFilter{Search: &search}); err != nil || got != 2 {
					t.Fatalf("another request found %d cases, %v", got, err)
				}
				if ran := s.Statements() - before; ran != 1 {
					t.Fatalf("a search another request had made ran %d statements, want 1 (the generation)", ran)
				}
			}

			load("Ещё паводок", "Без слова")
			if got := count("паводок"); got != 3 {
				t.Fatalf("after a release the search found %d cases, want 3", got)
			}
		})
	}
}
