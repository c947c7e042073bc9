package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"github.com/casewatch/casewatch/internal/model"
)

// CaseRecord is a case as written: the published fields plus the keyed hashes that only the
// store and statistics see. Neither hash can be turned back into the identifier it came from
// without CASEWATCH_SECRET.
type CaseRecord struct {
	Case model.Case
	// SourceKey is the keyed hash of (jurisdiction, source_id): re-imports find the row by it.
	SourceKey string
	// Pseudonym is the keyed hash of the defendant, for repeat-defendant statistics only.
	Pseudonym *string
	Appeals   []model.Appeal
	// SearchText is SearchText(Case.Summary), for callers that compute it ahead of the
	// write; nil has it computed when the record is written.
	SearchText *string
	// Line is where the record came from in an import, for error messages.
	Line int
}

// caseRow lists a record's values in the order of tables["cases"].
func caseRow(r *CaseRecord, release int64) []any {
	c := &r.Case
	return []any{c.ID, c.Reference, r.SourceKey, r.Pseudonym, string(c.Jurisdiction),
		c.RegionCode, string(c.Category), string(c.Concern), string(c.Platform), c.ArticleCode,
		string(c.Liability), string(c.Stage), text(c.DefendantKind), text(c.DefendantGender),
		text(c.AgeBand), c.ReportedOn, text(c.ExpertConclusion), c.ExpertOn, c.CaseOpenedOn,
		text(c.ProsecutorDecision), c.ProsecutorOn, text(c.CourtDecision), c.CourtOn,
		text(c.Sanction), c.FineAmount, text(c.AppealStatus), c.Summary, searchText(r),
		c.Generalized, c.FirstReleaseID, release}
}

func searchText(r *CaseRecord) *string {
	if r.SearchText != nil {
		return r.SearchText
	}
	return SearchText(r.Case.Summary)
}

// appealRow lists an appeal's values in the order of tables["appeals"].
func appealRow(caseID int64, a *model.Appeal) []any {
	return []any{caseID, string(a.Level), text(a.FiledBy), a.FiledOn, string(a.Status), a.DecidedOn, a.FineAmount}
}

// Batch receives the records of one bulk load. Records are buffered and written in chunks.
type Batch struct {
	tx         bulkTx
	release    int64
	nextCaseID int64
	added      int
	buffers    map[string]*buffer
	generalize model.Generalizer
}

// GeneralizeWith has the load work out, before it commits, which quasi-identifiers the
// case-level view withholds (privacy.Generalizer), over every case in the database. The
// release then never becomes visible ungeneralised.
func (b *Batch) GeneralizeWith(fn model.Generalizer) { b.generalize = fn }

type buffer struct {
	columns []string
	rows    [][]any
}

// caseRowColumns are the columns of a row of cases, in the order caseRow gives them.
var caseRowColumns = []string{"id", "reference", "source_key", "pseudonym", "jurisdiction", "region", "category",
	"concern", "platform", "article", "liability", "stage", "defendant_kind", "defendant_gender",
	"age_band", "reported_on", "expert_conclusion", "expert_on", "case_opened_on",
	"prosecutor_decision", "prosecutor_on", "court_decision", "court_on", "sanction",
	"fine_amount", "appeal_status", "summary", "search_text", "generalized",
	"first_release_id", "updated_release_id"}

// tables are the columns rows are written with, by table.
var tables = map[string][]string{
	"cases":       caseRowColumns,
	"appeals":     {"case_id", "level", "filed_by", "filed_on", "status", "decided_on", "fine_amount"},
	"detections":  {"jurisdiction", "region", "category", "platform", "action", "detected_on", "release_id"},
	"corrections": {"case_id", "release_id", "fields"},
	// An import's temporary tables: the rows it left unchanged (ImportBatch.keep) and, on
	// PostgreSQL, the new versions of the rows it changes (ImportBatch.rewriteCases).
	"import_unchanged": {"source_key", "line"},
	"import_updates":   caseRowColumns,
}

// Rows are written in chunks: one COPY per chunk on PostgreSQL, one multi-row INSERT on
// SQLite, where a statement may hold at most 32,766 parameters.
const (
	pgChunkRows      = 10_000
	sqliteParameters = 32_000
)

