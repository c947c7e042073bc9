package model

import "testing"

// A Case.Generalized is read name by name: a name is generalised when listed whole, never
// when it is only part of another (region in "regions"), and the age band and gender always.
func TestGeneralizedFieldsHas(t *testing.T) {
	names := []string{GeneralizedAgeBand, GeneralizedGender, GeneralizedKind, GeneralizedRegion, GeneralizedDates,
		GeneralizedPlatform, GeneralizedFine, GeneralizedArticle, GeneralizedAppeals, GeneralizedSanction,
		GeneralizedCategory, GeneralizedCase}
	var all generalizedFields
	for _, n := range names {
		b := generalizedBit(n)
		if b == 0 || all&b != 0 {
			t.Errorf("%s has no bit of its own", n)
		}
		all |= b
	}
	for _, c := range []struct {
		generalized string
		want        []string
	}{
		{"", nil},
		{"case", []string{GeneralizedCase}},
		{"defendant.ageBand,defendant.gender,dates,region", []string{GeneralizedDates, GeneralizedRegion}},
		{"dates,region,defendant.kind,platform,appeals,outcome.fine,article,outcome.sanction,category,case",
			[]string{GeneralizedDates, GeneralizedRegion, GeneralizedKind, GeneralizedPlatform, GeneralizedAppeals,
				GeneralizedFine, GeneralizedArticle, GeneralizedSanction, GeneralizedCategory, GeneralizedCase}},
		{"regions,outcome,cases,,date", nil},
	} {
		want := map[string]bool{GeneralizedAgeBand: true, GeneralizedGender: true}
		for _, n := range c.want {
			want[n] = true
		}
		for _, n := range names {
			if got := generalizedOf(c.generalized).has(n); got != want[n] {
				t.Errorf("%q has %s = %v, want %v", c.generalized, n, got, want[n])
			}
		}
	}
}
