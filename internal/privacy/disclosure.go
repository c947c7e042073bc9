package privacy

// Small-cell suppression, the second line of disclosure control for published aggregates
// (docs/design.md §6; the first is the perturbation of cellkey.go): no published count lies
// strictly between 0 and k.

// MinThreshold is the smallest k a server may run with.
const MinThreshold = 3

// Small reports whether a count must be withheld on its own: 0 < n < k.
func Small(n, k int) bool { return n > 0 && n < k }

// Rate returns num/den when publishing it reveals no small count: den ≥ k, and neither
// num nor den−num lies between 0 and k (a rate of 1 in 40 would give the 1 away as surely
// as the count).
func Rate(num, den, k int) (float64, bool) {
	if den < k || Small(num, k) || Small(den-num, k) {
		return 0, false
	}
	return float64(num) / float64(den), true
}
