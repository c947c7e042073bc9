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
