package graph_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestQueryPastItsDeadlineIsCancelled holds a lock on the cases table in PostgreSQL, so the
// SQL statement of a case page waits: the query ends at its execution deadline with
// QUERY_TOO_COMPLEX, and the statement is cancelled in the database, not left waiting.
func TestQueryPastItsDeadlineIsCancelled(t *testing.T) {
	pg := storetest.PostgresURL(t)
	if pg == "" {
		t.Skip("no PostgreSQL")
	}
	f := newFixture(t, pg, 30)
	const page = `{ cases(first: 5) { edges { node { reference } } } }`
	if r := f.post(t, page, nil); len(r.Errors) > 0 {
		t.Fatalf("before the lock: %+v", r.Errors)
	}

	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE cases IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	// Another page than the one asked before, whose rows the engine keeps.
	start := time.Now()
	r := f.post(t, strings.Replace(page, "first: 5", "first: 5, orderBy: REPORTED_ASC", 1), nil)
	took := time.Since(start)
	if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != graph.CodeTooComplex {
		t.Fatalf("under the lock: %+v", r.Errors)
	}
	if took > 11*time.Second {
		t.Fatalf("the query ran %v, past any deadline", took)
	}
	// The statement that waited for the lock is gone from the database.
	var waiting int
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if waiting != 0 {
		t.Fatalf("%d statements still wait for the lock after the query ended", waiting)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if r := f.post(t, page, nil); len(r.Errors) > 0 {
		t.Fatalf("after the lock: %+v", r.Errors)
	}
	t.Logf("refused after %v", took.Round(time.Millisecond))
}
