package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// docs/design.md §8: the default demo seed takes under 15 s on the 2-core machine.
//
//	go test -run '^$' -bench SeedDefault -benchtime 1x ./internal/demo/

func BenchmarkSeedDefault(b *testing.B) {
	benchmarkSeed(b, func() string { return storetest.SQLiteURL(b) })
}

// BenchmarkSeedDefaultPostgres needs CASEWATCH_TEST_POSTGRES_URL (see .ci/test).
func BenchmarkSeedDefaultPostgres(b *testing.B) {
	if storetest.PostgresURL(b) == "" {
		b.Skip("no PostgreSQL")
	}
	benchmarkSeed(b, func() string { return storetest.PostgresURL(b) })
}

func benchmarkSeed(b *testing.B, newURL func() string) {
	ref := reference.MustRead()
	ctx := context.Background()
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b, newURL())
		b.StartTimer()
		start := time.Now()
		if _, err := demo.Seed(ctx, s, ref, demo.Options{}); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/seed")
}
