package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestConcurrentMigrateRunsOnce opens three stores on one fresh database and migrates them
// at the same moment, as instances starting together do: the migrations run once in all,
// without error, and each store then sees the whole schema. A race shows only now and then
// (without the lock about one round in five failed), so it runs a few rounds.
func TestConcurrentMigrateRunsOnce(t *testing.T) {
	for round := range 8 {
		for _, b := range storetest.Backends(t) {
			t.Run(fmt.Sprintf("%s/%d", b.Name, round), func(t *testing.T) { concurrentMigrate(t, b.URL) })
		}
	}
}

func concurrentMigrate(t *testing.T, url string) {
	ctx := context.Background()
	const n = 3
	stores := make([]*store.Store, n)
	for i := range stores {
		s, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	var wg sync.WaitGroup
	applied := make([]int, n)
	errs := make([]error, n)
	for i, s := range stores {
		wg.Go(func() { applied[i], errs[i] = s.MigrateCount(ctx) })
	}
	wg.Wait()
	total := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("store %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	again, err := stores[0].MigrateCount(ctx)
	if err != nil || again != 0 {
		t.Fatalf("migrating again applied %d, %v", again, err)
	}
	if total != migrationCount(t) {
		t.Fatalf("the stores applied %v migrations, want %d in all", applied, migrationCount(t))
	}
	for i, s := range stores {
		if _, err := s.Generation(ctx); err != nil {
			t.Fatalf("store %d after migrating: %v", i, err)
		}
	}
}

// migrationCount is how many migrations a fresh SQLite database takes.
func migrationCount(t *testing.T) int {
	t.Helper()
	s, err := store.Open(context.Background(), storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.MigrateCount(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("fresh database: %d migrations, %v", n, err)
	}
	return n
}

// TestExclusiveExcludes runs Exclusive from two stores on one database: the second waits
// for the first to return, and its context can end the wait.
func TestExclusiveExcludes(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			a, c := storetest.Open(t, b.URL), storetest.Open(t, b.URL)
			var inside atomic.Int32
			held, release := make(chan struct{}), make(chan struct{})
			done := make(chan error, 1)
			go func() {
				done <- a.Exclusive(ctx, "seed", func(context.Context) error {
					inside.Add(1)
					close(held)
					<-release
					inside.Add(-1)
					return nil
				})
			}()
			<-held
			// Another name is another lock.
			if err := c.Exclusive(ctx, "other", func(context.Context) error { return nil }); err != nil {
				t.Fatal(err)
			}
			short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			if err := c.Exclusive(short, "seed", func(context.Context) error { return nil }); err == nil {
				t.Fatal("took the lock another store holds")
			}
			got := make(chan int32, 1)
			go func() {
				_ = c.Exclusive(ctx, "seed", func(context.Context) error { got <- inside.Load(); return nil })
			}()
			time.Sleep(100 * time.Millisecond)
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if n := <-got; n != 0 {
				t.Fatalf("ran while the other held the lock (%d inside)", n)
			}
		})
	}
}
