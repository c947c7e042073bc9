package privacy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPerturbationTable checks the published table: every row uses all the cell keys, no
// count falls below 0 or moves by more than MaxPerturbation, no row is biased, and the
// last row has the published variance.
func TestPerturbationTable(t *testing.T) {
	rows := PerturbationTable()
	if len(rows) != MaxPerturbation || !rows[len(rows)-1].OrMore {
		t.Fatalf("table has %d rows, the last OrMore=%v", len(rows), rows[len(rows)-1].OrMore)
	}
	for _, r := range rows {
		keys, mean, variance := 0, 0.0, 0.0
		for _, o := range r.Outcomes {
			keys += o.Keys
			if r.Count+o.Perturbation < 0 || abs(o.Perturbation) > MaxPerturbation {
				t.Errorf("count %d: perturbation %d", r.Count, o.Perturbation)
			}
			mean += float64(o.Perturbation) * o.Probability()
			if r.Count == 1 && 1+o.Perturbation >= MinThreshold {
				t.Errorf("a single case can be published as %d", 1+o.Perturbation)
			}
		}
		for _, o := range r.Outcomes {
			d := float64(o.Perturbation) - mean
			variance += d * d * o.Probability()
		}
		if keys != CellKeys {
			t.Errorf("count %d: %d cell keys, want %d", r.Count, keys, CellKeys)
		}
		if math.Abs(mean) > 0.01 {
			t.Errorf("count %d: mean perturbation %.3f", r.Count, mean)
		}
		if r.OrMore && math.Abs(variance-PerturbationVariance) > 0.1 {
			t.Errorf("count %d+: variance %.3f, want %.1f", r.Count, variance, PerturbationVariance)
		}
	}
}

// TestCellPerturbation checks what the method promises: an empty cell stays 0, the same
// set of cases always gets the same value whatever order it was counted in, and sets that
// differ by one case get perturbations that are not tied to each other, so that their
// difference does not give the case away.
func TestCellPerturbation(t *testing.T) {
	if (Cell{}).Perturbed() != 0 {
		t.Fatal("an empty cell was perturbed")
	}
	keyOf := RecordKeys([]byte("secret"))
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]uint16, 200)
	for i := range keys {
		keys[i] = keyOf(fmt.Appendf(nil, "KZ-2024-%06d", i))
	}
	var a, b Cell
	for _, k := range keys {
		a.Add(k)
	}
	for _, i := range rng.Perm(len(keys)) {
		b.Add(keys[i])
	}
	if a.Perturbed() != b.Perturbed() || a.PerturbMagnitude(1000, 10) != b.PerturbMagnitude(1000, 10) {
		t.Fatal("the same cases counted in another order got another value")
	}

	// Differences of sets with and without one more case: the attacker's estimate of the
	// one case (1) is exact only as often as two perturbations happen to be equal.
	exact, trials := 0, 2000
	for range trials {
		var base Cell
		for range 50 + rng.IntN(100) {
			base.Add(uint16(rng.Uint32()))
		}
		with := base
		with.Add(uint16(rng.Uint32()))
		if with.Perturbed()-base.Perturbed() == 1 {
			exact++
		}
	}
	// Two independent draws from the last row agree about 22% of the time.
	if share := float64(exact) / float64(trials); share > 0.3 {
		t.Errorf("the difference of two answers gave the case away %.0f%% of the time", 100*share)
	}
}

// TestMagnitudeAndRank checks the bounds of the perturbation of totals and of the ranks
// quantiles are read at.
func TestMagnitudeAndRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var c Cell
		for range 1 + rng.IntN(300) {
			c.Add(uint16(rng.Uint32()))
		}
		total, largest := 10000.0, 500.0
		d := math.Abs(c.PerturbMagnitude(total, largest) - total)
		if d < MagnitudeShareMin*largest-1e-9 || d > MagnitudeShareMax*largest+1e-9 {
			t.Fatalf("total moved by %.1f, outside %.0f%%–%.0f%% of the largest amount", d, 100*MagnitudeShareMin, 100*MagnitudeShareMax)
		}
		for _, q := range []float64{0.5, 0.9} {
			exact := int(math.Ceil(q*float64(c.N))) - 1
			width := max(1, int(math.Round(QuantileRankShare*float64(c.N))))
			r := c.QuantileRank(q)
			if r < 0 || r >= c.N || abs(r-exact) > width {
				t.Fatalf("n=%d q=%.1f: rank %d, exact %d, width %d", c.N, q, r, exact, width)
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
