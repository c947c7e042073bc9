package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// caseLevels is the relative number of cases per full year: enforcement grows every year.
// A year after the table keeps its last level.
var caseLevels = []struct{ year, level int }{
	{2023, 10}, {2024, 14}, {2025, 18}, {2026, 21},
}

func caseLevel(year int) int64 {
	level := caseLevels[len(caseLevels)-1].level
	for _, l := range caseLevels {
		if l.year == year {
			level = l.level
		}
	}
	return int64(level)
}

// Weekend reports, in percent of a weekday: the police register fewer on weekends.
const caseWeekendPercent = 40

// Percent of cases against a defendant who already has an earlier case.
const repeatPercent = 10

// Percent of cases with no region, and with no article although one would fit.
const (
	caseNoRegionPercent  = 3
	caseNoArticlePercent = 4
)

// articleFrom is the first report date on which the demo applies a provision. KG CoO 109-3
// is a 2025 draft (docs/design.md §7); the demo pretends it applies from October 2025, so earlier KG
// false-information cases have no article.
var articleFrom = map[articleKey]string{
	{model.JurisdictionKG, "CoO 109-3"}: "2025-10-01",
}

// defendant is one made-up person or organisation. Repeat cases reuse it, so one defendant
// keeps one jurisdiction, kind, gender, age band and home region. The fields are indexes
// into the code lists of tables.go (and region into the jurisdiction's region table) to
// keep a million of them small.
type defendant struct {
	jurisdiction, category, kind, gender, ageBand, region uint8
}

type caseGenerator struct {
	cal      *calendar
	rng      *rand.Rand
	seed     uint64
	perDay   []int
	regions  map[model.Jurisdiction]*table[string]
	articles map[articleChoice][]string
	// unitValue[j][year] is the value of one MCI or RP in currency.
	unitValue  map[model.Jurisdiction]map[int]int64
	defendants []defendant
	// references holds every reference drawn so far, packed as in reference.
	references map[uint64]struct{}
	// hashInput is reused to build the strings that source keys and pseudonyms hash.
	hashInput []byte
}

// articleChoice is what a case's article is chosen by.
type articleChoice struct {
	jurisdiction model.Jurisdiction
	category     model.ContentCategory
	liability    model.Liability
}

func newCaseGenerator(ref *reference.Data, cal *calendar, rng *rand.Rand, opts Options) (*caseGenerator, error) {
	g := &caseGenerator{cal: cal, rng: rng, seed: opts.Seed,
		regions:    map[model.Jurisdiction]*table[string]{},
		articles:   map[articleChoice][]string{},
		unitValue:  map[model.Jurisdiction]map[int]int64{},
		references: make(map[uint64]struct{}, opts.Cases),
	}
	lastYear := cal.days[cal.last()].year
	for _, j := range jurisdictions {
		t, err := regionTable(ref, j)
		if err != nil {
			return nil, err
		}
		if len(t.items) > 256 {
			return nil, fmt.Errorf("demo: %s has more regions than a defendant can hold", j)
		}
		g.regions[j] = t
		if g.unitValue[j], err = indexUnitValues(ref, j, lastYear); err != nil {
			return nil, err
		}
	}
	for _, a := range ref.Articles {
		if a.Category == nil {
			continue
		}
		k := articleChoice{a.Jurisdiction, *a.Category, a.Liability}
		g.articles[k] = append(g.articles[k], a.Code)
	}
	weights := make([]int64, len(cal.days))
	for d := range weights {
		weights[d] = caseLevel(cal.days[d].year) * dayWeight(rng, cal.days[d], caseWeekendPercent)
	}
	g.perDay = spread(opts.Cases, weights)
	return g, nil
}

// write adds the cases in report-date order, so case ids follow the report date.
func (g *caseGenerator) write(ctx context.Context, b *store.Batch) error {
	n := 0
	for d, count := range g.perDay {
		for range count {
			n++
			if err := b.AddCase(ctx, g.makeCase(n, d)); err != nil {
				return err
			}
		}
	}
	return nil
}

// makeCase makes case number n, reported on day d.
func (g *caseGenerator) makeCase(n, d int) *store.CaseRecord {
	r := g.rng
	who, repeat := g.defendant()
	p := &g.defendants[who]
	j := jurisdictions[p.jurisdiction]
	category := categories[p.category]
	kind := kinds[p.kind]
	c := model.Case{
		Reference:     g.reference(j, g.cal.days[d].year),
		Jurisdiction:  j,
		Category:      category,
		Concern:       category.Concern(),
		Platform:      platformsByGroup[groupOf(category)].pick(r),
		DefendantKind: &kind,
		ReportedOn:    g.cal.days[d].date,
	}
	if !chance(r, caseNoRegionPercent) {
		region := g.regions[j].items[p.region]
		c.RegionCode = &region
	}
	if gender := genders[p.gender]; gender != "" {
		c.DefendantGender = &gender
	}
	if age := ageBands[p.ageBand]; age != "" {
		c.AgeBand = &age
	}
	c.Liability, c.ArticleCode = g.article(j, category, d)
	c.Summary = summary(r, j, category, c.Platform)

	appeals := g.pipeline(&c, d, kind, repeat)
	if !model.PublishesSummary(&c) { // drawn above all the same: the rest of the data stays as it was
		c.Summary = nil
	}
	c.Stage = c.DeriveStage(appeals)
	if len(appeals) > 0 {
		status := appeals[len(appeals)-1].Status
		c.AppealStatus = &status
	}
	pseudonym := g.hash("demo-defendant-", who+1)
	return &store.CaseRecord{
		Case:      c,
		SourceKey: g.hash("demo-source-", n),
		Pseudonym: &pseudonym,
		Appeals:   appeals,
	}
}

