// Package graph is casewatch's GraphQL layer: the gqlgen resolvers, the dataloaders that
// batch what they fetch, and the handler with its transports, limits and error codes.
// Resolvers never talk SQL: they call the store through the Store interface. New builds
// the layer, from Options it checks once, at start.
package graph

import (
	"context"
	"io"
	"log/slog"
	"slices"

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

// Engine answers from its in-memory tables (stats.Engine): it filters, orders and counts
// case lists, handing back the ids of a page, counts detections, and computes the
// published statistics and the funnel.
type Engine interface {
	ListCases(ctx context.Context, f model.CaseFilter, o model.CaseOrder, first int, after *model.CaseKey) ([]model.CaseKey, bool, error)
	CountCases(ctx context.Context, f model.CaseFilter) (int, error)
	Cases(ctx context.Context, ids []int64) ([]model.Case, error)
	CountDetections(ctx context.Context, f model.DetectionFilter, groupBy []model.DetectionDimension, interval *model.Interval) ([]model.DetectionBucket, error)
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

// Releases is told when an import committed a release (*cache.Cache: it moves to the new
// generation and announces it to the other instances).
type Releases interface {
	Refresh(ctx context.Context) error
}

// Resolver is the root of the resolvers and holds their dependencies. New builds it.
type Resolver struct {
	store     Store
	engine    Engine
	ref       *reference.Data
	cursors   *cursorSealer
	log       *slog.Logger
	threshold int // the server's suppression threshold k
	// imports is nil while imports are off.
	imports *Imports
	// publicURL is Options.PublicURL without a final slash.
	publicURL string
	// dumps is nil when the server keeps no dumps.
	dumps DumpStore
	// webhooks is nil while webhooks are off; audit records their mutations.
	webhooks Webhooks
	audit    Auditor
}

// listCases returns up to first cases of a case list after the key, their keys, the key
// the next page follows (the engine's last, whether or not the store still had its case),
// and whether more follow: the engine picks the page, and reads its rows from the store or
// from the rows it keeps.
func (r *Resolver) listCases(ctx context.Context, f model.CaseFilter, o model.CaseOrder, first int, after *model.CaseKey) (cases []model.Case, keys []model.CaseKey, next *model.CaseKey, more bool, err error) {
	keys, more, err = r.engine.ListCases(ctx, f, o, first, after)
	if err != nil || len(keys) == 0 {
		return nil, nil, nil, more, err
	}
	next = &keys[len(keys)-1]
	// The engine keeps recent pages' rows, shared by every visitor; a search's are read
	// from the store each time, as searches are never shared (stats/search.go): a page
	// answered faster would tell that someone had just looked at the same cases.
	read := r.engine.Cases
	if f.Search != nil {
		read = r.store.CasesByID
	}
	cases, err = read(ctx, model.CaseKeyIDs(keys))
	if err != nil {
		return nil, nil, nil, false, err
	}
	// A case the case view leaves out is never listed (the engine does not match it; this
	// holds should the store have moved on since).
	cases = slices.DeleteFunc(cases, func(c model.Case) bool { return c.Withheld() })
	if len(cases) < len(keys) { // a case the store no longer has: keep the keys in step
		have := make(map[int64]bool, len(cases))
		for _, c := range cases {
			have[c.ID] = true
		}
		found := make([]model.CaseKey, 0, len(cases))
		for _, k := range keys {
			if have[k.ID] {
				found = append(found, k)
			}
		}
		keys = found
	}
	return cases, keys, next, more, nil
}
