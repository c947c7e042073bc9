package model

// Dimensions lists every dimension in schema order.
var Dimensions = codes[Dimension](DimensionVocabulary)

// NoValue is the code of the group of cases that have no value in a dimension: no region,
// no article, not decided, no sanction, never appealed.
const NoValue = "NONE"

// Statistics is one answer of the statistics query: the figures of each bucket and of the
// whole filter, after disclosure control.
type Statistics struct {
	Buckets []*StatBucket
	Total   *StatBucket
	// SuppressionThreshold is k: no published count lies between 0 and k.
	SuppressionThreshold int
	// Perturbed is true when the figures are perturbed (the cell key method): always, in
	// this version; a field so that clients need not assume it.
	Perturbed bool
}

// StatBucket holds the figures of one combination of grouped values (and period). A nil
// figure is withheld for disclosure control.
type StatBucket struct {
	Key    []DimensionValue
	Period *string

	Count            *int
	Suppressed       bool
	Liable           *int
	Fined            *int
	Appealed         *int
	AppealsSucceeded *int
	Fines            []*FineStats

	MedianDaysToDecision    *float64
	ProsecutorRejectionRate *float64
	ExpertNoOffenceRate     *float64
	RepeatDefendants        *int
	CountPer100k            *float64
	// LiablePer100k and FinedPer100k are Liable and Fined per 100,000 inhabitants, from the
	// same population as CountPer100k; nil when the count or the population is not known.
	LiablePer100k *float64
	FinedPer100k  *float64
	// PopulationYear is the year of the population the per-capita figures divide by; nil
	// when none of them is published.
	PopulationYear *int
}

// Published reports whether any figure of the bucket is published.
func (b *StatBucket) Published() bool {
	if b.Count != nil || b.Liable != nil || b.Fined != nil || b.Appealed != nil || b.AppealsSucceeded != nil ||
		b.MedianDaysToDecision != nil || b.ProsecutorRejectionRate != nil || b.ExpertNoOffenceRate != nil || b.RepeatDefendants != nil {
		return true
	}
	for _, f := range b.Fines {
		if f.Count != nil {
			return true
		}
	}
	return false
}

// DimensionValue is one grouped value of a bucket; Code is NoValue when cases have none.
type DimensionValue struct {
	Dimension Dimension
	Code      string
}

// FineStats summarises the first-instance fines of one currency in a bucket.
type FineStats struct {
	Currency string
	Count    *int
	Total    *int
	Mean     *float64
	Median   *float64
	P90      *float64
	Min      *int
	Max      *int
	// IndexUnits gives the same figures in index units of each fine's decision year; nil
	// when withheld or when a year's unit is not known.
	IndexUnits *IndexedFineStats
}

// IndexedFineStats is FineStats in index units (MCI in KZ, RP in KG).
type IndexedFineStats struct {
	Unit   string
	Total  float64
	Mean   float64
	Median *float64
	P90    *float64
	Min    *float64
	Max    *float64
}

// Funnel is the road from detection to punishment for one filter.
type Funnel struct {
	Steps                []*FunnelStep
	SuppressionThreshold int
}

// FunnelStep is one step of the funnel. Count is nil when withheld (Suppressed) or when
// the step does not apply to the filter (Available false).
type FunnelStep struct {
	Step       FunnelStepKind
	Count      *int
	Suppressed bool
	Available  bool
	// Perturbed is true for the case steps (cell key method); detections are exact.
	Perturbed bool
	// ShareOfPrevious is Count over the previous step's count, when both are published.
	ShareOfPrevious *float64
}

// noValueLabel names the group of cases without a value in a dimension.
var noValueLabel = Labels{"Жоқ", "Нет", "None", "Жок"}

// Vocabulary returns the enumeration a dimension's codes come from; nil for REGION and
// ARTICLE, whose codes come from the reference data.
func (d Dimension) Vocabulary() *Vocabulary {
	switch d {
	case DimensionJurisdiction:
		return JurisdictionVocabulary
	case DimensionCategory:
		return ContentCategoryVocabulary
	case DimensionConcern:
		return ConcernVocabulary
	case DimensionPlatform:
		return PlatformVocabulary
	case DimensionLiability:
		return LiabilityVocabulary
	case DimensionDefendantKind:
		return DefendantKindVocabulary
	case DimensionStage:
		return CaseStageVocabulary
	case DimensionDecision:
		return DecisionVocabulary
	case DimensionSanction:
		return SanctionVocabulary
	case DimensionAppealStatus:
		return AppealStatusVocabulary
	}
	return nil
}

// DimensionLabel labels a code of an enumerated dimension (not REGION or ARTICLE, whose
// names come from the reference data) and NONE.
func DimensionLabel(d Dimension, code string, lang Lang) string {
	if code == NoValue {
		return noValueLabel.In(lang)
	}
	if v := d.Vocabulary(); v != nil {
		return v.Label(code, lang)
	}
	return code
}
