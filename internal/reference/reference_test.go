package reference

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

func TestRead(t *testing.T) {
	d, err := Read()
	if err != nil {
		t.Fatal(err)
	}
	kz := Filter(d.Regions, model.JurisdictionKZ, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
	kg := Filter(d.Regions, model.JurisdictionKG, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
	if len(kz) != 20 || len(kg) != 9 {
		t.Fatalf("regions: %d in KZ, %d in KG; want 20 and 9", len(kz), len(kg))
	}
	for _, r := range d.Regions {
		if missing := r.Names.Missing(); len(missing) > 0 {
			t.Errorf("%s lacks a name in %v: %+v", r.Code, missing, r.Names)
		}
	}
	// The Kyrgyz names of Kyrgyzstan's regions are the official ones.
	for code, want := range map[string]string{"KG-GB": "Бишкек", "KG-C": "Чүй облусу", "KG-Y": "Ысык-Көл облусу", "KZ-27": "Батыш Казакстан облусу"} {
		if r := d.Region(code); r == nil || r.Names.In(model.LangKY) != want {
			t.Errorf("%s in Kyrgyz: %+v, want %s", code, r, want)
		}
	}
	if abai := d.Region("KZ-10"); abai == nil || abai.CreatedYear == nil || *abai.CreatedYear != 2022 {
		t.Fatalf("KZ-10 = %+v", abai)
	}
	if units, ok := d.InIndexUnits(model.JurisdictionKZ, 2024, 73840); !ok || units != 20 {
		t.Fatalf("73,840 KZT in 2024 = %v MCI (%v), want 20", units, ok)
	}
	if _, ok := d.InIndexUnits(model.JurisdictionKG, 2019, 100); ok {
		t.Fatal("an unknown year's unit must not be guessed")
	}
	// Titles and verification notes are given in every language; penalties in every
	// language or in none, their numbers (article parts, amounts, terms) the same in each.
	for _, a := range d.Articles {
		if missing := a.Titles.Missing(); len(missing) > 0 {
			t.Errorf("article %s has no title in %v", a.Code, missing)
		}
		if missing := a.Verification.Missing(); len(missing) > 0 {
			t.Errorf("article %s has no verification note in %v", a.Code, missing)
		}
		if missing := a.Penalties.Missing(); len(missing) > 0 && len(missing) < 4 {
			t.Errorf("article %s has no penalties in %v", a.Code, missing)
		}
		sameNumbers(t, "penalties of "+a.Code, a.Penalties)
	}
	for _, f := range d.OfficialFigures {
		if missing := f.Definition.Missing(); len(missing) > 0 {
			t.Errorf("figure %s %s has no definition in %v", f.Metric, f.PeriodEnd, missing)
		}
		if missing := f.Verified.Missing(); len(missing) > 0 {
			t.Errorf("figure %s %s has no verification in %v", f.Metric, f.PeriodEnd, missing)
		}
		sameNumbers(t, "definition of "+f.Metric, f.Definition)
	}
	if a := d.Article(model.JurisdictionKG, "CoO 107-1"); a == nil || *a.Title(model.LangKY) != "Тармактагы жалаа жабуу жана кордоо" ||
		*a.Penalties.Opt(model.LangKY) != "200 ЭК (жеке адамдар), 650 ЭК (уюмдар); 1 ЭК = 100 сом" {
		t.Errorf("KG CoO 107-1 in Kyrgyz = %+v", a)
	}
}

// numberRun finds the numbers of a text, thousands written with a comma, a space or a
// no-break space ("3,000", "3 000") read alike.
var numberRun = regexp.MustCompile(`\d+(?:[,.\x{a0} ]\d{3})*(?:[.,]\d+)?`)

// sameNumbers checks that a translated text keeps the numbers of its English original: a
// legal text's article numbers, parts, amounts and terms are never changed in translation.
func sameNumbers(t *testing.T, what string, l model.Labels) {
	t.Helper()
	numbers := func(s string) []string {
		var out []string
		for _, n := range numberRun.FindAllString(s, -1) {
			out = append(out, strings.NewReplacer(",", "", ".", "", " ", "", "\u00a0", "").Replace(n))
		}
		slices.Sort(out)
		return out
	}
	want := numbers(l.EN)
	for _, lang := range []model.Lang{model.LangKK, model.LangRU, model.LangKY} {
		if got := numbers(l.In(lang)); !slices.Equal(got, want) {
			t.Errorf("%s in %s: numbers %v, English has %v", what, lang, got, want)
		}
	}
}

// Every region of both countries has a population for at least one year, each Kazakh one
// for every year 2022–2025 (average annual, adding up to the country's total), and a
// Kyrgyz figure says it is secondary.
func TestPopulations(t *testing.T) {
	d := MustRead()
	for _, r := range d.Regions {
		if len(r.Populations) == 0 {
			t.Errorf("%s has no population", r.Code)
			continue
		}
		for i, p := range r.Populations {
			if p.Code != r.Code || p.Jurisdiction != r.Jurisdiction || !(p.Value > 0) || p.Source == "" || p.AsOf == "" {
				t.Errorf("%s: %+v", r.Code, p)
			}
			if i > 0 && r.Populations[i-1].Year >= p.Year {
				t.Errorf("%s: populations not by year", r.Code)
			}
			if (p.Note != nil) != (r.Jurisdiction == model.JurisdictionKG) {
				t.Errorf("%s %d: note %v; only the Kyrgyz figures have one", r.Code, p.Year, p.Note)
			}
		}
		if r.Jurisdiction != model.JurisdictionKZ {
			continue
		}
		for year := 2022; year <= 2025; year++ {
			p := d.PopulationIn(r.Code, year)
			if p == nil || p.Year != year || p.Measure != model.PopulationAverageAnnual {
				t.Errorf("%s has no average annual population of %d: %+v", r.Code, year, p)
			}
		}
	}
	for year := 2022; year <= 2025; year++ {
		var sum float64
		for _, r := range Filter(d.Regions, model.JurisdictionKZ, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction }) {
			sum += d.PopulationIn(r.Code, year).Value
		}
		if total := d.PopulationIn("KZ", year); total == nil || total.Year != year || math.Abs(total.Value-sum) > 0.5 {
			t.Errorf("KZ %d: the regions add up to %v, the country's total is %+v", year, sum, total)
		}
	}
	if p := d.PopulationIn("KG-GB", 2023); p == nil || p.Value != 1145044 || p.Measure != model.PopulationPoint {
		t.Errorf("Bishkek 2023 = %+v", p)
	}
}

// A year without a figure takes the latest year before it, else the earliest; no year
// takes the latest.
func TestPopulationInYearsWithoutAFigure(t *testing.T) {
	d := MustRead()
	for _, c := range []struct {
		code       string
		year, want int
		value      float64
	}{
		{"KZ-75", 2023, 2023, 2195288},
		{"KZ-75", 2026, 2025, 2320079},
		{"KZ-75", 0, 2025, 2320079},
		{"KZ-75", 2019, 2022, 2131693},
		{"KZ", 2024, 2024, 20158620.5},
		{"KG-GO", 2025, 2022, 364052},
		{"KG-B", 2022, 2023, 570900},
	} {
		p := d.PopulationIn(c.code, c.year)
		if p == nil || p.Year != c.want || p.Value != c.value {
			t.Errorf("PopulationIn(%s, %d) = %+v, want %v of %d", c.code, c.year, p, c.value, c.want)
		}
	}
	if p := d.PopulationIn("KG", 2024); p != nil {
		t.Errorf("KG has no total in population.csv, got %+v", p)
	}
}

// population.csv is checked as it is read: a known region or jurisdiction, a positive
// number, one figure per code and year.
func TestPopulationRowsAreChecked(t *testing.T) {
	good := row{"code": "KZ-75", "year": "2024", "population": "2260365.0", "measure": "average_annual", "as_of": "2024", "source": "Bureau"}
	with := func(col, v string) row {
		r := maps.Clone(good)
		r[col] = v
		return r
	}
	for name, r := range map[string]row{
		"unknown region":           with("code", "KZ-99"),
		"unknown jurisdiction":     with("code", "UZ"),
		"zero":                     with("population", "0"),
		"negative":                 with("population", "-5"),
		"not a number":             with("population", "many"),
		"unknown measure":          with("measure", "guess"),
		"as_of of another year":    with("as_of", "2023-01-01"),
		"no source":                with("source", ""),
		"before the region exists": {"code": "KZ-10", "year": "2021", "population": "600000", "measure": "point", "as_of": "2021", "source": "x"},
	} {
		d := MustRead()
		d.populationSeen = map[populationKey]bool{}
		if err := d.addPopulation(r); err == nil {
			t.Errorf("%s: accepted %v", name, r)
		}
	}
	d := MustRead()
	d.populationSeen = map[populationKey]bool{}
	if err := d.addPopulation(good); err != nil {
		t.Fatal(err)
	}
	if err := d.addPopulation(with("population", "1")); err == nil {
		t.Error("a second figure for KZ-75 in 2024 was accepted")
	}
	if err := d.addPopulation(with("code", "KZ")); err != nil {
		t.Errorf("the country's total: %v", err)
	}
}
