package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
)

// seed writes the synthetic demo dataset as a new release.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := newFlagSet("seed", getenv, stderr)
	cases := fs.Int("cases", 50000, "number of synthetic cases (1 to 10000000)")
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	if *cases < 1 || *cases > 10_000_000 {
		return usageError{fmt.Errorf("--cases must be between 1 and 10000000; got %d", *cases)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("seed takes no arguments; got %q", fs.Args())}
	}
	st, ref, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// Synthetic records must never mix with real ones, and a second seed would collide
	// with the first; the lock keeps a starting server from seeding at the same time.
	start := time.Now()
	var rel *model.Release
	err = st.Exclusive(ctx, "seed", func(ctx context.Context) error {
		if gen, err := st.Generation(ctx); err != nil {
			return err
		} else if gen > 0 {
			return fmt.Errorf("the database already holds %d release(s); seed writes the synthetic dataset only into an empty database", gen)
		}
		rel, err = demo.Seed(ctx, st, ref, demo.Options{Cases: *cases, Generalize: privacy.Generalizer(cfg.threshold, ref.FineBand)})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "release %d: %d synthetic cases in %s\n", rel.ID, rel.RowsAdded, time.Since(start).Round(time.Millisecond))
	return nil
}
