package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func TestMigrateAndLoad(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			// Migrating twice is a no-op.
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rel, err := s.Load(ctx, model.Release{Synthetic: true}, func(batch *store.Batch) error {
				return batch.AddCase(ctx, &store.CaseRecord{
					Case: model.Case{Reference: "KZ-2024-AAAAAA", Jurisdiction: model.JurisdictionKZ,
						Category: model.ContentCategoryFalseInformation, Concern: model.ConcernCoreExpression,
						Platform: model.PlatformTelegram, Liability: model.LiabilityAdministrative,
						Stage: model.CaseStageAppeal, ReportedOn: "2024-03-02", CourtOn: ptr("2024-05-01"),
						CourtDecision: ptr(model.DecisionLiable), Summary: ptr("Пост о ПАВОДКЕ")},
					SourceKey: "k1",
					Appeals:   []model.Appeal{{Level: model.AppealLevelAppeal, Status: model.AppealStatusPending}},
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if rel.ID != 1 || rel.RowsAdded != 1 {
				t.Fatalf("release = %+v", rel)
			}
			c, err := s.CaseByReference(ctx, "KZ-2024-AAAAAA")
			if err != nil {
				t.Fatal(err)
			}
			if c.CourtDecision == nil || *c.CourtDecision != model.DecisionLiable || c.FirstReleaseID != 1 {
				t.Fatalf("case = %+v", c)
			}
			n, err := s.CountCases(ctx, model.CaseFilter{Search: ptr("паводке")})
			if err != nil || n != 1 {
				t.Fatalf("search count = %d, %v", n, err)
			}
			ap, err := s.AppealsByCase(ctx, []int64{c.ID, 999})
			if err != nil || len(ap[c.ID]) != 1 || len(ap[999]) != 0 {
				t.Fatalf("appeals = %v, %v", ap, err)
			}
			cur, err := s.CurrentRelease(ctx)
			if err != nil || !cur.Synthetic || cur.RowsAdded != 1 {
				t.Fatalf("current release = %+v, %v", cur, err)
			}
		})
	}
}

// An import recomputes generalisation for the years it touched, and only for them.
func TestImportGeneralizesTheYearsItTouches(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.SQLiteURL(t))
	// The fake rule withholds the region of every case it is shown.
	var seen []string
	withholdAll := func(qis []model.QuasiIdentifiers) [][]string {
		out := make([][]string, len(qis))
		for i, q := range qis {
			seen = append(seen, strconv.Itoa(q.Year))
			out[i] = []string{"region"}
		}
		return out
	}
	rec := func(key, reported string) *store.CaseRecord {
		return &store.CaseRecord{SourceKey: key, Case: model.Case{Jurisdiction: model.JurisdictionKZ, Category: model.ContentCategoryOther,
			Concern: model.ConcernOther, Platform: model.PlatformX, Liability: model.LiabilityAdministrative,
			Stage: model.CaseStageExpertReview, ReportedOn: reported, RegionCode: ptr("KZ-75")}}
	}
	opts := store.ImportOptions{Generalize: model.Generalizer{Apply: withholdAll}, Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint(r.SourceKey, n) }}
	if _, err := s.Import(ctx, opts, func(b *store.ImportBatch) error {
		if err := b.Put(ctx, rec("a", "2023-05-01")); err != nil {
			return err
		}
		return b.Put(ctx, rec("b", "2024-05-01"))
	}); err != nil {
		t.Fatal(err)
	}
	seen = nil
	if _, err := s.Import(ctx, opts, func(b *store.ImportBatch) error { return b.Put(ctx, rec("c", "2024-06-01")) }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[2024 2024]" {
		t.Fatalf("the second import generalised the cases of %v; want the two of 2024", seen)
	}
	c, err := s.CaseByReference(ctx, "c0")
	if err != nil || c.Generalized != "region" {
		t.Fatalf("case c: %+v %v", c, err)
	}
}

