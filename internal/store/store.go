// Package store keeps casewatch's records in SQL through sqlx: SQLite (embedded default, a
// cgo-free driver so `go run` needs no C compiler) or PostgreSQL (production, through pgx).
// One set of migrations serves both; queries are written once with `?` placeholders and
// rebound for the backend. The store never sees a direct identifier: it receives records the
// privacy layer has already cleaned.
//
// Every statement runs through one runner (sql.go), on the pool or in a write transaction,
// which rebinds it and counts it (Store.Statements, which tests read to see batching at
// work). What differs between the backends is behind one dialect (dialect.go). A load and
// an import write the same way: an import is a load plus a diff against the stored cases.
// Exported methods wrap their errors with the operation, once (internal/derrors).
//
// The files:
//   - store.go opens and migrates; sql.go runs statements; dialect.go is SQLite's and
//     PostgreSQL's SQL;
//   - columns.go describes the columns of cases, from which every list of them and every
//     row of values is derived;
//   - load.go is Load, and the releaseWriter through which a release's new rows are written;
//   - import.go is Import; corrections.go the corrections an import makes to stored cases;
//     generalize.go recomputes what the case-level view withholds, after loads and imports;
//   - cases.go, facts.go, detections.go and releases.go read; tokens.go keeps editors'
//     tokens and the audit log; webhooks.go the webhooks, their outbox of deliveries with
//     its leases, and their attempt log (internal/webhooks); lock.go is Exclusive;
//     migrate_stats.go the Go migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/casewatch/casewatch/internal/derrors"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Backend names the SQL engine behind a store.
type Backend string

const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// ErrNotFound is returned by lookups of one record that does not exist.
var ErrNotFound = errors.New("not found")

// Store is the SQL store. It is safe for concurrent use.
type Store struct {
	db      *sqlx.DB
	backend Backend
	// path is a SQLite database's file, "" for PostgreSQL and in-memory databases.
	path string
	// memLock is Exclusive's lock for an in-memory SQLite database.
	memLock sync.Mutex
	// writeMu serialises writers: SQLite allows one at a time, and release numbers are
	// assigned in order on both backends.
	writeMu sync.Mutex
	dialect dialect
	// pool runs the statements outside write transactions.
	pool runner
	// statements counts the SQL statements run (runner), so tests can see batching at work.
	statements atomic.Int64
}

// Open connects to databaseURL: "sqlite:PATH" (or a path ending in .db) or
// "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL string) (_ *Store, err error) {
	// Not the URL: it may hold a password.
	defer derrors.Wrap(&err, "store.Open")
	backend, driver, dsn, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	db, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", backend, err)
	}
	if backend == SQLite {
		// WAL lets readers run beside the single writer; a few connections are enough for
		// a 2-core machine and keep the page cache warm.
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
	} else {
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
	}
	db.SetConnMaxIdleTime(0)
	s := &Store{db: db, backend: backend, dialect: dialectOf(backend)}
	s.pool = runner{q: db, statements: &s.statements}
	if backend == SQLite {
		s.path = sqlitePath(strings.TrimPrefix(dsn, "file:"))
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", backend, err)
	}
	return s, nil
}

// SQLitePath returns the file a SQLite DATABASE_URL names (with any query), ok false for
// another backend.
func SQLitePath(u string) (path string, ok bool) {
	if !strings.HasPrefix(u, "sqlite:") && !strings.HasSuffix(u, ".db") {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//"), true
}

func parseURL(u string) (backend Backend, driver, dsn string, err error) {
	switch {
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return Postgres, "pgx", u, nil
	case strings.HasPrefix(u, "sqlite:"), strings.HasSuffix(u, ".db"):
		path, _ := SQLitePath(u)
		if path == "" {
			return "", "", "", fmt.Errorf("DATABASE_URL %q names no file; use sqlite:casewatch.db", u)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		dsn := "file:" + path + sep +
			"_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
			"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-8192)&_txlock=immediate" +
			// Text a correction or migration removes is overwritten in its page, not left
			// readable in the file (FAST: no extra I/O).
			"&_pragma=secure_delete(FAST)"
		return SQLite, "sqlite", dsn, nil
	}
	return "", "", "", fmt.Errorf("DATABASE_URL %q: use sqlite:PATH or postgres://USER@HOST/DB", u)
}

// Backend tells which SQL engine this store uses.
func (s *Store) Backend() Backend { return s.backend }

// Close closes the connections.
func (s *Store) Close() (err error) {
	defer derrors.Wrap(&err, "store.Close")
	return s.db.Close()
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "store.Ping")
	return s.db.PingContext(ctx)
}

// Statements returns how many SQL statements the store has run so far.
func (s *Store) Statements() int64 { return s.statements.Load() }

// DB is the connection pool, for its statistics (sql.DBStats).
func (s *Store) DB() *sql.DB { return s.db.DB }

// Migrate applies the embedded migrations that have not run yet.
func (s *Store) Migrate(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "store.Migrate")
	_, err = s.migrateOnce(ctx)
	return err
}

// MigrateCount applies the embedded migrations that have not run yet and returns how many
// it applied. It holds the "migrate" lock (Exclusive): instances starting together on one
// database migrate it once, the others wait and find nothing left to do.
func (s *Store) MigrateCount(ctx context.Context) (applied int, err error) {
	defer derrors.Wrap(&err, "store.MigrateCount")
	return s.migrateOnce(ctx)
}

func (s *Store) migrateOnce(ctx context.Context) (applied int, err error) {
	err = s.exclusive(ctx, "migrate", func(ctx context.Context) error {
		applied, err = s.migrate(ctx)
		return err
	})
	return applied, err
}

func (s *Store) migrate(ctx context.Context) (int, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(s.dialect.goose(), s.db.DB, sub, goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(statisticsMigration(s.backend), releaseIndexMigration(s.backend)))
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SchemaVersion is the highest migration this build carries (SQL files and Go migrations
// alike). A migration may change what answers hold (00007 removed summaries), so the
// answer cache keys by it too: an upgraded server never reads what an older one cached.
func SchemaVersion() int {
	version := 6 // the Go migrations: statisticsMigration (3), releaseIndexMigration (6)
	entries, _ := fs.ReadDir(migrations, "migrations")
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err == nil {
			version = max(version, n)
		}
	}
	return version
}

// Exec runs one statement that returns no rows, for administration (schemas, tests).
func (s *Store) Exec(ctx context.Context, query string, args ...any) (err error) {
	defer derrors.Wrap(&err, "store.Exec")
	_, err = s.pool.exec(ctx, query, args...)
	return err
}
