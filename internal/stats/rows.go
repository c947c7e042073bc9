package stats

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/casewatch/casewatch/internal/model"
)

// DefaultRowCache is how many case rows the engine keeps in memory per release (Engine.RowCache):
// some ten megabytes, the pages a dashboard or a newsroom asks most.
const DefaultRowCache = 10000

// rowTTL bounds how long a kept row is served: every change to a case comes with a
// release, which drops the rows kept, but a case removed from the database by hand, out of
// any release, is gone from the answers this long after.
const rowTTL = 10 * time.Second

// maxKeptPage bounds the pages whose rows are kept: the API's pages are at most 100 cases,
// while an export or a dump reads every case once, 1,000 at a time, and keeping those rows
// would only push out the pages asked again and again.
const maxKeptPage = 100

// keptRow is a case row and when it was read.
type keptRow struct {
	c    model.Case
	read time.Time
}

// Cases returns the cases with the given ids, in the order of ids, as the store has them
// (store.CasesByID). The rows of the current release read from the store are kept in
// memory for a few seconds, the most recently asked up to RowCache: a first page asked
// thousands of times then costs few round trips to SQL. Each release starts with none, so
// a row is never older than the release the engine answers.
func (e *Engine) Cases(ctx context.Context, ids []int64) ([]model.Case, error) {
	s := e.current.Load()
	if s == nil || e.RowCache <= 0 || len(ids) > maxKeptPage {
		return e.store.CasesByID(ctx, ids)
	}
	rows := s.rowCache(e.RowCache)
	out := make([]model.Case, 0, len(ids))
	var missing []int64
	now := time.Now()
	for _, id := range ids {
		if r, ok := rows.Get(id); ok && now.Sub(r.read) < rowTTL {
			out = append(out, r.c)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	read, err := e.store.CasesByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]model.Case, len(out)+len(read))
	for _, c := range out {
		byID[c.ID] = c
	}
	for _, c := range read {
		rows.Add(c.ID, keptRow{c, now})
		byID[c.ID] = c
	}
	out = out[:0]
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// rowCache returns s's cache of case rows, made on first use.
func (s *snapshot) rowCache(size int) *lru.Cache[int64, keptRow] {
	s.rowsOnce.Do(func() { s.rows, _ = lru.New[int64, keptRow](size) })
	return s.rows
}
