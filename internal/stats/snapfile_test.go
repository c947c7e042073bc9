package stats

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// countingStore counts the case facts and the case rows read from SQL.
type countingStore struct {
	Store
	read, rows int
}

func (c *countingStore) EachCaseFact(ctx context.Context, after int64, fn func(*store.CaseFact) error) error {
	return c.Store.EachCaseFact(ctx, after, func(f *store.CaseFact) error {
		c.read++
		return fn(f)
	})
}

func (c *countingStore) CasesByID(ctx context.Context, ids []int64) ([]model.Case, error) {
	out, err := c.Store.CasesByID(ctx, ids)
	c.rows += len(out)
	return out, err
}

// sameTables fails unless a and b hold the same facts, dictionaries, groups, orders,
// index and detections.
func sameTables(t *testing.T, a, b *Engine) {
	t.Helper()
	sa, sb := a.current.Load(), b.current.Load()
	if sa.generation != sb.generation || !slices.Equal(sa.facts, sb.facts) {
		t.Fatalf("facts differ (generations %d and %d, %d and %d facts)", sa.generation, sb.generation, len(sa.facts), len(sb.facts))
	}
	for i := range sa.dicts {
		if !slices.Equal(sa.dicts[i].codes, sb.dicts[i].codes) {
			t.Fatalf("dictionary %d differs", i)
		}
	}
	if !slices.Equal(sa.byPerson, sb.byPerson) || !slices.Equal(sa.repeatFacts, sb.repeatFacts) || !slices.Equal(sa.repeatStarts, sb.repeatStarts) {
		t.Fatal("repeat-defendant groups differ")
	}
	for _, byDecision := range []bool{false, true} {
		if !slices.Equal(sa.order(byDecision), sb.order(byDecision)) {
			t.Fatalf("case order (by decision %v) differs", byDecision)
		}
	}
	if len(sa.index.bitmaps) != len(sb.index.bitmaps) {
		t.Fatalf("%d bitmaps and %d", len(sa.index.bitmaps), len(sb.index.bitmaps))
	}
	for k, x := range sa.index.bitmaps {
		if y := sb.index.bitmaps[k]; y == nil || !x.Equals(y) {
			t.Fatalf("bitmap %x differs", k)
		}
	}
	ta, tb := a.detections.Load(), b.detections.Load()
	if ta.generation != tb.generation || !slices.Equal(ta.rows, tb.rows) || !slices.Equal(ta.monthOf, tb.monthOf) {
		t.Fatal("detection tables differ")
	}
}

// A server starting again takes its tables from the snapshot file, as they were built from
// SQL, reading no case; after a release it reads only the cases the release changed; a
// file of another secret, a damaged file or none at all has it read every case.
func TestSnapshotFile(t *testing.T) {
	ctx := context.Background()
	ref := reference.MustRead()
	st := storetest.Open(t, storetest.SQLiteURL(t))
	if _, err := demo.Seed(ctx, st, ref, demo.Options{Cases: 3000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "facts")
	engine := func(secret string, file string) (*Engine, *countingStore) {
		c := &countingStore{Store: st}
		e := NewEngine(c, ref, []byte(secret))
		e.SnapshotFile = file
		if err := e.Warm(ctx); err != nil {
			t.Fatal(err)
		}
		e.Close()
		return e, c
	}
	built, c := engine("secret", file)
	if c.read != 3000 {
		t.Fatalf("first start read %d cases, want 3000", c.read)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("no snapshot file written: %v", err)
	}
	again, c := engine("secret", file)
	if c.read != 0 {
		t.Fatalf("a start with the snapshot file read %d cases from SQL", c.read)
	}
	sameTables(t, built, again)

	// A release: 20 new cases and one corrected.
	opts := store.ImportOptions{Generalize: model.Generalizer{Apply: func(qis []model.QuasiIdentifiers) [][]string { return make([][]string, len(qis)) }},
		Reference: func(r *store.CaseRecord, n int) string { return fmt.Sprint("KZ-NEW-", r.SourceKey, n) }}
	if _, err := st.Import(ctx, opts, func(b *store.ImportBatch) error {
		for i := range 20 {
			if err := b.Put(ctx, &store.CaseRecord{SourceKey: fmt.Sprint("new", i), Case: model.Case{Jurisdiction: model.JurisdictionKZ,
				RegionCode: new("KZ-75"), Category: model.ContentCategoryFalseInformation, Concern: model.ConcernCoreExpression,
				Platform: model.PlatformTelegram, Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview,
				ReportedOn: "2025-03-01"}}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	patched, c := engine("secret", file)
	if c.read == 0 || c.read > 3000/2 {
		t.Fatalf("a start after a release read %d cases; want those the release changed", c.read)
	}
	fresh, _ := engine("secret", "")
	sameTables(t, fresh, patched)
	if _, c = engine("secret", file); c.read != 0 {
		t.Fatalf("the patched tables were not written back: the next start read %d cases", c.read)
	}

	other, c := engine("another secret", file)
	if c.read != 3020 {
		t.Fatalf("a start under another secret read %d cases from SQL; want all 3020", c.read)
	}
	if slices.Equal(other.current.Load().facts, fresh.current.Load().facts) {
		t.Fatal("the facts under another secret are the same: the test proves nothing")
	}
	// other wrote its own file; damage it.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, c = engine("another secret", file); c.read != 3020 {
		t.Fatalf("a start with a damaged file read %d cases; want all 3020", c.read)
	}
}
