package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/casewatch/casewatch/internal/derrors"
)

// Token is an editor's API token as stored: its hash, never the token.
type Token struct {
	Name      string  `db:"name"`
	Role      string  `db:"role"`
	Hash      string  `db:"hash"`
	CreatedAt string  `db:"created_at"`
	RevokedAt *string `db:"revoked_at"`
}

// ErrExists is returned when a name is already taken.
var ErrExists = errors.New("already exists")

// CreateToken stores a new token's hash under a name no token has had before (names of
// revoked tokens stay taken, so the audit log keeps meaning one holder).
func (s *Store) CreateToken(ctx context.Context, name, role, hash string) (err error) {
	defer derrors.Wrap(&err, "store.CreateToken")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var n int
	if err := s.pool.getx(ctx, &n, "SELECT COUNT(*) FROM tokens WHERE name = ?", name); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("token %q: %w", name, ErrExists)
	}
	_, err = s.pool.exec(ctx, "INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
		name, role, hash, time.Now().UTC().Format(time.RFC3339))
	return err
}

// RevokeToken revokes the token of that name; ErrNotFound when there is no active one.
func (s *Store) RevokeToken(ctx context.Context, name string) (err error) {
	defer derrors.Wrap(&err, "store.RevokeToken")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	res, err := s.pool.exec(ctx, "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
		time.Now().UTC().Format(time.RFC3339), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %q: %w", name, ErrNotFound)
	}
	return nil
}

// ActiveToken returns the unrevoked token with that hash, ErrNotFound when there is none.
func (s *Store) ActiveToken(ctx context.Context, hash string) (_ *Token, err error) {
	defer derrors.Wrap(&err, "store.ActiveToken")
	var t Token
	if err := s.pool.getx(ctx, &t, "SELECT name, role, hash, created_at, revoked_at FROM tokens WHERE hash = ? AND revoked_at IS NULL", hash); err != nil {
		return nil, err
	}
	return &t, nil
}

// AuditEntry records one mutation.
type AuditEntry struct {
	ID        int64  `db:"id"`
	At        string `db:"at"`
	TokenName string `db:"token_name"`
	Action    string `db:"action"`
	ReleaseID *int64 `db:"release_id"`
	Detail    string `db:"detail"`
}

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e AuditEntry) (err error) {
	defer derrors.Wrap(&err, "store.Audit")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if e.At == "" {
		e.At = time.Now().UTC().Format(time.RFC3339)
	}
	_, err = s.pool.exec(ctx, `INSERT INTO audit_log (id, at, token_name, action, release_id, detail)
		VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log), ?, ?, ?, ?, ?)`,
		e.At, e.TokenName, e.Action, e.ReleaseID, e.Detail)
	return err
}

// AuditLog returns the audit log, oldest first.
func (s *Store) AuditLog(ctx context.Context) (_ []AuditEntry, err error) {
	defer derrors.Wrap(&err, "store.AuditLog")
	var out []AuditEntry
	err = s.pool.selectx(ctx, &out, "SELECT id, at, token_name, action, release_id, detail FROM audit_log ORDER BY id")
	return out, err
}
