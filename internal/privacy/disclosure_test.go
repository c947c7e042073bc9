package privacy

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestProtectTableLeavesNothingToSubtract checks the rule on many random tables: no
// published cell is small, and the withheld cells are either none, or two or more whose
// sum (the only thing the total reveals about them) is at least k, or the total is
// withheld too and a cell with it.
func TestProtectTableLeavesNothingToSubtract(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		k := 3 + rng.IntN(8)
		cells := make([]int, 1+rng.IntN(8))
		total := 0
		for i := range cells {
			switch rng.IntN(4) {
			case 0:
				cells[i] = 0
			case 1:
				cells[i] = 1 + rng.IntN(k) // often small
			default:
				cells[i] = rng.IntN(60)
			}
			total += cells[i]
		}
		var held []bool
		totalHeld := rng.IntN(10) == 0
		if rng.IntN(5) == 0 {
			held = make([]bool, len(cells))
			held[rng.IntN(len(cells))] = true
		}
		w, tw := ProtectTable(cells, total, k, held, totalHeld)
		count, sum := 0, 0
		for i, n := range cells {
			if held != nil && held[i] && !w[i] {
				t.Fatalf("%v k=%d: held cell %d published", cells, k, i)
			}
			if w[i] {
				count++
				sum += n
			} else if Small(n, k) {
				t.Fatalf("%v k=%d: small cell %d published", cells, k, i)
			}
		}
		switch {
		case totalHeld && !tw:
			t.Fatalf("%v k=%d: held total published", cells, k)
		case Small(total, k) && !tw:
			t.Fatalf("%v k=%d: small total published", cells, k)
		case tw && count == 0 && total > 0:
			t.Fatalf("%v k=%d: total withheld, every cell published: the total is their sum", cells, k)
		case !tw && count == 1:
			t.Fatalf("%v k=%d: one withheld cell with a published total: %v", cells, k, w)
		case !tw && count > 1 && sum < k:
			t.Fatalf("%v k=%d: withheld cells %v add up to %d < k", cells, k, w, sum)
		}
	}
}

func TestProtectTableExamples(t *testing.T) {
	for _, c := range []struct {
		cells     []int
		total, k  int
		withheld  []bool
		totalHeld bool
	}{
		{[]int{10, 20, 30}, 60, 3, []bool{false, false, false}, false},
		{[]int{1, 20, 30}, 51, 3, []bool{true, true, false}, false},
		// Two small cells adding up to less than k need a third.
		{[]int{1, 1, 30, 40}, 72, 3, []bool{true, true, true, false}, false},
		// Only one non-zero cell besides the small one: the total goes instead.
		{[]int{2, 0, 0}, 2, 3, []bool{true, false, false}, true},
		{[]int{2, 50}, 52, 3, []bool{true, true}, false},
	} {
		w, tw := ProtectTable(c.cells, c.total, c.k, nil, false)
		if !slices.Equal(w, c.withheld) || tw != c.totalHeld {
			t.Errorf("ProtectTable(%v, %d, k=%d) = %v, %v; want %v, %v", c.cells, c.total, c.k, w, tw, c.withheld, c.totalHeld)
		}
	}
}

func TestRateMedianP90(t *testing.T) {
	for _, c := range []struct {
		num, den, k int
		ok          bool
	}{
		{0, 40, 5, true}, {40, 40, 5, true}, {10, 40, 5, true},
		{1, 40, 5, false},  // one rejection in 40 gives the one away
		{39, 40, 5, false}, // and so does "all but one"
		{2, 4, 5, false},   // too few decisions
	} {
		if _, ok := Rate(c.num, c.den, c.k); ok != c.ok {
			t.Errorf("Rate(%d, %d, k=%d) published %v, want %v", c.num, c.den, c.k, ok, c.ok)
		}
	}
	if m, ok := Median(4, 3, Sorted([]int64{1, 2, 3, 10})); !ok || m != 2.5 {
		t.Errorf("median of 1 2 3 10 = %v %v", m, ok)
	}
	if _, ok := Median(2, 3, Sorted([]int64{1, 2})); ok {
		t.Error("a median of two values published with k = 3")
	}
	// Nearest rank: the value at rank ceil(0.9 n).
	vals := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if p, ok := P90(len(vals), 3, Sorted(vals)); !ok || p != 10 {
		t.Errorf("p90 of 1..11 = %v, want 10", p)
	}
	if p, _ := P90(10, 3, Sorted(vals[:10])); p != 9 {
		t.Errorf("p90 of 1..10 = %v, want 9", p)
	}
}

func TestChainOfSteps(t *testing.T) {
	got := ChainOfSteps([]int{100, 99, 50, 50, 2, 0}, 3)
	want := []bool{true, false, true, true, false, true}
	if !slices.Equal(got, want) {
		t.Fatalf("ChainOfSteps = %v, want %v", got, want)
	}
}
