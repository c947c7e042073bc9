package store

import (
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// caseColumn describes one column of the table cases. caseColumns is the one list of them:
// every list of case columns the store writes or reads, and every row of values it writes,
// is derived from it.
type caseColumn struct {
	name string
	// value is the column's value for a record written by the release.
	value func(r *CaseRecord, release int64) any
	// read: model.Case holds the column (its db tag), so reading a case selects it.
	read bool
	// kept: a correction leaves the column as it is. These are the case's identity, its first
	// release, and what generalisation decides after the correction.
	kept bool
}

// caseColumns are the columns of cases, in the order rows are written.
var caseColumns = []caseColumn{
	{name: "id", read: true, kept: true, value: func(r *CaseRecord, _ int64) any { return r.Case.ID }},
	{name: "reference", read: true, kept: true, value: func(r *CaseRecord, _ int64) any { return r.Case.Reference }},
	{name: "source_key", kept: true, value: func(r *CaseRecord, _ int64) any { return r.SourceKey }},
	{name: "pseudonym", value: func(r *CaseRecord, _ int64) any { return r.Pseudonym }},
	{name: "jurisdiction", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Jurisdiction) }},
	{name: "region", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.RegionCode }},
	{name: "category", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Category) }},
	{name: "concern", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Concern) }},
	{name: "platform", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Platform) }},
	{name: "article", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.ArticleCode }},
	{name: "liability", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Liability) }},
	{name: "stage", read: true, value: func(r *CaseRecord, _ int64) any { return string(r.Case.Stage) }},
	{name: "defendant_kind", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.DefendantKind) }},
	{name: "defendant_gender", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.DefendantGender) }},
	{name: "age_band", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.AgeBand) }},
	{name: "reported_on", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.ReportedOn }},
	{name: "expert_conclusion", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.ExpertConclusion) }},
	{name: "expert_on", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.ExpertOn }},
	{name: "case_opened_on", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.CaseOpenedOn }},
	{name: "prosecutor_decision", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.ProsecutorDecision) }},
	{name: "prosecutor_on", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.ProsecutorOn }},
	{name: "court_decision", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.CourtDecision) }},
	{name: "court_on", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.CourtOn }},
	{name: "sanction", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.Sanction) }},
	{name: "fine_amount", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.FineAmount }},
	{name: "appeal_status", read: true, value: func(r *CaseRecord, _ int64) any { return text(r.Case.AppealStatus) }},
	{name: "summary", read: true, value: func(r *CaseRecord, _ int64) any { return r.Case.Summary }},
	{name: "search_text", value: func(r *CaseRecord, _ int64) any { return searchText(r) }},
	{name: "generalized", read: true, kept: true, value: func(r *CaseRecord, _ int64) any { return r.Case.Generalized }},
	{name: "first_release_id", read: true, kept: true, value: func(r *CaseRecord, _ int64) any { return r.Case.FirstReleaseID }},
	{name: "updated_release_id", value: func(_ *CaseRecord, release int64) any { return release }},
}

var (
	// caseColumnNames are the names of caseColumns, the columns of a written row.
	caseColumnNames = columnNames(func(caseColumn) bool { return true })
	// caseSelectList selects the columns of model.Case, for reading cases.
	caseSelectList = strings.Join(columnNames(func(c caseColumn) bool { return c.read }), ", ")
	// keptOnCorrection are the columns a correction leaves as they are.
	keptOnCorrection = map[string]bool{}
)

func init() {
	for _, c := range caseColumns {
		if c.kept {
			keptOnCorrection[c.name] = true
		}
	}
}

func columnNames(keep func(caseColumn) bool) []string {
	var out []string
	for _, c := range caseColumns {
		if keep(c) {
			out = append(out, c.name)
		}
	}
	return out
}

// caseRow lists a record's values in the order of caseColumns.
func caseRow(r *CaseRecord, release int64) []any {
	row := make([]any, len(caseColumns))
	for i, c := range caseColumns {
		row[i] = c.value(r, release)
	}
	return row
}

func searchText(r *CaseRecord) *string {
	if r.SearchText != nil {
		return r.SearchText
	}
	return SearchText(r.Case.Summary)
}

// text turns an optional enumeration into an optional string column value.
func text[T ~string](p *T) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// appealColumns are the columns of appeals, in the order appealRow gives them.
var appealColumns = []string{"case_id", "level", "filed_by", "filed_on", "status", "decided_on", "fine_amount"}

// appealRow lists an appeal's values in the order of appealColumns.
func appealRow(caseID int64, a *model.Appeal) []any {
	return []any{caseID, string(a.Level), text(a.FiledBy), a.FiledOn, string(a.Status), a.DecidedOn, a.FineAmount}
}

// tables are the columns rows are written with, by table, in the order a write flushes them
// (a row's references first).
var tables = []struct {
	name    string
	columns []string
}{
	{"cases", caseColumnNames},
	{"appeals", appealColumns},
	{"detections", []string{"jurisdiction", "region", "category", "platform", "action", "detected_on", "release_id"}},
	{"corrections", []string{"case_id", "release_id", "fields"}},
	// An import's temporary tables: the rows it left unchanged (ImportBatch.keep) and, on
	// PostgreSQL, the new versions of the rows it corrects (postgres.rewriteCases).
	{"import_unchanged", []string{"source_key", "line"}},
	{"import_updates", caseColumnNames},
}

// columnsOf returns the columns rows of a table are written with.
func columnsOf(table string) []string {
	for _, t := range tables {
		if t.name == table {
			return t.columns
		}
	}
	panic("store: no columns for table " + table)
}
