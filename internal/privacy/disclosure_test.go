package privacy

import "testing"

func TestRate(t *testing.T) {
	for _, c := range []struct {
		num, den, k int
		ok          bool
	}{
		{10, 40, 5, true}, {5, 10, 5, true},
		{0, 40, 5, false},  // none: an empty part is not perturbed
		{40, 40, 5, false}, // all: nor is an empty remainder
		{1, 40, 5, false},  // one rejection in 40 gives the one away
		{39, 40, 5, false}, // and so does "all but one"
		{2, 4, 5, false},   // too few decisions
	} {
		if _, ok := Rate(c.num, c.den, c.k); ok != c.ok {
			t.Errorf("Rate(%d, %d, k=%d) published %v, want %v", c.num, c.den, c.k, ok, c.ok)
		}
	}
}
