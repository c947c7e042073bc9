package store

import (
	"context"
	"fmt"

	"github.com/casewatch/casewatch/internal/derrors"
	"github.com/casewatch/casewatch/internal/model"
)

const releaseColumns = "id, published_at, note, synthetic, rows_added, rows_updated, rows_unchanged, checksum"

// Generation is the number of the newest release, 0 when there is none. Every committed
// batch raises it, so caches keyed by it never serve an answer of an older release.
func (s *Store) Generation(ctx context.Context) (_ int64, err error) {
	defer derrors.Wrap(&err, "store.Generation")
	var g int64
	if err := s.pool.getx(ctx, &g, "SELECT COALESCE(MAX(id), 0) FROM releases"); err != nil {
		return 0, err
	}
	return g, nil
}

// Release returns one release, ErrNotFound when there is none with that id.
func (s *Store) Release(ctx context.Context, id int64) (_ *model.Release, err error) {
	defer derrors.Wrap(&err, "store.Release(%d)", id)
	var r model.Release
	if err := s.pool.getx(ctx, &r, "SELECT "+releaseColumns+" FROM releases WHERE id = ?", id); err != nil {
		return nil, err
	}
	return &r, nil
}

// Releases returns the releases with the given ids; ids without one are left out.
func (s *Store) Releases(ctx context.Context, ids []int64) (_ map[int64]*model.Release, err error) {
	defer derrors.Wrap(&err, "store.Releases(%d ids)", len(ids))
	out := make(map[int64]*model.Release, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := anyArgs(ids)
	var rows []model.Release
	if err := s.pool.selectx(ctx, &rows, "SELECT "+releaseColumns+" FROM releases WHERE id IN ("+placeholders(len(ids))+")", args...); err != nil {
		return nil, err
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// CurrentRelease returns the newest release, ErrNotFound before the first one.
func (s *Store) CurrentRelease(ctx context.Context) (_ *model.Release, err error) {
	defer derrors.Wrap(&err, "store.CurrentRelease")
	var r model.Release
	if err := s.pool.getx(ctx, &r, "SELECT "+releaseColumns+" FROM releases ORDER BY id DESC LIMIT 1"); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListReleases returns up to first releases, newest first, older than before (all when it
// is 0), and whether more follow.
func (s *Store) ListReleases(ctx context.Context, first int, before int64) (_ []model.Release, _ bool, err error) {
	defer derrors.Wrap(&err, "store.ListReleases(first %d, before %d)", first, before)
	w := &where{}
	if before > 0 {
		w.add("id < ?", before)
	}
	var out []model.Release
	q := fmt.Sprintf("SELECT %s FROM releases%s ORDER BY id DESC LIMIT %d", releaseColumns, w.sql(), first+1)
	if err := s.pool.selectx(ctx, &out, q, w.args...); err != nil {
		return nil, false, err
	}
	more := len(out) > first
	if more {
		out = out[:first]
	}
	return out, more, nil
}

// CountReleases counts all releases.
func (s *Store) CountReleases(ctx context.Context) (_ int, err error) {
	defer derrors.Wrap(&err, "store.CountReleases")
	var n int
	if err := s.pool.getx(ctx, &n, "SELECT COUNT(*) FROM releases"); err != nil {
		return 0, err
	}
	return n, nil
}

// UnlistedArticles returns the articles that imports brought and the reference list lacks.
func (s *Store) UnlistedArticles(ctx context.Context) (_ []model.Article, err error) {
	defer derrors.Wrap(&err, "store.UnlistedArticles")
	var out []model.Article
	if err := s.pool.selectx(ctx, &out, "SELECT jurisdiction, code, liability FROM articles ORDER BY jurisdiction, code"); err != nil {
		return nil, err
	}
	return out, nil
}
