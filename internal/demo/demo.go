// Package demo generates casewatch's synthetic demo dataset: detections that follow the
// published MKI yearly totals (docs/design.md §7) and enforcement cases that move through the pipeline
// of docs/design.md §1 up to a fixed last date. Nothing in it is real: references, hashes and summaries
// are made up, and the release is labelled synthetic.
//
// The output is a pure function of Options: the same options give byte-identical records
// (math/rand/v2 PCG streams seeded from Options.Seed, no wall clock, no map iteration).
// Records are streamed into the store's batch as they are made, so a million cases need
// only a few megabytes of generator state.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// Defaults of Options.
const (
	DefaultCases = 50_000
	DefaultSeed  = 1 // any fixed number
	DefaultUntil = "2026-10-31"
)

// maxCases bounds Options.Cases so that the integer weight arithmetic in spread cannot
// overflow (and a typo cannot start an hour-long load).
const maxCases = 10_000_000

// Options choose the dataset. A zero field takes its default, so Seed 0 means DefaultSeed.
type Options struct {
	// Cases is the number of enforcement cases (default 50,000).
	Cases int
	// Seed picks the random streams; equal options give identical records.
	Seed uint64
	// Until is the last date of the data, YYYY-MM-DD (default 2026-10-31). Pipeline steps
	// that would fall after it have not happened yet, so recent cases are still in progress.
	Until string
	// Generalize, when set, works out in the load's own transaction which quasi-identifiers
	// the case-level view withholds (privacy.Generalizer), so the synthetic release, like an
	// imported one, is never visible ungeneralised.
	Generalize model.Generalizer
}

func (o Options) withDefaults() Options {
	if o.Cases == 0 {
		o.Cases = DefaultCases
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Until == "" {
		o.Until = DefaultUntil
	}
	return o
}

// Seed writes one synthetic release with opts' cases and the detections up to opts.Until,
// in one transaction. It is meant for a database without demo data: references are unique
// within one seed, not checked against rows already stored.
func Seed(ctx context.Context, s *store.Store, ref *reference.Data, opts Options) (*model.Release, error) {
	opts = opts.withDefaults()
	if opts.Cases < 0 || opts.Cases > maxCases {
		return nil, fmt.Errorf("demo: cases must be between 1 and %d, not %d", maxCases, opts.Cases)
	}
	until, err := time.Parse(time.DateOnly, opts.Until)
	if err != nil {
		return nil, fmt.Errorf("demo: until %q is not a YYYY-MM-DD date", opts.Until)
	}
	if opts.Until < firstDate {
		return nil, fmt.Errorf("demo: until %s is before the first demo date %s", opts.Until, firstDate)
	}
	cal := newCalendar(until)

	// Two independent streams: changing how cases are made does not change detections.
	dets, err := newDetectionGenerator(ref, cal, rand.New(rand.NewPCG(opts.Seed, 2)))
	if err != nil {
		return nil, err
	}
	cases, err := newCaseGenerator(ref, cal, rand.New(rand.NewPCG(opts.Seed, 1)), opts)
	if err != nil {
		return nil, err
	}

	note := note(opts.Cases, dets.total(), opts.Seed, opts.Until)
	rel := model.Release{Note: &note, Synthetic: true}
	return s.Load(ctx, rel, func(b *store.Batch) error {
		if opts.Generalize.Apply != nil {
			b.GeneralizeWith(opts.Generalize)
		}
		if err := dets.write(ctx, b); err != nil {
			return err
		}
		return cases.write(ctx, b)
	})
}
