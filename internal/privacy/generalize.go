package privacy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// RuleVersion numbers what Generalize (with model.PublishedView) decides. Raise it with any
// change to what they decide: a store generalised under another version generalises every
// case anew when the server starts. TestRuleVersionFollowsTheRule (internal/demo) fails
// until it is raised after such a change.
const RuleVersion = 1

// Generalizer returns Generalize with threshold k and the fine bands of band
// (reference.Data.FineBand): the rule the store applies to every release (model.Generalizer).
// Its Rule names RuleVersion, k and the bands, so that a store generalised under the same
// name need not be generalised again.
func Generalizer(k int, band model.FineBander) model.Generalizer {
	return model.Generalizer{
		Rule:  fmt.Sprintf("case view v%d k=%d bands %s", RuleVersion, k, bandsDigest(band)),
		Apply: func(qis []model.QuasiIdentifiers) [][]string { return Generalize(qis, k, band) },
	}
}

// bandsDigest sums up the bands band gives to fines across the years and amounts fines
// have, so that reference data with another index unit (or other band edges) names another
// rule. Amounts step by 2% from 100 to ten billion: finer than any band.
func bandsDigest(band model.FineBander) string {
	h := sha256.New()
	for _, j := range model.JurisdictionVocabulary.Codes() {
		for year := 2000; year <= 2040; year++ {
			date := fmt.Sprintf("%d-07-01", year)
			for amount := 100.0; amount < 1e10; amount *= 1.02 {
				if b := band(model.Jurisdiction(j), date, int64(amount)); b != nil {
					to := -1
					if b.To != nil {
						to = *b.To
					}
					fmt.Fprintf(h, "%s %d %d %d %d %s\n", j, year, int64(amount), b.From, to, b.IndexUnit)
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// The names Generalize reports generalised fields by (Case.generalized in the API).
const (
	FieldRegion  = model.GeneralizedRegion
	FieldKind    = model.GeneralizedKind
	FieldAgeBand = model.GeneralizedAgeBand
	FieldGender  = model.GeneralizedGender
)

// Ladder is the order in which generalisation coarsens or withholds the fields of the cases
// still in too small a group, one step at a time, from the least damage to the data to the
// most (measured on the demo data: BenchmarkCaseView). The base view, before any step,
// already publishes dates by quarter and fines by band, and withholds age band and gender.
var Ladder = []string{
	model.GeneralizedDates,
	model.GeneralizedRegion,
	model.GeneralizedKind,
	model.GeneralizedPlatform,
	model.GeneralizedAppeals,
	model.GeneralizedFine,
	model.GeneralizedArticle,
	model.GeneralizedSanction,
	model.GeneralizedCategory,
}

// Generalize decides, for each case, what its case-level view coarsens or withholds so
// that every published combination of the case view (model.View.Key: every date's period,
// region, category, platform, article, liability, stage, the decisions and sanction, fine
// bands, appeals, defendant kind, and the list of what was generalised itself) within a
// jurisdiction and year of report is shared by at least k cases.
//
// Every case starts at the base view (age band and gender withheld). The cases in groups
// smaller than k then take the steps of Ladder one at a time, the groups being recounted
// over all cases after each step; a case in a group of k or more takes no further step, so
// groups of k or more never shrink. A case whose group is still smaller than k after the
// last step is left out of the view altogether (model.GeneralizedCase); such cases were
// only in groups of such cases, so leaving them out leaves every other group as it was.
//
// The result has one entry per record: the names the case's Case.generalized lists, in
// order — defendant.ageBand, defendant.gender, then the steps it took, then "case" when it
// is left out. A step is listed even when the field had no value to withhold: the list is
// then the same for every case of a group, and tells no unknown value from a withheld one.
// k < 2 generalises nothing beyond the base view. It is deterministic, whatever the order
// of the records.
func Generalize(recs []model.QuasiIdentifiers, k int, band model.FineBander) [][]string {
	out := make([][]string, len(recs))
	levels := make([]int, len(recs))
	keys := make([]string, len(recs))
	key := func(i int) string {
		r := &recs[i]
		c := r.Case
		c.Jurisdiction = r.Jurisdiction
		c.Generalized = strings.Join(names(levels[i], false), ",")
		v := c.PublishedView(r.Appeals, band)
		return strconv.Itoa(r.Year) + "|" + v.Key()
	}
	for i := range recs {
		keys[i] = key(i)
	}
	if k >= 2 {
		for step := 0; ; step++ {
			counts := make(map[string]int, len(keys)/4+1)
			for _, key := range keys {
				counts[key]++
			}
			var small []int
			for i, key := range keys {
				if counts[key] < k {
					small = append(small, i)
				}
			}
			if len(small) == 0 {
				break
			}
			for _, i := range small {
				levels[i]++
				if levels[i] <= len(Ladder) {
					keys[i] = key(i)
				}
			}
			if step == len(Ladder) {
				break // the small groups left have taken every step: left out
			}
		}
	}
	for i, l := range levels {
		out[i] = names(l, l > len(Ladder))
	}
	return out
}

// names lists what a case generalised at level l (the number of Ladder steps it took).
func names(l int, left bool) []string {
	n := []string{model.GeneralizedAgeBand, model.GeneralizedGender}
	n = append(n, Ladder[:min(l, len(Ladder))]...)
	if left {
		n = append(n, model.GeneralizedCase)
	}
	return n
}
