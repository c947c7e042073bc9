package graph_test

import (
	"fmt"
	"slices"
	"testing"
)

// The attacker of the statistics tests: it tries to work out withheld cells from the rest
// of an answer.

// attack fails the test for every withheld count that leaks.
func attack(t *testing.T, a statAnswer) {
	t.Helper()
	for _, leak := range leaks(a) {
		t.Error(leak)
	}
}

// leaks tries to work out withheld counts from the rest of the answer: for each
// additive figure the buckets add up to the total, and in each bucket fined is the sum of
// the fine counts per currency. Any equation with a single unknown reveals it; solving
// repeats until nothing new is learnt.
func leaks(a statAnswer) []string {
	var out []string
	type cell struct {
		row int // -1 for the total
		fig string
	}
	known := map[cell]int{}
	unknown := map[cell]bool{}
	rows := append([]statBucket{a.Statistics.Total}, a.Statistics.Buckets...)
	put := func(c cell, v *int) {
		if v == nil {
			unknown[c] = true
		} else {
			known[c] = *v
		}
	}
	currencies := map[string]bool{}
	for i, b := range rows {
		r := i - 1
		put(cell{r, "count"}, b.Count)
		put(cell{r, "liable"}, b.Liable)
		put(cell{r, "fined"}, b.Fined)
		put(cell{r, "appealed"}, b.Appealed)
		put(cell{r, "succeeded"}, b.AppealsSucceeded)
		for _, fs := range b.Fines {
			currencies[fs.Currency] = true
			put(cell{r, "fines " + fs.Currency}, fs.Count)
			put(cell{r, "total " + fs.Currency}, fs.Total)
		}
	}
	// A currency without an entry in a bucket has no fines there.
	for cur := range currencies {
		for i := range rows {
			for _, fig := range []string{"fines " + cur, "total " + cur} {
				c := cell{i - 1, fig}
				if _, ok := known[c]; !ok && !unknown[c] {
					known[c] = 0
				}
			}
		}
	}
	// Each equation: sum of plus cells = sum of minus cells.
	type equation struct{ plus, minus []cell }
	var eqs []equation
	figs := []string{"count", "liable", "fined", "appealed", "succeeded"}
	for cur := range currencies {
		figs = append(figs, "fines "+cur, "total "+cur)
	}
	for _, fig := range figs {
		var parts []cell
		for r := range a.Statistics.Buckets {
			parts = append(parts, cell{r, fig})
		}
		eqs = append(eqs, equation{plus: parts, minus: []cell{{-1, fig}}})
	}
	for i := range rows {
		var parts []cell
		for cur := range currencies {
			parts = append(parts, cell{i - 1, "fines " + cur})
		}
		eqs = append(eqs, equation{plus: []cell{{i - 1, "fined"}}, minus: parts})
	}
	// Only an equation whose cells all come from one answer applies: when buckets are
	// grouped by period, counts and outcomes sit in different buckets but each figure's
	// buckets still add up to its total.
	for progress := true; progress; {
		progress = false
		for _, eq := range eqs {
			var missing []cell
			sum := 0
			for _, c := range eq.plus {
				if v, ok := known[c]; ok {
					sum += v
				} else {
					missing = append(missing, c)
				}
			}
			for _, c := range eq.minus {
				if v, ok := known[c]; ok {
					sum -= v
				} else {
					missing = append(missing, c)
				}
			}
			if len(missing) == 1 {
				c := missing[0]
				if slices.Contains(eq.minus, c) {
					known[c] = sum
				} else {
					known[c] = -sum
				}
				if unknown[c] {
					out = append(out, fmt.Sprintf("withheld %s of row %d worked out from the answer: %d", c.fig, c.row, known[c]))
				}
				progress = true
			}
		}
	}
	return out
}

// TestAttackFindsLeaks makes sure the attack above would notice the classic mistakes:
// withholding only the small cell, or a fined figure next to its currencies.
func TestAttackFindsLeaks(t *testing.T) {
	var a statAnswer
	n := func(v int) *int { return &v }
	a.Statistics.Total = statBucket{Count: n(20), Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)}
	a.Statistics.Buckets = []statBucket{
		{Count: nil, Suppressed: true, Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)},
		{Count: n(18), Liable: n(0), Fined: n(0), Appealed: n(0), AppealsSucceeded: n(0)},
	}
	if got := leaks(a); len(got) != 1 {
		t.Fatalf("primary suppression alone: leaks %v, want the withheld count", got)
	}
	a.Statistics.Buckets[1].Count = nil
	if got := leaks(a); len(got) != 0 {
		t.Fatalf("two withheld cells: leaks %v, want none", got)
	}
	type fines = struct {
		Currency               string
		Count, Total, Min, Max *int
		Mean, Median, P90      *float64
		IndexUnits             *struct {
			Unit                  string
			Total, Mean, Min, Max float64
			Median, P90           *float64
		}
	}
	a.Statistics.Total.Fined = n(10)
	a.Statistics.Total.Fines = []fines{{Currency: "KGS", Count: nil}, {Currency: "KZT", Count: n(8)}}
	if got := leaks(a); len(got) == 0 {
		t.Fatal("fined published next to all but one currency: no leak found")
	}
}
