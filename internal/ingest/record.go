package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// converter checks raw rows and turns them into the records the store keeps. This is
// where direct identifiers end: the defendant's name, IIN, birth date, phone and address
// are read here, used for the pseudonym, the age band and the redaction of the excerpt,
// and dropped.
type converter struct {
	ref  *reference.Data
	keys *privacy.Keys
}

// row checks collect every problem of a row, so one pass reports them all. Messages never
// repeat the value they reject: a shifted column could put a name or a birth date there, and
// the line and column already point at it.
type rowCheck struct {
	row    *rawRow
	issues []Issue
}

func (c *rowCheck) fail(cl cell, format string, args ...any) {
	c.issues = append(c.issues, Issue{Line: c.row.line, Column: cl.column, Message: fmt.Sprintf(format, args...)})
}

// text returns a column's trimmed value, checking its encoding and length.
func (c *rowCheck) text(name string, max int) (string, cell) {
	cl := c.row.get(name)
	if !utf8.ValidString(cl.value) {
		c.fail(cl, "%s is not valid UTF-8", name)
		return "", cl
	}
	v := strings.TrimSpace(cl.value)
	if len(v) > max {
		c.fail(cl, "%s is %d bytes long; at most %d are allowed", name, len(v), max)
		return "", cl
	}
	return v, cl
}

func (c *rowCheck) required(name string) string {
	cl := c.row.get(name)
	if strings.TrimSpace(cl.value) == "" {
		c.fail(cl, "%s is required", name)
		return ""
	}
	v, _ := c.text(name, maxShortField)
	return v
}

func (c *rowCheck) requiredCode(name string, vocab *model.Vocabulary) string {
	if c.required(name) == "" {
		return ""
	}
	if code := c.code(name, vocab); code != nil {
		return *code
	}
	return ""
}

func (c *rowCheck) number(name string) *float64 {
	v, cl := c.text(name, maxShortField)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f {
		c.fail(cl, "%s is not a non-negative number", name)
		return nil
	}
	return &f
}

// code parses an optional lower-case code of an enumeration.
func (c *rowCheck) code(name string, vocab *model.Vocabulary) *string {
	v, cl := c.text(name, maxShortField)
	if v == "" {
		return nil
	}
	code, err := vocab.Parse(v)
	if err != nil {
		c.fail(cl, "%s is not a known code; use one of %s", name, strings.ToLower(strings.Join(vocab.Codes(), ", ")))
		return nil
	}
	return &code
}

// date reads a date of the case's road, between model.EarliestDate and LatestDate.
func (c *rowCheck) date(name string) *string {
	return c.dateBetween(name, model.EarliestDate, model.LatestDate)
}

func (c *rowCheck) dateBetween(name, earliest, latest string) *string {
	v, cl := c.text(name, maxShortField)
	if v == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil || len(v) != 10 {
		c.fail(cl, "%s is not a date; write YYYY-MM-DD", name)
		return nil
	}
	if v < earliest || v > latest {
		c.fail(cl, "%s is outside %s to %s", name, earliest, latest)
		return nil
	}
	return &v
}

func (c *rowCheck) amount(name string) *int64 {
	v, cl := c.text(name, maxShortField)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		c.fail(cl, "%s is not a whole amount of money", name)
		return nil
	}
	if n < 0 {
		c.fail(cl, "%s: %d is negative", name, n)
		return nil
	}
	return &n
}

var articlePattern = regexp.MustCompile(`^([A-Za-z]{2,4}) ([0-9]{1,4}(?:-[0-9]{1,2})?)$`)

