// Package reference loads the published reference data that ships with casewatch: regions
// with their names and population, legal provisions, monetary index units and official
// figures. Each file under data/ keeps its sources next to its values.
//
// population.csv, the population of every region per year (and Kazakhstan's total), is a
// copy of the project's shared/data/population.csv, source column included: for
// Kazakhstan the Bureau of National Statistics' average annual population 2022–2025 (its
// table 6576, read from a public republication the source column names); for Kyrgyzstan
// secondary figures citing the National Statistical Committee (1 Jan 2023 estimates, Osh
// city from the 2022 census), older than the 2024 reform that enlarged Bishkek and other
// cities, published with their date and a note (populationNotes). Per-capita figures
// divide by these (PopulationIn); the single latest figure of regions.csv stays as
// Region.Population.
package reference

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

//go:embed data/*.csv
var files embed.FS

// Data is the whole reference set, loaded once.
type Data struct {
	Regions         []model.Region
	Articles        []model.Article
	IndexUnits      []model.IndexUnit
	OfficialFigures []model.OfficialFigure
	// Codes are the codes of law of codes.csv, whose prefixes start articles' codes.
	Codes []model.Code
	// Populations are the figures of population.csv, by code and year: every region's, and
	// a country's total under its jurisdiction code.
	Populations []model.Population

	regionByCode map[string]*model.Region
	// populations holds the figures of each code by year.
	populations map[string][]model.Population
	// populationSeen finds duplicates while population.csv is read.
	populationSeen map[populationKey]bool
	// populationSources are the texts of population_sources.csv by their English text.
	populationSources map[string]model.Labels
	// sourceTitles are the titles of source_titles.csv by their English text.
	sourceTitles map[string]model.Labels
	indexByYear  map[indexKey]*model.IndexUnit
	// regionNames reads the region names of imports (see regionnames.go).
	regionNames *regionNames
}

type populationKey struct {
	code string
	year int
}

type indexKey struct {
	jurisdiction model.Jurisdiction
	year         int
}

// Read parses the embedded files. An error means a broken build, not bad input. (It only
// reads: writing a release is the store's Load.)
func Read() (*Data, error) {
	d := &Data{regionByCode: map[string]*model.Region{}, indexByYear: map[indexKey]*model.IndexUnit{},
		sourceTitles: map[string]model.Labels{}}
	steps := []struct {
		file  string
		parse func(row) error
	}{
		// The titles of sources in every language, before the files that cite them.
		{"source_titles.csv", d.addSourceTitle},
		{"regions.csv", d.addRegion},
		{"articles.csv", d.addArticle},
		{"index_units.csv", d.addIndexUnit},
		{"official_figures.csv", d.addOfficialFigure},
		{"codes.csv", d.addCode},
	}
	for _, s := range steps {
		if err := readCSV(s.file, s.parse); err != nil {
			return nil, fmt.Errorf("reference %s: %w", s.file, err)
		}
	}
	for i := range d.Regions {
		r := &d.Regions[i]
		d.regionByCode[r.Code] = r
	}
	// Populations are checked against the regions, so they come after them.
	d.populationSeen = map[populationKey]bool{}
	d.populationSources = map[string]model.Labels{}
	if err := readCSV("population_sources.csv", d.addPopulationSource); err != nil {
		return nil, fmt.Errorf("reference population_sources.csv: %w", err)
	}
	if err := readCSV("population.csv", d.addPopulation); err != nil {
		return nil, fmt.Errorf("reference population.csv: %w", err)
	}
	d.populationSeen = nil
	d.populationSources = nil
	d.sourceTitles = nil
	for _, a := range d.Articles {
		if d.CodeOf(a.Jurisdiction, a.Code) == nil {
			return nil, fmt.Errorf("reference articles.csv: %s %s: no code of codes.csv", a.Jurisdiction, a.Code)
		}
	}
	d.indexPopulations()
	var err error
	if d.regionNames, err = newRegionNames(d.Regions); err != nil {
		return nil, fmt.Errorf("reference regions.csv: %w", err)
	}
	for i := range d.IndexUnits {
		u := &d.IndexUnits[i]
		d.indexByYear[indexKey{u.Jurisdiction, u.Year}] = u
	}
	return d, nil
}

