package stats_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// randomDetections draws n detections over both countries, every category, platform and
// action, with and without a region, over the days from `from` to `days` days later.
func randomDetections(rng *rand.Rand, ref *reference.Data, n int, from string, days int) []model.Detection {
	start, _ := time.Parse(time.DateOnly, from)
	out := make([]model.Detection, n)
	for i := range out {
		j := model.JurisdictionKZ
		if rng.IntN(3) == 0 {
			j = model.JurisdictionKG
		}
		d := model.Detection{
			Jurisdiction: j,
			Category:     model.ContentCategory(pickOne(rng, model.ContentCategoryVocabulary.Codes())),
			Platform:     model.Platform(pickOne(rng, model.PlatformVocabulary.Codes())),
			Action:       model.DetectionAction(pickOne(rng, model.DetectionActionVocabulary.Codes())),
			DetectedOn:   start.AddDate(0, 0, rng.IntN(days)).Format(time.DateOnly),
		}
		if rng.IntN(5) > 0 {
			regions := reference.Filter(ref.Regions, j, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
			d.RegionCode = &regions[rng.IntN(len(regions))].Code
		}
		out[i] = d
	}
	return out
}

func pickOne[T any](rng *rand.Rand, from []T) T { return from[rng.IntN(len(from))] }

// pickSome returns a random subset of from (often empty, which means no filter).
func pickSome[T any](rng *rand.Rand, from []T) []T {
	if rng.IntN(2) == 0 {
		return nil
	}
	var out []T
	for _, v := range from {
		if rng.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	return out
}

func codesAs[T ~string](codes []string) []T {
	out := make([]T, len(codes))
	for i, c := range codes {
		out[i] = T(c)
	}
	return out
}

// randomQuestion draws a detection filter, up to three distinct dimensions in any order
// and an interval, as the API lets them be asked (and somewhat beyond: dates far outside
// the data, a region no detection names).
func randomQuestion(rng *rand.Rand, ref *reference.Data) (model.DetectionFilter, []model.DetectionDimension, *model.Interval) {
	var f model.DetectionFilter
	if rng.IntN(3) == 0 {
		f.Jurisdiction = ptr(pickOne(rng, codesAs[model.Jurisdiction](model.JurisdictionVocabulary.Codes())))
	}
	var regions []string
	for _, r := range ref.Regions {
		regions = append(regions, r.Code)
	}
	f.Regions = pickSome(rng, append(regions, "XX-1"))
	f.Categories = pickSome(rng, codesAs[model.ContentCategory](model.ContentCategoryVocabulary.Codes()))
	f.Concerns = pickSome(rng, codesAs[model.Concern](model.ConcernVocabulary.Codes()))
	f.Platforms = pickSome(rng, codesAs[model.Platform](model.PlatformVocabulary.Codes()))
	f.Actions = pickSome(rng, codesAs[model.DetectionAction](model.DetectionActionVocabulary.Codes()))
	date := func() *string {
		if rng.IntN(2) == 0 {
			return nil
		}
		d := time.Date(2017+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		if rng.IntN(10) == 0 {
			d = time.Date(1900+rng.IntN(400), 1, 1, 0, 0, 0, 0, time.UTC)
		}
		s := d.Format(time.DateOnly)
		return &s
	}
	f.DetectedFrom, f.DetectedTo = date(), date()

	dims := []model.DetectionDimension{model.DetectionDimensionJurisdiction, model.DetectionDimensionRegion,
		model.DetectionDimensionCategory, model.DetectionDimensionConcern, model.DetectionDimensionPlatform,
		model.DetectionDimensionAction}
	rng.Shuffle(len(dims), func(i, j int) { dims[i], dims[j] = dims[j], dims[i] })
	groupBy := dims[:rng.IntN(4)]
	var interval *model.Interval
	if i := rng.IntN(4); i < 3 {
		interval = ptr([]model.Interval{model.IntervalYear, model.IntervalQuarter, model.IntervalMonth}[i])
	}
	return f, groupBy, interval
}

// The engine counts detections as the SQL query does, bucket for bucket and in the same
// order, for random questions on both databases, and follows the releases that add
// detections (and those that add none).
func TestDetectionsInMemoryMatchSQL(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			ref := reference.MustRead()
			engine := stats.NewEngine(s, ref, []byte("test secret"))
			rng := rand.New(rand.NewPCG(3, 5))
			compare := func(round string, questions int) (nonEmpty int) {
				t.Helper()
				for q := range questions {
					f, groupBy, interval := randomQuestion(rng, ref)
					if q == 0 { // the dashboard's question, and one without any grouping
						f, groupBy, interval = model.DetectionFilter{}, []model.DetectionDimension{model.DetectionDimensionCategory}, ptr(model.IntervalMonth)
					} else if q == 1 {
						f, groupBy, interval = model.DetectionFilter{}, nil, nil
					}
					want, err := s.CountDetections(ctx, f, groupBy, interval)
					if err != nil {
						t.Fatal(err)
					}
					got, err := engine.CountDetections(ctx, f, groupBy, interval)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s, question %d (filter %+v, groupBy %v, interval %v):\n got %s\nwant %s",
							round, q, f, groupBy, interval, show(got), show(want))
					}
					if len(want) > 0 {
						nonEmpty++
					}
				}
				return nonEmpty
			}
			load := func(dets []model.Detection) {
				t.Helper()
				if _, err := s.Load(ctx, model.Release{Synthetic: true}, func(b *store.Batch) error {
					for i := range dets {
						if err := b.AddDetection(ctx, &dets[i]); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}

			compare("no detections", 5)
			load(randomDetections(rng, ref, 3000, "2022-01-01", 3*365))
			if n := compare("first load", 300); n < 150 {
				t.Fatalf("only %d of 300 questions had an answer: the test checks too little", n)
			}
			// More detections, some before and after every earlier day (the table's day
			// range grows both ways), loaded while questions are being answered (the race
			// detector watches the table being replaced under them).
			more := randomDetections(rng, ref, 1000, "2019-06-15", 8*365)
			stop := make(chan struct{})
			var asking sync.WaitGroup
			for range 2 {
				asking.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						if _, err := engine.CountDetections(ctx, model.DetectionFilter{}, []model.DetectionDimension{model.DetectionDimensionRegion}, ptr(model.IntervalYear)); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			load(more)
			close(stop)
			asking.Wait()
			compare("second load", 300)
			// A release without detections: the table is shared, the answers stay.
			load(nil)
			compare("a release without detections", 50)

			// The funnel's detection steps count from the same table.
			funnel, err := engine.Funnel(ctx, model.CaseFilter{Concerns: []model.Concern{model.ConcernHarm}}, 5)
			if err != nil {
				t.Fatal(err)
			}
			byAction, err := s.CountDetections(ctx, model.DetectionFilter{Concerns: []model.Concern{model.ConcernHarm}},
				[]model.DetectionDimension{model.DetectionDimensionAction}, nil)
			if err != nil {
				t.Fatal(err)
			}
			detected, referred := 0, 0
			for _, b := range byAction {
				detected += b.Count
				if b.Key[0].Code == string(model.DetectionActionReferredToPolice) {
					referred += b.Count
				}
			}
			if st := funnel.Steps; st[0].Count == nil || *st[0].Count != detected || st[1].Count == nil || *st[1].Count != referred || detected == 0 {
				t.Fatalf("funnel detection steps %+v %+v, want %d detected, %d referred", st[0], st[1], detected, referred)
			}
		})
	}
}

func show(buckets []model.DetectionBucket) string {
	var out []string
	for _, b := range buckets {
		p := ""
		if b.Period != nil {
			p = *b.Period
		}
		out = append(out, fmt.Sprintf("%v/%s=%d", b.Key, p, b.Count))
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("… %d buckets", len(buckets)))
	}
	return fmt.Sprint(slices.Clip(out))
}
