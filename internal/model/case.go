package model

import (
	"slices"
	"strings"
)

// Case is one enforcement case against one defendant as the store holds it: categories and
// dates only, never a direct identifier. Dates are "YYYY-MM-DD"; optional ones are nil when
// not known yet. The case-level view publishes less (PublishedView).
type Case struct {
	ID           int64           `db:"id"`
	Reference    string          `db:"reference"`
	Jurisdiction Jurisdiction    `db:"jurisdiction"`
	RegionCode   *string         `db:"region"`
	Category     ContentCategory `db:"category"`
	Concern      Concern         `db:"concern"`
	Platform     Platform        `db:"platform"`
	ArticleCode  *string         `db:"article"`
	Liability    Liability       `db:"liability"`
	Stage        CaseStage       `db:"stage"`

	DefendantKind   *DefendantKind `db:"defendant_kind"`
	DefendantGender *Gender        `db:"defendant_gender"`
	AgeBand         *AgeBand       `db:"age_band"`

	ReportedOn         string              `db:"reported_on"`
	ExpertConclusion   *ExpertConclusion   `db:"expert_conclusion"`
	ExpertOn           *string             `db:"expert_on"`
	CaseOpenedOn       *string             `db:"case_opened_on"`
	ProsecutorDecision *ProsecutorDecision `db:"prosecutor_decision"`
	ProsecutorOn       *string             `db:"prosecutor_on"`
	CourtDecision      *Decision           `db:"court_decision"`
	CourtOn            *string             `db:"court_on"`
	Sanction           *Sanction           `db:"sanction"`
	FineAmount         *int64              `db:"fine_amount"`
	// AppealStatus is the status of the latest appeal level (cassation, else appeal).
	AppealStatus *AppealStatus `db:"appeal_status"`
	// FineBand is the band of FineAmount, set in the case-level view only (PublishedView),
	// where FineAmount is nil.
	FineBand *FineBand `db:"-"`

	Summary *string `db:"summary"`
	// Generalized lists, comma-separated, the fields coarsened or withheld for privacy.
	Generalized    string `db:"generalized"`
	FirstReleaseID int64  `db:"first_release_id"`
}

// PublishesSummary reports whether a case may carry a summary of its content: only once a
// court has held the defendant liable at first instance, a public proceeding. A quote of
// the content of a case closed before court, or ending without liability, could be found
// with a search engine and would name its author; such a case has its category and no
// text.
func PublishesSummary(c *Case) bool {
	return c.CourtDecision != nil && *c.CourtDecision == DecisionLiable
}

// GeneralizedFields splits Generalized.
func (c *Case) GeneralizedFields() []string {
	if c.Generalized == "" {
		return []string{}
	}
	return strings.Split(c.Generalized, ",")
}

// Appeal is an appeal or a cassation of a case.
type Appeal struct {
	CaseID int64 `db:"case_id"`
	// Jurisdiction is the case's, which sets the currency of FineAmount.
	Jurisdiction Jurisdiction `db:"jurisdiction"`
	Level        AppealLevel  `db:"level"`
	FiledBy      *AppealParty `db:"filed_by"`
	FiledOn      *string      `db:"filed_on"`
	Status       AppealStatus `db:"status"`
	DecidedOn    *string      `db:"decided_on"`
	FineAmount   *int64       `db:"fine_amount"`
	// FineBand is the band of FineAmount, set in the case-level view only
	// (Case.PublishedAppeals), where FineAmount is nil.
	FineBand *FineBand `db:"-"`
}

// CaseEvent is one step of a case's history, derived from the case and its appeals.
type CaseEvent struct {
	Kind       CaseEventKind
	OccurredOn string
	// Result is the code of the step's outcome in its own enumeration, if it has one.
	Result *string
}

// Timeline lists what happened to a case, in date order (steps of one date in pipeline order).
func (c *Case) Timeline(appeals []Appeal) []CaseEvent {
	var events []CaseEvent
	add := func(kind CaseEventKind, on *string, result *string) {
		if on != nil {
			events = append(events, CaseEvent{Kind: kind, OccurredOn: *on, Result: result})
		}
	}
	add(CaseEventKindReported, &c.ReportedOn, nil)
	add(CaseEventKindExpertConclusion, c.ExpertOn, (*string)(c.ExpertConclusion))
	add(CaseEventKindCaseOpened, c.CaseOpenedOn, nil)
	add(CaseEventKindProsecutorDecision, c.ProsecutorOn, (*string)(c.ProsecutorDecision))
	add(CaseEventKindCourtDecision, c.CourtOn, (*string)(c.CourtDecision))
	for i := range appeals {
		a := &appeals[i]
		filed, decided := CaseEventKindAppealFiled, CaseEventKindAppealDecided
		if a.Level == AppealLevelCassation {
			filed, decided = CaseEventKindCassationFiled, CaseEventKindCassationDecided
		}
		add(filed, a.FiledOn, nil)
		if a.Status != AppealStatusPending {
			add(decided, a.DecidedOn, (*string)(&a.Status))
		}
	}
	// Stable: steps on the same date keep their pipeline order.
	slices.SortStableFunc(events, func(a, b CaseEvent) int { return strings.Compare(a.OccurredOn, b.OccurredOn) })
	return events
}

