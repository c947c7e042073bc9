package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/casewatch/casewatch/internal/model"
)

// EventReleasePublished is the type of the one event there is: a release was published.
const EventReleasePublished = "release.published"

// Event is the JSON body of a delivery. It describes a release and never a case: no
// reference, no case-level field, nothing that was not already public in the release's
// figures.
type Event struct {
	// ID is unique per event and subscriber, the same on every retry: the receiver's
	// idempotency key (also sent as the Idempotency-Key header).
	ID        string       `json:"id"`
	Type      string       `json:"type"`
	CreatedAt string       `json:"createdAt"`
	Webhook   string       `json:"webhook"`
	Release   EventRelease `json:"release"`
	// Filter is the subscriber's case filter, with the names of CaseFilter.
	Filter json.RawMessage `json:"filter"`
	// MatchingCases is how many cases of the release's case view match Filter (the
	// totalCount of Query.cases with it); null when it could not be counted for this
	// release (an event made after a newer release had landed).
	MatchingCases *int `json:"matchingCases"`
}

// EventRelease is the release an event announces: the fields of Query.currentRelease.
type EventRelease struct {
	Version       int64  `json:"version"`
	PublishedAt   string `json:"publishedAt"`
	Synthetic     bool   `json:"synthetic"`
	RowsAdded     int    `json:"rowsAdded"`
	RowsUpdated   int    `json:"rowsUpdated"`
	RowsUnchanged int    `json:"rowsUnchanged"`
}

// filterJSON is CaseFilter as JSON, with the GraphQL input's names.
type filterJSON struct {
	Jurisdiction   *model.Jurisdiction     `json:"jurisdiction,omitempty"`
	Regions        []string                `json:"regions,omitempty"`
	Categories     []model.ContentCategory `json:"categories,omitempty"`
	Concerns       []model.Concern         `json:"concerns,omitempty"`
	Platforms      []model.Platform        `json:"platforms,omitempty"`
	Articles       []string                `json:"articles,omitempty"`
	Liabilities    []model.Liability       `json:"liabilities,omitempty"`
	DefendantKinds []model.DefendantKind   `json:"defendantKinds,omitempty"`
	Stages         []model.CaseStage       `json:"stages,omitempty"`
	Decisions      []model.Decision        `json:"decisions,omitempty"`
	Sanctions      []model.Sanction        `json:"sanctions,omitempty"`
	AppealStatuses []model.AppealStatus    `json:"appealStatuses,omitempty"`
	ReportedFrom   *string                 `json:"reportedFrom,omitempty"`
	ReportedTo     *string                 `json:"reportedTo,omitempty"`
	DecidedFrom    *string                 `json:"decidedFrom,omitempty"`
	DecidedTo      *string                 `json:"decidedTo,omitempty"`
	Search         *string                 `json:"search,omitempty"`
}

// EncodeFilter writes f as JSON with the names of the GraphQL input CaseFilter.
func EncodeFilter(f model.CaseFilter) string {
	b, _ := json.Marshal(filterJSON(f))
	return string(b)
}

// DecodeFilter reads a filter written as JSON with the names of CaseFilter, checking its
// codes and dates; regions and articles are checked by the caller, against the reference
// data. Nothing in it may be unknown: a typo is an error, not a filter that matches all.
func DecodeFilter(text string) (model.CaseFilter, error) {
	var j filterJSON
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return model.CaseFilter{}, inputErr("filter is not a CaseFilter in JSON (e.g. {\"jurisdiction\":\"KZ\",\"categories\":[\"FALSE_INFORMATION\"]}): %v", err)
	}
	f := model.CaseFilter(j)
	if f.Jurisdiction != nil {
		if err := codes("jurisdiction", model.JurisdictionVocabulary, []model.Jurisdiction{*f.Jurisdiction}); err != nil {
			return f, err
		}
	}
	for _, err := range []error{
		codes("categories", model.ContentCategoryVocabulary, f.Categories),
		codes("concerns", model.ConcernVocabulary, f.Concerns),
		codes("platforms", model.PlatformVocabulary, f.Platforms),
		codes("liabilities", model.LiabilityVocabulary, f.Liabilities),
		codes("defendantKinds", model.DefendantKindVocabulary, f.DefendantKinds),
		codes("stages", model.CaseStageVocabulary, f.Stages),
		codes("decisions", model.DecisionVocabulary, f.Decisions),
		codes("sanctions", model.SanctionVocabulary, f.Sanctions),
		codes("appealStatuses", model.AppealStatusVocabulary, f.AppealStatuses),
	} {
		if err != nil {
			return f, err
		}
	}
	for name, d := range map[string]*string{"reportedFrom": f.ReportedFrom, "reportedTo": f.ReportedTo,
		"decidedFrom": f.DecidedFrom, "decidedTo": f.DecidedTo} {
		if d == nil {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *d); err != nil {
			return f, inputErr("filter.%s is not a date (YYYY-MM-DD)", name)
		}
	}
	return f, nil
}

func codes[T ~string](name string, v *model.Vocabulary, values []T) error {
	for i, c := range values {
		if !v.Has(string(c)) {
			return inputErr("filter.%s[%d] is not a code of %s; see Query.vocabulary", name, i, fmt.Sprint(v.Name))
		}
	}
	return nil
}
