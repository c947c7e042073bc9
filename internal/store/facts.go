package store

import (
	"context"
	"database/sql"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// CaseFact is what statistics and case lists need of one case: its exact categories, its
// dates, its first-instance fine, its appeals, and which quasi-identifiers the case-level
// view withholds. Byte slices are only valid until the callback returns.
type CaseFact struct {
	ID int64
	// Reference is the case's public reference: case lists order a month's cases by a
	// keyed hash of it (stats), which stays the same from release to release.
	Reference sql.RawBytes
	// Codes, nil when the column is NULL.
	Jurisdiction, Region, Category, Platform, Article, Liability, DefendantKind, Stage,
	Decision, Sanction, AppealStatus, Prosecutor, Expert sql.RawBytes
	CaseOpened bool
	// Dates, YYYY-MM-DD; CourtOn nil while undecided.
	ReportedOn, CourtOn sql.RawBytes
	FineAmount          sql.NullInt64
	Pseudonym           sql.RawBytes
	// Appeal and cassation: status (nil when there is none) and the fine they set.
	AppealOutcome, CassationOutcome sql.RawBytes
	AppealFine, CassationFine       sql.NullInt64
	// Generalized lists the fields the case-level view withholds (cases.generalized).
	Generalized sql.RawBytes
	// SearchText is the summary as a search matches it (SearchText), nil without one.
	SearchText sql.RawBytes
}

// EachCaseFact calls fn for every case changed by a release after the given one, or for
// every case in id order when after is 0. A change of what the case-level view withholds
// counts as a change (generalize moves updated_release_id too).
func (s *Store) EachCaseFact(ctx context.Context, after int64, fn func(*CaseFact) error) (err error) {
	defer derrors.Wrap(&err, "store.EachCaseFact(after release %d)", after)
	q := `SELECT c.id, c.reference, c.jurisdiction, c.region, c.category, c.platform, c.article, c.liability,
		c.defendant_kind, c.stage, c.court_decision, c.sanction, c.appeal_status,
		c.prosecutor_decision, c.expert_conclusion,
		CASE WHEN c.case_opened_on IS NULL THEN 0 ELSE 1 END, c.reported_on, c.court_on,
		c.fine_amount, c.pseudonym, a.status, a.fine_amount, x.status, x.fine_amount, c.generalized, c.search_text
		FROM cases c
		LEFT JOIN appeals a ON a.case_id = c.id AND a.level = 'APPEAL'
		LEFT JOIN appeals x ON x.case_id = c.id AND x.level = 'CASSATION'`
	var args []any
	if after > 0 {
		// Through cases_updated_release, in its order: the caller puts them in place.
		q += " WHERE c.updated_release_id > ?"
		args = append(args, after)
	} else {
		q += " ORDER BY c.id"
	}
	rows, err := s.pool.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var f CaseFact
	var opened int
	dest := []any{&f.ID, &f.Reference, &f.Jurisdiction, &f.Region, &f.Category, &f.Platform, &f.Article,
		&f.Liability, &f.DefendantKind, &f.Stage, &f.Decision, &f.Sanction, &f.AppealStatus,
		&f.Prosecutor, &f.Expert, &opened, &f.ReportedOn, &f.CourtOn, &f.FineAmount,
		&f.Pseudonym, &f.AppealOutcome, &f.AppealFine, &f.CassationOutcome, &f.CassationFine,
		&f.Generalized, &f.SearchText}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		f.CaseOpened = opened == 1
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CaseIDsMatchingSearch returns the ids of the cases whose summary holds every word of
// search (as CaseFilter.Search matches them).
func (s *Store) CaseIDsMatchingSearch(ctx context.Context, search string) (_ []int64, err error) {
	defer derrors.Wrap(&err, "store.CaseIDsMatchingSearch")
	w, err := s.whereCases(model.CaseFilter{Search: &search})
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := s.pool.selectx(ctx, &ids, "SELECT id FROM cases"+w.sql(), w.args...); err != nil {
		return nil, err
	}
	return ids, nil
}
