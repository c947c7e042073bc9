package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
)

// dialect is what differs between SQLite and PostgreSQL in the store's SQL: how new rows go
// in, how generalisation and corrections are written back, how a list of values and a
// substring test are spelled, and how the planner's statistics are refreshed. Load and
// Import both write through it, in a writeTx.
type dialect interface {
	// chunkRows is how many new rows of a table with that many columns a write buffers
	// before it inserts them.
	chunkRows(columns int) int
	// insertRows writes new rows into a table.
	insertRows(ctx context.Context, tx *writeTx, table string, columns []string, rows [][]any) error
	// setGeneralized writes what the case-level view withholds, marking the rows as changed
	// by the release.
	setGeneralized(ctx context.Context, tx *writeTx, changes []generalizedChange, release int64) error
	// rewriteCases writes whole rows of cases (in caseColumns order) over the stored ones
	// with the same id, but for the columns keptOnCorrection.
	rewriteCases(ctx context.Context, tx *writeTx, rows [][]any) error
	// bindsArrays tells whether a list of values binds as one array parameter (oneOf).
	bindsArrays() bool
	// contains is the condition that column holds the one argument as a substring.
	contains(column string) string
	// analyze refreshes the planner's statistics of the tables a bulk load wrote, which it
	// leaves stale.
	analyze(ctx context.Context, r *runner, tables ...string) error
	// afterImport does what an import that committed leaves to be done outside its
	// transaction.
	afterImport(ctx context.Context, r *runner) error
	goose() goose.Dialect
}

func dialectOf(b Backend) dialect {
	if b == Postgres {
		return postgres{}
	}
	return sqlite{}
}

// setGeneralizedSQL writes one case's withheld fields.
const setGeneralizedSQL = "UPDATE cases SET generalized = ?, updated_release_id = ? WHERE id = ?"

// correctionSets lists "column = <value>" for each column a correction rewrites.
func correctionSets(value func(column string) string) string {
	var sets []string
	for _, c := range caseColumnNames {
		if !keptOnCorrection[c] {
			sets = append(sets, c+" = "+value(c))
		}
	}
	return strings.Join(sets, ", ")
}

// sqlite runs in process: a statement costs no round trip, so rows go one statement each
// where that is simplest, and many to a multi-row INSERT where they are new.
type sqlite struct{}

// sqliteParameters is how many parameters a multi-row INSERT takes; SQLite allows 32,766.
const sqliteParameters = 32_000

func (sqlite) chunkRows(columns int) int { return sqliteParameters / columns }

