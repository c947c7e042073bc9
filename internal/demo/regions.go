package demo

import (
	"fmt"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
)

// nationalPopulation is each country's total, from ../shared/data/README.md: KZ 20,495,975
// at 1 Jan 2026 (Bureau of National Statistics), KG 7.395 million at 1 Dec 2025 (NSC).
var nationalPopulation = map[model.Jurisdiction]int{
	model.JurisdictionKZ: 20_495_975,
	model.JurisdictionKG: 7_395_000,
}

// regionTable draws a jurisdiction's regions by population. regions.csv gives the
// population of only some rows (10 of 20 in KZ, none in KG). Each row without one gets an
// equal share of what the listed rows leave of the national total: for KZ about 780,000 per
// region, close to their real sizes (roughly 0.6 to 0.9 million); for KG an equal 1/9 each.
// If the national total were not larger than the listed sum, the average listed row is used.
//
// The data starts in 2023; units created since then would have no records before their
// creation year (docs/design.md §7), so they are left out. All current units existed by 2023.
func regionTable(ref *reference.Data, j model.Jurisdiction) (*table[string], error) {
	var codes []string
	var listed []int // population, 0 when the row has none
	listedSum, listedRows := 0, 0
	for i := range ref.Regions {
		r := &ref.Regions[i]
		if r.Jurisdiction != j || (r.CreatedYear != nil && *r.CreatedYear > firstYear) {
			continue
		}
		codes = append(codes, r.Code)
		p := 0
		if r.Population != nil && *r.Population > 0 {
			p = *r.Population
			listedSum += p
			listedRows++
		}
		listed = append(listed, p)
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("demo: the reference data has no regions of %s", j)
	}
	fallback := 1
	if missing := len(codes) - listedRows; missing > 0 {
		switch rest := nationalPopulation[j] - listedSum; {
		case rest > 0:
			fallback = rest / missing
		case listedRows > 0:
			fallback = listedSum / listedRows
		}
	}
	weights := make([]int, len(codes))
	for i, p := range listed {
		weights[i] = p
		if p == 0 {
			weights[i] = fallback
		}
	}
	return newTable(codes, weights...), nil
}
