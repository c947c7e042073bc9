package privacy

import (
	"math"

	"github.com/casewatch/casewatch/internal/model"
)

// Generalizer returns Generalize with threshold k: the rule the store applies to every
// release (model.Generalizer).
func Generalizer(k int) model.Generalizer {
	return func(qis []model.QuasiIdentifiers) [][]string { return Generalize(qis, k) }
}

// The names Generalize reports withheld fields by (Case.generalized in the API).
const (
	FieldRegion  = "region"
	FieldKind    = "defendant.kind"
	FieldAgeBand = "defendant.ageBand"
	FieldGender  = "defendant.gender"
)

// Generalize decides which quasi-identifiers of each case are withheld so that every
// published combination of (Year, Jurisdiction, Region, Kind, AgeBand, Gender) is shared by
// at least k cases. A withheld field counts as a value of its own ("withheld"), distinct
// from unknown (nil), because the API shows which fields were withheld.
//
// Fields are withheld in a fixed order of increasing damage to the data — gender, then age
// band, then kind, then region — and only from the cases in groups that are still too small,
// the groups being recomputed after each step. Cases in groups of k or more are never
// touched, and a step withholds a field only from cases that still need it.
//
// Year and jurisdiction are always published: when fewer than k cases of a year and
// jurisdiction remain in a group after every field has been withheld (or was unknown), that
// group is left as it is. Suppression of small counts in aggregates (docs/design.md §6) covers that
// level.
//
// The result has one entry per record: the names of its withheld fields in the order region,
// defendant.kind, defendant.ageBand, defendant.gender, or nil when none is. k < 2 withholds
// nothing. The work is O(n) map operations per step, four steps at most; it is
// deterministic.
func Generalize(recs []model.QuasiIdentifiers, k int) [][]string {
	out := make([][]string, len(recs))
	if k < 2 || len(recs) == 0 {
		return out
	}
	keys := encodeQuasiIdentifiers(recs)

	// The records of groups smaller than k; recounted among themselves after each step,
	// because withholding never moves a record into a group of records that kept the field.
	small := smallGroups(keys, allIndexes(len(keys)), k)
	withheld := make([]uint8, len(recs)) // bit per field, see the step order below
	for step := range stepFields {
		if len(small) == 0 {
			break
		}
		for _, i := range small {
			if keys[i][step] != fieldUnknown {
				keys[i][step] = fieldWithheld
				withheld[i] |= 1 << step
			}
		}
		small = smallGroups(keys, small, k)
	}

	for i, w := range withheld {
		if w == 0 {
			continue
		}
		names := make([]string, 0, 4)
		for step := len(stepFields) - 1; step >= 0; step-- { // region first
			if w&(1<<step) != 0 {
				names = append(names, stepFields[step])
			}
		}
		out[i] = names
	}
	return out
}

// stepFields are the withholdable fields in the order they are withheld; a groupKey holds
// them at the same positions, followed by the year and jurisdiction.
var stepFields = [...]string{FieldGender, FieldAgeBand, FieldKind, FieldRegion}

// groupKey is a record's published combination with every value replaced by a small
// number: positions 0–3 follow stepFields, position 4 is year and jurisdiction.
type groupKey [5]uint32

const (
	fieldUnknown  uint32 = 0
	fieldWithheld uint32 = math.MaxUint32
)

// encodeQuasiIdentifiers numbers the distinct values of each field (from 1, so that 0 is
// unknown).
func encodeQuasiIdentifiers(recs []model.QuasiIdentifiers) []groupKey {
	type yearJurisdiction struct {
		year         int
		jurisdiction model.Jurisdiction
	}
	periods := map[yearJurisdiction]uint32{}
	values := [4]map[string]uint32{{}, {}, {}, {}}
	code := func(field int, v *string) uint32 {
		if v == nil {
			return fieldUnknown
		}
		c, ok := values[field][*v]
		if !ok {
			c = uint32(len(values[field]) + 1)
			values[field][*v] = c
		}
		return c
	}
	keys := make([]groupKey, len(recs))
	for i := range recs {
		r := &recs[i]
		yj := yearJurisdiction{r.Year, r.Jurisdiction}
		p, ok := periods[yj]
		if !ok {
			p = uint32(len(periods))
			periods[yj] = p
		}
		keys[i] = groupKey{
			code(0, (*string)(r.Gender)),
			code(1, (*string)(r.AgeBand)),
			code(2, (*string)(r.Kind)),
			code(3, r.Region),
			p,
		}
	}
	return keys
}

// smallGroups returns, in order, the records among candidates whose group (counted among
// the candidates) has fewer than k records.
func smallGroups(keys []groupKey, candidates []int, k int) []int {
	counts := make(map[groupKey]int, len(candidates)/4+1)
	for _, i := range candidates {
		counts[keys[i]]++
	}
	var small []int
	for _, i := range candidates {
		if counts[keys[i]] < k {
			small = append(small, i)
		}
	}
	return small
}

func allIndexes(n int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}