func (sqlite) insertRows(ctx context.Context, tx *writeTx, table string, columns []string, rows [][]any) error {
	per := sqliteParameters / len(columns)
	tuple := "(" + placeholders(len(columns)) + ")"
	for len(rows) > 0 {
		n := min(per, len(rows))
		// OR FAIL rather than the default (ABORT): to undo one statement alone, SQLite
		// would first copy every page the statement changes into a statement journal. Here
		// any failure fails the whole write, whose transaction is then rolled back, so
		// that copy would only cost time (a tenth of an import's).
		q := "INSERT OR FAIL INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
		args := make([]any, 0, n*len(columns))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (sqlite) setGeneralized(ctx context.Context, tx *writeTx, changes []generalizedChange, release int64) error {
	for _, c := range changes {
		if _, err := tx.exec(ctx, setGeneralizedSQL, c.generalized, release, c.id); err != nil {
			return err
		}
	}
	return nil
}

// rewriteCases runs one prepared UPDATE per row.
func (sqlite) rewriteCases(ctx context.Context, tx *writeTx, rows [][]any) error {
	query := "UPDATE cases SET " + correctionSets(func(string) string { return "?" }) + " WHERE id = ?"
	for _, row := range rows {
		args := make([]any, 0, len(row))
		for i, c := range caseColumnNames {
			if !keptOnCorrection[c] {
				args = append(args, row[i])
			}
		}
		if _, err := tx.exec(ctx, query, append(args, row[0])...); err != nil {
			return err
		}
	}
	return nil
}

func (sqlite) bindsArrays() bool { return false }

func (sqlite) contains(column string) string { return "instr(" + column + ", ?) > 0" }

// analyze uses analysis_limit, which samples each index instead of reading it whole and
// keeps it quick at a million rows, then folds the write-ahead log into the database file,
// rather than leave readers to search a log as large as the data.
func (sqlite) analyze(ctx context.Context, r *runner, tables ...string) error {
	if _, err := r.exec(ctx, "PRAGMA analysis_limit = 2000"); err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := r.exec(ctx, "ANALYZE "+t); err != nil {
			return err
		}
	}
	_, err := r.exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// afterImport analyses the tables an import writes (cases and appeals; corrections are only
// ever read by case): SQLite keeps no statistics by itself, and with analysis_limit it is
// quick.
func (d sqlite) afterImport(ctx context.Context, r *runner) error {
	return d.analyze(ctx, r, "cases", "appeals")
}

func (sqlite) goose() goose.Dialect { return goose.DialectSQLite3 }

// postgres is a server a round trip away: new rows go by COPY, which costs a fraction of
// an INSERT with as many parameters, and other writes of many rows go in one statement or
// one pipelined batch.
type postgres struct{}

// pgChunkRows is how many rows go into one COPY.
const pgChunkRows = 10_000

func (postgres) chunkRows(int) int { return pgChunkRows }

func (postgres) insertRows(ctx context.Context, tx *writeTx, table string, columns []string, rows [][]any) error {
	return tx.raw(ctx, func(pg *pgx.Conn) error {
		_, err := pg.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
}

// setGeneralized sends the updates in batches: one round trip per thousand rows rather
// than per row.
func (postgres) setGeneralized(ctx context.Context, tx *writeTx, changes []generalizedChange, release int64) error {
	query := sqlx.Rebind(sqlx.DOLLAR, setGeneralizedSQL)
	for len(changes) > 0 {
		n := min(len(changes), 1000)
		batch := &pgx.Batch{}
		for _, c := range changes[:n] {
			batch.Queue(query, c.generalized, release, c.id)
		}
		if err := tx.raw(ctx, func(pg *pgx.Conn) error { return pg.SendBatch(ctx, batch).Close() }); err != nil {
			return err
		}
		changes = changes[n:]
	}
	return nil
}

// rewriteCases copies the rows into a temporary table and applies them with one
// UPDATE … FROM: a statement per row, even batched, costs PostgreSQL several times more.
func (d postgres) rewriteCases(ctx context.Context, tx *writeTx, rows [][]any) error {
	created, err := tx.createTemp(ctx, "import_updates", "CREATE TEMP TABLE import_updates (LIKE cases) ON COMMIT DROP")
	if err != nil {
		return err
	}
	if !created {
		if _, err := tx.exec(ctx, "TRUNCATE import_updates"); err != nil {
			return err
		}
	}
	if err := d.insertRows(ctx, tx, "import_updates", columnsOf("import_updates"), rows); err != nil {
		return err
	}
	_, err = tx.exec(ctx, "UPDATE cases SET "+correctionSets(func(c string) string { return "u." + c })+
		" FROM import_updates u WHERE cases.id = u.id")
	return err
}

func (postgres) bindsArrays() bool { return true }

func (postgres) contains(column string) string { return "strpos(" + column + ", ?) > 0" }

// analyze runs VACUUM too, which marks the new pages all-visible, so that index-only scans
// need not visit the rows.
func (postgres) analyze(ctx context.Context, r *runner, tables ...string) error {
	_, err := r.exec(ctx, "VACUUM (ANALYZE) "+strings.Join(tables, ", "))
	return err
}

// afterImport does nothing: autovacuum analyses a table once a tenth of it has changed, and
// analysing here would read pages all over a large table (0.7 s at a million cases) for
// plans the keys decide anyway.
func (postgres) afterImport(context.Context, *runner) error { return nil }

func (postgres) goose() goose.Dialect { return goose.DialectPostgres }