// defendant returns the index of the case's defendant and whether they had a case before.
func (g *caseGenerator) defendant() (int, bool) {
	r := g.rng
	if len(g.defendants) > 0 && chance(r, repeatPercent) {
		return r.IntN(len(g.defendants)), true
	}
	j := caseJurisdictions.index(r)
	jurisdiction := jurisdictions[j]
	category := caseCategories[jurisdiction].index(r)
	kind := kindsByGroup[groupOf(categories[category])].index(r)
	var gender, age int
	switch kinds[kind] {
	case model.DefendantKindMediaOutlet, model.DefendantKindLegalEntity:
		// Organisations have neither.
	case model.DefendantKindUnknown:
		gender, age = unknownGenders.index(r), unknownAges.index(r)
	case model.DefendantKindJournalist, model.DefendantKindOfficial:
		gender, age = personGenders.index(r), adultAges.index(r)
	default:
		gender, age = personGenders.index(r), personAges.index(r)
	}
	g.defendants = append(g.defendants, defendant{
		jurisdiction: uint8(j), category: uint8(category), kind: uint8(kind),
		gender: uint8(gender), ageBand: uint8(age), region: uint8(g.regions[jurisdiction].index(r)),
	})
	return len(g.defendants) - 1, false
}

// article chooses the liability and the provision of a case reported on day d. When no
// provision of the reference list fits (or now and then, as in real records), the article
// is nil and the liability stands alone.
func (g *caseGenerator) article(j model.Jurisdiction, c model.ContentCategory, d int) (model.Liability, *string) {
	r := g.rng
	liability := model.LiabilityAdministrative
	if chance(r, criminalPercent[c]) {
		liability = model.LiabilityCriminal
	}
	var fits []string
	for _, code := range g.articles[articleChoice{j, c, liability}] {
		if from, ok := articleFrom[articleKey{j, code}]; !ok || g.cal.days[d].date >= from {
			fits = append(fits, code)
		}
	}
	if len(fits) == 0 || chance(r, caseNoArticlePercent) {
		return liability, nil
	}
	code := fits[r.IntN(len(fits))]
	return liability, &code
}

// pipeline moves a case reported on day d through expert review, the police, the
// prosecutor, the court, appeal and cassation. A step that would fall after the last day has
// not happened yet: the case stops there, still in progress. It returns the appeals.
func (g *caseGenerator) pipeline(c *model.Case, d int, kind model.DefendantKind, repeat bool) []model.Appeal {
	r, cal := g.rng, g.cal
	speech := groupOf(c.Category) == groupSpeech
	admin := c.Liability == model.LiabilityAdministrative

	// Expert review: linguistic analysis takes weeks.
	d = cal.workday(d + gap(r, 7, 21))
	if !cal.reached(d) {
		return nil
	}
	conclusion := model.ExpertConclusionAdministrativeOffense
	if !admin {
		conclusion = model.ExpertConclusionCriminalOffense
	}
	if noOffence := choose(speech, 18, 7); chance(r, noOffence) {
		// Two in three of these find no offence, the rest are inconclusive.
		conclusion = model.ExpertConclusionNoOffense
		if chance(r, 33) {
			conclusion = model.ExpertConclusionInconclusive
		}
	}
	c.ExpertConclusion, c.ExpertOn = &conclusion, cal.date(d)
	if conclusion == model.ExpertConclusionNoOffense || conclusion == model.ExpertConclusionInconclusive {
		return nil
	}

	// The police open an administrative protocol or a criminal case.
	d = cal.workday(d + gap(r, 1, 6))
	if !cal.reached(d) {
		return nil
	}
	c.CaseOpenedOn = cal.date(d)

	// Prosecutor review: quick for protocols, after an investigation for criminal cases.
	if admin {
		d = cal.workday(d + gap(r, 3, 12))
	} else {
		d = cal.workday(d + gap(r, 20, 60))
	}
	if !cal.reached(d) {
		pending := model.ProsecutorDecisionPending
		c.ProsecutorDecision = &pending
		return nil
	}
	decision := otherProsecutor.pick(r)
	if speech {
		decision = speechProsecutor.pick(r)
	}
	c.ProsecutorDecision, c.ProsecutorOn = &decision, cal.date(d)
	if decision != model.ProsecutorDecisionApproved {
		return nil
	}

	// First instance.
	if admin {
		d = cal.workday(d + gap(r, 7, 21))
	} else {
		d = cal.workday(d + gap(r, 25, 60))
	}
	if !cal.reached(d) {
		pending := model.DecisionPending
		c.CourtDecision = &pending
		return nil
	}
	verdict := criminalCourt.pick(r)
	if admin {
		verdict = adminCourt.pick(r)
	}
	c.CourtDecision, c.CourtOn = &verdict, cal.date(d)
	var f caseFine
	if verdict == model.DecisionLiable {
		article := ""
		if c.ArticleCode != nil {
			article = *c.ArticleCode
		}
		p := sentence(r, c.Jurisdiction, c.Liability, article, kind, repeat)
		c.Sanction = &p.sanction
		if p.sanction == model.SanctionFine {
			// Fines are set in index units at the value of the decision's year.
			f = caseFine{units: p.units, unitValue: g.unitValue[c.Jurisdiction][cal.days[d].year]}
			amount := f.amount()
			c.FineAmount = &amount
		}
	}
	return g.appeals(c, d, kind, f)
}

