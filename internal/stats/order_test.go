package stats_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// An adversary who reads a case list (or an export) sees each case's published period (a
// quarter) and its place among the cases of that period. The place must tell nothing of
// the report day (nor month), which is not published: over a generated dataset, a case's
// rank within its quarter does not correlate with its day of the quarter, and guessing
// the day from the rank does no better than chance.
func TestOrderWithinPeriodDoesNotGiveAwayTheDay(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.SQLiteURL(t))
	ref := reference.MustRead()
	if _, err := demo.Seed(ctx, s, ref, demo.Options{Cases: 6000, Seed: 13}); err != nil {
		t.Fatal(err)
	}
	engine := stats.NewEngine(s, ref, []byte("test secret"))

	// The whole list, as a visitor pages through it.
	var keys []model.CaseKey
	var after *model.CaseKey
	for {
		page, more, err := engine.ListCases(ctx, model.CaseFilter{}, model.CaseOrderReportedAsc, 100, after)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, page...)
		if !more {
			break
		}
		after = &page[len(page)-1]
	}
	reported := map[int64]time.Time{} // report date, by case id
	for ids := range slices.Chunk(model.CaseKeyIDs(keys), 500) {
		cases, err := s.CasesByID(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			d, err := time.Parse(time.DateOnly, c.ReportedOn)
			if err != nil {
				t.Fatal(err)
			}
			reported[c.ID] = d
		}
	}
	if len(reported) != 6000 {
		t.Fatalf("listed %d cases, want 6000", len(reported))
	}

	// Each quarter as the list shows it: the cases' days of the quarter in list order.
	var months [][]int
	var lengths []int // days in each quarter
	for i := 0; i < len(keys); {
		j := i
		for j < len(keys) && keys[j].Period == keys[i].Period {
			j++
		}
		year, quarter, ok := strings.Cut(keys[i].Period, "-Q")
		y, _ := strconv.Atoi(year)
		q, _ := strconv.Atoi(quarter)
		if !ok || y == 0 || q < 1 || q > 4 {
			t.Fatalf("period %q is not a quarter", keys[i].Period)
		}
		start := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		var m []int
		for _, k := range keys[i:j] {
			d := reported[k.ID]
			if d.Before(start) || !d.Before(start.AddDate(0, 3, 0)) {
				t.Fatalf("a case reported on %s is listed in %s", d.Format(time.DateOnly), keys[i].Period)
			}
			m = append(m, 1+int(d.Sub(start).Hours()/24))
		}
		if len(m) >= 10 {
			months = append(months, m)
			lengths = append(lengths, int(start.AddDate(0, 3, 0).Sub(start).Hours()/24))
		}
		i = j
	}

	// Spearman's rho of (place within the month, day), pooled over the months as ranks
	// normalised to [0, 1).
	var xs, ys []float64
	for _, m := range months {
		dayRank := midRanks(m)
		for i := range m {
			xs = append(xs, (float64(i)+0.5)/float64(len(m)))
			ys = append(ys, (dayRank[i]+0.5)/float64(len(m)))
		}
	}
	if rho := pearson(xs, ys); math.Abs(rho) >= 0.1 {
		t.Errorf("the place of a case within its month correlates with its day: Spearman rho %.3f over %d cases", rho, len(xs))
	}

	// The adversary guesses the day from the place (the same quantile of the month).
	// By chance, that guess hits as often as a random case of the month has the day.
	var hits, near, chanceHits, chanceNear, n float64
	for mi, m := range months {
		count := map[int]float64{}
		for _, d := range m {
			count[d]++
		}
		for i, d := range m {
			guess := 1 + int(float64(i)/float64(len(m))*float64(lengths[mi]))
			if guess == d {
				hits++
			}
			if abs(guess-d) <= 1 {
				near++
			}
			chanceHits += count[guess] / float64(len(m))
			chanceNear += (count[guess-1] + count[guess] + count[guess+1]) / float64(len(m))
			n++
		}
	}
	hits, near, chanceHits, chanceNear = hits/n, near/n, chanceHits/n, chanceNear/n
	t.Logf("exact day guessed for %.1f%% of cases (chance %.1f%%), within a day for %.1f%% (chance %.1f%%)",
		100*hits, 100*chanceHits, 100*near, 100*chanceNear)
	if hits > chanceHits+0.02 || near > chanceNear+0.03 {
		t.Errorf("the place of a case within its month gives its day away better than chance: exact %.1f%% (chance %.1f%%), within a day %.1f%% (chance %.1f%%)",
			100*hits, 100*chanceHits, 100*near, 100*chanceNear)
	}
}

// midRanks returns the rank of each value among vs, ties sharing their mean rank.
func midRanks(vs []int) []float64 {
	idx := make([]int, len(vs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return vs[a] - vs[b] })
	out := make([]float64, len(vs))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && vs[idx[j]] == vs[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			out[idx[k]] = float64(i+j-1) / 2
		}
		i = j
	}
	return out
}

func pearson(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var sxy, sxx, syy float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
		syy += (ys[i] - my) * (ys[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func abs(x int) int { return max(x, -x) }
