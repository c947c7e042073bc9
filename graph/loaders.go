package graph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
)

// loaders batch and remember what the resolvers of one operation fetch, so a page of 100
// cases with their appeals, timelines, articles and releases costs the same number of SQL
// statements as a page of 10.
type loaders struct {
	appeals     *dataloadgen.Loader[int64, []model.Appeal]
	corrections *dataloadgen.Loader[int64, []store.Correction]
	releases    *dataloadgen.Loader[int64, *model.Release]
	// unlistedArticles is read at most once per operation.
	unlistedArticles func() ([]model.Article, error)

	mu sync.Mutex
	// pages maps a case id to the page of cases it was listed with. Resolvers of one case
	// load for the whole page at once: deterministic batching, where waiting for sibling
	// resolvers to arrive within a time window would depend on scheduling.
	pages map[int64]*page
}

type page struct {
	caseIDs    []int64
	releaseIDs []int64 // distinct
}

type loadersKey struct{}

// batchWait is how long a loader waits for more keys before it queries: long enough for
// gqlgen to resolve the sibling items of a list, short against a query's own cost.
const batchWait = time.Millisecond

func newLoaders(ctx context.Context, st Store) *loaders {
	return &loaders{
		pages:       map[int64]*page{},
		appeals:     dataloadgen.NewLoader(perCase(st.AppealsByCase), dataloadgen.WithWait(batchWait)),
		corrections: dataloadgen.NewLoader(perCase(st.CorrectionsByCase), dataloadgen.WithWait(batchWait)),
		releases: dataloadgen.NewLoader(func(ctx context.Context, ids []int64) ([]*model.Release, []error) {
			byID, err := st.Releases(ctx, ids)
			if err != nil {
				return nil, []error{internal(err)}
			}
			out := make([]*model.Release, len(ids))
			errs := make([]error, len(ids))
			for i, id := range ids {
				if out[i] = byID[id]; out[i] == nil {
					errs[i] = internal(errors.Join(store.ErrNotFound, errors.New("release of a case")))
				}
			}
			return out, errs
		}, dataloadgen.WithWait(batchWait)),
		unlistedArticles: sync.OnceValues(func() ([]model.Article, error) {
			a, err := st.UnlistedArticles(ctx)
			if err != nil {
				return nil, internal(err)
			}
			return a, nil
		}),
	}
}

// notePage records that cases were listed together.
func (l *loaders) notePage(cases []model.Case) {
	p := &page{}
	for i := range cases {
		p.caseIDs = append(p.caseIDs, cases[i].ID)
		if !slices.Contains(p.releaseIDs, cases[i].FirstReleaseID) {
			p.releaseIDs = append(p.releaseIDs, cases[i].FirstReleaseID)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range p.caseIDs {
		l.pages[id] = p
	}
}

// pageOf returns the page c was listed in, or a page of c alone.
func (l *loaders) pageOf(c *model.Case) *page {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.pages[c.ID]; ok {
		return p
	}
	return &page{caseIDs: []int64{c.ID}, releaseIDs: []int64{c.FirstReleaseID}}
}

// perCase adapts a store lookup by case ids to a loader's fetch function.
func perCase[T any](lookup func(context.Context, []int64) (map[int64][]T, error)) func(context.Context, []int64) ([][]T, []error) {
	return func(ctx context.Context, ids []int64) ([][]T, []error) {
		byCase, err := lookup(ctx, ids)
		if err != nil {
			return nil, []error{internal(err)}
		}
		out := make([][]T, len(ids))
		for i, id := range ids {
			out[i] = byCase[id]
		}
		return out, nil
	}
}

// loadWithPage loads what loader holds for c, and with it what it holds for c's page.
func loadWithPage[T any](ctx context.Context, l *loaders, loader *dataloadgen.Loader[int64, T], c *model.Case) (T, error) {
	ids := l.pageOf(c).caseIDs
	all, err := loader.LoadAll(ctx, ids)
	if err != nil {
		var zero T
		return zero, err
	}
	return all[slices.Index(ids, c.ID)], nil
}

// firstReleaseOf loads the release that first published c, with those of its page.
func (l *loaders) firstReleaseOf(ctx context.Context, c *model.Case) (*model.Release, error) {
	if _, err := l.releases.LoadAll(ctx, l.pageOf(c).releaseIDs); err != nil {
		return nil, err
	}
	return l.releases.Load(ctx, c.FirstReleaseID) // from the loader's cache
}

// withLoaders gives a request (an operation, or an export) its loaders, and its own cache
// of the cases its searches match (stats.WithSearches): shared between requests, it would
// tell by the time an answer takes whether another visitor searched for the same words.
func withLoaders(ctx context.Context, st Store) context.Context {
	return context.WithValue(stats.WithSearches(ctx), loadersKey{}, newLoaders(ctx, st))
}

func loadersFrom(ctx context.Context) *loaders { return ctx.Value(loadersKey{}).(*loaders) }
