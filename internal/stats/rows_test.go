package stats

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The rows of a page asked again come from memory, as SQL has them; after a release they
// are read again, so a corrected case is never shown as it was.
func TestRowsKeptPerRelease(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLiteURL(t))
	none := model.Generalizer{Apply: func(qis []model.QuasiIdentifiers) [][]string { return make([][]string, len(qis)) }}
	put := func(decision model.Decision) {
		t.Helper()
		opts := store.ImportOptions{Generalize: none, Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint("KZ-", r.SourceKey, n) }}
		if _, err := st.Import(ctx, opts, func(b *store.ImportBatch) error {
			for i := range 5 {
				if err := b.Put(ctx, &store.CaseRecord{SourceKey: fmt.Sprint("c", i), Case: model.Case{Jurisdiction: model.JurisdictionKZ,
					RegionCode: new("KZ-75"), Category: model.ContentCategoryOther, Concern: model.ConcernOther, Platform: model.PlatformX,
					Liability: model.LiabilityAdministrative, Stage: model.CaseStageClosed, ReportedOn: "2025-03-01",
					CourtDecision: new(decision), CourtOn: new("2025-06-01")}}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(model.DecisionNotLiable)
	c := &countingStore{Store: st}
	e := NewEngine(c, reference.MustRead(), []byte("secret"))
	if err := e.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	ids := []int64{3, 1, 99, 2}
	want, err := st.CasesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		got, err := e.Cases(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: rows differ from the store's", round)
		}
	}
	if c.rows != 3 {
		t.Fatalf("%d rows read from SQL for two asks of three; want 3", c.rows)
	}
	put(model.DecisionLiable) // a correction of every case
	if err := e.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := e.Cases(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if c.rows != 6 || len(got) != 3 || got[0].CourtDecision == nil || *got[0].CourtDecision != model.DecisionLiable {
		t.Fatalf("after a release: %d rows read, %+v", c.rows, got)
	}
}
