package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/ratelimit"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/webhooks"
)

// serve runs the HTTP server until ctx ends, then shuts down gracefully. It listens at once
// and answers /readyz with 503 until the database is migrated and, on first start, seeded.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, cfg := newFlagSet("serve", getenv, stderr)
	if err := cfg.parse(fs, args); err != nil {
		return err
	}
	log := cfg.logger(stderr)
	secret, demoKey := cfg.secretKey()
	if demoKey {
		log.Warn("CASEWATCH_SECRET is not set: using the PUBLIC DEMO KEY. Fine for the synthetic demo, never for real data.")
	}
	rdb, err := cfg.redis()
	if err != nil {
		return err
	}
	st, ref, err := cfg.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	reg := prometheus.NewRegistry()
	engine := stats.NewEngine(st, ref, secret)
	engine.SnapshotFile, engine.Log = cfg.snapshotFile(), log
	defer engine.Close() // before the store closes
	dumpStore, err := cfg.openDumps(ctx)
	if err != nil {
		return err
	}
	var dump *dumper
	if dumpStore != nil {
		dump = newDumper(dumpStore, log)
	}
	hooks := webhooks.New(webhooks.Options{Store: st, Count: engine.CountCases, Policy: cfg.webhookPolicy(),
		AllowLoopback: cfg.webhookAllowLoopback, Log: log, Metrics: webhooks.NewMetrics(reg)})
	answers := cache.New(cache.Options{
		LocalBytes: int64(cfg.cacheBytes),
		Redis:      rdb,
		Prefix:     cfg.cachePrefix(),
		Source:     st,
		Metrics:    cache.NewMetrics(reg),
		Log:        log,
		OnNewGeneration: func(int64) {
			if err := engine.Warm(ctx); err != nil && ctx.Err() == nil {
				log.Warn("bringing the fact table to the new release", "err", err)
				return
			}
			dump.trigger()
			hooks.Trigger() // events for the new release, once across instances
		},
	})
	defer answers.Close()
	// The engine answers the release the cache follows (polled, announced, or refreshed by
	// an import here) rather than asking SQL on every question.
	engine.Generation = func(ctx context.Context) (int64, error) {
		if g, known := answers.Generation(); known {
			return g, nil
		}
		return st.Generation(ctx)
	}
	opts := graph.Options{Store: st, Engine: engine, Reference: ref, Secret: secret, Threshold: cfg.threshold,
		Log: log, Documents: answers.Documents(), PublicURL: cfg.publicURL, Webhooks: hooks, Audit: st}
	opts.Dumps = dumpStore
	if !demoKey {
		opts.Imports = &graph.Imports{Importer: ingest.NewImporter(st, ref, secret, cfg.threshold), Audit: st, Released: answers}
	} else {
		log.Warn("imports are off: set CASEWATCH_SECRET to accept importCases")
	}
	api, err := graph.New(opts)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	anonymous, keyed := cfg.budgets()
	app := &app{
		log:     log,
		store:   st,
		cache:   answers,
		metrics: reg,
		api:     api,
		stats:   engine,
		dumps:   dumpStore,
		limits: &limits{
			// The cache's Redis client, when there is one: budgets hold across instances.
			lim:       ratelimit.New(ratelimit.Options{Redis: rdb, Prefix: cfg.redisPrefix, Metrics: ratelimit.NewMetrics(reg), Log: log}),
			anonymous: anonymous,
			key:       keyed,
			proxies:   cfg.proxies,
		},
	}
	tracer, err := setupTracing(ctx, getenv, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer tracer.shutdown(log)
	srv := &http.Server{
		Handler:           tracer.handler(routes(app)),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    graph.MaxRequestBytes + 64<<10, // a GET query of up to 1 MiB, and headers
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("casewatch listening", "url", "http://"+ln.Addr().String(), "database", string(st.Backend()),
		"rate_limit", anonymous.PerMinute, "rate_limit_api_key", keyed.PerMinute)
	fmt.Fprintf(stdout, "casewatch serving on http://%s\n", ln.Addr())

	// The cache follows the releases from the moment there is data until shutdown; it
	// stops before the store closes.
	watchCtx, stopWatching := context.WithCancel(ctx)
	watched := make(chan struct{})
	var dumping sync.WaitGroup // the dumper, which reads the store too
	defer func() { stopWatching(); <-watched; dumping.Wait() }()
	go func() {
		defer close(watched)
		if err := app.prepare(ctx, cfg, ref); err != nil {
			log.Error("database not ready", "err", err)
			return
		}
		if err := answers.Sync(ctx); err != nil {
			log.Warn("cache: reading the release generation", "err", err)
		}
		// Case lists and statistics are answered from the fact table: build it before
		// turning ready, rather than in the first query's time.
		start := time.Now()
		if err := app.stats.Warm(watchCtx); err != nil {
			log.Error("fact table not built", "err", err)
			return
		}
		log.Info("fact table ready", "took", time.Since(start).Round(time.Millisecond))
		app.ready.Store(true)
		log.Info("ready", "redis", rdb != nil)
		dumping.Go(func() { dump.run(watchCtx, api) })
		dump.trigger()
		// The webhook worker stops before the store closes.
		hooksDone := make(chan struct{})
		go func() { defer close(hooksDone); hooks.Run(watchCtx) }()
		hooks.Trigger()
		answers.Watch(watchCtx)
		<-hooksDone
	}()

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdown)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// app holds what the HTTP handlers share.
type app struct {
	log     *slog.Logger
	store   *store.Store
	cache   *cache.Cache
	metrics *prometheus.Registry
	api     *graph.API
	stats   *stats.Engine
	limits  *limits
	// dumps is nil when the server keeps no dumps.
	dumps graph.DumpStore
	// ready turns true once there is a release to publish.
	ready atomic.Bool
}

// prepare seeds the demo dataset into an empty database when the demo is on, and
// otherwise generalises the stored cases anew when the rule or the threshold changed since
// their release (a release of its own, only when something changed). It holds the store's
// "seed" lock, so that of several instances starting together on an empty database one
// seeds and the others find its release.
func (a *app) prepare(ctx context.Context, cfg *config, ref *reference.Data) error {
	return a.store.Exclusive(ctx, "seed", func(ctx context.Context) error {
		if err := a.seedIfEmpty(ctx, cfg, ref); err != nil {
			return err
		}
		start := time.Now()
		rel, err := a.store.Regeneralize(ctx, privacy.Generalizer(cfg.threshold, ref.FineBand))
		if err != nil {
			return err
		}
		if rel != nil {
			a.log.Info("the case view was generalised anew", "release", rel.ID, "took", time.Since(start).Round(time.Millisecond))
		}
		return nil
	})
}

// seedIfEmpty seeds the demo dataset into an empty database when the demo is on.
func (a *app) seedIfEmpty(ctx context.Context, cfg *config, ref *reference.Data) error {
	gen, err := a.store.Generation(ctx)
	if err != nil {
		return err
	}
	if gen > 0 {
		return nil
	}
	if !cfg.demo {
		a.log.Warn("the database is empty and the demo is off: import data to publish it")
		return nil
	}
	a.log.Info("empty database: loading the synthetic demo dataset")
	start := time.Now()
	// Synthetic or not, the case-level view follows the privacy rules.
	rel, err := demo.Seed(ctx, a.store, ref, demo.Options{Cases: cfg.demoCases, Generalize: privacy.Generalizer(cfg.threshold, ref.FineBand)})
	if err != nil {
		return fmt.Errorf("demo seed: %w", err)
	}
	a.log.Info("demo dataset loaded", "release", rel.ID, "cases", rel.RowsAdded, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
