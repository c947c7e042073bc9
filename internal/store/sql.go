package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// querier is what both the pool (*sqlx.DB) and a transaction (*sqlx.Tx) offer.
type querier interface {
	sqlx.ExtContext
	PreparexContext(ctx context.Context, query string) (*sqlx.Stmt, error)
}

// runner runs the store's statements, on the pool (Store.pool) or in a write transaction
// (writeTx). Every statement goes through it, or through writeTx.raw for PostgreSQL's COPY
// and pipelined batches: it rebinds the `?` placeholders for the backend and counts the
// statement for Store.Statements, which tests read to see batching at work.
type runner struct {
	q          querier
	statements *atomic.Int64
	// stmts keeps a write transaction's prepared statements by text: an import's chunks
	// repeat the same long statements, and preparing one costs as much as running it. Nil
	// on the pool, whose statements are not kept prepared.
	stmts map[string]*sqlx.Stmt
}

// prepare returns the transaction's prepared statement of query, preparing it the first
// time.
func (r *runner) prepare(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	st, err := r.q.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	r.stmts[query] = st
	return st, nil
}

func (r *runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	r.statements.Add(1)
	query = r.q.Rebind(query)
	if r.stmts == nil {
		return r.q.ExecContext(ctx, query, args...)
	}
	st, err := r.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (r *runner) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.statements.Add(1)
	query = r.q.Rebind(query)
	if r.stmts == nil {
		return r.q.QueryContext(ctx, query, args...)
	}
	st, err := r.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r *runner) selectx(ctx context.Context, dest any, query string, args ...any) error {
	r.statements.Add(1)
	query = r.q.Rebind(query)
	if r.stmts == nil {
		return sqlx.SelectContext(ctx, r.q, dest, query, args...)
	}
	st, err := r.prepare(ctx, query)
	if err != nil {
		return err
	}
	return st.SelectContext(ctx, dest, args...)
}

// getx reads one row into dest; ErrNotFound when there is none.
func (r *runner) getx(ctx context.Context, dest any, query string, args ...any) error {
	r.statements.Add(1)
	query = r.q.Rebind(query)
	var err error
	if r.stmts == nil {
		err = sqlx.GetContext(ctx, r.q, dest, query, args...)
	} else {
		var st *sqlx.Stmt
		if st, err = r.prepare(ctx, query); err == nil {
			err = st.GetContext(ctx, dest, args...)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// writeTx is the transaction of a write (Load, Import), with what its dialect writes
// through. It runs on a connection of its own, so that on PostgreSQL COPY and pipelined
// batches, which database/sql cannot express, run inside it on the driver's connection.
type writeTx struct {
	runner
	dialect dialect
	conn    *sqlx.Conn
	// temp holds the temporary tables created in the transaction.
	temp map[string]bool
}

// inWriteTx runs fn in a write transaction, committed when fn returns true and no error,
// rolled back otherwise. Callers hold writeMu.
func (s *Store) inWriteTx(ctx context.Context, fn func(*writeTx) (commit bool, err error)) error {
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w := &writeTx{
		runner:  runner{q: tx, statements: &s.statements, stmts: map[string]*sqlx.Stmt{}},
		dialect: s.dialect,
		conn:    conn,
		temp:    map[string]bool{},
	}
	commit, err := fn(w)
	if err != nil || !commit {
		return err
	}
	return tx.Commit()
}

// raw runs fn on the PostgreSQL driver's connection, inside the transaction. It counts as
// one statement.
func (t *writeTx) raw(ctx context.Context, fn func(*pgx.Conn) error) error {
	t.statements.Add(1)
	return t.conn.Raw(func(driverConn any) error { return fn(driverConn.(*stdlib.Conn).Conn()) })
}

// createTemp creates a temporary table by ddl unless the transaction already has, and
// reports whether it did.
func (t *writeTx) createTemp(ctx context.Context, table, ddl string) (created bool, err error) {
	if t.temp[table] {
		return false, nil
	}
	if _, err := t.exec(ctx, ddl); err != nil {
		return false, err
	}
	t.temp[table] = true
	return true, nil
}

// where builds a WHERE clause from conditions with `?` placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// in adds "column IN (…)" for a non-empty list of string-like codes.
func in[T ~string](w *where, column string, values []T) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	w.add(column+" IN ("+placeholders(len(values))+")", args...)
}

// oneOf returns the condition that column holds one of values, with its arguments. Where
// the dialect binds arrays (PostgreSQL) the values go as one: binding and planning hundreds
// of parameters there costs more than the lookup itself, and the statement's text stays the
// same whatever the count. SQLite, which has no arrays, gets a parameter per value.
func oneOf[T string | int64](d dialect, column string, values []T) (string, []any) {
	if d.bindsArrays() {
		return column + " = ANY(?)", []any{values}
	}
	return column + " IN (" + placeholders(len(values)) + ")", anyArgs(values)
}

// anyArgs passes a list of values as query arguments.
func anyArgs[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
