package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

const caseColumns = `id, reference, jurisdiction, region, category, concern, platform, article,
	liability, stage, defendant_kind, defendant_gender, age_band, reported_on, expert_conclusion,
	expert_on, case_opened_on, prosecutor_decision, prosecutor_on, court_decision, court_on,
	sanction, fine_amount, appeal_status, summary, generalized, first_release_id`

// CasesByID returns the cases with the given ids, in the order of ids; ids with no case
// are left out. Case lists are filtered and ordered by the statistics engine
// (internal/stats), which hands the ids of one page here.
func (s *Store) CasesByID(ctx context.Context, ids []int64) ([]model.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.Case
	if err := s.selectx(ctx, &rows, "SELECT "+caseColumns+" FROM cases WHERE id IN ("+placeholders(len(ids))+")", anyArgs(ids)...); err != nil {
		return nil, fmt.Errorf("cases by id: %w", err)
	}
	byID := make(map[int64]*model.Case, len(rows))
	for i := range rows {
		byID[rows[i].ID] = &rows[i]
	}
	out := make([]model.Case, 0, len(rows))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, *c)
		}
	}
	return out, nil
}

// CountCases counts the cases matching f in SQL, a scan of the table. The fact table sizes
// itself by it; answers count case lists in memory (stats.Engine.CountCases).
func (s *Store) CountCases(ctx context.Context, f model.CaseFilter) (int, error) {
	w := s.whereCases(f)
	var n int
	if err := s.getx(ctx, &n, "SELECT COUNT(*) FROM cases"+w.sql(), w.args...); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// CaseByReference returns one case, ErrNotFound when no case has that reference.
func (s *Store) CaseByReference(ctx context.Context, reference string) (*model.Case, error) {
	var c model.Case
	if err := s.getx(ctx, &c, "SELECT "+caseColumns+" FROM cases WHERE reference = ?", reference); err != nil {
		return nil, err
	}
	return &c, nil
}

// AppealsByCase returns the appeals of each case id, appeal before cassation.
func (s *Store) AppealsByCase(ctx context.Context, caseIDs []int64) (map[int64][]model.Appeal, error) {
	out := make(map[int64][]model.Appeal, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	// 'APPEAL' < 'CASSATION', so ordering by level gives the court order.
	q := `SELECT a.case_id, c.jurisdiction, a.level, a.filed_by, a.filed_on, a.status, a.decided_on, a.fine_amount
		FROM appeals a JOIN cases c ON c.id = a.case_id
		WHERE a.case_id IN (` + placeholders(len(caseIDs)) + ") ORDER BY a.case_id, a.level"
	args := anyArgs(caseIDs)
	var rows []model.Appeal
	if err := s.selectx(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("appeals: %w", err)
	}
	for _, a := range rows {
		out[a.CaseID] = append(out[a.CaseID], a)
	}
	return out, nil
}

// where builds a WHERE clause from conditions with `?` placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// in adds "column IN (…)" for a non-empty list of string-like codes.
func in[T ~string](w *where, column string, values []T) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	w.add(column+" IN ("+placeholders(len(values))+")", args...)
}

// anyArgs passes a list of values as query arguments.
func anyArgs[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// whereCases turns a filter into conditions, as case lists apply it.
func (s *Store) whereCases(f model.CaseFilter) *where {
	w := &where{}
	if f.Jurisdiction != nil {
		w.add("jurisdiction = ?", string(*f.Jurisdiction))
	}
	in(w, "region", f.Regions)
	if len(f.Regions) > 0 {
		// A case whose region is withheld must not be found by its region either.
		w.add("generalized NOT LIKE '%region%'")
	}
	in(w, "category", f.Categories)
	in(w, "concern", f.Concerns)
	in(w, "platform", f.Platforms)
	in(w, "article", f.Articles)
	in(w, "liability", f.Liabilities)
	in(w, "defendant_kind", f.DefendantKinds)
	if len(f.DefendantKinds) > 0 {
		w.add("generalized NOT LIKE '%defendant.kind%'")
	}
	in(w, "stage", f.Stages)
	in(w, "court_decision", f.Decisions)
	in(w, "sanction", f.Sanctions)
	in(w, "appeal_status", f.AppealStatuses)
	if f.ReportedFrom != nil {
		w.add("reported_on >= ?", *f.ReportedFrom)
	}
	if f.ReportedTo != nil {
		w.add("reported_on <= ?", *f.ReportedTo)
	}
	if f.DecidedFrom != nil {
		w.add("court_on >= ?", *f.DecidedFrom)
	}
	if f.DecidedTo != nil {
		w.add("court_on <= ?", *f.DecidedTo)
	}
	if f.Search != nil {
		// A plain substring test: search_text and the words are folded to lower case in Go
		// already, so LIKE's pattern matching (and its escaping of % and _, and its case
		// folding on SQLite) bought nothing but time. The scan of every summary remains;
		// the engine keeps what recent searches matched (stats/search.go).
		contains := "instr(search_text, ?) > 0"
		if s.backend == Postgres {
			contains = "strpos(search_text, ?) > 0"
		}
		for _, word := range SearchWords(*f.Search) {
			w.add(contains, word)
		}
	}
	return w
}

// SearchWords splits a search into the lower-case words matched against search_text, which
// holds the summary in lower case (SQLite's lower() knows only ASCII, so both are folded in Go).
func SearchWords(search string) []string {
	return strings.Fields(strings.ToLower(search))
}

// SearchText is the folded form of a summary that search matches against.
func SearchText(summary *string) *string {
	if summary == nil {
		return nil
	}
	t := strings.ToLower(*summary)
	return &t
}