// caseFine is a fine in index units and the currency value of one unit; zero when there is
// none.
type caseFine struct {
	units     int
	unitValue int64
}

func (f caseFine) amount() int64 { return int64(f.units) * f.unitValue }

// Percent of liable decisions the defendant appeals: more often when the defendant speaks
// for a living. Prosecutors sometimes appeal, for a harsher sanction or against acquittal.
// A few appeals go on to cassation.
const (
	defendantAppealPercent     = 16
	speakerAppealPercent       = 28
	prosecutorAppealPercent    = 3
	prosecutorAcquittalPercent = 10
	cassationPercent           = 12
)

// appeals draws the appeal and cassation of a case decided on day d with fine f.
func (g *caseGenerator) appeals(c *model.Case, d int, kind model.DefendantKind, f caseFine) []model.Appeal {
	r, cal := g.rng, g.cal
	liable := *c.CourtDecision == model.DecisionLiable
	var party model.AppealParty
	switch {
	case liable && chance(r, choose(speaker(kind), speakerAppealPercent, defendantAppealPercent)):
		party = model.AppealPartyDefendant
	case liable && chance(r, prosecutorAppealPercent):
		party = model.AppealPartyProsecutor
	case !liable && chance(r, prosecutorAcquittalPercent):
		party = model.AppealPartyProsecutor
	default:
		return nil
	}
	// Administrative decisions can be appealed within 10 days, criminal ones within 15.
	d += 1 + r.IntN(choose(c.Liability == model.LiabilityAdministrative, 10, 15))
	if !cal.reached(d) {
		return nil // not filed yet
	}
	outcomes := defendantAppeal
	switch {
	case !liable:
		outcomes = acquittalAppeal
	case party == model.AppealPartyProsecutor:
		outcomes = prosecutorAppeal
	}
	var appeal model.Appeal
	appeal, d = g.decide(model.AppealLevelAppeal, party, d, gap(r, 14, 30), outcomes, &f)
	appeals := []model.Appeal{appeal}
	if appeal.Status == model.AppealStatusPending || !chance(r, cassationPercent) {
		return appeals
	}
	// The side that lost the appeal files the cassation.
	switch appeal.Status {
	case model.AppealStatusUpheld:
		// The appellant tries once more.
	case model.AppealStatusOverturned:
		party = other(party)
	case model.AppealStatusModified:
		party = model.AppealPartyDefendant
	default:
		return appeals // remanded or withdrawn: nothing to take further
	}
	d += gap(r, 20, 60)
	if !cal.reached(d) {
		return appeals // not filed yet
	}
	cass, _ := g.decide(model.AppealLevelCassation, party, d, gap(r, 30, 60), cassation, &f)
	return append(appeals, cass)
}

// decide makes an appeal filed on day filed and decided after wait days, pending when that
// is after the last day; it also returns the decision's day. A modified fine is halved, or
// raised by half when the prosecutor appealed; f is the fine so far and is updated.
func (g *caseGenerator) decide(level model.AppealLevel, party model.AppealParty, filed, wait int,
	outcomes *table[model.AppealStatus], f *caseFine) (model.Appeal, int) {
	cal := g.cal
	a := model.Appeal{Level: level, FiledBy: &party, FiledOn: cal.date(filed), Status: model.AppealStatusPending}
	decided := cal.workday(filed + wait)
	if !cal.reached(decided) {
		return a, decided
	}
	a.Status, a.DecidedOn = outcomes.pick(g.rng), cal.date(decided)
	if a.Status == model.AppealStatusModified && f.units > 0 {
		if party == model.AppealPartyProsecutor {
			f.units = f.units * 3 / 2
		} else {
			f.units = max(1, f.units/2)
		}
		amount := f.amount()
		a.FineAmount = &amount
	}
	return a, decided
}

func speaker(kind model.DefendantKind) bool {
	switch kind {
	case model.DefendantKindBlogger, model.DefendantKindJournalist, model.DefendantKindActivist,
		model.DefendantKindMediaOutlet:
		return true
	}
	return false
}

func other(p model.AppealParty) model.AppealParty {
	if p == model.AppealPartyDefendant {
		return model.AppealPartyProsecutor
	}
	return model.AppealPartyDefendant
}
