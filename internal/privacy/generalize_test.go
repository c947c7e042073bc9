package privacy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// syntheticQuasiIdentifiers makes n records with skewed distributions like real data: a
// few large regions and many small ones, rare kinds, some unknown fields.
func syntheticQuasiIdentifiers(n int, seed uint64) []model.QuasiIdentifiers {
	rng := rand.New(rand.NewPCG(seed, 1))
	regions := []string{"KZ-75", "KZ-71", "KZ-79", "KZ-55", "KZ-35", "KZ-63", "KZ-10", "KZ-33", "KZ-62", "KZ-43", "KG-GB", "KG-GO", "KG-C", "KG-T"}
	kinds := []model.DefendantKind{model.DefendantKindIndividual, model.DefendantKindBlogger, model.DefendantKindJournalist,
		model.DefendantKindActivist, model.DefendantKindMediaOutlet, model.DefendantKindLegalEntity, model.DefendantKindOfficial, model.DefendantKindUnknown}
	bands := []model.AgeBand{model.AgeBandUnder18, model.AgeBandFrom18To24, model.AgeBandFrom25To34, model.AgeBandFrom35To44,
		model.AgeBandFrom45To54, model.AgeBandFrom55To64, model.AgeBandFrom65}
	genders := []model.Gender{model.GenderMale, model.GenderFemale}
	skewed := func(n int) int { // index with a roughly geometric distribution
		for i := 0; i < n-1; i++ {
			if rng.IntN(3) != 0 {
				return i
			}
		}
		return n - 1
	}
	recs := make([]model.QuasiIdentifiers, n)
	for i := range recs {
		r := &recs[i]
		r.Year = 2019 + rng.IntN(7)
		r.Jurisdiction = model.JurisdictionKZ
		if rng.IntN(5) == 0 {
			r.Jurisdiction = model.JurisdictionKG
		}
		if rng.IntN(20) != 0 {
			r.Region = &regions[skewed(len(regions))]
		}
		if rng.IntN(10) != 0 {
			r.Kind = &kinds[skewed(len(kinds))]
		}
		if rng.IntN(4) != 0 {
			r.AgeBand = &bands[rng.IntN(len(bands))]
		}
		if rng.IntN(6) != 0 {
			r.Gender = &genders[skewed(len(genders))]
		}
	}
	return recs
}

// publishedKey is the published combination of a record, computed independently of
// Generalize: a withheld field shows as "withheld", an unknown one as "unknown".
func publishedKey(r model.QuasiIdentifiers, withheld []string) string {
	show := func(field string, v *string) string {
		if slices.Contains(withheld, field) {
			return "withheld"
		}
		if v == nil {
			return "unknown"
		}
		return *v
	}
	return fmt.Sprintf("%d|%s|%s|%s|%s|%s", r.Year, r.Jurisdiction,
		show(FieldRegion, r.Region), show(FieldKind, (*string)(r.Kind)),
		show(FieldAgeBand, (*string)(r.AgeBand)), show(FieldGender, (*string)(r.Gender)))
}

// checkGeneralization asserts the k-anonymity guarantee and the minimality promises.
func checkGeneralization(t *testing.T, recs []model.QuasiIdentifiers, k int, got [][]string) {
	t.Helper()
	if len(got) != len(recs) {
		t.Fatalf("%d results for %d records", len(got), len(recs))
	}
	fieldValue := map[string]func(model.QuasiIdentifiers) bool{ // is the field known?
		FieldRegion:  func(r model.QuasiIdentifiers) bool { return r.Region != nil },
		FieldKind:    func(r model.QuasiIdentifiers) bool { return r.Kind != nil },
		FieldAgeBand: func(r model.QuasiIdentifiers) bool { return r.AgeBand != nil },
		FieldGender:  func(r model.QuasiIdentifiers) bool { return r.Gender != nil },
	}
	groups := map[string][]int{}
	for i, r := range recs {
		groups[publishedKey(r, got[i])] = append(groups[publishedKey(r, got[i])], i)
	}
	for key, members := range groups {
		if len(members) >= k {
			continue
		}
		// Allowed only when nothing more can be withheld: every field withheld or unknown,
		// which leaves year and jurisdiction.
		r, w := recs[members[0]], got[members[0]]
		for field, known := range fieldValue {
			if known(r) && !slices.Contains(w, field) {
				t.Errorf("group %s has %d < %d records and still publishes %s", key, len(members), k, field)
			}
		}
	}
	for i, w := range got {
		order := []string{FieldRegion, FieldKind, FieldAgeBand, FieldGender}
		last := -1
		for _, f := range w {
			pos := slices.Index(order, f)
			if pos < 0 {
				t.Fatalf("record %d: unknown field name %q", i, f)
			}
			if pos <= last {
				t.Errorf("record %d: fields %v out of order", i, w)
			}
			last = pos
			if !fieldValue[f](recs[i]) {
				t.Errorf("record %d: unknown field %s reported as withheld", i, f)
			}
		}
	}
	// Minimality: a record whose original combination already had k records keeps
	// everything.
	original := map[string]int{}
	for _, r := range recs {
		original[publishedKey(r, nil)]++
	}
	for i, r := range recs {
		if original[publishedKey(r, nil)] >= k && len(got[i]) > 0 {
			t.Errorf("record %d was in a group of %d >= %d but lost %v", i, original[publishedKey(r, nil)], k, got[i])
		}
	}
}