// convert checks one row. It returns the record and warnings, or the row's issues.
func (cv *converter) convert(row *rawRow) convertedRow {
	c := &rowCheck{row: row}
	var warnings []Issue
	var regionName *regionNameUse
	var unknownName *unknownRegionName
	rec := &store.CaseRecord{}
	cs := &rec.Case

	sourceID := c.required("source_id")
	cs.Jurisdiction = model.Jurisdiction(c.requiredCode("jurisdiction", model.JurisdictionVocabulary))
	if c.required("reported_on") != "" {
		if d := c.date("reported_on"); d != nil {
			cs.ReportedOn = *d
		}
	}
	cs.Platform = model.Platform(c.requiredCode("platform", model.PlatformVocabulary))
	cs.Category = model.ContentCategory(c.requiredCode("content_category", model.ContentCategoryVocabulary))
	cs.Concern = cs.Category.Concern()

	// Region: an ISO code or a name, as it was when the content was reported. A name that
	// is not exactly one region's is refused, never guessed (see reference.LookupRegion).
	if name, cl := c.text("region", maxShortField); name != "" && cs.Jurisdiction != "" {
		m, ok := cv.ref.LookupRegion(cs.Jurisdiction, name)
		switch {
		case !ok:
			// Which regions are near is looked up only for the issues listed (see Import):
			// a file with a shifted column may have a million of these.
			unknownName = &unknownRegionName{issue: len(c.issues), jurisdiction: cs.Jurisdiction, value: name}
			c.fail(cl, "%s", unknownRegion(cs.Jurisdiction, name, nil))
		case m.Region.CreatedYear != nil && cs.ReportedOn != "" && cs.ReportedOn[:4] < strconv.Itoa(*m.Region.CreatedYear):
			c.fail(cl, "region: %s was created in %d, after this report; give the region as it was at the time", m.Region.Code, *m.Region.CreatedYear)
		default:
			cs.RegionCode = &m.Region.Code
			if m.ByName {
				regionName = &regionNameUse{written: name, match: m}
			}
		}
	}

	cs.ExpertConclusion = (*model.ExpertConclusion)(c.code("expert_conclusion", model.ExpertConclusionVocabulary))
	cs.ExpertOn = c.date("expert_on")
	cs.CaseOpenedOn = c.date("case_opened_on")
	cs.ProsecutorDecision = (*model.ProsecutorDecision)(c.code("prosecutor_decision", model.ProsecutorDecisionVocabulary))
	cs.ProsecutorOn = c.date("prosecutor_on")
	cs.CourtDecision = (*model.Decision)(c.code("court_decision", model.DecisionVocabulary))
	cs.CourtOn = c.date("court_on")
	cs.Sanction = (*model.Sanction)(c.code("sanction", model.SanctionVocabulary))
	cs.FineAmount = c.amount("fine_amount")
	if units := c.number("fine_index_units"); units != nil && cs.FineAmount == nil {
		cv.fineFromUnits(c, cs, *units)
	}
	cs.DefendantKind = (*model.DefendantKind)(c.code("defendant_kind", model.DefendantKindVocabulary))
	cs.DefendantGender = (*model.Gender)(c.code("defendant_gender", model.GenderVocabulary))

	// The article decides the liability; one not in the reference list is accepted, since
	// codes change, and listed with a warning.
	var newArticle *model.Article
	cs.Liability = model.LiabilityAdministrative
	if cs.ExpertConclusion != nil && *cs.ExpertConclusion == model.ExpertConclusionCriminalOffense {
		cs.Liability = model.LiabilityCriminal
	}
	if text, cl := c.text("article", maxShortField); text != "" {
		m := articlePattern.FindStringSubmatch(strings.Join(strings.Fields(text), " "))
		if m == nil {
			c.fail(cl, "article is not CODE NUMBER, e.g. \"CAO 456-2\" or \"CC 274\"")
		} else {
			code := strings.ToUpper(m[1])
			if code == "COO" {
				code = "CoO"
			}
			code += " " + m[2]
			cs.ArticleCode = &code
			if a := cv.ref.Article(cs.Jurisdiction, code); a != nil {
				cs.Liability = a.Liability
			} else if cs.Jurisdiction != "" {
				if strings.HasPrefix(code, "CC ") {
					cs.Liability = model.LiabilityCriminal
				}
				newArticle = &model.Article{Jurisdiction: cs.Jurisdiction, Code: code, Liability: cs.Liability}
				warnings = append(warnings, Issue{Line: row.line, Column: cl.column,
					Message: fmt.Sprintf("article %q is not in the reference list; it is accepted and listed as unverified", code)})
			}
		}
	}

	rec.Appeals = append(rec.Appeals, cv.appeal(c, model.AppealLevelAppeal, "appeal_")...)
	rec.Appeals = append(rec.Appeals, cv.appeal(c, model.AppealLevelCassation, "cassation_")...)

	// The defendant's identifiers: read, used, never kept.
	name, _ := c.text("defendant_name", maxShortField)
	iin, iinCell := c.text("defendant_iin", maxShortField)
	birth := c.dateBetween("defendant_birth_date", "1900-01-01", model.LatestDate)
	c.text("defendant_address", maxShortField)
	if iin != "" && !privacy.ValidIIN(digits(iin)) && !privacy.ValidKGPIN(digits(iin)) {
		c.fail(iinCell, "defendant_iin is neither a valid IIN (12 digits with its checksum) nor a Kyrgyz PIN (14 digits)")
	}
	birthDate := ""
	if birth != nil {
		birthDate = *birth
	}
	if p, ok := cv.keys.Pseudonym(digits(iin), name, birthDate); ok {
		rec.Pseudonym = &p
	}
	if birth != nil {
		at := cs.ReportedOn
		if cs.CourtOn != nil {
			at = *cs.CourtOn
		}
		if band, ok := privacy.AgeBand(*birth, at); ok {
			b := model.AgeBand(band)
			cs.AgeBand = &b
		}
	}
	phone, _ := c.text("defendant_phone", maxShortField)
	// A quote of the content can be found with a search engine, and names its author: a
	// summary is published only once a court has held the defendant liable at first
	// instance (a public proceeding). Otherwise the case keeps its category and no text,
	// and no search finds it by the words.
	if excerpt, _ := c.text("content_excerpt", maxFieldBytes); excerpt != "" && model.PublishesSummary(cs) {
		if summary, ok := privacy.Redact(excerpt, name); ok && !leaksNumber(summary, iin, phone) {
			cs.Summary = &summary
			// Folded here, on the converting goroutine, rather than by the store's writer.
			rec.SearchText = store.SearchText(cs.Summary)
		}
	}

	cv.checkConsistency(c, rec)
	if len(c.issues) > 0 {
		return convertedRow{warnings: warnings, issues: c.issues, unknownRegion: unknownName}
	}
	rec.SourceKey = cv.keys.SourceKey(cs.Jurisdiction, sourceID)
	cs.Stage = cs.DeriveStage(rec.Appeals)
	if n := len(rec.Appeals); n > 0 {
		st := rec.Appeals[n-1].Status
		cs.AppealStatus = &st
	}
	rec.Line = row.line
	return convertedRow{rec: rec, article: newArticle, regionName: regionName, warnings: warnings}
}

