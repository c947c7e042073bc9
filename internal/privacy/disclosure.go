package privacy

// Small-cell suppression, the second line of disclosure control for published aggregates
// (docs/design.md §6; the first is the perturbation of cellkey.go): no published count lies
// strictly between 0 and k.

// MinThreshold is the smallest k a server may run with.
const MinThreshold = 3

// Small reports whether a count must be withheld on its own: 0 < n < k.
func Small(n, k int) bool { return n > 0 && n < k }

// Rate returns num/den when publishing it reveals no small count: at least k on each side,
// num ≥ k and den−num ≥ k. A rate of 1 in 40 would give the 1 away as surely as the count,
// and a rate of exactly 0 or 1 would tell that a part is empty, which perturbation leaves
// exact (an empty cell has no keys): whether it stays 0 when one more case is counted
// would tell what that case is.
func Rate(num, den, k int) (float64, bool) {
	if num < k || den-num < k {
		return 0, false
	}
	return float64(num) / float64(den), true
}
