package privacy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// band is a fine band rule for tests: 100 currency units to the index unit.
func band(_ model.Jurisdiction, _ string, amount int64) *model.FineBand {
	for _, e := range []int{10, 50, 200} {
		if amount <= int64(e)*100 {
			return &model.FineBand{From: e / 5, To: &e, IndexUnit: "MCI"}
		}
	}
	return &model.FineBand{From: 200, IndexUnit: "MCI"}
}

// syntheticQuasiIdentifiers makes n cases with skewed distributions like real data: a few
// large regions and many small ones, rare kinds, some unknown fields, decisions, fines and
// appeals on some.
func syntheticQuasiIdentifiers(n int, seed uint64) []model.QuasiIdentifiers {
	rng := rand.New(rand.NewPCG(seed, 1))
	regions := []string{"KZ-75", "KZ-71", "KZ-79", "KZ-55", "KZ-35", "KZ-63", "KZ-10", "KZ-33"}
	kinds := []model.DefendantKind{model.DefendantKindIndividual, model.DefendantKindBlogger, model.DefendantKindJournalist,
		model.DefendantKindActivist, model.DefendantKindMediaOutlet}
	platforms := []model.Platform{model.PlatformInstagram, model.PlatformTelegram, model.PlatformTiktok, model.PlatformFacebook}
	categories := []model.ContentCategory{model.ContentCategoryFalseInformation, model.ContentCategoryInsultOrLibel,
		model.ContentCategoryIncitementOfDiscord}
	articles := []string{"CAO 456-2", "CAO 73-3", "CC 174"}
	skewed := func(n int) int {
		for i := 0; i < n-1; i++ {
			if rng.IntN(3) != 0 {
				return i
			}
		}
		return n - 1
	}
	date := func(year, day int) *string {
		s := fmt.Sprintf("%04d-%02d-%02d", year+day/360, day%360/30+1, day%30+1)
		return &s
	}
	recs := make([]model.QuasiIdentifiers, n)
	for i := range recs {
		r := &recs[i]
		r.ID = int64(i + 1)
		r.Year = 2023 + rng.IntN(3)
		r.Jurisdiction = model.JurisdictionKZ
		if rng.IntN(5) == 0 {
			r.Jurisdiction = model.JurisdictionKG
		}
		c := &r.Case
		c.Jurisdiction = r.Jurisdiction
		if rng.IntN(20) != 0 {
			c.RegionCode = &regions[skewed(len(regions))]
		}
		if rng.IntN(10) != 0 {
			c.DefendantKind = &kinds[skewed(len(kinds))]
		}
		c.AgeBand, c.DefendantGender = ptr(model.AgeBandFrom25To34), ptr(model.GenderFemale)
		cat := skewed(len(categories))
		c.Category, c.Concern = categories[cat], categories[cat].Concern()
		c.Platform = platforms[skewed(len(platforms))]
		c.ArticleCode = &articles[cat]
		c.Liability, c.Stage = model.LiabilityAdministrative, model.CaseStageExpertReview
		day := rng.IntN(360)
		c.ReportedOn = *date(r.Year, day)
		if rng.IntN(2) == 0 {
			c.Stage = model.CaseStageClosed
			c.ExpertConclusion, c.ExpertOn = ptr(model.ExpertConclusionAdministrativeOffense), date(r.Year, day+10+rng.IntN(20))
			c.CourtDecision, c.CourtOn = ptr(model.DecisionLiable), date(r.Year, day+40+rng.IntN(60))
			c.Sanction = ptr(model.SanctionWarning)
			if rng.IntN(2) == 0 {
				c.Sanction, c.FineAmount = ptr(model.SanctionFine), ptr(int64(100*(1+skewed(6))*10))
			}
			if rng.IntN(6) == 0 {
				c.AppealStatus = ptr(model.AppealStatusUpheld)
				r.Appeals = []model.Appeal{{Level: model.AppealLevelAppeal, FiledBy: ptr(model.AppealPartyDefendant),
					FiledOn: date(r.Year, day+110), Status: model.AppealStatusUpheld, DecidedOn: date(r.Year, day+140)}}
			}
		}
	}
	return recs
}

// viewKey is the published combination of a case, within its jurisdiction and year, as
// the API renders it.
func viewKey(r model.QuasiIdentifiers, names []string) (key string, left bool) {
	c := r.Case
	c.Generalized = strings.Join(names, ",")
	v := c.PublishedView(r.Appeals, band)
	return strconv.Itoa(r.Year) + "|" + v.Key(), v.Withheld
}

