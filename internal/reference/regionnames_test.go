package reference

import (
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
)

// regionRow is one row of regions.csv, read here on its own rather than through Load.
type regionRow struct {
	code, jurisdiction, kind string
	names                    []string // en, ru, kk, ky; empty ones left out
}

func readRegionRows(t *testing.T) []regionRow {
	t.Helper()
	var rows []regionRow
	err := readCSV("regions.csv", func(r row) error {
		rr := regionRow{code: r["code"], jurisdiction: r["jurisdiction"], kind: r["kind"]}
		for _, col := range []string{"name_en", "name_ru", "name_kk", "name_ky"} {
			if r[col] != "" {
				rr.names = append(rr.names, r[col])
			}
		}
		rows = append(rows, rr)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// bareName strips a region's qualifier the way a person would; "" for a Russian adjective
// ("Алматинская область"), whose bare form is no name of its own.
func bareName(name string) string {
	for _, q := range []string{" Region", " облысы", " облусу"} {
		if b, ok := strings.CutSuffix(name, q); ok {
			return b
		}
	}
	if b, ok := strings.CutPrefix(name, "область "); ok {
		return b
	}
	return ""
}

// TestRegionNamesEveryRowEveryLanguage feeds every name of every row of regions.csv, in
// every language and the ways people write them, and wants each to lead to its own code
// — but for a bare name a region shares with a city, which is the city.
func TestRegionNamesEveryRowEveryLanguage(t *testing.T) {
	d := MustRead()
	rows := readRegionRows(t)
	if len(rows) != len(d.Regions) {
		t.Fatalf("%d rows in regions.csv, %d regions loaded", len(rows), len(d.Regions))
	}
	// The cities' names, to know which bare region names a city takes.
	cityOf := map[string]string{}
	for _, r := range rows {
		if r.kind == "city" {
			for _, n := range r.names {
				cityOf[r.jurisdiction+" "+strings.ToLower(n)] = r.code
			}
		}
	}
	checked := 0
	want := func(j, spelling, code string) {
		t.Helper()
		for _, s := range []string{spelling, strings.ToLower(spelling), strings.ToUpper(spelling), "  " + spelling + " ",
			strings.ReplaceAll(spelling, "е", "ё"), strings.ReplaceAll(spelling, "-", " ")} {
			checked++
			m, ok := d.LookupRegion(model.Jurisdiction(j), s)
			if !ok {
				t.Errorf("%s %q is not found; want %s", j, s, code)
				continue
			}
			if m.Region.Code != code || !m.ByName {
				t.Errorf("%s %q is %s (by name %v); want %s", j, s, m.Region.Code, m.ByName, code)
			}
		}
	}
	for _, r := range rows {
		if m, ok := d.LookupRegion(model.Jurisdiction(r.jurisdiction), strings.ToLower(r.code)); !ok || m.Region.Code != r.code || m.ByName {
			t.Errorf("code %s: %+v %v", r.code, m, ok)
		}
		for _, n := range r.names {
			if r.kind == "city" {
				for _, s := range []string{n, "г. " + n, "г." + n, "город " + n, n + " қаласы", n + " шаары", n + " city", "city of " + n} {
					want(r.jurisdiction, s, r.code)
				}
				continue
			}
			want(r.jurisdiction, n, r.code)
			if strings.HasSuffix(n, " область") {
				adjective := strings.TrimSuffix(n, " область")
				want(r.jurisdiction, adjective+" обл.", r.code)
				want(r.jurisdiction, adjective, r.code)
			}
			b := bareName(n)
			if b == "" {
				continue
			}
			for _, q := range []string{" Region", " region", " oblast", " область", " обл.", " облысы", " облусу"} {
				want(r.jurisdiction, b+q, r.code)
			}
			want(r.jurisdiction, "область "+b, r.code)
			bareCode := r.code
			if city, shared := cityOf[r.jurisdiction+" "+strings.ToLower(b)]; shared {
				bareCode = city
			}
			want(r.jurisdiction, b, bareCode)
		}
	}

	// Spellings in use that are none of the data's names: Latin transliterations, the
	// new Kazakh Latin alphabet, abbreviations, Latin letters typed in Cyrillic words.
	inUse := map[string][]string{
		"KZ-71": {"Astana", "g. Astana", "Astana qalasy", "Astana kalasy", "gorod Astana"},
		"KZ-75": {"Almaty", "g. Almaty", "Almaty city", "city of Almaty", "г.Алматы", "Almaty qalasy", "gorod Almaty"},
		"KZ-79": {"Shymkent", "g.Shymkent", "Shymkent kalasy", "Şymkent"},
		"KZ-10": {"Abai", "Abay", "Abai oblysy", "Abay oblast", "oblast Abay"},
		"KZ-11": {"Akmola", "Aqmola", "Akmolinskaya oblast", "Aqmola oblysy", "Акмолинская обл."},
		"KZ-15": {"Aktobe", "Aqtöbe", "Aqtobe oblysy", "Aktyubinskaya oblast", "Актобе облысы"},
		"KZ-19": {"Almaty oblysy", "Almatinskaya oblast", "Almatinskaya obl.", "Almaty obl.", "Almaty Province"},
		"KZ-23": {"Atyrau", "Atyrauskaya oblast", "Atyrau oblysy"},
		"KZ-27": {"West Kazakhstan", "West Kazakhstan oblast", "Zapadno-Kazakhstanskaya oblast", "Batys Kazakhstan oblysy", "Batys Qazaqstan oblysy", "ЗКО"},
		"KZ-31": {"Jambyl", "Zhambyl", "Zhambylskaya oblast", "Jambyl oblysy", "Жамбылская обл."},
		"KZ-33": {"Jetisu", "Zhetysu", "Zhetisu", "Zhetysu oblysy", "oblast Zhetysu", "Жетысу", "Жетису", "Жетiсу облысы"},
		"KZ-35": {"Karaganda", "Karagandy", "Qaragandy", "Qaraghandy oblysy", "Karagandinskaya oblast"},
		"KZ-39": {"Kostanay", "Kostanai", "Qostanay oblysy", "Kostanayskaya oblast"},
		"KZ-43": {"Kyzylorda", "Qyzylorda", "Kyzylordinskaya oblast", "Qyzylorda oblysy"},
		"KZ-47": {"Mangystau", "Mangistauskaya oblast", "Mangystau oblysy", "Маңғыстау"},
		"KZ-55": {"Pavlodar", "Pavlodarskaya oblast", "Pavlodar oblysy"},
		"KZ-59": {"North Kazakhstan", "Severo-Kazakhstanskaya oblast", "Soltustik Kazakhstan oblysy", "Soltüstik Qazaqstan oblysy", "СКО"},
		"KZ-61": {"Turkistan", "Türkistan oblysy", "Turkestanskaya oblast"},
		"KZ-62": {"Ulytau", "oblast Ulytau", "Ulytau oblysy"},
		"KZ-63": {"East Kazakhstan", "Vostochno-Kazakhstanskaya oblast", "Shygys Kazakhstan oblysy", "ВКО"},
		"KG-GB": {"Bishkek", "g. Bishkek", "Bishkek city", "Bishkek shaary", "Бішкек"},
		"KG-GO": {"Osh", "g. Osh", "Osh city", "Osh shaary", "город Ош"},
		"KG-B":  {"Batken", "Batkenskaya oblast", "Batken oblusu"},
		"KG-C":  {"Chüy", "Chuy", "Chui", "Chuy oblusu", "Chuyskaya oblast", "Shu oblysy", "Чуй"},
		"KG-J":  {"Jalal-Abad", "Jalalabad", "Jalal Abad oblast", "Dzhalal-Abadskaya oblast", "Zhalal-Abad"},
		"KG-N":  {"Naryn", "Narynskaya oblast", "Naryn oblusu"},
		"KG-O":  {"Osh Region", "Osh oblusu", "Oshskaya oblast", "Ош облусу", "Ошская обл."},
		"KG-T":  {"Talas", "Talasskaya oblast", "Talas oblusu"},
		"KG-Y":  {"Issyk-Kul", "Issyk Kul", "Ysyk-Köl", "Ysyk-Kol", "Issyk-Kul oblast", "Issyk-Kulskaya oblast", "Ysyk-Köl oblusu", "Ыстықкөл облысы"},
	}
	for _, r := range rows {
		spellings, ok := inUse[r.code]
		if !ok {
			t.Errorf("no spellings in use listed for %s", r.code)
		}
		for _, s := range spellings {
			want(r.jurisdiction, s, r.code)
		}
	}
	t.Logf("%d spellings checked", checked)
}

// The everyday reading of a bare name shared by a city and a region is the city, and the
// lookup says which region it did not mean.
func TestRegionBareNameSharedWithACity(t *testing.T) {
	d := MustRead()
	for _, tt := range []struct {
		j                model.Jurisdiction
		spelling         string
		code, sharedWith string
		regionSpelling   string
		regionSpellingIs string
	}{
		{model.JurisdictionKZ, "Алматы", "KZ-75", "KZ-19", "Алматы облысы", "KZ-19"},
		{model.JurisdictionKZ, "Almaty", "KZ-75", "KZ-19", "Almaty Region", "KZ-19"},
		{model.JurisdictionKG, "Ош", "KG-GO", "KG-O", "Ошская область", "KG-O"},
		{model.JurisdictionKG, "Osh", "KG-GO", "KG-O", "Osh Region", "KG-O"},
	} {
		m, ok := d.LookupRegion(tt.j, tt.spelling)
		if !ok || m.Region.Code != tt.code || m.SharedWith == nil || m.SharedWith.Code != tt.sharedWith {
			t.Errorf("%q: %+v %v; want %s, shared with %s", tt.spelling, m, ok, tt.code, tt.sharedWith)
		}
		if m, ok := d.LookupRegion(tt.j, tt.regionSpelling); !ok || m.Region.Code != tt.regionSpellingIs || m.SharedWith != nil {
			t.Errorf("%q: %+v %v; want %s", tt.regionSpelling, m, ok, tt.regionSpellingIs)
		}
	}
	// Only those: every other bare name is its region's alone.
	var shared []string
	for k, r := range d.regionNames.sharedWith {
		shared = append(shared, r.Code+" "+k.folded)
	}
	slices.Sort(shared)
	if want := []string{"KG-O osh", "KG-O ош", "KZ-19 almaty", "KZ-19 алматы"}; !slices.Equal(shared, want) {
		t.Errorf("bare names shared with a city: %q, want %q", shared, want)
	}
	// Bishkek is Chüy Region's seat, not its name: the city only.
	if m, _ := d.LookupRegion(model.JurisdictionKG, "Bishkek"); m.Region == nil || m.Region.Code != "KG-GB" || m.SharedWith != nil {
		t.Errorf("Bishkek: %+v", m)
	}
}

func TestRegionUnknownSpellingsAndSuggestions(t *testing.T) {
	d := MustRead()
	for _, tt := range []struct {
		j        model.Jurisdiction
		spelling string
		near     []string
	}{
		{model.JurisdictionKZ, "Almati oblast", []string{"KZ-19"}},
		{model.JurisdictionKZ, "Almatinskya oblast", []string{"KZ-19"}},
		{model.JurisdictionKZ, "Karagada", []string{"KZ-35"}},
		{model.JurisdictionKZ, "West Kazakstan", []string{"KZ-27"}},
		{model.JurisdictionKG, "Issyk-Kol", []string{"KG-Y"}},
		{model.JurisdictionKZ, "Osh", nil},    // a Kyrgyz city given for Kazakhstan
		{model.JurisdictionKZ, "KG-GB", nil},  // a Kyrgyz code given for Kazakhstan
		{model.JurisdictionKZ, "Region", nil}, // a qualifier alone
		{model.JurisdictionKZ, "Жумабаев Асхат", nil},
		{model.JurisdictionKZ, "900101300017", nil},
		{model.JurisdictionKZ, "", nil},
	} {
		if m, ok := d.LookupRegion(tt.j, tt.spelling); ok {
			t.Errorf("%s %q is %s; want no region", tt.j, tt.spelling, m.Region.Code)
		}
		var near []string
		for _, r := range d.NearRegions(tt.j, tt.spelling) {
			near = append(near, r.Code)
		}
		if !slices.Equal(near, tt.near) {
			t.Errorf("%s %q: suggestions %v, want %v", tt.j, tt.spelling, near, tt.near)
		}
	}
}

// Load refuses reference data in which one spelling would name two units, except a bare
// name a region shares with a city.
func TestRegionNamesRefuseASpellingOfTwoUnits(t *testing.T) {
	unit := func(code string, kind model.RegionKind, en, ru string) model.Region {
		return model.Region{Code: code, Jurisdiction: model.JurisdictionKZ, Kind: kind, Names: model.Labels{EN: en, RU: ru}}
	}
	if _, err := newRegionNames([]model.Region{
		unit("KZ-01", model.RegionKindRegion, "Steppe Region", "Степная область"),
		unit("KZ-02", model.RegionKindRegion, "Steppe Region", "Луговая область"),
	}); err == nil || !strings.Contains(err.Error(), "KZ-01 and KZ-02") {
		t.Errorf("two regions of one name: %v", err)
	}
	if _, err := newRegionNames([]model.Region{
		unit("KZ-01", model.RegionKindRegion, "Steppe Region", "Степная область"),
		unit("KZ-02", model.RegionKindRegion, "Lake Region", "область Степная"),
	}); err == nil {
		t.Error("a region's bare name that is another region's adjective was accepted")
	}
	names, err := newRegionNames([]model.Region{
		unit("KZ-01", model.RegionKindCity, "Steppe", "Степь"),
		unit("KZ-02", model.RegionKindRegion, "Steppe Region", "Степная область"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if k := (spellingKey{model.JurisdictionKZ, "steppe"}); names.units[k].Code != "KZ-01" || names.sharedWith[k].Code != "KZ-02" {
		t.Errorf("bare Steppe: %s, shared with %v", names.units[k].Code, names.sharedWith[k])
	}
}
