package model

import "strings"

// Region is a first-level administrative unit (ISO 3166-2).
type Region struct {
	Code         string
	Jurisdiction Jurisdiction
	Kind         RegionKind
	// Names are the unit's names in each language (imports may use any of them).
	Names Labels
	Seat  string
	// Population is the latest point figure found (regions.csv), for reference only:
	// per-capita figures use Populations.
	Population       *int
	PopulationDate   *string
	PopulationSource *string
	// Populations are the region's figures per year (population.csv), by year.
	Populations []Population
	// CreatedYear is set for units created after 2000; they have no records before it.
	CreatedYear *int
}

// Article is a legal provision, e.g. "CAO 456-2".
type Article struct {
	Code         string       `db:"code"`
	Jurisdiction Jurisdiction `db:"jurisdiction"`
	Liability    Liability    `db:"liability"`
	// Category is the content category the provision usually concerns (used by the demo).
	Category *ContentCategory `db:"category"`
	// Titles is empty for articles first seen in an import and not yet described.
	Titles Labels
	// Penalties are the penalties as the law states them; empty when not summarised.
	Penalties Labels
	Listed    bool `db:"listed"`
	// Verification tells how far the wording and amounts have been checked.
	Verification Labels
}

// Title returns the article's title in lang, nil when it has none.
func (a *Article) Title(lang Lang) *string { return a.Titles.Opt(lang) }

// Source names where a figure comes from.
type Source struct {
	// Title is the English title; Titles has it in every language.
	Title  string
	Titles Labels
	URL    *string
}

// IndexUnit is the value of a monetary index unit (MCI, RP) in one year.
type IndexUnit struct {
	Jurisdiction Jurisdiction
	Year         int
	Unit         string
	Value        int
	Currency     string
	Source       Source
}

// OfficialFigure is a published enforcement figure with its source and definition.
type OfficialFigure struct {
	Jurisdiction Jurisdiction
	Metric       string
	PeriodStart  string
	PeriodEnd    string
	Value        float64
	Unit         string
	Definition   Labels
	Source       Source
	// Verified is "yes", "approximate" or what else is known about how firm the value is.
	Verified Labels
}

// Population is the population of a region, or of a whole country, in one year: the
// denominator of that year's per-capita figures (population.csv).
type Population struct {
	// Code is the region's ISO 3166-2 code, or the jurisdiction's for a country's total.
	Code         string
	Jurisdiction Jurisdiction
	Year         int
	// Value is the figure as published; an average annual population may end in .5.
	Value float64
	// Measure is what the figure is: PopulationAverageAnnual, PopulationPoint or
	// PopulationCensus.
	Measure string
	// AsOf is the year or the date (YYYY-MM-DD) the figure describes, as the source gives it.
	AsOf   string
	Source string
	// Sources is Source in every language (Source is its English text).
	Sources Labels
	// Note says what to keep in mind when comparing with other figures; nil when nothing.
	// It is Notes' English text.
	Note  *string
	Notes Labels
}

// Code is a code of law articles are brought under, e.g. Kazakhstan's Code of
// Administrative Offences (prefix CAO): its abbreviation and its name in every language.
type Code struct {
	Jurisdiction Jurisdiction
	// Prefix starts the codes of its articles: "CAO" of "CAO 456-2".
	Prefix string
	Abbrs  Labels
	Names  Labels
}

// The measures of a Population.
const (
	// PopulationAverageAnnual is the mean population over the year, what a statistics
	// office divides a yearly count by.
	PopulationAverageAnnual = "AVERAGE_ANNUAL"
	// PopulationPoint is an estimate at one date (AsOf).
	PopulationPoint = "POINT"
	// PopulationCensus is a census count.
	PopulationCensus = "CENSUS"
)

// SplitArticleCode splits an article's code ("CAO 456-2") into the code's prefix and the
// article's number; ok is false when it has no prefix.
func SplitArticleCode(code string) (prefix, number string, ok bool) {
	prefix, number, ok = strings.Cut(code, " ")
	if !ok || prefix == "" || number == "" {
		return "", code, false
	}
	return prefix, number, true
}
