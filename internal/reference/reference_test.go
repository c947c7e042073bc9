package reference

import (
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
