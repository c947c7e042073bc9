package store

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// unfilteredCaseColumns are the columns of cases that no query filters, groups or sorts by:
// hashes looked up through their unique indexes, free text, the public reference and
// bookkeeping. The planner has no use for statistics on them.
var unfilteredCaseColumns = []string{"reference", "source_key", "summary", "generalized",
	"first_release_id", "expert_on", "case_opened_on", "prosecutor_on"}

// Go migrations are for statements that differ between the backends; the rest are the
// SQL files in migrations/.

// statisticsMigration (00003) stops PostgreSQL from gathering planner statistics on
// unfilteredCaseColumns. ANALYZE (after a bulk load, and autovacuum's after imports) works
// column by column, and these took about a third of its time. It is a Go migration because the statement
// exists on PostgreSQL only: SQLite keeps statistics on indexes alone, so there it does
// nothing.
func statisticsMigration(backend Backend) *goose.Migration {
	set := func(target string) *goose.GoFunc {
		return &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			if backend != Postgres {
				return nil
			}
			for _, c := range unfilteredCaseColumns {
				if _, err := tx.ExecContext(ctx, "ALTER TABLE cases ALTER COLUMN "+c+" SET STATISTICS "+target); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	// -1 restores the default target.
	return goose.NewGoMigration(3, set("0"), set("-1"))
}

// releaseIndexMigration (00006) indexes cases by the release that last changed them. The
// statistics engine brings its fact table up to a new release by reading the cases that
// release changed (updated_release_id > the table's release); without the index that read
// scans every case, about a second at a million, before the first answer of each release.
// New rows carry the newest release, so they append to the index's last page: it costs an
// import little.
//
// On PostgreSQL the planner must also know the column again: 00003 used to turn its
// statistics off, and with none it takes `>` to match a third of the table and scans it.
// With them, and the index, it finds the column's true maximum even before the next
// ANALYZE, so it expects the few changed rows it gets.
func releaseIndexMigration(backend Backend) *goose.Migration {
	up := &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		if backend == Postgres {
			if _, err := tx.ExecContext(ctx, "ALTER TABLE cases ALTER COLUMN updated_release_id SET STATISTICS -1"); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "CREATE INDEX cases_updated_release ON cases (updated_release_id)")
		return err
	}}
	down := &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DROP INDEX cases_updated_release")
		return err
	}}
	return goose.NewGoMigration(6, up, down)
}
