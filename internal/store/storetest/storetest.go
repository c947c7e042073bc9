// Package storetest opens real stores for tests: a SQLite file in the test's temporary
// directory and, when CASEWATCH_TEST_POSTGRES_URL names a server, a PostgreSQL schema of its
// own that is dropped when the test ends. The test command (.ci/test) sets that variable and
// CASEWATCH_TEST_REQUIRE_SERVICES=1, under which a missing server fails the test instead of
// skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/casewatch/casewatch/internal/store"
)

// Backend is a database a test can run against.
type Backend struct {
	Name string
	// URL is a DATABASE_URL for this test alone.
	URL string
}

// Backends returns SQLite and, when available, PostgreSQL, each a fresh empty database.
func Backends(t testing.TB) []Backend {
	t.Helper()
	out := []Backend{{Name: "sqlite", URL: SQLiteURL(t)}}
	if pg := PostgresURL(t); pg != "" {
		out = append(out, Backend{Name: "postgres", URL: pg})
	}
	return out
}

// SQLiteURL returns the URL of a new SQLite file in the test's temporary directory.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "casewatch.db")
}

// PostgresURL returns the URL of a new, empty schema on the test PostgreSQL server, dropped
// at the end of the test; "" when no server is configured and services are not required.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("CASEWATCH_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("CASEWATCH_TEST_POSTGRES_URL is not set; run the tests through .ci/test")
		}
		t.Log("CASEWATCH_TEST_POSTGRES_URL not set: PostgreSQL part not run (use .ci/test)")
		return ""
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates a store at databaseURL, closed when the test ends.
func Open(t testing.TB, databaseURL string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
