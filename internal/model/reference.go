package model

// Region is a first-level administrative unit (ISO 3166-2).
type Region struct {
	Code         string
	Jurisdiction Jurisdiction
	Kind         RegionKind
	// Names are the unit's names in each language (imports may use any of them).
	Names            Labels
	Seat             string
	Population       *int
	PopulationDate   *string
	PopulationSource *string
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
	Title string
	URL   *string
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