// MustRead is Read for program start-up and tests, where the embedded files cannot be wrong.
func MustRead() *Data {
	d, err := Read()
	if err != nil {
		panic(err)
	}
	return d
}

// Population returns the latest population figure of a country (the official figure with
// metric "population"), nil when there is none.
func (d *Data) Population(j model.Jurisdiction) *model.OfficialFigure {
	var latest *model.OfficialFigure
	for i := range d.OfficialFigures {
		f := &d.OfficialFigures[i]
		if f.Jurisdiction == j && f.Metric == "population" && (latest == nil || f.PeriodEnd > latest.PeriodEnd) {
			latest = f
		}
	}
	return latest
}

// PopulationIn returns the population a count of year is set against, for a region (its
// ISO code) or a country (its jurisdiction code): the figure of that year; for a year
// without one, that of the latest year before it, or of the earliest year when none is
// before it; the latest figure when year is 0. The figure's Year says which was used. nil
// when population.csv has none for the code.
func (d *Data) PopulationIn(code string, year int) *model.Population {
	list := d.populations[code] // by year
	if len(list) == 0 {
		return nil
	}
	if year == 0 {
		return &list[len(list)-1]
	}
	// The first figure after year; the one before it is of year or earlier.
	i, _ := slices.BinarySearchFunc(list, year+1, func(p model.Population, y int) int { return p.Year - y })
	if i == 0 {
		return &list[0]
	}
	return &list[i-1]
}

// Region returns the region with an ISO code, nil when there is none.
func (d *Data) Region(code string) *model.Region { return d.regionByCode[code] }

// IndexUnit returns the index unit of a jurisdiction in a year, nil when it is not known.
func (d *Data) IndexUnit(j model.Jurisdiction, year int) *model.IndexUnit {
	return d.indexByYear[indexKey{j, year}]
}

// InIndexUnits converts an amount of a jurisdiction's currency into index units of a year. ok is
// false when the unit's value for that year is not known.
func (d *Data) InIndexUnits(j model.Jurisdiction, year int, amount int64) (units float64, ok bool) {
	u := d.IndexUnit(j, year)
	if u == nil || u.Value == 0 {
		return 0, false
	}
	return float64(amount) / float64(u.Value), true
}

// row gives a CSV record's cells by column name.
type row map[string]string

func (r row) opt(col string) *string {
	if v := r[col]; v != "" {
		return &v
	}
	return nil
}

// labels reads a text given in every language, from the columns prefix_kk, prefix_ru,
// prefix_en and prefix_ky. An optional text (required false) may be empty in all four; a
// text is never given in some languages and missing in others.
func (r row) labels(prefix string, required bool) (model.Labels, error) {
	l := model.Labels{KK: r[prefix+"_kk"], RU: r[prefix+"_ru"], EN: r[prefix+"_en"], KY: r[prefix+"_ky"]}
	missing := l.Missing()
	if len(missing) == 0 || (!required && len(missing) == 4) {
		return l, nil
	}
	return l, fmt.Errorf("%s: no text in %s", prefix, strings.Join(missing, ", "))
}

func (r row) optInt(col string) (*int, error) {
	if r[col] == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(r[col])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", col, err)
	}
	return &n, nil
}

