package model

// CaseFilter selects cases. Every field is optional; fields combine with AND and a list
// means "any of". Dates are "YYYY-MM-DD", inclusive.
type CaseFilter struct {
	Jurisdiction   *Jurisdiction
	Regions        []string
	Categories     []ContentCategory
	Concerns       []Concern
	Platforms      []Platform
	Articles       []string
	Liabilities    []Liability
	DefendantKinds []DefendantKind
	Stages         []CaseStage
	Decisions      []Decision
	Sanctions      []Sanction
	AppealStatuses []AppealStatus
	ReportedFrom   *string
	ReportedTo     *string
	DecidedFrom    *string
	DecidedTo      *string
	// Search holds words that must all appear in a case's summary.
	Search *string
}

// DetectionFilter selects detections, like CaseFilter selects cases.
type DetectionFilter struct {
	Jurisdiction *Jurisdiction
	Regions      []string
	Categories   []ContentCategory
	Concerns     []Concern
	Platforms    []Platform
	Actions      []DetectionAction
	DetectedFrom *string
	DetectedTo   *string
}

// DetectionBucket counts the detections of one combination of grouped values and period.
type DetectionBucket struct {
	Key    []DetectionDimensionValue
	Period *string
	Count  int
}

// DetectionDimensionValue is one grouped value of a bucket. Code is "NONE" for a missing
// region.
type DetectionDimensionValue struct {
	Dimension DetectionDimension
	Code      string
}