// AddCase writes a new case with its appeals; it assigns the case's id and release. The
// batch keeps the record's values until it writes them: the caller must not change them.
func (b *Batch) AddCase(ctx context.Context, r *CaseRecord) error {
	c := &r.Case
	c.ID = b.nextCaseID
	b.nextCaseID++
	c.FirstReleaseID = b.release
	b.added++
	if err := b.put(ctx, "cases", caseRow(r, b.release)...); err != nil {
		return err
	}
	for i := range r.Appeals {
		a := &r.Appeals[i]
		a.CaseID = c.ID
		if err := b.put(ctx, "appeals", appealRow(c.ID, a)...); err != nil {
			return err
		}
	}
	return nil
}

// AddDetection writes one detection.
func (b *Batch) AddDetection(ctx context.Context, d *model.Detection) error {
	return b.put(ctx, "detections", string(d.Jurisdiction), d.RegionCode, string(d.Category),
		string(d.Platform), string(d.Action), d.DetectedOn, b.release)
}

func (b *Batch) put(ctx context.Context, table string, values ...any) error {
	buf := b.buffers[table]
	if buf == nil {
		buf = &buffer{columns: tables[table]}
		b.buffers[table] = buf
	}
	buf.rows = append(buf.rows, values)
	if len(buf.rows) >= b.tx.chunkRows(len(buf.columns)) {
		return b.flush(ctx, table)
	}
	return nil
}

// flush writes the buffered rows of a table.
func (b *Batch) flush(ctx context.Context, table string) error {
	buf := b.buffers[table]
	if buf == nil || len(buf.rows) == 0 {
		return nil
	}
	if err := b.tx.copyRows(ctx, table, buf.columns, buf.rows); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	buf.rows = buf.rows[:0]
	return nil
}

