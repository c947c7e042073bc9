package store

import (
	"context"
	"errors"
	"reflect"
	"strings"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// CasesByID returns the cases with the given ids, in the order of ids; ids with no case
// are left out. Case lists are filtered and ordered by the statistics engine
// (internal/stats), which hands the ids of one page here.
func (s *Store) CasesByID(ctx context.Context, ids []int64) (_ []model.Case, err error) {
	defer derrors.Wrap(&err, "store.CasesByID(%d ids)", len(ids))
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.Case
	if err := s.pool.selectx(ctx, &rows, "SELECT "+caseSelectList+" FROM cases WHERE id IN ("+placeholders(len(ids))+")", anyArgs(ids)...); err != nil {
		return nil, err
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

// CountCases counts the cases matching f in SQL, a scan of the table; f may hold a search
// and nothing else. The fact table sizes itself by it; answers count case lists in memory
// (stats.Engine.CountCases).
func (s *Store) CountCases(ctx context.Context, f model.CaseFilter) (_ int, err error) {
	defer derrors.Wrap(&err, "store.CountCases")
	w, err := s.whereCases(f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.pool.getx(ctx, &n, "SELECT COUNT(*) FROM cases"+w.sql(), w.args...); err != nil {
		return 0, err
	}
	return n, nil
}

// CaseByReference returns one case, ErrNotFound when no case has that reference.
func (s *Store) CaseByReference(ctx context.Context, reference string) (_ *model.Case, err error) {
	defer derrors.Wrap(&err, "store.CaseByReference")
	var c model.Case
	if err := s.pool.getx(ctx, &c, "SELECT "+caseSelectList+" FROM cases WHERE reference = ?", reference); err != nil {
		return nil, err
	}
	return &c, nil
}

// AppealsByCase returns the appeals of each case id, appeal before cassation.
func (s *Store) AppealsByCase(ctx context.Context, caseIDs []int64) (_ map[int64][]model.Appeal, err error) {
	defer derrors.Wrap(&err, "store.AppealsByCase(%d ids)", len(caseIDs))
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
	if err := s.pool.selectx(ctx, &rows, q, args...); err != nil {
		return nil, err
	}
	for _, a := range rows {
		out[a.CaseID] = append(out[a.CaseID], a)
	}
	return out, nil
}

// whereCases turns a filter into conditions. Case lists are filtered by the statistics
// engine in memory (internal/stats); the store is asked only to count all cases (to size
// the engine's table) and to find the cases a search matches, so a filter may hold nothing
// but Search.
func (s *Store) whereCases(f model.CaseFilter) (*where, error) {
	search := f.Search
	f.Search = nil
	if !reflect.ValueOf(f).IsZero() {
		return nil, errors.New("only a search is filtered in SQL; case lists filter in internal/stats")
	}
	w := &where{}
	if search != nil {
		// A plain substring test: search_text and the words are folded to lower case in Go
		// already, so LIKE's pattern matching (and its escaping of % and _, and its case
		// folding on SQLite) bought nothing but time. The scan of every summary remains;
		// the engine keeps what recent searches matched (stats/search.go).
		contains := s.dialect.contains("search_text")
		for _, word := range SearchWords(*search) {
			w.add(contains, word)
		}
	}
	return w, nil
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
