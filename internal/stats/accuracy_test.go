package stats

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// BenchmarkPerturbationAccuracy measures what the perturbation costs in accuracy on the
// default demo dataset (50,000 cases): the mean absolute error of published counts against
// the exact ones, by the size of the exact count (1–9, 10–99, 100 and more), and the mean
// relative error of fine totals and of median days to decision. Counts come from the same
// cells the API publishes, over questions of the kind the portal asks.
//
//	go test -run '^$' -bench PerturbationAccuracy -benchtime 1x ./internal/stats/
func BenchmarkPerturbationAccuracy(b *testing.B) {
	ctx := context.Background()
	ref := reference.MustRead()
	st := storetest.Open(b, storetest.SQLiteURL(b))
	if _, err := demo.Seed(ctx, st, ref, demo.Options{}); err != nil {
		b.Fatal(err)
	}
	e := NewEngine(st, ref, []byte("accuracy"))
	year, quarter, month := model.IntervalYear, model.IntervalQuarter, model.IntervalMonth
	questions := []struct {
		groupBy  []model.Dimension
		interval *model.Interval
	}{
		{nil, nil},
		{[]model.Dimension{model.DimensionJurisdiction}, &year},
		{[]model.Dimension{model.DimensionRegion}, &year},
		{[]model.Dimension{model.DimensionJurisdiction, model.DimensionCategory}, &quarter},
		{[]model.Dimension{model.DimensionPlatform}, &month},
		{[]model.Dimension{model.DimensionArticle}, nil},
		{[]model.Dimension{model.DimensionDefendantKind, model.DimensionDecision}, &year},
		{[]model.Dimension{model.DimensionRegion, model.DimensionConcern}, &year},
	}

	// errors of counts by size class; relative errors of magnitudes.
	classes := []struct {
		name   string
		lo, hi int
	}{{"1-9", 1, 9}, {"10-99", 10, 99}, {"100+", 100, math.MaxInt}}
	sum := make([]float64, len(classes))
	cells := make([]int, len(classes))
	var fineErr, dayErr []float64
	count := func(c privacy.Cell) {
		for i, cl := range classes {
			if c.N >= cl.lo && c.N <= cl.hi {
				sum[i] += math.Abs(float64(c.Perturbed() - c.N))
				cells[i]++
			}
		}
	}
	const k = 5
	for b.Loop() {
		clear(sum)
		clear(cells)
		fineErr, dayErr = fineErr[:0], dayErr[:0]
		for _, q := range questions {
			s, m, release, err := e.begin(ctx, model.CaseFilter{}, aggregates)
			if err != nil {
				b.Fatal(err)
			}
			req := Request{GroupBy: q.groupBy, Interval: q.interval, K: k}
			_, list, total, err := e.aggregate(s, m, req)
			release()
			if err != nil {
				b.Fatal(err)
			}
			var ranks dayRanks
			for _, a := range append(list, total) {
				for _, c := range []privacy.Cell{a.count, a.liable, a.fined, a.appealed, a.succeeded} {
					count(c)
				}
				for _, h := range a.fines {
					count(h.cell)
					if h.cell.N < 100 {
						continue
					}
					var exact, largest float64
					for key, n := range h.counts {
						exact += float64(key.amount) * float64(n)
						largest = max(largest, float64(key.amount))
					}
					fineErr = append(fineErr, math.Abs(h.cell.PerturbMagnitude(exact, largest)-exact)/exact)
				}
				if a.decisions.N >= 100 {
					nth := ranks.of(append(a.dayChunks, a.days))
					exact := nth((a.decisions.N+1)/2 - 1)
					got := nth(a.decisions.QuantileRank(0.5))
					if exact > 0 {
						dayErr = append(dayErr, math.Abs(got-exact)/exact)
					}
				}
			}
		}
	}
	for i, cl := range classes {
		if cells[i] == 0 {
			b.Fatalf("no cells of size %s", cl.name)
		}
		b.ReportMetric(sum[i]/float64(cells[i]), "MAE-"+cl.name)
		b.ReportMetric(float64(cells[i]), "cells-"+cl.name)
	}
	b.ReportMetric(100*mean(fineErr), "%err-fine-total-100+")
	b.ReportMetric(100*mean(dayErr), "%err-median-days-100+")
	b.Log(fmt.Sprintf("fine totals of 100+ fines: %d cells, worst %.2f%%; median days of 100+ decisions: %d cells, worst %.2f%%",
		len(fineErr), 100*slices.Max(fineErr), len(dayErr), 100*slices.Max(dayErr)))
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