func TestGeneralizeRandom(t *testing.T) {
	for _, tc := range []struct {
		n    int
		k    int
		seed uint64
	}{{0, 5, 1}, {1, 5, 1}, {4, 5, 2}, {50, 5, 3}, {500, 5, 4}, {5000, 5, 5}, {5000, 3, 6}, {20000, 10, 7}, {3000, 2, 8}} {
		recs := syntheticQuasiIdentifiers(tc.n, tc.seed)
		got := Generalize(recs, tc.k)
		checkGeneralization(t, recs, tc.k, got)
		if again := Generalize(recs, tc.k); !slices.EqualFunc(got, again, slices.Equal) {
			t.Errorf("n=%d k=%d: not deterministic", tc.n, tc.k)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestGeneralizeSteps(t *testing.T) {
	kz := model.JurisdictionKZ
	rec := func(region string, kind model.DefendantKind, band model.AgeBand, gender model.Gender) model.QuasiIdentifiers {
		return model.QuasiIdentifiers{Year: 2024, Jurisdiction: kz, Region: ptr(region), Kind: ptr(kind), AgeBand: ptr(band), Gender: ptr(gender)}
	}
	var recs []model.QuasiIdentifiers
	// 5 identical records: a group of 5, untouched.
	for range 5 {
		recs = append(recs, rec("KZ-75", model.DefendantKindBlogger, model.AgeBandFrom25To34, model.GenderMale))
	}
	// 3 + 2 that differ only by gender: withholding gender makes a group of 5.
	for range 3 {
		recs = append(recs, rec("KZ-71", model.DefendantKindJournalist, model.AgeBandFrom35To44, model.GenderMale))
	}
	for range 2 {
		recs = append(recs, rec("KZ-71", model.DefendantKindJournalist, model.AgeBandFrom35To44, model.GenderFemale))
	}
	// 5 records that differ in age band and gender: after gender and age band are withheld
	// they form a group of 5.
	bands := []model.AgeBand{model.AgeBandUnder18, model.AgeBandFrom18To24, model.AgeBandFrom25To34, model.AgeBandFrom45To54, model.AgeBandFrom65}
	for i, b := range bands {
		g := model.GenderMale
		if i%2 == 0 {
			g = model.GenderFemale
		}
		recs = append(recs, rec("KZ-79", model.DefendantKindActivist, b, g))
	}
	// A lone official in a region nobody else is in: everything is withheld, and the group of
	// one (2024, KZ, all withheld) stays, as documented.
	recs = append(recs, rec("KZ-62", model.DefendantKindOfficial, model.AgeBandFrom55To64, model.GenderFemale))

	got := Generalize(recs, 5)
	checkGeneralization(t, recs, 5, got)
	want := [][]string{
		nil, nil, nil, nil, nil,
		{FieldGender}, {FieldGender}, {FieldGender}, {FieldGender}, {FieldGender},
		{FieldAgeBand, FieldGender}, {FieldAgeBand, FieldGender}, {FieldAgeBand, FieldGender}, {FieldAgeBand, FieldGender}, {FieldAgeBand, FieldGender},
		{FieldRegion, FieldKind, FieldAgeBand, FieldGender},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestGeneralizeUnknownIsNotWithheld(t *testing.T) {
	recs := []model.QuasiIdentifiers{
		{Year: 2024, Jurisdiction: model.JurisdictionKG, Region: ptr("KG-GB")},
		{Year: 2024, Jurisdiction: model.JurisdictionKG, Region: ptr("KG-GO")},
		{Year: 2024, Jurisdiction: model.JurisdictionKG},
	}
	got := Generalize(recs, 3)
	checkGeneralization(t, recs, 3, got)
	want := [][]string{{FieldRegion}, {FieldRegion}, nil}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Years and jurisdictions are separate groups, never merged.
	recs = []model.QuasiIdentifiers{
		{Year: 2023, Jurisdiction: model.JurisdictionKZ, Region: ptr("KZ-75")},
		{Year: 2024, Jurisdiction: model.JurisdictionKZ, Region: ptr("KZ-75")},
		{Year: 2024, Jurisdiction: model.JurisdictionKG, Region: ptr("KZ-75")},
	}
	got = Generalize(recs, 2)
	checkGeneralization(t, recs, 2, got)
	for i, w := range got {
		if !slices.Equal(w, []string{FieldRegion}) {
			t.Errorf("record %d: %v", i, w)
		}
	}
}

func TestGeneralizeSmallK(t *testing.T) {
	recs := syntheticQuasiIdentifiers(100, 9)
	for _, k := range []int{-1, 0, 1} {
		for i, w := range Generalize(recs, k) {
			if w != nil {
				t.Fatalf("k=%d: record %d lost %v", k, i, w)
			}
		}
	}
}

func BenchmarkGeneralize(b *testing.B) {
	recs := syntheticQuasiIdentifiers(1_000_000, 42)
	b.ReportAllocs()
	for b.Loop() {
		Generalize(recs, 5)
	}
}