// text turns an optional enumeration into an optional string column value.
func text[T ~string](p *T) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// Load writes one release in a single transaction: fill adds the records, and the release
// row records how many were added. It commits whole or not at all and returns the release.
// Load is for bulk loads of new records (the demo seed); it does not look for existing ones.
func (s *Store) Load(ctx context.Context, rel model.Release, fill func(*Batch) error) (*model.Release, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.inBulkTx(ctx, func(tx bulkTx) error {
		var err error
		if rel.ID, err = tx.queryInt(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM releases"); err != nil {
			return err
		}
		next, err := tx.queryInt(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM cases")
		if err != nil {
			return err
		}
		rel.PublishedAt = time.Now().UTC().Format(time.RFC3339)
		if err := tx.exec(ctx, "INSERT INTO releases ("+releaseColumns+") VALUES (?, ?, ?, ?, 0, 0, 0, ?)",
			rel.ID, rel.PublishedAt, rel.Note, rel.Synthetic, rel.Checksum); err != nil {
			return err
		}
		b := &Batch{tx: tx, release: rel.ID, nextCaseID: next, buffers: map[string]*buffer{}}
		if err := fill(b); err != nil {
			return err
		}
		for _, t := range []string{"cases", "appeals", "detections"} {
			if err := b.flush(ctx, t); err != nil {
				return err
			}
		}
		if b.generalize != nil {
			q, args := quasiIdentifierQuery(nil)
			qis, err := tx.quasiIdentifiers(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("generalize: %w", err)
			}
			changes, err := generalizedChanges(qis, b.generalize)
			if err != nil {
				return err
			}
			if err := tx.setGeneralized(ctx, changes, rel.ID); err != nil {
				return fmt.Errorf("generalize: %w", err)
			}
		}
		rel.RowsAdded = b.added
		return tx.exec(ctx, "UPDATE releases SET rows_added = ? WHERE id = ?", rel.RowsAdded, rel.ID)
	})
	if err != nil {
		return nil, err
	}
	if err := s.analyze(ctx, "cases", "appeals", "detections"); err != nil {
		return nil, fmt.Errorf("analyze after load: %w", err)
	}
	return &rel, nil
}

// bulkTx is a transaction that can write many rows fast: COPY on PostgreSQL, multi-row
// INSERT statements on SQLite.
type bulkTx interface {
	exec(ctx context.Context, query string, args ...any) error
	queryInt(ctx context.Context, query string, args ...any) (int64, error)
	copyRows(ctx context.Context, table string, columns []string, rows [][]any) error
	// chunkRows is how many rows of a table with that many columns go into one copyRows.
	chunkRows(columns int) int
	quasiIdentifiers(ctx context.Context, query string, args ...any) ([]quasiIdentifierRow, error)
	// setGeneralized writes what the case-level view withholds, marking the rows as changed
	// by the release.
	setGeneralized(ctx context.Context, changes []generalizedChange, release int64) error
}

func (s *Store) inBulkTx(ctx context.Context, fn func(bulkTx) error) error {
	if s.backend == Postgres {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(driverConn any) error {
			pg := driverConn.(*stdlib.Conn).Conn()
			return pgx.BeginFunc(ctx, pg, func(tx pgx.Tx) error { return fn(&pgBulk{s: s, tx: tx}) })
		})
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&sqliteBulk{s: s, tx: tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

type sqliteBulk struct {
	s  *Store
	tx *sqlx.Tx
	// stmts caches the prepared multi-row INSERT of a full chunk, per table.
	stmts map[string]*sql.Stmt
}

func (b *sqliteBulk) chunkRows(columns int) int { return sqliteParameters / columns }

func (b *sqliteBulk) exec(ctx context.Context, query string, args ...any) error {
	b.s.statements.Add(1)
	_, err := b.tx.ExecContext(ctx, query, args...)
	return err
}

func (b *sqliteBulk) queryInt(ctx context.Context, query string, args ...any) (int64, error) {
	b.s.statements.Add(1)
	var n int64
	err := b.tx.QueryRowxContext(ctx, query, args...).Scan(&n)
	return n, err
}

func (b *sqliteBulk) copyRows(ctx context.Context, table string, columns []string, rows [][]any) error {
	args := make([]any, 0, len(rows)*len(columns))
	for _, r := range rows {
		args = append(args, r...)
	}
	b.s.statements.Add(1)
	full := len(rows) == b.chunkRows(len(columns))
	if stmt := b.stmts[table]; full && stmt != nil {
		_, err := stmt.ExecContext(ctx, args...)
		return err
	}
	tuple := "(" + placeholders(len(columns)) + ")"
	q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(tuple+", ", len(rows)), ", ")
	if !full {
		// The last, partial chunk of a table: not worth keeping a statement for.
		_, err := b.tx.ExecContext(ctx, q, args...)
		return err
	}
	stmt, err := b.tx.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	if b.stmts == nil {
		b.stmts = map[string]*sql.Stmt{}
	}
	b.stmts[table] = stmt
	_, err = stmt.ExecContext(ctx, args...)
	return err
}

func (b *sqliteBulk) quasiIdentifiers(ctx context.Context, query string, args ...any) ([]quasiIdentifierRow, error) {
	b.s.statements.Add(1)
	rows, err := b.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanQuasiIdentifiers(rows)
}

func (b *sqliteBulk) setGeneralized(ctx context.Context, changes []generalizedChange, release int64) error {
	if len(changes) == 0 {
		return nil
	}
	stmt, err := b.tx.PrepareContext(ctx, "UPDATE cases SET generalized = ?, updated_release_id = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, c := range changes {
		b.s.statements.Add(1)
		if _, err := stmt.ExecContext(ctx, c.generalized, release, c.id); err != nil {
			return err
		}
	}
	return nil
}

type pgBulk struct {
	s  *Store
	tx pgx.Tx
}

func (b *pgBulk) chunkRows(int) int { return pgChunkRows }

func (b *pgBulk) exec(ctx context.Context, query string, args ...any) error {
	b.s.statements.Add(1)
	_, err := b.tx.Exec(ctx, sqlx.Rebind(sqlx.DOLLAR, query), args...)
	return err
}

func (b *pgBulk) queryInt(ctx context.Context, query string, args ...any) (int64, error) {
	b.s.statements.Add(1)
	var n int64
	err := b.tx.QueryRow(ctx, sqlx.Rebind(sqlx.DOLLAR, query), args...).Scan(&n)
	return n, err
}

func (b *pgBulk) quasiIdentifiers(ctx context.Context, query string, args ...any) ([]quasiIdentifierRow, error) {
	b.s.statements.Add(1)
	rows, err := b.tx.Query(ctx, sqlx.Rebind(sqlx.DOLLAR, query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanQuasiIdentifiers(rows)
}

// setGeneralized sends the updates in batches: one round trip per thousand rows rather
// than per row.
func (b *pgBulk) setGeneralized(ctx context.Context, changes []generalizedChange, release int64) error {
	for len(changes) > 0 {
		n := min(len(changes), 1000)
		batch := &pgx.Batch{}
		for _, c := range changes[:n] {
			batch.Queue("UPDATE cases SET generalized = $1, updated_release_id = $2 WHERE id = $3", c.generalized, release, c.id)
		}
		b.s.statements.Add(1)
		if err := b.tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		changes = changes[n:]
	}
	return nil
}

func (b *pgBulk) copyRows(ctx context.Context, table string, columns []string, rows [][]any) error {
	b.s.statements.Add(1)
	_, err := b.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	return err
}
