// Package graph is casewatch's GraphQL layer: the gqlgen resolvers, the dataloaders that
// batch what they fetch, and the handler with its transports, limits and error codes.
// Resolvers never talk SQL: they call the store through the Store interface.
package graph

import (
	"context"
	"io"
	"log/slog"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
)

// Store is what the resolvers read. *store.Store implements it; a cache may wrap it.
type Store interface {
	CasesByID(ctx context.Context, ids []int64) ([]model.Case, error)
	CaseByReference(ctx context.Context, reference string) (*model.Case, error)
	AppealsByCase(ctx context.Context, caseIDs []int64) (map[int64][]model.Appeal, error)
	CorrectionsByCase(ctx context.Context, caseIDs []int64) (map[int64][]store.Correction, error)
	Release(ctx context.Context, id int64) (*model.Release, error)
	Releases(ctx context.Context, ids []int64) (map[int64]*model.Release, error)
	CurrentRelease(ctx context.Context) (*model.Release, error)
	ListReleases(ctx context.Context, first int, before int64) ([]model.Release, bool, error)
	CountReleases(ctx context.Context) (int, error)
	UnlistedArticles(ctx context.Context) ([]model.Article, error)
}

// CaseIndex filters, orders and counts case lists, handing back the ids of a page, and
// counts detections (stats.Engine, from its in-memory tables).
type CaseIndex interface {
	ListCases(ctx context.Context, f model.CaseFilter, o store.CaseOrder, first int, after *store.CaseKey) ([]int64, bool, error)
	CountCases(ctx context.Context, f model.CaseFilter) (int, error)
	CountDetections(ctx context.Context, f model.DetectionFilter, groupBy []model.DetectionDimension, interval *model.Interval) ([]model.DetectionBucket, error)
}

// Statistician computes the published statistics and the funnel (stats.Engine).
type Statistician interface {
	Statistics(ctx context.Context, req stats.Request) (*model.Statistics, error)
	Funnel(ctx context.Context, f model.CaseFilter, k int) (*model.Funnel, error)
}

// Importer imports a batch of case records (ingest.Importer).
type Importer interface {
	Import(ctx context.Context, r io.Reader, opts ingest.Options) (*ingest.Result, error)
}

// Auditor records mutations.
type Auditor interface {
	Audit(ctx context.Context, e store.AuditEntry) error
}

// Resolver is the root of the resolvers and holds their dependencies.
type Resolver struct {
	store   Store
	index   CaseIndex
	ref     *reference.Data
	cursors *cursorSealer
	log     *slog.Logger
	// importer is nil while imports are off (no CASEWATCH_SECRET).
	importer Importer
	audit    Auditor
	// released, when set, learns of every committed import.
	released Releases
	// docs keeps persisted query documents; nil keeps them in the handler.
	docs Documents
	// stats is nil until EnableStatistics; threshold is the server's k.
	stats     Statistician
	threshold int
}

// EnableStatistics turns on the statistics and funnel queries, with suppression
// threshold k (at least privacy.MinThreshold).
func (r *Resolver) EnableStatistics(s Statistician, k int) {
	r.stats, r.threshold = s, k
}

// KeepDocuments has the handler keep persisted query documents in docs (*cache.Documents:
// shared through Redis, so any instance knows a hash registered through one).
func (r *Resolver) KeepDocuments(docs Documents) { r.docs = docs }

// Releases is told when an import committed a release (*cache.Cache: it moves to the new
// generation and announces it to the other instances).
type Releases interface {
	Refresh(ctx context.Context) error
}

// OnRelease has rel told of every release importCases commits.
func (r *Resolver) OnRelease(rel Releases) { r.released = rel }

// EnableImports turns on the importCases mutation.
func (r *Resolver) EnableImports(im Importer, audit Auditor) {
	r.importer, r.audit = im, audit
}

// NewResolver returns a resolver reading from st, with case lists from index. secret keys
// the cursors, so a cursor reveals nothing about the rows it points at and cannot be
// forged.
func NewResolver(st Store, index CaseIndex, ref *reference.Data, secret []byte, log *slog.Logger) *Resolver {
	return &Resolver{store: st, index: index, ref: ref, cursors: newCursorSealer(secret), log: log}
}

// listCases returns up to first cases of a case list after the key, and whether more
// follow: the index picks the page, the store reads its rows.
func (r *Resolver) listCases(ctx context.Context, f model.CaseFilter, o store.CaseOrder, first int, after *store.CaseKey) ([]model.Case, bool, error) {
	ids, more, err := r.index.ListCases(ctx, f, o, first, after)
	if err != nil {
		return nil, false, err
	}
	cases, err := r.store.CasesByID(ctx, ids)
	return cases, more, err
}
