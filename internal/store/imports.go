package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"github.com/casewatch/casewatch/internal/model"
)

// ImportOptions steer one import.
type ImportOptions struct {
	Release model.Release
	// DryRun checks and counts everything, then writes nothing.
	DryRun bool
	// Reference gives a new case its public reference; attempt counts up on a collision.
	Reference func(rec *CaseRecord, attempt int) string
	// Generalize returns, for each case, the quasi-identifiers to withhold from the
	// case-level view (privacy.Generalizer).
	Generalize model.Generalizer
}

// quasiIdentifierRow is a row of quasiIdentifierQuery: a case's quasi-identifiers and the
// fields withheld from it now.
type quasiIdentifierRow struct {
	model.QuasiIdentifiers
	generalized string
}

// ImportResult counts what an import did. Release is nil when nothing changed (or on a dry
// run): an unchanged re-import creates no release.
type ImportResult struct {
	Release                   *model.Release
	Added, Updated, Unchanged int
	NewArticles               int
}

// DuplicateError reports a record whose source id appeared earlier in the same import.
type DuplicateError struct {
	Line int
	// FirstLine is where it appeared first; 0 when that row was added or updated in an
	// earlier chunk (found by its release, not by its line: memory stays flat however
	// long the file).
	FirstLine int
}

func (e *DuplicateError) Error() string {
	if e.FirstLine == 0 {
		return "this source_id and jurisdiction already appeared earlier in this file"
	}
	return fmt.Sprintf("this source_id and jurisdiction already appeared on line %d of this file", e.FirstLine)
}

// ImportBatch receives the records of one import.
type ImportBatch struct {
	s  *Store
	tx *sqlx.Tx
	// conn is the connection tx runs on, on PostgreSQL: new rows go in by COPY on it.
	conn     *sqlx.Conn
	opts     *ImportOptions
	release  int64
	nextID   int64
	pending  []*CaseRecord
	res      ImportResult
	articles map[string]model.Article
	// touched lists the (jurisdiction, year) groups the import changed: generalisation
	// works within them, so only they need recomputing.
	touched map[yearGroup]bool
	// stmts keeps prepared statements by text: chunks repeat the same long statements,
	// and preparing one costs as much as running it.
	stmts map[string]*sqlx.Stmt
	// keptRows tells whether the temporary table import_unchanged exists. It holds the
	// keys and lines of the rows this import left unchanged: unlike added and updated
	// rows, they carry nothing of the import that a later copy could be told by.
	keptRows bool
	// staging tells whether the temporary table import_updates exists (PostgreSQL only).
	staging bool
}

func (b *ImportBatch) stmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := b.stmts[query]; ok {
		return st, nil
	}
	st, err := b.tx.PreparexContext(ctx, b.tx.Rebind(query))
	if err != nil {
		return nil, err
	}
	b.stmts[query] = st
	return st, nil
}

func (b *ImportBatch) selectx(ctx context.Context, dest any, query string, args ...any) error {
	st, err := b.stmt(ctx, query)
	if err != nil {
		return err
	}
	b.s.statements.Add(1)
	return st.SelectContext(ctx, dest, args...)
}

func (b *ImportBatch) exec(ctx context.Context, query string, args ...any) error {
	st, err := b.stmt(ctx, query)
	if err != nil {
		return err
	}
	b.s.statements.Add(1)
	_, err = st.ExecContext(ctx, args...)
	return err
}

// importChunk is how many records are looked up and written together. Each chunk costs a
// few round trips whatever its size, so larger chunks go faster; memory holds one chunk.
const importChunk = 2000

// Put adds or updates one record. Records are written in chunks.
func (b *ImportBatch) Put(ctx context.Context, rec *CaseRecord) error {
	b.pending = append(b.pending, rec)
	if len(b.pending) >= importChunk {
		return b.flush(ctx)
	}
	return nil
}

// SetChecksum records the checksum of the input, known once it has all been read.
func (b *ImportBatch) SetChecksum(sum string) { b.opts.Release.Checksum = &sum }

