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
	"first_release_id", "updated_release_id", "expert_on", "case_opened_on", "prosecutor_on"}

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
