package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

// Correction records that a release changed published fields of a case.
type Correction struct {
	CaseID    int64  `db:"case_id"`
	ReleaseID int64  `db:"release_id"`
	Fields    string `db:"fields"` // comma-separated column names
}

// CorrectionsByCase returns the corrections of each case, oldest first.
func (s *Store) CorrectionsByCase(ctx context.Context, caseIDs []int64) (_ map[int64][]Correction, err error) {
	defer derrors.Wrap(&err, "store.CorrectionsByCase(%d ids)", len(caseIDs))
	out := make(map[int64][]Correction, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	var rows []Correction
	if err := s.pool.selectx(ctx, &rows, "SELECT case_id, release_id, fields FROM corrections WHERE case_id IN ("+placeholders(len(caseIDs))+") ORDER BY case_id, release_id", anyArgs(caseIDs)...); err != nil {
		return nil, err
	}
	for _, c := range rows {
		out[c.CaseID] = append(out[c.CaseID], c)
	}
	return out, nil
}

// correction is a stored case and the record that changes it.
type correction struct {
	old     *storedCase
	rec     *CaseRecord
	changed []string // the fields that change
}

// correct rewrites the changed cases of an import's chunk, deletes their appeals to write
// them anew, and records the corrections: a few statements per chunk, not per case.
func (b *ImportBatch) correct(ctx context.Context, cs []correction) error {
	if len(cs) == 0 {
		return nil
	}
	tx := b.w.tx
	rows := make([][]any, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		r := c.rec
		r.Case.ID, r.Case.Reference, r.Case.FirstReleaseID = c.old.ID, c.old.Reference, c.old.FirstReleaseID
		rows[i] = caseRow(r, b.w.release)
		ids[i] = c.old.ID
	}
	if err := tx.dialect.rewriteCases(ctx, tx, rows); err != nil {
		return fmt.Errorf("update cases: %w", err)
	}
	cond, args := oneOf(tx.dialect, "case_id", ids)
	if _, err := tx.exec(ctx, "DELETE FROM appeals WHERE "+cond, args...); err != nil {
		return fmt.Errorf("update appeals: %w", err)
	}
	for _, c := range cs {
		for i := range c.rec.Appeals {
			if err := b.w.put(ctx, "appeals", appealRow(c.old.ID, &c.rec.Appeals[i])...); err != nil {
				return err
			}
		}
		if err := b.w.put(ctx, "corrections", c.old.ID, b.w.release, strings.Join(c.changed, ",")); err != nil {
			return err
		}
	}
	return nil
}

// changedFields names the published fields of a stored case that a record changes.
func changedFields(old *model.Case, oldPseudonym *string, oldAppeals []model.Appeal, r *CaseRecord) []string {
	var out []string
	ov, nv := reflect.ValueOf(*old), reflect.ValueOf(r.Case)
	t := ov.Type()
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("db")
		if tag == "" || tag == "-" || keptOnCorrection[tag] {
			continue
		}
		if !reflect.DeepEqual(ov.Field(i).Interface(), nv.Field(i).Interface()) {
			out = append(out, tag)
		}
	}
	if !reflect.DeepEqual(oldPseudonym, r.Pseudonym) {
		out = append(out, "defendant")
	}
	strip := func(as []model.Appeal) []model.Appeal {
		c := slices.Clone(as)
		for i := range c {
			c[i].CaseID, c[i].Jurisdiction = 0, ""
		}
		return c
	}
	if !reflect.DeepEqual(strip(oldAppeals), strip(r.Appeals)) && (len(oldAppeals) > 0 || len(r.Appeals) > 0) {
		out = append(out, "appeals")
	}
	return out
}