// AddArticle lists an article the reference list lacks.
func (b *ImportBatch) AddArticle(a model.Article) {
	b.articles[string(a.Jurisdiction)+" "+a.Code] = a
}

// Import writes one batch of records as a release, in one transaction that commits whole
// or not at all. Records are matched by their source key: a new one is added, a changed
// one updated with a correction, an unchanged one left alone.
func (s *Store) Import(ctx context.Context, opts ImportOptions, fill func(*ImportBatch) error) (*ImportResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// On PostgreSQL the transaction runs on a connection of its own, so that COPY (which
	// database/sql cannot express) can run inside it through the driver's connection.
	var conn *sqlx.Conn
	begin := s.db.BeginTxx
	if s.backend == Postgres {
		c, err := s.db.Connx(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		conn, begin = c, c.BeginTxx
	}
	tx, err := begin(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	b := &ImportBatch{s: s, tx: tx, conn: conn, opts: &opts, articles: map[string]model.Article{}, stmts: map[string]*sqlx.Stmt{}, touched: map[yearGroup]bool{}}
	if err := tx.GetContext(ctx, &b.release, "SELECT COALESCE(MAX(id), 0) + 1 FROM releases"); err != nil {
		return nil, err
	}
	if err := tx.GetContext(ctx, &b.nextID, "SELECT COALESCE(MAX(id), 0) + 1 FROM cases"); err != nil {
		return nil, err
	}
	rel := opts.Release
	rel.ID = b.release
	rel.PublishedAt = time.Now().UTC().Format(time.RFC3339)
	// The release row goes first: the cases written below name it.
	if _, err := tx.ExecContext(ctx, tx.Rebind("INSERT INTO releases ("+releaseColumns+") VALUES (?, ?, ?, ?, 0, 0, 0, ?)"),
		rel.ID, rel.PublishedAt, rel.Note, rel.Synthetic, rel.Checksum); err != nil {
		return nil, err
	}
	if err := fill(b); err != nil {
		return nil, err
	}
	if err := b.flush(ctx); err != nil {
		return nil, err
	}
	if err := b.writeArticles(ctx); err != nil {
		return nil, err
	}
	if b.keptRows {
		if _, err := tx.ExecContext(ctx, "DROP TABLE import_unchanged"); err != nil {
			return nil, err
		}
	}
	res := b.res
	if res.Added+res.Updated+res.NewArticles == 0 || opts.DryRun {
		return &res, nil // rolled back: nothing to publish
	}
	if opts.Generalize != nil {
		for g := range b.touched {
			if err := s.generalize(ctx, tx, opts.Generalize, &g, b.release); err != nil {
				return nil, err
			}
		}
	}
	rel.RowsAdded, rel.RowsUpdated, rel.RowsUnchanged = res.Added, res.Updated, res.Unchanged
	rel.Checksum = opts.Release.Checksum
	if _, err := tx.ExecContext(ctx, tx.Rebind("UPDATE releases SET rows_added = ?, rows_updated = ?, rows_unchanged = ?, checksum = ? WHERE id = ?"),
		rel.RowsAdded, rel.RowsUpdated, rel.RowsUnchanged, rel.Checksum, rel.ID); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	res.Release = &rel
	// SQLite keeps no statistics by itself: analyse the tables an import writes (cases and
	// appeals; corrections are only ever read by case), which is quick with
	// analysis_limit, and fold the log into the file. PostgreSQL's autovacuum analyses a
	// table once a tenth of it has changed; doing it here would read pages all over a large
	// table (0.7 s at a million cases) for plans the keys decide anyway.
	if s.backend == SQLite {
		if err := s.analyze(ctx, "cases", "appeals"); err != nil {
			return nil, fmt.Errorf("analyze after import: %w", err)
		}
	}
	return &res, nil
}

// storedCase is a case as stored, with the hashes compared on re-import.
type storedCase struct {
	model.Case
	SourceKey        string  `db:"source_key"`
	Pseudonym        *string `db:"pseudonym"`
	UpdatedReleaseID int64   `db:"updated_release_id"`
}

func (b *ImportBatch) flush(ctx context.Context) error {
	if len(b.pending) == 0 {
		return nil
	}
	recs := b.pending
	b.pending = b.pending[:0:0]

	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.SourceKey
	}
	var existing []storedCase
	cond, args := oneOf(b.s.backend, "source_key", keys)
	q := "SELECT " + caseColumns + ", source_key, pseudonym, updated_release_id FROM cases WHERE " + cond
	if err := b.selectx(ctx, &existing, q, args...); err != nil {
		return fmt.Errorf("look up cases: %w", err)
	}
	bySource := make(map[string]*storedCase, len(existing))
	ids := make([]int64, len(existing))
	for i := range existing {
		bySource[existing[i].SourceKey] = &existing[i]
		ids[i] = existing[i].ID
	}
	storedAppeals := map[int64][]model.Appeal{}
	if len(ids) > 0 {
		var rows []model.Appeal
		cond, args := oneOf(b.s.backend, "case_id", ids)
		q := "SELECT case_id, level, filed_by, filed_on, status, decided_on, fine_amount FROM appeals WHERE " + cond + " ORDER BY case_id, level"
		if err := b.selectx(ctx, &rows, q, args...); err != nil {
			return fmt.Errorf("look up appeals: %w", err)
		}
		for _, a := range rows {
			storedAppeals[a.CaseID] = append(storedAppeals[a.CaseID], a)
		}
	}

	// Rows left unchanged by an earlier chunk, by key: a later copy is a duplicate too.
	keptEarlier := map[string]int{}
	if b.keptRows {
		var kept []struct {
			SourceKey string `db:"source_key"`
			Line      int    `db:"line"`
		}
		cond, args := oneOf(b.s.backend, "source_key", keys)
		if err := b.selectx(ctx, &kept, "SELECT source_key, line FROM import_unchanged WHERE "+cond, args...); err != nil {
			return fmt.Errorf("look up unchanged rows: %w", err)
		}
		for _, k := range kept {
			keptEarlier[k.SourceKey] = k.Line
		}
	}
	var added []*CaseRecord
	var updated []correction
	var kept [][]any
	// appeals collects the chunk's appeal rows, to write in one go once the updated cases'
	// old ones are deleted and the new cases have their ids.
	var appeals [][]any
	seen := map[string]int{}
	for _, r := range recs {
		if first, ok := seen[r.SourceKey]; ok {
			return &DuplicateError{Line: r.Line, FirstLine: first}
		}
		if first, ok := keptEarlier[r.SourceKey]; ok {
			return &DuplicateError{Line: r.Line, FirstLine: first}
		}
		seen[r.SourceKey] = r.Line
		old := bySource[r.SourceKey]
		if old == nil {
			b.touch(&r.Case)
			added = append(added, r)
			continue
		}
		// Rows this import added or updated carry its release. A row it left unchanged does
		// not: a later copy of that one in another chunk passes as unchanged or as an update.
		if old.UpdatedReleaseID == b.release {
			return &DuplicateError{Line: r.Line}
		}
		changed := changedFields(&old.Case, old.Pseudonym, storedAppeals[old.ID], r)
		if len(changed) == 0 {
			b.res.Unchanged++
			kept = append(kept, []any{r.SourceKey, r.Line})
			continue
		}
		b.touch(&old.Case)
		b.touch(&r.Case)
		updated = append(updated, correction{old, r, changed})
		for _, a := range r.Appeals {
			appeals = append(appeals, appealRow(old.ID, &a))
		}
	}
	if err := b.keep(ctx, kept); err != nil {
		return err
	}
	if err := b.update(ctx, updated); err != nil {
		return err
	}
	b.res.Updated += len(updated)
	if err := b.insert(ctx, added); err != nil {
		return err
	}
	for _, r := range added {
		for _, a := range r.Appeals {
			appeals = append(appeals, appealRow(r.Case.ID, &a))
		}
	}
	if err := b.insertRows(ctx, "appeals", appeals); err != nil {
		return err
	}
	b.res.Added += len(added)
	return nil
}

// insert writes new cases, giving each an id and a reference no other case has.
func (b *ImportBatch) insert(ctx context.Context, recs []*CaseRecord) error {
	if len(recs) == 0 {
		return nil
	}
	attempt := make([]int, len(recs))
	chunk := make(map[string]bool, len(recs))
	for {
		refs := make([]string, len(recs))
		for i, r := range recs {
			r.Case.Reference = b.opts.Reference(r, attempt[i])
			refs[i] = r.Case.Reference
		}
		var taken []string
		cond, args := oneOf(b.s.backend, "reference", refs)
		if err := b.selectx(ctx, &taken, "SELECT reference FROM cases WHERE "+cond, args...); err != nil {
			return err
		}
		clash := false
		clear(chunk)
		for _, ref := range taken {
			chunk[ref] = true
		}
		for i, r := range recs {
			// A reference taken by an earlier case, or earlier in this chunk.
			if chunk[r.Case.Reference] {
				attempt[i]++
				clash = true
			}
			chunk[r.Case.Reference] = true
		}
		if !clash {
			break
		}
	}
	cases := make([][]any, len(recs))
	for i, r := range recs {
		r.Case.ID = b.nextID
		b.nextID++
		r.Case.FirstReleaseID = b.release
		cases[i] = caseRow(r, b.release)
	}
	return b.insertRows(ctx, "cases", cases)
}

// insertRows writes new rows into a table: by COPY on PostgreSQL, where it costs a
// fraction of an INSERT with as many parameters, and by multi-row INSERT on SQLite.
func (b *ImportBatch) insertRows(ctx context.Context, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	columns := tables[table]
	if b.conn != nil {
		b.s.statements.Add(1)
		err := b.conn.Raw(func(driverConn any) error {
			pg := driverConn.(*stdlib.Conn).Conn()
			_, err := pg.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
		return nil
	}
	per := sqliteParameters / len(columns)
	for len(rows) > 0 {
		n := min(per, len(rows))
		tuple := "(" + placeholders(len(columns)) + ")"
		// OR FAIL rather than the default (ABORT): to undo one statement alone, SQLite
		// would first copy every page the statement changes into a statement journal. Here
		// any failure fails the whole import, whose transaction is then rolled back, so
		// that copy would only cost time (a tenth of the import's).
		q := "INSERT OR FAIL INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
		args := make([]any, 0, n*len(columns))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if err := b.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// keep notes the keys and lines of rows left unchanged, in a temporary table created
// when the first one comes (most imports bring new rows and never need it).
func (b *ImportBatch) keep(ctx context.Context, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if !b.keptRows {
		b.s.statements.Add(1)
		if _, err := b.tx.ExecContext(ctx, "CREATE TEMP TABLE import_unchanged (source_key TEXT PRIMARY KEY, line INTEGER NOT NULL)"); err != nil {
			return fmt.Errorf("note unchanged rows: %w", err)
		}
		b.keptRows = true
	}
	return b.insertRows(ctx, "import_unchanged", rows)
}

// correction is a stored case and the record that changes it.
type correction struct {
	old     *storedCase
	rec     *CaseRecord
	changed []string // the fields that change
}

// update rewrites the changed cases of a chunk, deletes their appeals (the caller writes
// them anew) and records the corrections: a few statements per chunk, not per case.
func (b *ImportBatch) update(ctx context.Context, cs []correction) error {
	if len(cs) == 0 {
		return nil
	}
	rows := make([][]any, len(cs))
	ids := make([]int64, len(cs))
	corrections := make([][]any, len(cs))
	for i, c := range cs {
		r := c.rec
		r.Case.ID, r.Case.Reference, r.Case.FirstReleaseID = c.old.ID, c.old.Reference, c.old.FirstReleaseID
		rows[i] = caseRow(r, b.release)
		ids[i] = c.old.ID
		corrections[i] = []any{c.old.ID, b.release, strings.Join(c.changed, ",")}
	}
	if err := b.rewriteCases(ctx, rows); err != nil {
		return fmt.Errorf("update cases: %w", err)
	}
	cond, args := oneOf(b.s.backend, "case_id", ids)
	b.s.statements.Add(1)
	if _, err := b.tx.ExecContext(ctx, b.tx.Rebind("DELETE FROM appeals WHERE "+cond), args...); err != nil {
		return fmt.Errorf("update appeals: %w", err)
	}
	return b.insertRows(ctx, "corrections", corrections)
}

// keptOnUpdate are the columns of cases a correction leaves as they are: identity, first
// release, and what generalisation decides afterwards.
var keptOnUpdate = map[string]bool{"id": true, "reference": true, "source_key": true, "first_release_id": true, "generalized": true}

// rewriteCases writes whole rows of cases (in tables["cases"] order) over the stored ones
// with the same id, but for the columns keptOnUpdate. SQLite, which runs in process, takes
// one prepared UPDATE per row. PostgreSQL gets the rows by COPY into a temporary table and
// applies them with one UPDATE … FROM: a statement per row, even batched, costs it several
// times more.
func (b *ImportBatch) rewriteCases(ctx context.Context, rows [][]any) error {
	columns := tables["cases"]
	if b.conn == nil {
		var sets []string
		for _, c := range columns {
			if !keptOnUpdate[c] {
				sets = append(sets, c+" = ?")
			}
		}
		query := "UPDATE cases SET " + strings.Join(sets, ", ") + " WHERE id = ?"
		for _, row := range rows {
			args := make([]any, 0, len(sets)+1)
			for i, c := range columns {
				if !keptOnUpdate[c] {
					args = append(args, row[i])
				}
			}
			if err := b.exec(ctx, query, append(args, row[0])...); err != nil {
				return err
			}
		}
		return nil
	}
	if !b.staging {
		b.s.statements.Add(1)
		if _, err := b.tx.ExecContext(ctx, "CREATE TEMP TABLE import_updates (LIKE cases) ON COMMIT DROP"); err != nil {
			return err
		}
		b.staging = true
	} else {
		b.s.statements.Add(1)
		if _, err := b.tx.ExecContext(ctx, "TRUNCATE import_updates"); err != nil {
			return err
		}
	}
	if err := b.insertRows(ctx, "import_updates", rows); err != nil {
		return err
	}
	var sets []string
	for _, c := range columns {
		if !keptOnUpdate[c] {
			sets = append(sets, c+" = u."+c)
		}
	}
	b.s.statements.Add(1)
	_, err := b.tx.ExecContext(ctx, "UPDATE cases SET "+strings.Join(sets, ", ")+" FROM import_updates u WHERE cases.id = u.id")
	return err
}

func (b *ImportBatch) writeArticles(ctx context.Context) error {
	for _, a := range b.articles {
		var n int
		if err := b.tx.GetContext(ctx, &n, b.tx.Rebind("SELECT COUNT(*) FROM articles WHERE jurisdiction = ? AND code = ?"), string(a.Jurisdiction), a.Code); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := b.tx.ExecContext(ctx, b.tx.Rebind("INSERT INTO articles (jurisdiction, code, liability, first_release_id) VALUES (?, ?, ?, ?)"),
			string(a.Jurisdiction), a.Code, string(a.Liability), b.release); err != nil {
			return err
		}
		b.res.NewArticles++
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
		switch tag {
		case "", "-", "id", "reference", "first_release_id", "generalized":
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

// yearGroup is a jurisdiction and a year of reports: the scope within which generalisation
// makes combinations of quasi-identifiers common enough.
type yearGroup struct {
	jurisdiction model.Jurisdiction
	year         string
}

func (b *ImportBatch) touch(c *model.Case) {
	if len(c.ReportedOn) >= 4 {
		b.touched[yearGroup{c.Jurisdiction, c.ReportedOn[:4]}] = true
	}
}

// generalize recomputes which quasi-identifiers the case-level view withholds, over the
// cases of one jurisdiction and year (all cases when g is nil), and writes the rows whose
// answer changed. Such a row counts as changed by the release: the case lists' fact table
// (internal/stats) picks up what changed by updated_release_id.
func (s *Store) generalize(ctx context.Context, tx *sqlx.Tx, fn model.Generalizer, g *yearGroup, release int64) error {
	q, args := quasiIdentifierQuery(g)
	s.statements.Add(1)
	rows, err := tx.QueryContext(ctx, tx.Rebind(q), args...)
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
	stmt, err := tx.PreparexContext(ctx, tx.Rebind("UPDATE cases SET generalized = ?, updated_release_id = ? WHERE id = ?"))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, c := range changes {
		s.statements.Add(1)
		if _, err := stmt.ExecContext(ctx, c.generalized, release, c.id); err != nil {
			return fmt.Errorf("generalize: %w", err)
		}
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

// rowScanner is what both database/sql's and pgx's rows offer.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// scanQuasiIdentifiers reads the rows of quasiIdentifierQuery. A year of cases is hundreds
// of thousands of rows of a handful of distinct values, so it scans without reflection and
// keeps one string per distinct value.
func scanQuasiIdentifiers(rows rowScanner) ([]quasiIdentifierRow, error) {
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
	var cols [7][]byte
	var raw [7]sql.RawBytes
	// database/sql copies into a *[]byte; a *sql.RawBytes borrows the driver's bytes until
	// the next row, which is all the interning needs. pgx's own rows scan into a []byte.
	_, borrow := rows.(*sql.Rows)
	dest := []any{&id}
	for i := range cols {
		if borrow {
			dest = append(dest, &raw[i])
		} else {
			dest = append(dest, &cols[i])
		}
	}
	var out []quasiIdentifierRow
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if borrow {
			for i := range raw {
				cols[i] = raw[i]
			}
		}
		out = append(out, quasiIdentifiersOf(id, &cols, intern))
	}
	return out, rows.Err()
}

// quasiIdentifiersOf builds a row of quasiIdentifierQuery from its columns after the id.
func quasiIdentifiersOf(id int64, cols *[7][]byte, intern func([]byte) *string) quasiIdentifierRow {
	q := quasiIdentifierRow{QuasiIdentifiers: model.QuasiIdentifiers{ID: id, Region: intern(cols[2]),
		Kind: (*model.DefendantKind)(intern(cols[3])), AgeBand: (*model.AgeBand)(intern(cols[4])),
		Gender: (*model.Gender)(intern(cols[5]))}}
	if v := intern(cols[0]); v != nil && len(*v) >= 4 {
		q.Year, _ = strconv.Atoi((*v)[:4]) // reported_on is YYYY-MM-DD
	}
	if v := intern(cols[1]); v != nil {
		q.Jurisdiction = model.Jurisdiction(*v)
	}
	if v := intern(cols[6]); v != nil {
		q.generalized = *v
	}
	return q
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

// Correction records that a release changed published fields of a case.
type Correction struct {
	CaseID    int64  `db:"case_id"`
	ReleaseID int64  `db:"release_id"`
	Fields    string `db:"fields"` // comma-separated column names
}

// CorrectionsByCase returns the corrections of each case, oldest first.
func (s *Store) CorrectionsByCase(ctx context.Context, caseIDs []int64) (map[int64][]Correction, error) {
	out := make(map[int64][]Correction, len(caseIDs))
	if len(caseIDs) == 0 {
		return out, nil
	}
	args := anyArgs(caseIDs)
	var rows []Correction
	if err := s.selectx(ctx, &rows, "SELECT case_id, release_id, fields FROM corrections WHERE case_id IN ("+placeholders(len(caseIDs))+") ORDER BY case_id, release_id", args...); err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	for _, c := range rows {
		out[c.CaseID] = append(out[c.CaseID], c)
	}
	return out, nil
}

// oneOf returns the condition that column holds one of values, with its arguments. On
// PostgreSQL the values go as one array: binding and planning hundreds of parameters there
// costs more than the lookup itself, and the statement's text stays the same whatever the
// count. SQLite, which has no arrays, gets a parameter per value.
func oneOf[T string | int64](backend Backend, column string, values []T) (string, []any) {
	if backend == Postgres {
		return column + " = ANY(?)", []any{values}
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return column + " IN (" + placeholders(len(values)) + ")", args
}
