package model

import (
	"fmt"
	"strings"
)

// The case-level view (docs/design.md §6) publishes dates by quarter ("2024-Q2"), a fine as
// a band of index units, and neither the defendant's age band nor gender. Generalisation
// (privacy.Generalize) then coarsens or withholds more, case by case, so that every
// published combination within a jurisdiction and year of report is shared by at least k
// cases; Case.generalized names what it coarsened or withheld.

// The names of Case.generalized, in the order generalisation applies them (after the two
// that are always withheld).
const (
	// GeneralizedAgeBand and GeneralizedGender are withheld from every case: they stay in
	// statistics only.
	GeneralizedAgeBand = "defendant.ageBand"
	GeneralizedGender  = "defendant.gender"
	GeneralizedKind    = "defendant.kind"
	GeneralizedRegion  = "region"
	// GeneralizedDates: every date of the case is published by year only.
	GeneralizedDates    = "dates"
	GeneralizedPlatform = "platform"
	// GeneralizedFine: the fine band, of the first instance and of the appeals, is withheld.
	GeneralizedFine    = "outcome.fine"
	GeneralizedArticle = "article"
	// GeneralizedAppeals: the appeals, their place in the timeline and the appeal status
	// are withheld, and so is the sanction.
	GeneralizedAppeals  = "appeals"
	GeneralizedSanction = "outcome.sanction"
	GeneralizedCategory = "category"
	// GeneralizedCase marks a case still in too small a group after every step: it is left
	// out of the case-level view altogether (no answer, list or export shows it), though
	// statistics still count it.
	GeneralizedCase = "case"
)

// FineBand is a band of index units a fine is published as. Over is nil for the last,
// open band; a fine of exactly To units is in the band (From, To].
type FineBand struct {
	// From and To are in index units; To is nil for the open band.
	From int
	To   *int
	// IndexUnit is MCI or RP.
	IndexUnit string
}

// Label is e.g. "up to 10 MCI", "10–20 MCI", "2000+ MCI".
func (b FineBand) Label() string {
	switch {
	case b.To == nil:
		return fmt.Sprintf("%d+ %s", b.From, b.IndexUnit)
	case b.From == 0:
		return fmt.Sprintf("up to %d %s", *b.To, b.IndexUnit)
	}
	return fmt.Sprintf("%d–%d %s", b.From, *b.To, b.IndexUnit)
}

// fineBandWords are the words of a band's label per language ({0} from, {1} to, {2} unit)
// and the index units as each language abbreviates them.
var fineBandWords = map[Lang]struct{ upTo, rng, over, mci, rp string }{
	LangKK: {"%[2]d %[3]s-ке дейін", "%[1]d–%[2]d %[3]s", "%[1]d %[3]s-тен жоғары", "АЕК", "ЕК"},
	LangKY: {"эң көп %[2]d %[3]s", "%[1]d–%[2]d %[3]s", "%[1]d %[3]s ашуун", "АЭК", "ЭК"},
	LangRU: {"до %[2]d %[3]s", "%[1]d–%[2]d %[3]s", "свыше %[1]d %[3]s", "МРП", "РП"},
	LangEN: {"up to %[2]d %[3]s", "%[1]d–%[2]d %[3]s", "over %[1]d %[3]s", "MCI", "RP"},
}

// LabelIn is the band's label in lang, as the portal writes it: "до 10 МРП", "10–20 АЕК".
func (b FineBand) LabelIn(lang Lang) string {
	w, ok := fineBandWords[lang]
	if !ok {
		return b.Label()
	}
	unit := b.IndexUnit
	switch unit {
	case "MCI":
		unit = w.mci
	case "RP":
		unit = w.rp
	}
	switch {
	case b.To == nil:
		return fmt.Sprintf(w.over, b.From, 0, unit)
	case b.From == 0:
		return fmt.Sprintf(w.upTo, b.From, *b.To, unit)
	}
	return fmt.Sprintf(w.rng, b.From, *b.To, unit)
}