// fineFromUnits sets a fine given only in index units, at the unit's value in the year of
// the decision.
func (cv *converter) fineFromUnits(c *rowCheck, cs *model.Case, units float64) {
	date := cs.ReportedOn
	if cs.CourtOn != nil {
		date = *cs.CourtOn
	}
	year, _ := strconv.Atoi(date[:min(4, len(date))])
	u := cv.ref.IndexUnit(cs.Jurisdiction, year)
	if u == nil {
		c.fail(c.row.get("fine_index_units"), "fine_index_units: the value of %s's index unit in %d is not known; give fine_amount in %s", cs.Jurisdiction, year, cs.Jurisdiction.Currency())
		return
	}
	amount := int64(units*float64(u.Value) + 0.5)
	cs.FineAmount = &amount
}

// appeal reads the columns of one appeal level; none when they are all empty.
func (cv *converter) appeal(c *rowCheck, level model.AppealLevel, prefix string) []model.Appeal {
	a := model.Appeal{
		Level:      level,
		FiledBy:    (*model.AppealParty)(c.code(prefix+"filed_by", model.AppealPartyVocabulary)),
		FiledOn:    c.date(prefix + "filed_on"),
		DecidedOn:  c.date(prefix + "decided_on"),
		FineAmount: c.amount(prefix + "fine_amount"),
	}
	status := c.code(prefix+"status", model.AppealStatusVocabulary)
	if status == nil && a.FiledBy == nil && a.FiledOn == nil && a.DecidedOn == nil && a.FineAmount == nil {
		return nil
	}
	if status == nil {
		c.fail(c.row.get(prefix+"status"), "%sstatus is required when the %s is given", prefix, strings.TrimSuffix(prefix, "_"))
		return nil
	}
	a.Status = model.AppealStatus(*status)
	if a.Status != model.AppealStatusPending && a.DecidedOn == nil {
		c.fail(c.row.get(prefix+"decided_on"), "%sdecided_on is required when the status is %s", prefix, strings.ToLower(*status))
	}
	return []model.Appeal{a}
}

