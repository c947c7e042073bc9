package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/casewatch/casewatch/internal/model"
)

// QuasiIdentifiers are the fields of a case that could single out a defendant together.
type QuasiIdentifiers struct {
	ID           int64   `db:"id"`
	ReportedOn   string  `db:"reported_on"`
	Jurisdiction string  `db:"jurisdiction"`
	Region       *string `db:"region"`
	Kind         *string `db:"defendant_kind"`
	AgeBand      *string `db:"age_band"`
	Gender       *string `db:"defendant_gender"`
	Generalized  string  `db:"generalized"`
}

// yearGroup is a jurisdiction and a year of reports: the scope within which generalisation
// makes combinations of quasi-identifiers common enough.
type yearGroup struct {
	jurisdiction model.Jurisdiction
	year         string
}

// generalize recomputes which quasi-identifiers the case-level view withholds (fn, see
// privacy.Generalize), over the cases of one jurisdiction and year (all cases when g is
// nil), and writes the rows whose answer changed. Such a row counts as changed by the
// release: the case lists' fact table (internal/stats) picks up what changed by
// updated_release_id. A load runs it over every case, an import over the groups it touched.
func generalize(ctx context.Context, tx *writeTx, fn func([]QuasiIdentifiers) [][]string, g *yearGroup, release int64) error {
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
func scanQuasiIdentifiers(rows *sql.Rows) ([]QuasiIdentifiers, error) {
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
	var out []QuasiIdentifiers
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		q := QuasiIdentifiers{ID: id, Region: intern(raw[2]), Kind: intern(raw[3]), AgeBand: intern(raw[4]), Gender: intern(raw[5])}
		if v := intern(raw[0]); v != nil {
			q.ReportedOn = *v
		}
		if v := intern(raw[1]); v != nil {
			q.Jurisdiction = *v
		}
		if v := intern(raw[6]); v != nil {
			q.Generalized = *v
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
func generalizedChanges(qis []QuasiIdentifiers, fn func([]QuasiIdentifiers) [][]string) ([]generalizedChange, error) {
	masks := fn(qis)
	if len(masks) != len(qis) {
		return nil, errors.New("generalize: one answer per case expected")
	}
	var out []generalizedChange
	for i, q := range qis {
		if g := strings.Join(masks[i], ","); g != q.Generalized {
			out = append(out, generalizedChange{q.ID, g})
		}
	}
	return out, nil
}
