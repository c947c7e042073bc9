package store

import (
	"context"
	"database/sql/driver"
	"hash/fnv"
	"os"
	"strings"
	"time"

	"github.com/casewatch/casewatch/internal/derrors"
)

// Exclusive runs fn while holding the store-wide lock called name, so that work every
// instance would otherwise do at start (migrating, seeding an empty database) runs once when
// several instances start together: the others wait, then find it done.
//
// On PostgreSQL it is a session advisory lock on a connection of its own, keyed by name and
// the current schema (so deployments sharing a database in separate schemas do not wait for
// each other); it is released when fn returns, or by the server if the process dies. On
// SQLite it is an exclusive flock(2) on the file PATH-NAME.lock beside the database.
func (s *Store) Exclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (err error) {
	defer derrors.Wrap(&err, "store.Exclusive(%s)", name)
	return s.exclusive(ctx, name, fn)
}

// exclusive is Exclusive for the store's own methods, which wrap its errors themselves.
func (s *Store) exclusive(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	unlock, err := s.lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	return fn(ctx)
}

func (s *Store) lock(ctx context.Context, name string) (unlock func(), err error) {
	if s.backend == Postgres {
		return s.advisoryLock(ctx, name)
	}
	if s.path == "" {
		// An in-memory database lives in this process alone.
		s.memLock.Lock()
		return s.memLock.Unlock, nil
	}
	return lockFile(ctx, s.path+"-"+name+".lock")
}

// lockKey is the first half of the advisory lock's key.
func lockKey(name string) int32 {
	h := fnv.New32a()
	h.Write([]byte("casewatch:" + name))
	return int32(h.Sum32())
}

func (s *Store) advisoryLock(ctx context.Context, name string) (func(), error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	key := lockKey(name)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", key); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", key); err != nil {
			// The session's locks go with it: throw the connection away.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

// sqlitePath returns the file of a SQLite database URL's path, "" for an in-memory one.
func sqlitePath(path string) string {
	p, _, _ := strings.Cut(path, "?")
	if p == "" || p == ":memory:" || strings.HasPrefix(p, "file::memory:") || strings.Contains(path, "mode=memory") {
		return ""
	}
	return p
}

// lockFile takes an exclusive flock on path, polling so that ctx can end the wait.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		ok, err := tryFlock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			return func() { _ = unflock(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