// FineBander gives the band of a fine of amount (currency) in jurisdiction j decided on
// date (YYYY-MM-DD: the index unit of its year), nil when the unit of that year is not known.
// reference.Data.FineBand is the one the server uses.
type FineBander func(j Jurisdiction, date string, amount int64) *FineBand

// Quarter cuts a "YYYY-MM-DD" date to the quarter the case-level view publishes, "2024-Q2".
func Quarter(date string) string {
	if len(date) < 7 {
		return date
	}
	m := int(date[5]-'0')*10 + int(date[6]-'0')
	return fmt.Sprintf("%s-Q%d", date[:4], (m+2)/3)
}

// Year cuts a date to its year, "2024".
func Year(date string) string {
	if len(date) < 4 {
		return date
	}
	return date[:4]
}

// View is the case-level view of a case: the case with every date replaced by its published
// period, the withheld fields blanked and the fines replaced by their bands (FineBand);
// Withheld reports a case left out of the view altogether (nothing of it may be shown).
type View struct {
	Case     Case
	Appeals  []Appeal
	Withheld bool
}

// Withheld reports whether the case is left out of the case-level view.
func (c *Case) Withheld() bool { return c.generalized().has(GeneralizedCase) }

// generalized returns the fields c.Generalized names, and the two the view always withholds.
func (c *Case) generalized() generalizedFields { return generalizedOf(c.Generalized) }

// generalizedFields is the set of fields a Case.Generalized names, one bit each. Every case
// of every page is viewed through it, a dozen questions each: the names are read once.
type generalizedFields uint16

// generalizedOf reads a Case.Generalized (names separated by commas); names it does not
// know are left out.
func generalizedOf(generalized string) generalizedFields {
	g := generalizedBit(GeneralizedAgeBand) | generalizedBit(GeneralizedGender)
	for rest := generalized; rest != ""; {
		var f string
		f, rest, _ = strings.Cut(rest, ",")
		g |= generalizedBit(f)
	}
	return g
}

// generalizedBit is the bit of a field name, 0 for a name that is none of them.
func generalizedBit(name string) generalizedFields {
	switch name {
	case GeneralizedAgeBand:
		return 1 << 0
	case GeneralizedGender:
		return 1 << 1
	case GeneralizedKind:
		return 1 << 2
	case GeneralizedRegion:
		return 1 << 3
	case GeneralizedDates:
		return 1 << 4
	case GeneralizedPlatform:
		return 1 << 5
	case GeneralizedFine:
		return 1 << 6
	case GeneralizedArticle:
		return 1 << 7
	case GeneralizedAppeals:
		return 1 << 8
	case GeneralizedSanction:
		return 1 << 9
	case GeneralizedCategory:
		return 1 << 10
	case GeneralizedCase:
		return 1 << 11
	}
	return 0
}

// has reports whether the field name is generalised: named, or one of the two the view
// always withholds.
func (g generalizedFields) has(name string) bool {
	b := generalizedBit(name)
	return b != 0 && g&b != 0
}

// PublishedView returns what the case-level view shows of c (as stored) and its appeals,
// under the fields c.Generalized names and the base view (quarters, fine bands, no age band
// or gender). Every public answer about one case (the API, the exports) and generalisation
// itself go through it, so what is checked for k-anonymity is what is shown.
func (c *Case) PublishedView(appeals []Appeal, band FineBander) View {
	w := c.generalized()
	v := View{Case: *c, Withheld: w.has(GeneralizedCase)}
	p := &v.Case
	period := periodOf(w)
	at := func(d *string) *string {
		if d == nil {
			return nil
		}
		s := period(*d)
		return &s
	}
	p.FineBand = fineBand(w, band, c.Jurisdiction, c.FineAmount, firstDate(c.CourtOn, &c.ReportedOn))
	p.FineAmount = nil
	p.AgeBand, p.DefendantGender = nil, nil
	if w.has(GeneralizedKind) {
		p.DefendantKind = nil
	}
	if w.has(GeneralizedRegion) {
		p.RegionCode = nil
	}
	if w.has(GeneralizedPlatform) {
		p.Platform = ""
	}
	if w.has(GeneralizedArticle) {
		p.ArticleCode = nil
	}
	if w.has(GeneralizedSanction) || w.has(GeneralizedAppeals) {
		p.Sanction = nil
	}
	if w.has(GeneralizedAppeals) {
		p.AppealStatus = nil
	}
	if w.has(GeneralizedCategory) {
		p.Category = ""
	}
	p.ReportedOn = period(c.ReportedOn)
	p.ExpertOn, p.CaseOpenedOn, p.ProsecutorOn, p.CourtOn = at(c.ExpertOn), at(c.CaseOpenedOn), at(c.ProsecutorOn), at(c.CourtOn)
	v.Appeals = c.PublishedAppeals(appeals, band)
	return v
}

