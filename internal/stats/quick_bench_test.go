package stats

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

func BenchmarkQuick(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("QUICK_DB"))
	if err != nil {
		b.Fatal(err)
	}
	e := NewEngine(st, reference.MustLoad())
	t0 := time.Now()
	if err := e.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("load %v, %d facts", time.Since(t0), len(e.current.Load().facts))
	y := model.IntervalYear
	b.ResetTimer()
	for b.Loop() {
		s, err := e.Statistics(ctx, Request{GroupBy: []model.Dimension{model.DimensionRegion}, Interval: &y, K: 5})
		if err != nil {
			b.Fatal(err)
		}
		_ = s
	}
}