// checkConsistency rejects records whose steps contradict each other.
func (cv *converter) checkConsistency(c *rowCheck, rec *store.CaseRecord) {
	cs := &rec.Case
	// Dates along the pipeline never go backwards.
	type step struct {
		name string
		date *string
	}
	steps := []step{
		{"reported_on", &cs.ReportedOn}, {"expert_on", cs.ExpertOn}, {"case_opened_on", cs.CaseOpenedOn},
		{"prosecutor_on", cs.ProsecutorOn}, {"court_on", cs.CourtOn},
	}
	for _, a := range rec.Appeals {
		p := strings.ToLower(string(a.Level)) + "_"
		steps = append(steps, step{p + "filed_on", a.FiledOn}, step{p + "decided_on", a.DecidedOn})
	}
	prev, prevName := "", ""
	for _, s := range steps {
		if s.date == nil || *s.date == "" {
			continue
		}
		if *s.date < prev {
			c.fail(c.row.get(s.name), "%s (%s) is before %s (%s); dates must follow the pipeline", s.name, *s.date, prevName, prev)
		}
		prev, prevName = *s.date, s.name
	}
	pairs := []struct {
		decision    bool
		pending     bool
		date        *string
		name, date2 string
	}{
		{cs.ExpertConclusion != nil, false, cs.ExpertOn, "expert_conclusion", "expert_on"},
		{cs.ProsecutorDecision != nil, cs.ProsecutorDecision != nil && *cs.ProsecutorDecision == model.ProsecutorDecisionPending, cs.ProsecutorOn, "prosecutor_decision", "prosecutor_on"},
		{cs.CourtDecision != nil, cs.CourtDecision != nil && *cs.CourtDecision == model.DecisionPending, cs.CourtOn, "court_decision", "court_on"},
	}
	for _, p := range pairs {
		if p.decision && !p.pending && p.date == nil {
			c.fail(c.row.get(p.date2), "%s is required when %s is given", p.date2, p.name)
		}
	}
	if cs.FineAmount != nil && (cs.Sanction == nil || *cs.Sanction != model.SanctionFine) {
		c.fail(c.row.get("fine_amount"), "fine_amount is given but the sanction is not fine")
	}
	if cs.Sanction != nil && (cs.CourtDecision == nil || *cs.CourtDecision != model.DecisionLiable) {
		c.fail(c.row.get("sanction"), "a sanction needs court_decision liable")
	}
	if len(rec.Appeals) > 0 && (cs.CourtDecision == nil || *cs.CourtDecision == model.DecisionPending) {
		c.fail(c.row.get("appeal_status"), "an appeal needs a first-instance court decision")
	}
	if len(rec.Appeals) == 1 && rec.Appeals[0].Level == model.AppealLevelCassation {
		c.fail(c.row.get("cassation_status"), "a cassation needs the appeal before it")
	}
}

// leaksNumber is a last check on a redacted summary: when the digits of the row's own IIN or
// phone number still stand in it, in whatever spelling, no summary is published.
func leaksNumber(summary string, numbers ...string) bool {
	in := digits(summary)
	for _, n := range numbers {
		if d := digits(n); len(d) >= 6 && strings.Contains(in, d[len(d)-6:]) {
			return true
		}
	}
	return false
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func exampleRegion(j model.Jurisdiction) string {
	if j == model.JurisdictionKG {
		return "KG-GB"
	}
	return "KZ-75"
}

// unknownRegion says that a region value is none of j's, with the regions it is nearest to.
// The value is repeated only when it is that near a region's name and holds no digit: a
// value far from every name may be something else shifted into the column (a defendant's
// name, an address, an IIN), and messages never repeat those.
func unknownRegion(j model.Jurisdiction, value string, near []*model.Region) string {
	if len(near) == 0 {
		languages := "Kazakh, Russian or English"
		if j == model.JurisdictionKG {
			languages = "Kyrgyz, Russian, English or Kazakh"
		}
		return fmt.Sprintf("region is not a region of %s; use an ISO 3166-2 code such as %s or the region's name in %s", j, exampleRegion(j), languages)
	}
	names := make([]string, len(near))
	for i, r := range near {
		names[i] = r.Code + " " + r.Names.EN
	}
	candidates := names[0]
	if n := len(names); n > 1 {
		candidates = strings.Join(names[:n-1], ", ") + " or " + names[n-1]
	}
	// The value is never repeated: a surname or a street near a region's name ("Жамбылов",
	// "Абая") would be, were it a shifted column.
	return fmt.Sprintf("region is not known; did you mean %s?", candidates)
}
