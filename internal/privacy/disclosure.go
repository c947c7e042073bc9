package privacy

import "slices"

// Disclosure control for published aggregates (docs/design.md §6): no published count lies
// strictly between 0 and k, and no withheld count can be worked out from the other figures
// of the same answer.
//
// An answer's additive figures form tables of the shape "cells that add up to a total":
// the buckets of one figure (count, liable, …) add up to that figure's total. Withholding
// only the small cells is not enough: with the total and every other cell published, one
// withheld cell is the difference. So each table is protected as a whole:
//
//  1. primary suppression: every cell (and the total) with 0 < n < k is withheld;
//  2. complementary suppression: while the withheld cells are fewer than two, or add up to
//     less than k (their sum is the difference, so it must not be a small cell either),
//     the smallest published non-zero cell is withheld too; when none is left, the total is.
//
// A reader then learns only the sum of two or more withheld cells, which is at least k,
// and cannot tell a small cell from a withheld large one.

// MinThreshold is the smallest k a server may run with.
const MinThreshold = 3

// Small reports whether a count must be withheld on its own: 0 < n < k.
func Small(n, k int) bool { return n > 0 && n < k }

// ProtectTable returns which cells, and whether the total, of one additive table must be
// withheld. cells are the counts of the buckets; they add up to total. held marks cells
// (it may be nil) and totalHeld the total that are withheld for another reason; they stay
// withheld.
func ProtectTable(cells []int, total, k int, held []bool, totalHeld bool) (withheld []bool, totalWithheld bool) {
	withheld = make([]bool, len(cells))
	if held != nil {
		copy(withheld, held)
	}
	for i, n := range cells {
		if Small(n, k) {
			withheld[i] = true
		}
	}
	smallest := func() int {
		next := -1
		for i, n := range cells {
			if !withheld[i] && n > 0 && (next < 0 || n < cells[next]) {
				next = i
			}
		}
		return next
	}
	if totalHeld || Small(total, k) {
		// A withheld total is the sum of its cells: one of them at least must be withheld
		// too. (A small total has only small cells, all withheld already.)
		if !slices.Contains(withheld, true) {
			if i := smallest(); i >= 0 {
				withheld[i] = true
			}
		}
		return withheld, true
	}
	for {
		count, sum := 0, 0
		for i, w := range withheld {
			if w {
				count++
				sum += cells[i]
			}
		}
		if count == 0 || (count >= 2 && sum >= k) {
			return withheld, false
		}
		next := smallest()
		if next < 0 {
			// Nothing left to hide the difference behind: withhold the total instead.
			return withheld, true
		}
		withheld[next] = true
	}
}

// Rate returns num/den when publishing it reveals no small count: den ≥ k, and neither
// num nor den−num lies between 0 and k (a rate of 1 in 40 would give the 1 away as surely
// as the count).
func Rate(num, den, k int) (float64, bool) {
	if den < k || Small(num, k) || Small(den-num, k) {
		return 0, false
	}
	return float64(num) / float64(den), true
}

// Median returns the median of n values, given in sorted order by nth(i) for the rank i
// from 0 (the mean of the middle two for an even count), when there are at least k.
func Median(n, k int, nth func(int) float64) (float64, bool) {
	if n == 0 || n < k {
		return 0, false
	}
	if n%2 == 1 {
		return nth(n / 2), true
	}
	return (nth(n/2-1) + nth(n/2)) / 2, true
}

// P90 returns the 90th percentile of n values given as for Median, by the nearest-rank
// method (the value at rank ⌈0.9·n⌉, counting from 1), when there are at least k.
func P90(n, k int, nth func(int) float64) (float64, bool) {
	if n == 0 || n < k {
		return 0, false
	}
	return nth((9*n+9)/10 - 1), true
}

// Sorted gives nth for values already sorted.
func Sorted[T int | int64 | float64](values []T) func(int) float64 {
	return func(i int) float64 { return float64(values[i]) }
}

// ChainOfSteps decides which steps of a funnel to publish. Each step's count is a subset of
// the step before, so the difference of two published steps is itself a count (the cases
// that stopped between them): a step is published only when it is not small and its
// difference to the last published step is not small either.
func ChainOfSteps(counts []int, k int) (published []bool) {
	published = make([]bool, len(counts))
	last := -1
	for i, n := range counts {
		if Small(n, k) || (last >= 0 && Small(counts[last]-n, k)) {
			continue
		}
		published[i] = true
		last = i
	}
	return published
}