// Detection is one piece of flagged content. It is never linked to a person.
type Detection struct {
	Jurisdiction Jurisdiction    `db:"jurisdiction"`
	RegionCode   *string         `db:"region"`
	Category     ContentCategory `db:"category"`
	Platform     Platform        `db:"platform"`
	Action       DetectionAction `db:"action"`
	DetectedOn   string          `db:"detected_on"`
}

// Release is one committed batch of data.
type Release struct {
	ID int64 `db:"id"`
	// PublishedAt is RFC 3339 in UTC.
	PublishedAt   string  `db:"published_at"`
	Note          *string `db:"note"`
	Synthetic     bool    `db:"synthetic"`
	RowsAdded     int     `db:"rows_added"`
	RowsUpdated   int     `db:"rows_updated"`
	RowsUnchanged int     `db:"rows_unchanged"`
	Checksum      *string `db:"checksum"`
}

// Version is the release's public version number: releases are numbered from 1 in order.
func (r *Release) Version() int { return int(r.ID) }

// The dates a record may carry. The laws casewatch follows are recent; a date outside
// these bounds is a typing error, and the in-memory fact table (internal/stats) keeps
// dates as 16-bit day numbers from 1970.
const (
	EarliestDate = "1991-01-01"
	LatestDate   = "2099-12-31"
)

// Month cuts a "YYYY-MM-DD" date to the "YYYY-MM" precision that case-level answers publish.
func Month(date string) string {
	if len(date) < 7 {
		return date
	}
	return date[:7]
}

// DeriveStage derives where a case stands from what is known about it.
func (c *Case) DeriveStage(appeals []Appeal) CaseStage {
	for i := len(appeals) - 1; i >= 0; i-- {
		if appeals[i].Status == AppealStatusPending {
			if appeals[i].Level == AppealLevelCassation {
				return CaseStageCassation
			}
			return CaseStageAppeal
		}
	}
	switch {
	case c.CourtDecision != nil && *c.CourtDecision != DecisionPending:
		return CaseStageClosed
	case c.ProsecutorDecision != nil && *c.ProsecutorDecision == ProsecutorDecisionApproved:
		return CaseStageTrial
	case c.ProsecutorDecision != nil && *c.ProsecutorDecision == ProsecutorDecisionRejected:
		return CaseStageClosed
	case c.ProsecutorDecision != nil || c.CaseOpenedOn != nil:
		return CaseStageProsecutorReview
	case c.ExpertConclusion == nil:
		return CaseStageExpertReview
	case *c.ExpertConclusion == ExpertConclusionNoOffense || *c.ExpertConclusion == ExpertConclusionInconclusive:
		return CaseStageClosed
	}
	return CaseStageInvestigation
}

// The fields of the case view that need nothing but the case are methods rather than
// resolvers: gqlgen resolves a resolver in a goroutine of its own, twenty cases a page.
// They read c as it is, so c must be a case view (PublishedView(…).Case), as every Case
// the API answers is: called on a stored case, they would publish its exact values.

// PublishedCategory is the category of the case view c; nil when withheld.
func (c *Case) PublishedCategory() *ContentCategory {
	if c.Category == "" {
		return nil
	}
	return &c.Category
}

// PublishedPlatform is the platform of the case view c; nil when withheld.
func (c *Case) PublishedPlatform() *Platform {
	if c.Platform == "" {
		return nil
	}
	return &c.Platform
}

// PublishedReportedMonth is the period of report of the case view c: a quarter or a year
// (the view's ReportedOn holds it).
func (c *Case) PublishedReportedMonth() string { return c.ReportedOn }

// Outcome is the first-instance decision as the case view publishes it.
type Outcome struct {
	Decision Decision
	// DecidedMonth is the published period of the decision; nil while pending.
	DecidedMonth *string
	Sanction     *Sanction
	FineBand     *FineBand
}

// PublishedOutcome is the outcome of the case view c; nil while there is no decision.
func (c *Case) PublishedOutcome() *Outcome {
	if c.CourtDecision == nil {
		return nil
	}
	return &Outcome{Decision: *c.CourtDecision, DecidedMonth: c.CourtOn, Sanction: c.Sanction, FineBand: c.FineBand}
}