func readCSV(name string, each func(row) error) error {
	f, err := files.Open("data/" + name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		cells := make(row, len(header))
		for i, h := range header {
			cells[h] = rec[i]
		}
		if err := each(cells); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

func jurisdiction(s string) (model.Jurisdiction, error) {
	code, err := model.JurisdictionVocabulary.Parse(s)
	return model.Jurisdiction(code), err
}

func (d *Data) addRegion(r row) error {
	j, err := jurisdiction(r["jurisdiction"])
	if err != nil {
		return err
	}
	kind, err := model.RegionKindVocabulary.Parse(r["kind"])
	if err != nil {
		return err
	}
	pop, err := r.optInt("population")
	if err != nil {
		return err
	}
	created, err := r.optInt("created")
	if err != nil {
		return err
	}
	names, err := r.labels("name", true)
	if err != nil {
		return err
	}
	d.Regions = append(d.Regions, model.Region{
		Code: r["code"], Jurisdiction: j, Kind: model.RegionKind(kind),
		Names:      names,
		Seat:       r["capital_en"],
		Population: pop, PopulationDate: r.opt("population_date"), PopulationSource: r.opt("population_source"),
		CreatedYear: created,
	})
	return nil
}

// populationMeasures maps the measures of population.csv to model's.
var populationMeasures = map[string]string{
	"average_annual": model.PopulationAverageAnnual,
	"point":          model.PopulationPoint,
	"census":         model.PopulationCensus,
}

// populationNotes are what the API says beside every figure of a country (ours, not the
// source's).
var populationNotes = map[model.Jurisdiction]model.Labels{
	model.JurisdictionKG: {
		EN: "Secondary figure: the National Statistical Committee's, as cited by Wikipedia or the press, " +
			"not read from the Committee's own tables. It predates the 2024 reform that enlarged Bishkek and other cities, " +
			"and rates of later years are divided by it.",
		RU: "Вторичные данные: цифра Национального статистического комитета в изложении Википедии или прессы, " +
			"а не из собственных таблиц комитета. Она относится ко времени до реформы 2024 года, расширившей Бишкек " +
			"и другие города, и на неё делятся показатели последующих лет.",
		KK: "Қайталама дерек: Ұлттық статистика комитетінің көрсеткіші Википедия немесе баспасөз арқылы алынған, " +
			"комитеттің өз кестелерінен оқылмаған. Ол Бішкек пен басқа қалаларды кеңейткен 2024 жылғы реформадан бұрынғы, " +
			"кейінгі жылдардың көрсеткіштері де соған бөлінеді.",
		KY: "Экинчи даражадагы маалымат: Улуттук статистика комитетинин көрсөткүчү Википедия же басма сөз аркылуу алынган, " +
			"комитеттин өз таблицаларынан окулган эмес. Ал Бишкекти жана башка шаарларды кеңейткен 2024-жылдагы реформага " +
			"чейинки маалымат, кийинки жылдардын көрсөткүчтөрү да ага бөлүнөт.",
	},
}

// addPopulation reads a row of population.csv. Its code is a known region's or a
// jurisdiction's (the country's total); the year is the one the figure describes (as_of
// starts with it) and not before the region was created; the figure is positive; no code
// has two figures for a year.
func (d *Data) addPopulation(r row) error {
	code := r["code"]
	year, err := strconv.Atoi(r["year"])
	if err != nil {
		return fmt.Errorf("year: %w", err)
	}
	var j model.Jurisdiction
	if region := d.Region(code); region != nil {
		j = region.Jurisdiction
		if region.CreatedYear != nil && year < *region.CreatedYear {
			return fmt.Errorf("%s %d: the region was created in %d", code, year, *region.CreatedYear)
		}
	} else if c, err := jurisdiction(code); err == nil {
		j = c
	} else {
		return fmt.Errorf("code %q is neither a known region nor a jurisdiction", code)
	}
	value, err := strconv.ParseFloat(r["population"], 64)
	if err != nil {
		return fmt.Errorf("population: %w", err)
	}
	if !(value > 0) || math.IsInf(value, 0) {
		return fmt.Errorf("%s %d: population %v is not a positive number", code, year, value)
	}
	measure, ok := populationMeasures[r["measure"]]
	if !ok {
		return fmt.Errorf("%s %d: unknown measure %q", code, year, r["measure"])
	}
	if !strings.HasPrefix(r["as_of"], strconv.Itoa(year)) {
		return fmt.Errorf("%s %d: as_of %q is not of the year", code, year, r["as_of"])
	}
	if r["source"] == "" {
		return fmt.Errorf("%s %d: no source", code, year)
	}
	key := populationKey{code, year}
	if d.populationSeen[key] {
		return fmt.Errorf("%s %d: two figures for one year", code, year)
	}
	d.populationSeen[key] = true
	// The source in every language (TestTextsInEveryLanguage finds sources without).
	sources := d.populationSources[r["source"]]
	p := model.Population{Code: code, Jurisdiction: j, Year: year, Value: value, Measure: measure,
		AsOf: r["as_of"], Source: r["source"], Sources: sources}
	if notes, ok := populationNotes[j]; ok {
		note := notes.EN
		p.Note, p.Notes = &note, notes
	}
	d.Populations = append(d.Populations, p)
	return nil
}

// indexPopulations sorts the populations by code and year and gives every region its own.
func (d *Data) indexPopulations() {
	slices.SortFunc(d.Populations, func(a, b model.Population) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return a.Year - b.Year
	})
	d.populations = map[string][]model.Population{}
	for _, p := range d.Populations {
		d.populations[p.Code] = append(d.populations[p.Code], p)
	}
	for i := range d.Regions {
		d.Regions[i].Populations = append([]model.Population{}, d.populations[d.Regions[i].Code]...)
	}
}

// addPopulationSource reads a row of population_sources.csv: a source of population.csv
// (source_en, as written there) in every language.
func (d *Data) addPopulationSource(r row) error {
	l, err := r.labels("source", true)
	if err != nil {
		return err
	}
	d.populationSources[l.EN] = l
	return nil
}

// addSourceTitle reads a row of source_titles.csv: the title of a source of
// official_figures.csv or index_units.csv (title_en, as written there) in every language.
func (d *Data) addSourceTitle(r row) error {
	l, err := r.labels("title", true)
	if err != nil {
		return err
	}
	d.sourceTitles[l.EN] = l
	return nil
}

// source is the source of a row: its title (in every language, from source_titles.csv) and URL.
func (d *Data) source(r row) model.Source {
	return model.Source{Title: r["source_title"], Titles: d.sourceTitles[r["source_title"]], URL: r.opt("source_url")}
}

// addCode reads a row of codes.csv: a code of law, its prefix, abbreviation and name.
func (d *Data) addCode(r row) error {
	j, err := jurisdiction(r["jurisdiction"])
	if err != nil {
		return err
	}
	c := model.Code{Jurisdiction: j, Prefix: r["prefix"]}
	if c.Abbrs, err = r.labels("abbr", true); err != nil {
		return err
	}
	if c.Names, err = r.labels("name", true); err != nil {
		return err
	}
	if c.Prefix == "" || d.codeByPrefix(j, c.Prefix) != nil {
		return fmt.Errorf("%s: empty or repeated prefix %q", j, c.Prefix)
	}
	d.Codes = append(d.Codes, c)
	return nil
}

func (d *Data) codeByPrefix(j model.Jurisdiction, prefix string) *model.Code {
	for i := range d.Codes {
		if c := &d.Codes[i]; c.Prefix == prefix && (j == "" || c.Jurisdiction == j) {
			return c
		}
	}
	return nil
}

// CodeOf returns the code of law an article's code ("CAO 456-2") belongs to, nil when its
// prefix is unknown. With no jurisdiction, the first code of that prefix.
func (d *Data) CodeOf(j model.Jurisdiction, articleCode string) *model.Code {
	prefix, _, ok := model.SplitArticleCode(articleCode)
	if !ok {
		return nil
	}
	return d.codeByPrefix(j, prefix)
}

// ArticleLabel writes an article's code as lang's legal usage does: "CAO 456-2" is
// "КоАП 456-2" in Russian and "ӘҚБтК 456-2" in Kazakh. A code of an unknown code of law
// stays as it is.
func (d *Data) ArticleLabel(j model.Jurisdiction, articleCode string, lang model.Lang) string {
	c := d.CodeOf(j, articleCode)
	if c == nil {
		return articleCode
	}
	_, number, _ := model.SplitArticleCode(articleCode)
	return c.Abbrs.In(lang) + " " + number
}

func (d *Data) addArticle(r row) error {
	j, err := jurisdiction(r["jurisdiction"])
	if err != nil {
		return err
	}
	liability, err := model.LiabilityVocabulary.Parse(r["liability"])
	if err != nil {
		return err
	}
	category, err := model.ContentCategoryVocabulary.Parse(r["category"])
	if err != nil {
		return err
	}
	c := model.ContentCategory(category)
	a := model.Article{Code: r["code"], Jurisdiction: j, Liability: model.Liability(liability), Category: &c, Listed: true}
	if a.Titles, err = r.labels("title", true); err != nil {
		return err
	}
	if a.Penalties, err = r.labels("penalties", false); err != nil {
		return err
	}
	if a.Verification, err = r.labels("verification", true); err != nil {
		return err
	}
	d.Articles = append(d.Articles, a)
	return nil
}

func (d *Data) addIndexUnit(r row) error {
	j, err := jurisdiction(r["jurisdiction"])
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r["year"])
	if err != nil {
		return fmt.Errorf("year: %w", err)
	}
	value, err := strconv.Atoi(r["value"])
	if err != nil {
		return fmt.Errorf("value: %w", err)
	}
	d.IndexUnits = append(d.IndexUnits, model.IndexUnit{
		Jurisdiction: j, Year: year, Unit: r["unit"], Value: value, Currency: r["currency"],
		Source: d.source(r),
	})
	return nil
}