// A bulk load works out the withheld quasi-identifiers over every case before it commits,
// so no release is ever visible ungeneralised; a generaliser that fails leaves nothing.
func TestLoadGeneralizesBeforeCommit(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			var seen int
			// Withholds the region of every case with an odd id.
			oddRegions := func(qis []model.QuasiIdentifiers) [][]string {
				seen = len(qis)
				out := make([][]string, len(qis))
				for i, q := range qis {
					if q.ID%2 == 1 {
						out[i] = []string{"region"}
					}
				}
				return out
			}
			load := func(prefix string, n int, fn func([]model.QuasiIdentifiers) [][]string) error {
				_, err := s.Load(ctx, model.Release{Synthetic: true}, func(batch *store.Batch) error {
					batch.GeneralizeWith(model.Generalizer{Apply: fn})
					for i := range n {
						err := batch.AddCase(ctx, &store.CaseRecord{
							Case: model.Case{Reference: fmt.Sprintf("KZ-2024-%s%05d", prefix, i), Jurisdiction: model.JurisdictionKZ,
								RegionCode: ptr("KZ-75"), Category: model.ContentCategoryFalseInformation, Concern: model.ConcernCoreExpression,
								Platform: model.PlatformTelegram, Liability: model.LiabilityAdministrative,
								Stage: model.CaseStageExpertReview, ReportedOn: "2024-03-02"},
							SourceKey: fmt.Sprintf("%s%d", prefix, i),
						})
						if err != nil {
							return err
						}
					}
					return nil
				})
				return err
			}
			broken := func(qis []model.QuasiIdentifiers) [][]string { return nil }
			if err := load("X", 3, broken); err == nil {
				t.Fatal("a generaliser without an answer per case was accepted")
			}
			if gen, err := s.Generation(ctx); err != nil || gen != 0 {
				t.Fatalf("after a failed load: generation %d, %v; want nothing written", gen, err)
			}
			if err := load("A", 6, oddRegions); err != nil {
				t.Fatal(err)
			}
			if err := load("B", 4, oddRegions); err != nil {
				t.Fatal(err)
			}
			if seen != 10 {
				t.Fatalf("the second load generalised over %d cases, want all 10", seen)
			}
			for _, ref := range []string{"KZ-2024-A00000", "KZ-2024-A00001", "KZ-2024-B00002", "KZ-2024-B00003"} {
				c, err := s.CaseByReference(ctx, ref)
				if err != nil {
					t.Fatal(err)
				}
				if want := map[bool]string{true: "region", false: ""}[c.ID%2 == 1]; c.Generalized != want {
					t.Errorf("%s (id %d): generalized %q, want %q", ref, c.ID, c.Generalized, want)
				}
			}
		})
	}
}

// TestSchemaVersionIsTheLastMigration: the answer cache keys by it, so it must follow every
// migration added.
func TestSchemaVersionIsTheLastMigration(t *testing.T) {
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1].Name()
	if want := fmt.Sprintf("%05d_", store.SchemaVersion()); !strings.HasPrefix(last, want) {
		t.Fatalf("SchemaVersion %d, last migration %s", store.SchemaVersion(), last)
	}
}

// Regeneralize reads every case only when they were not all generalised under the rule it
// is given: a server starting again with the same rule finds nothing to do, a new rule
// generalises anew once, and an import under another rule (or none named) makes the next
// start generalise everything again.
func TestRegeneralizeOnlyUnderANewRule(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			var calls int
			rule := func(name string, withheld ...string) model.Generalizer {
				return model.Generalizer{Rule: name, Apply: func(qis []model.QuasiIdentifiers) [][]string {
					calls++
					out := make([][]string, len(qis))
					for i := range out {
						out[i] = withheld
					}
					return out
				}}
			}
			rec := func(key string) *store.CaseRecord {
				return &store.CaseRecord{SourceKey: key, Case: model.Case{Reference: "KZ-" + key, Jurisdiction: model.JurisdictionKZ,
					Category: model.ContentCategoryOther, Concern: model.ConcernOther, Platform: model.PlatformX,
					Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview, ReportedOn: "2024-05-01", RegionCode: ptr("KZ-75")}}
			}
			if _, err := s.Load(ctx, model.Release{Synthetic: true}, func(batch *store.Batch) error {
				batch.GeneralizeWith(rule("r1"))
				return batch.AddCase(ctx, rec("a"))
			}); err != nil {
				t.Fatal(err)
			}
			regeneralize := func(g model.Generalizer, wantCalls int, wantRelease bool) {
				t.Helper()
				calls = 0
				rel, err := s.Regeneralize(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				if calls != wantCalls || (rel != nil) != wantRelease {
					t.Fatalf("Regeneralize(%q): rule applied %d times, release %v; want %d, %v", g.Rule, calls, rel != nil, wantCalls, wantRelease)
				}
			}
			regeneralize(rule("r1"), 0, false)
			regeneralize(rule("r2", "region"), 1, true)
			regeneralize(rule("r2", "region"), 0, false)
			regeneralize(rule("", "region"), 1, false) // a rule with no name is always applied

			importUnder := func(g model.Generalizer, key string) {
				t.Helper()
				opts := store.ImportOptions{Generalize: g, Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint("KZ-", r.SourceKey, n) }}
				if _, err := s.Import(ctx, opts, func(b *store.ImportBatch) error { return b.Put(ctx, rec(key)) }); err != nil {
					t.Fatal(err)
				}
			}
			importUnder(rule("r2", "region"), "b")
			regeneralize(rule("r2", "region"), 0, false)
			importUnder(rule("r3"), "c") // generalised its year under another rule
			regeneralize(rule("r2", "region"), 1, true)
			regeneralize(rule("r2", "region"), 0, false)
		})
	}
}
