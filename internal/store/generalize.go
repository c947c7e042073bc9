package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// quasiIdentifierRow is a row of quasiIdentifierQuery: a case's quasi-identifiers and the
// fields withheld from it now.
type quasiIdentifierRow struct {
	model.QuasiIdentifiers
	generalized string
}

// yearGroup is a jurisdiction and a year of reports: the scope within which generalisation
// makes combinations of quasi-identifiers common enough.
type yearGroup struct {
	jurisdiction model.Jurisdiction
	year         string
}

// generalize recomputes which quasi-identifiers the case-level view withholds (fn, see
// privacy.Generalizer), over the cases of one jurisdiction and year (all cases when g is
// nil), and writes the rows whose answer changed. Such a row counts as changed by the
// release: the case lists' fact table (internal/stats) picks up what changed by
// updated_release_id. A load runs it over every case, an import over the groups it touched.
func generalize(ctx context.Context, tx *writeTx, fn model.Generalizer, g *yearGroup, release int64) error {
	q, args := quasiIdentifierQuery(g)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("generalize: %w", err)
	}
	qis, err := scanQuasiIdentifiers(rows)
	rows.Close()
	if err != nil {
		return fmt.Errorf("generalize: %w", err)
	}
	changes, err := generalizedChanges(qis, fn)
	if err != nil {
		return err
	}
	if err := tx.dialect.setGeneralized(ctx, tx, changes, release); err != nil {
		return fmt.Errorf("generalize: %w", err)
	}
	return nil
}

// quasiIdentifierQuery selects the quasi-identifiers of the cases of one jurisdiction and
// year, or of all cases when g is nil.
func quasiIdentifierQuery(g *yearGroup) (string, []any) {
	w := &where{}
	if g != nil {
		w.add("jurisdiction = ?", string(g.jurisdiction))
		w.add("reported_on >= ?", g.year+"-01-01")
		w.add("reported_on <= ?", g.year+"-12-31")
	}
	// No ORDER BY: generalisation treats the cases of one combination alike, whatever their
	// order, and the covering index (cases_quasi_identifiers) gives them in its own.
	return "SELECT id, reported_on, jurisdiction, region, defendant_kind, age_band, defendant_gender, generalized FROM cases" + w.sql(), w.args
}

// scanQuasiIdentifiers reads the rows of quasiIdentifierQuery. A year of cases is hundreds
// of thousands of rows of a handful of distinct values, so it scans without reflection and
// keeps one string per distinct value.
func scanQuasiIdentifiers(rows *sql.Rows) ([]quasiIdentifierRow, error) {
	values := map[string]*string{}
	intern := func(b []byte) *string {
		if b == nil {
			return nil
		}
		if v, ok := values[string(b)]; ok {
			return v
		}
		v := string(b)
		values[v] = &v
		return &v
	}
	var id int64
	// A *sql.RawBytes borrows the driver's bytes until the next row, which is all the
	// interning needs.
	var raw [7]sql.RawBytes
	dest := []any{&id}
	for i := range raw {
		dest = append(dest, &raw[i])
	}
	var out []quasiIdentifierRow
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		q := quasiIdentifierRow{QuasiIdentifiers: model.QuasiIdentifiers{ID: id, Region: intern(raw[2]),
			Kind: (*model.DefendantKind)(intern(raw[3])), AgeBand: (*model.AgeBand)(intern(raw[4])),
			Gender: (*model.Gender)(intern(raw[5]))}}
		if v := intern(raw[0]); v != nil && len(*v) >= 4 {
			q.Year, _ = strconv.Atoi((*v)[:4]) // reported_on is YYYY-MM-DD
		}
		if v := intern(raw[1]); v != nil {
			q.Jurisdiction = model.Jurisdiction(*v)
		}
		if v := intern(raw[6]); v != nil {
			q.generalized = *v
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

type generalizedChange struct {
	id          int64
	generalized string
}

// generalizedChanges runs fn over the cases' quasi-identifiers and lists the cases whose
// withheld fields differ from what is stored.
func generalizedChanges(rows []quasiIdentifierRow, fn model.Generalizer) ([]generalizedChange, error) {
	qis := make([]model.QuasiIdentifiers, len(rows))
	for i := range rows {
		qis[i] = rows[i].QuasiIdentifiers
	}
	masks := fn(qis)
	if len(masks) != len(rows) {
		return nil, errors.New("generalize: one answer per case expected")
	}
	var out []generalizedChange
	for i, q := range rows {
		if g := strings.Join(masks[i], ","); g != q.generalized {
			out = append(out, generalizedChange{q.ID, g})
		}
	}
	return out, nil
}