func (d *Data) addOfficialFigure(r row) error {
	j, err := jurisdiction(r["jurisdiction"])
	if err != nil {
		return err
	}
	value, err := strconv.ParseFloat(r["value"], 64)
	if err != nil {
		return fmt.Errorf("value: %w", err)
	}
	definition, err := r.labels("definition", true)
	if err != nil {
		return err
	}
	verified, err := r.labels("verified", true)
	if err != nil {
		return err
	}
	d.OfficialFigures = append(d.OfficialFigures, model.OfficialFigure{
		Jurisdiction: j, Metric: r["metric"], PeriodStart: r["period_start"], PeriodEnd: r["period_end"],
		Value: value, Unit: r["unit"], Definition: definition,
		Source:   d.source(r),
		Verified: verified,
	})
	return nil
}

// Filter returns the items of a jurisdiction, all when j is empty.
func Filter[T any](items []T, j model.Jurisdiction, of func(*T) model.Jurisdiction) []T {
	if j == "" {
		return items
	}
	return slices.DeleteFunc(slices.Clone(items), func(t T) bool { return of(&t) != j })
}

// Article returns the reference article of j with that code, nil when it is not listed.
func (d *Data) Article(j model.Jurisdiction, code string) *model.Article {
	for i := range d.Articles {
		if a := &d.Articles[i]; a.Jurisdiction == j && a.Code == code {
			return a
		}
	}
	return nil
}