// checkGeneralization checks the rules of Generalize on its answer got.
func checkGeneralization(t *testing.T, recs []model.QuasiIdentifiers, k int, got [][]string) {
	t.Helper()
	if len(got) != len(recs) {
		t.Fatalf("%d answers for %d records", len(got), len(recs))
	}
	groups := map[string]int{}
	base := map[string]int{}
	left := 0
	for i, r := range recs {
		if !slices.Equal(got[i][:2], []string{model.GeneralizedAgeBand, model.GeneralizedGender}) {
			t.Fatalf("record %d: %v does not start with the age band and gender", i, got[i])
		}
		steps := got[i][2:]
		if n := len(steps); n > 0 && steps[n-1] == model.GeneralizedCase {
			steps = steps[:n-1]
			if !slices.Equal(steps, Ladder) {
				t.Fatalf("record %d is left out after steps %v, not all of them", i, steps)
			}
		}
		if !slices.Equal(steps, Ladder[:len(steps)]) {
			t.Fatalf("record %d: steps %v are not a beginning of the ladder", i, steps)
		}
		key, withheld := viewKey(r, got[i])
		if withheld {
			left++
			continue
		}
		groups[key]++
	}
	for _, r := range recs {
		b, _ := viewKey(r, []string{model.GeneralizedAgeBand, model.GeneralizedGender})
		base[b]++
	}
	for key, n := range groups {
		if n < k {
			t.Errorf("published combination %q is shared by %d cases, fewer than %d", key, n, k)
		}
	}
	// A case already in a group of k at the base view takes no step.
	for i, r := range recs {
		if b, _ := viewKey(r, got[i][:2]); base[b] >= k && len(got[i]) > 2 {
			t.Errorf("record %d was in a group of %d at the base view and still took %v", i, base[b], got[i][2:])
		}
	}
	if left == len(recs) && len(recs) >= k {
		t.Errorf("every case is left out")
	}
}

func TestGeneralizeRandom(t *testing.T) {
	for _, tc := range []struct {
		n    int
		seed uint64
		k    int
	}{{2000, 1, 3}, {2000, 2, 5}, {5000, 3, 5}, {5000, 4, 10}, {300, 5, 5}} {
		t.Run(fmt.Sprintf("n%d-k%d", tc.n, tc.k), func(t *testing.T) {
			recs := syntheticQuasiIdentifiers(tc.n, tc.seed)
			got := Generalize(recs, tc.k, band)
			checkGeneralization(t, recs, tc.k, got)
			if again := Generalize(recs, tc.k, band); !slices.EqualFunc(got, again, slices.Equal) {
				t.Error("not deterministic")
			}
			// Nor does it depend on the order of the records.
			perm := rand.New(rand.NewPCG(tc.seed, 9)).Perm(len(recs))
			shuffled := make([]model.QuasiIdentifiers, len(recs))
			for i, p := range perm {
				shuffled[i] = recs[p]
			}
			for i, g := range Generalize(shuffled, tc.k, band) {
				if !slices.Equal(g, got[perm[i]]) {
					t.Fatalf("record %d: %v in another order, %v before", perm[i], g, got[perm[i]])
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestGeneralizeSteps follows one small case through the ladder: alone in its year, it
// takes every step and is left out; with k-1 others like it at the base view, it takes
// none.
func TestGeneralizeSteps(t *testing.T) {
	one := func(region string, day string) model.QuasiIdentifiers {
		return model.QuasiIdentifiers{Year: 2024, Jurisdiction: model.JurisdictionKZ, Case: model.Case{
			Jurisdiction: model.JurisdictionKZ, RegionCode: &region, Category: model.ContentCategoryFalseInformation,
			Platform: model.PlatformTelegram, Liability: model.LiabilityAdministrative, Stage: model.CaseStageExpertReview,
			ReportedOn: "2024-" + day, DefendantKind: ptr(model.DefendantKindBlogger), AgeBand: ptr(model.AgeBandFrom65)}}
	}
	var recs []model.QuasiIdentifiers
	for i := range 3 { // three alike, but for the day: one group by quarter
		recs = append(recs, one("KZ-75", fmt.Sprintf("05-%02d", i+1)))
	}
	recs = append(recs, one("KZ-10", "11-20")) // stands out by region and quarter
	got := Generalize(recs, 3, band)
	for i := range 3 {
		if len(got[i]) != 2 {
			t.Errorf("case %d, in a group of 3, took %v", i, got[i][2:])
		}
	}
	if !slices.Contains(got[3], model.GeneralizedCase) {
		t.Errorf("the case alone in its group was not left out: %v", got[3])
	}

	// With two more that stand out by region and quarter, the three meet once dates and
	// region are coarsened (the first two steps); the first three stay at the base view.
	recs = append(recs, one("KZ-11", "02-20"), one("KZ-12", "08-20"))
	got = Generalize(recs, 3, band)
	want := []string{model.GeneralizedAgeBand, model.GeneralizedGender, model.GeneralizedDates, model.GeneralizedRegion}
	for _, i := range []int{3, 4, 5} {
		if !slices.Equal(got[i], want) {
			t.Errorf("case %d: generalized %v, want %v", i, got[i], want)
		}
	}
	checkGeneralization(t, recs, 3, got)
}

func TestGeneralizeSmallK(t *testing.T) {
	recs := syntheticQuasiIdentifiers(500, 7)
	for _, k := range []int{0, 1} {
		for i, w := range Generalize(recs, k, band) {
			if len(w) != 2 {
				t.Fatalf("k=%d: record %d generalised %v beyond the base view", k, i, w)
			}
		}
	}
}

func BenchmarkGeneralize(b *testing.B) {
	recs := syntheticQuasiIdentifiers(100_000, 1)
	b.ResetTimer()
	for b.Loop() {
		Generalize(recs, 5, band)
	}
}