// PublishedAppeals returns what the case-level view shows of the appeals (as stored) of
// c, which may be the stored case or its view (only its jurisdiction, year of report and
// Generalized are read): nil when the view withholds them.
func (c *Case) PublishedAppeals(appeals []Appeal, band FineBander) []Appeal {
	w := c.generalized()
	if w.has(GeneralizedAppeals) || w.has(GeneralizedCase) {
		return nil
	}
	period := periodOf(w)
	at := func(d *string) *string {
		if d == nil {
			return nil
		}
		s := period(*d)
		return &s
	}
	out := make([]Appeal, 0, len(appeals))
	for _, a := range appeals {
		a.FineBand = fineBand(w, band, c.Jurisdiction, a.FineAmount, firstDate(a.DecidedOn, a.FiledOn, &c.ReportedOn))
		a.FiledOn, a.DecidedOn, a.FineAmount = at(a.FiledOn), at(a.DecidedOn), nil
		out = append(out, a)
	}
	return out
}

func periodOf(w generalizedFields) func(string) string {
	if w.has(GeneralizedDates) {
		return Year
	}
	return Quarter
}

// fineBand is the band of a fine the view publishes, nil when it withholds it. date gives
// the year of the index unit (its first four characters).
func fineBand(w generalizedFields, band FineBander, j Jurisdiction, amount *int64, date *string) *FineBand {
	if amount == nil || band == nil || w.has(GeneralizedFine) || w.has(GeneralizedSanction) || w.has(GeneralizedAppeals) {
		return nil
	}
	return band(j, *date, *amount)
}

func firstDate(dates ...*string) *string {
	for _, d := range dates {
		if d != nil {
			return d
		}
	}
	return nil
}

// Key encodes everything the view publishes of a case that an outsider could know (all but
// its reference, summary and releases): two cases with the same key look alike in the
// case-level view. Withheld and unknown values differ ("-" and "").
func (v *View) Key() string {
	var b strings.Builder
	c := &v.Case
	val := func(s string) { b.WriteString(s); b.WriteByte('|') }
	opt := func(s *string) {
		if s != nil {
			b.WriteString(*s)
		}
		b.WriteByte('|')
	}
	band := func(f *FineBand) {
		if f != nil {
			b.WriteString(f.Label())
		}
		b.WriteByte('|')
	}
	// The list of what was generalised is published too, so it tells null apart from
	// withheld.
	val(c.Generalized)
	val(string(c.Jurisdiction))
	opt(c.RegionCode)
	val(string(c.Category))
	val(string(c.Concern))
	val(string(c.Platform))
	opt(c.ArticleCode)
	val(string(c.Liability))
	val(string(c.Stage))
	opt((*string)(c.DefendantKind))
	val(c.ReportedOn)
	opt((*string)(c.ExpertConclusion))
	opt(c.ExpertOn)
	opt(c.CaseOpenedOn)
	opt((*string)(c.ProsecutorDecision))
	opt(c.ProsecutorOn)
	opt((*string)(c.CourtDecision))
	opt(c.CourtOn)
	opt((*string)(c.Sanction))
	band(c.FineBand)
	opt((*string)(c.AppealStatus))
	for _, a := range v.Appeals {
		val(string(a.Level))
		opt((*string)(a.FiledBy))
		opt(a.FiledOn)
		val(string(a.Status))
		opt(a.DecidedOn)
		band(a.FineBand)
	}
	return b.String()
}