// FineBandEdges are the bounds, in index units, of the bands a fine is published in by the
// case-level view (model.FineBand): up to 10, 10–20, …, 1000–2000, 2000+. They follow the
// fines the laws set (docs/design.md §7): 10 to 50 units for minor offences, 100 to 700 for
// libel, 200 and 650 RP in Kyrgyzstan, 500 to 5,000 for criminal fines.
var FineBandEdges = []int{10, 20, 50, 100, 200, 500, 1000, 2000}

// FineBand returns the band of a fine of amount (currency) of jurisdiction j, in index units
// of the year of date (YYYY-MM-DD or at least YYYY); nil when that unit is not known.
func (d *Data) FineBand(j model.Jurisdiction, date string, amount int64) *model.FineBand {
	year := 0
	for i := 0; i < len(date) && i < 4; i++ {
		year = year*10 + int(date[i]-'0')
	}
	u := d.IndexUnit(j, year)
	if u == nil || u.Value <= 0 {
		return nil
	}
	b := &model.FineBand{IndexUnit: u.Unit}
	for _, e := range FineBandEdges {
		// amount/value <= e, in integers: a fine of exactly e units is in the band below e.
		if amount <= int64(e)*int64(u.Value) {
			to := e
			b.To = &to
			return b
		}
		b.From = e
	}
	return b
}
