package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
)

// penalty is a first-instance sanction; units is the fine in index units (MCI, RP) when the
// sanction is a fine, else 0.
type penalty struct {
	sanction model.Sanction
	units    int
}

func fine(units int) penalty { return penalty{model.SanctionFine, units} }

var (
	warning     = penalty{sanction: model.SanctionWarning}
	arrest      = penalty{sanction: model.SanctionAdministrativeArrest}
	restriction = penalty{sanction: model.SanctionRestrictionOfFreedom}
	prison      = penalty{sanction: model.SanctionImprisonment}
	labour      = penalty{sanction: model.SanctionCorrectionalLabour}
)

// articleKey names a provision of one jurisdiction.
type articleKey struct {
	jurisdiction model.Jurisdiction
	code         string
}

// penaltyTables hold the sanctions of a provision for people and for organisations (media
// outlets and legal entities). The amounts follow docs/design.md §7 and the penalties column of
// articles.csv; the shares are the demo's guesses. CAO 456-2 has its own rule (falseInfo).
type penaltyTables struct {
	people, organisations *table[penalty]
}

func same(t *table[penalty]) penaltyTables { return penaltyTables{t, t} }

var articlePenalties = map[articleKey]penaltyTables{
	// Libel: 100–700 MCI.
	{model.JurisdictionKZ, "CAO 73-3"}: {
		people: newTable([]penalty{fine(100), fine(150), fine(200), fine(300), fine(500), fine(700)},
			30, 20, 20, 15, 10, 5),
		organisations: newTable([]penalty{fine(300), fine(500), fine(700)}, 30, 40, 30),
	},
	// Assemblies: warning or 20 MCI, up to 10 days' arrest; aggravated 50 MCI; officials 50.
	{model.JurisdictionKZ, "CAO 488"}: {
		people:        newTable([]penalty{warning, fine(20), fine(50), arrest}, 30, 45, 10, 15),
		organisations: newTable([]penalty{fine(50)}, 1),
	},
	// Part 2: fine up to 3,000 MCI or up to 3 years.
	{model.JurisdictionKZ, "CC 274"}: same(newTable(
		[]penalty{fine(1000), fine(2000), fine(3000), restriction, prison, labour},
		15, 15, 10, 35, 15, 10)),
	{model.JurisdictionKZ, "CC 174"}: same(newTable([]penalty{restriction, prison, labour}, 40, 55, 5)),
	{model.JurisdictionKZ, "CC 256"}: same(newTable([]penalty{prison, restriction}, 92, 8)),
	{model.JurisdictionKZ, "CC 405"}: same(newTable(
		[]penalty{fine(500), fine(1000), fine(2000), restriction, prison, labour}, 10, 10, 5, 35, 35, 5)),
	{model.JurisdictionKZ, "CC 299-1"}: same(newTable(
		[]penalty{prison, restriction, fine(1000), fine(2000)}, 65, 25, 5, 5)),
	{model.JurisdictionKZ, "CC 307"}: same(newTable(
		[]penalty{fine(500), fine(1000), fine(2000), fine(3000), labour, restriction, prison},
		15, 15, 10, 5, 20, 20, 15)),
	{model.JurisdictionKZ, "CC 217"}: same(newTable(
		[]penalty{fine(2000), fine(3000), fine(5000), restriction, prison}, 10, 10, 5, 25, 50)),
	// Online libel and insult: 200 RP individuals, 650 RP organisations.
	{model.JurisdictionKG, "CoO 107-1"}: {
		people:        newTable([]penalty{fine(200)}, 1),
		organisations: newTable([]penalty{fine(650)}, 1),
	},
	// Draft false-information provision: 20,000 / 65,000 som, i.e. 200 / 650 RP.
	{model.JurisdictionKG, "CoO 109-3"}: {
		people:        newTable([]penalty{fine(200)}, 1),
		organisations: newTable([]penalty{fine(650)}, 1),
	},
	{model.JurisdictionKG, "CC 330"}: same(newTable(
		[]penalty{prison, fine(500), fine(1000), labour}, 55, 10, 15, 20)),
}

