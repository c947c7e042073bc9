package demo

import (
	"context"
	"math/rand/v2"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
)

// detectionYears are the detections of each full year. KZ follows MKI (docs/design.md §7): 116,354
// in 2024, "nearly double" 2023; 2025 and 2026 continue the growth more slowly. KG publishes
// no such total: a small volume of the same shape. A year after the table repeats its last
// row; a year the data covers only in part gets its share by days (2026 up to Until).
var detectionYears = []struct{ year, kz, kg int }{
	{2023, 59_500, 5_200},
	{2024, 116_354, 6_100},
	{2025, 148_000, 7_000},
	{2026, 171_000, 7_800},
}

func detectionsInYear(j model.Jurisdiction, year int) int {
	row := detectionYears[len(detectionYears)-1]
	for _, r := range detectionYears {
		if r.year == year {
			row = r
		}
	}
	if j == model.JurisdictionKG {
		return row.kg
	}
	return row.kz
}

// Percent of detections without a region: foreign-hosted sites and accounts with no known
// location.
const detectionNoRegionPercent = 18

// Weekend activity of detections, in percent of a weekday: monitoring runs all week.
const detectionWeekendPercent = 75

type detectionGenerator struct {
	cal *calendar
	rng *rand.Rand
	// perDay[j][d] is how many detections of jurisdiction j day d gets.
	perDay  map[model.Jurisdiction][]int
	regions map[model.Jurisdiction]*table[string]
	// regionCodes[j][i] points to regions[j].items[i]. Detections share these pointers; the
	// store only reads them.
	regionCodes map[model.Jurisdiction][]*string
}

func newDetectionGenerator(ref *reference.Data, cal *calendar, rng *rand.Rand) (*detectionGenerator, error) {
	g := &detectionGenerator{cal: cal, rng: rng, perDay: map[model.Jurisdiction][]int{},
		regions: map[model.Jurisdiction]*table[string]{}, regionCodes: map[model.Jurisdiction][]*string{}}
	for _, j := range jurisdictions {
		t, err := regionTable(ref, j)
		if err != nil {
			return nil, err
		}
		g.regions[j] = t
		for i := range t.items {
			g.regionCodes[j] = append(g.regionCodes[j], &t.items[i])
		}
		g.perDay[j] = g.plan(j)
	}
	return g, nil
}

// plan spreads each year's total over its days; the year's parts add up to it exactly.
func (g *detectionGenerator) plan(j model.Jurisdiction) []int {
	perDay := make([]int, len(g.cal.days))
	for year := firstYear; year <= g.cal.days[g.cal.last()].year; year++ {
		first, last, daysInYear := g.cal.yearDays(year)
		covered := last - first + 1
		total := detectionsInYear(j, year) * covered / daysInYear
		weights := make([]int64, covered)
		for i := range weights {
			weights[i] = dayWeight(g.rng, g.cal.days[first+i], detectionWeekendPercent)
		}
		copy(perDay[first:], spread(total, weights))
	}
	return perDay
}

// total is the number of detections the generator writes.
func (g *detectionGenerator) total() int {
	n := 0
	for _, j := range jurisdictions {
		for _, k := range g.perDay[j] {
			n += k
		}
	}
	return n
}

// write adds the detections in date order.
func (g *detectionGenerator) write(ctx context.Context, b *store.Batch) error {
	r := g.rng
	var det model.Detection // reused: the batch copies the values it needs
	for d := range g.cal.days {
		for _, j := range jurisdictions {
			det.Jurisdiction = j
			det.DetectedOn = g.cal.days[d].date
			for range g.perDay[j][d] {
				det.Category = detectionCategories[j].pick(r)
				det.Platform = platformsByGroup[groupOf(det.Category)].pick(r)
				if det.Platform == model.PlatformWebsite {
					det.Action = websiteActions.pick(r)
				} else {
					det.Action = postActions.pick(r)
				}
				det.RegionCode = nil
				if !chance(r, detectionNoRegionPercent) {
					det.RegionCode = g.regionCodes[j][g.regions[j].index(r)]
				}
				if err := b.AddDetection(ctx, &det); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
