package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/casewatch/casewatch/graph"
)

// dumper writes the dump of each release as it lands: once the server is ready, and
// whenever the cache sees a new release (committed by this instance, another one or the
// import command). One dump at a time; a wake-up during one makes one more pass.
type dumper struct {
	store graph.DumpStore
	log   *slog.Logger
	wake  chan struct{}
}

func newDumper(store graph.DumpStore, log *slog.Logger) *dumper {
	return &dumper{store: store, log: log, wake: make(chan struct{}, 1)}
}

// trigger asks for a pass without waiting for it; nil-safe, for a server without dumps.
func (d *dumper) trigger() {
	if d == nil {
		return
	}
	select {
	case d.wake <- struct{}{}:
	default: // a pass is already due
	}
}

// run makes a pass per trigger until ctx ends.
func (d *dumper) run(ctx context.Context, api *graph.API) {
	if d == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		}
		start := time.Now()
		m, err := api.BuildDump(ctx, d.store)
		switch {
		case err != nil && ctx.Err() == nil:
			d.log.Warn("dump not written", "err", err)
		case m != nil:
			d.log.Info("dump", "release", m.Release, "files", len(m.Files), "took", time.Since(start).Round(time.Millisecond))
		}
	}
}