// Cases without a (known) article get their liability's general sanctions.
var (
	adminPenalties = map[model.Jurisdiction]*table[penalty]{
		model.JurisdictionKZ: newTable([]penalty{warning, fine(10), fine(20), fine(30), fine(50), fine(100)},
			25, 20, 25, 15, 10, 5),
		model.JurisdictionKG: newTable([]penalty{warning, fine(50), fine(100), fine(200)}, 25, 35, 25, 15),
	}
	criminalPenalties = same(newTable(
		[]penalty{fine(500), fine(1000), fine(2000), restriction, prison, labour}, 10, 10, 10, 30, 30, 10))
)

// KZ CAO 456-2, false information: the one provision whose shape the official figures show
// (first 8 months of 2025: 51 people, 48 fined, 3 arrested).
var falseInfo = articleKey{model.JurisdictionKZ, "CAO 456-2"}

// Percent of repeat offenders under CAO 456-2 who are arrested instead of fined ("repeat
// within a year up to 10 days' arrest"); with about 10% repeat defendants this gives the
// 3-in-51 shape.
const falseInfoArrestPercent = 50

// falseInfoUnits reads "online users 20 MCI; media, officials, business 30/50/100; repeat
// 50/100/200" as: first offence 20 (people), 30 (journalists, media), 50 (officials),
// 100 (legal entities); repeat offence 50 (people, journalists, media), 100, 200.
func falseInfoUnits(kind model.DefendantKind, repeat bool) int {
	switch kind {
	case model.DefendantKindLegalEntity:
		return choose(repeat, 200, 100)
	case model.DefendantKindOfficial:
		return choose(repeat, 100, 50)
	case model.DefendantKindJournalist, model.DefendantKindMediaOutlet:
		return choose(repeat, 50, 30)
	}
	return choose(repeat, 50, 20)
}

func isOrganisation(kind model.DefendantKind) bool {
	return kind == model.DefendantKindMediaOutlet || kind == model.DefendantKindLegalEntity
}

// sentence draws the first-instance penalty of a liable defendant. article is "" when the
// case has none.
func sentence(r *rand.Rand, j model.Jurisdiction, liability model.Liability, article string,
	kind model.DefendantKind, repeat bool) penalty {
	key := articleKey{j, article}
	if key == falseInfo {
		if repeat && !isOrganisation(kind) && chance(r, falseInfoArrestPercent) {
			return arrest
		}
		return fine(falseInfoUnits(kind, repeat))
	}
	tables, ok := articlePenalties[key]
	if !ok {
		if liability == model.LiabilityCriminal {
			tables = criminalPenalties
		} else {
			tables = same(adminPenalties[j])
		}
	}
	// CAO 488 sets officials the organisations' 50 MCI.
	if isOrganisation(kind) || (kind == model.DefendantKindOfficial && article == "CAO 488") {
		return tables.organisations.pick(r)
	}
	return tables.people.pick(r)
}

// indexUnitValues returns the index unit's value in currency for each year from firstYear
// to lastYear. A year the reference data does not list takes the nearest listed year's value
// (KG lists only 2025, where 1 RP = 100 som).
func indexUnitValues(ref *reference.Data, j model.Jurisdiction, lastYear int) (map[int]int64, error) {
	values := map[int]int64{}
	for year := firstYear; year <= lastYear; year++ {
		best, bestDistance := 0, -1
		for _, u := range ref.IndexUnits {
			if u.Jurisdiction != j || u.Value <= 0 {
				continue
			}
			distance := max(u.Year-year, year-u.Year)
			// On a tie the earlier year wins, so the choice does not depend on file order.
			if bestDistance < 0 || distance < bestDistance || (distance == bestDistance && u.Year < best) {
				best, bestDistance = u.Year, distance
			}
		}
		if bestDistance < 0 {
			return nil, fmt.Errorf("demo: the reference data has no %s value for %s", j.IndexUnit(), j)
		}
		values[year] = int64(ref.IndexUnit(j, best).Value)
	}
	return values, nil
}
