// Package cache holds casewatch's caches of published answers: an in-process tier bounded
// in bytes and, when REDIS_URL names one, a Redis tier shared by every instance. Entries
// are keyed by the release generation, so an import that commits makes every older answer
// unreachable at once; instances learn a new generation from Redis pub/sub and, in case a
// message is lost, from polling the store.
//
// Redis is an accelerator, never a dependency: its calls have short timeouts and pass a
// circuit breaker, and whatever fails is answered as a miss.
package cache

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Options configure a Cache. Zero values take the defaults in brackets.
type Options struct {
	// LocalBytes bounds the in-process tier of answers; 0 turns it off.
	LocalBytes int64
	// Redis is the shared tier; nil leaves the in-process tier alone.
	Redis redis.UniversalClient
	// Prefix starts every Redis key and channel, so deployments (and tests) can share a
	// Redis. ["casewatch:"]
	Prefix string
	// Source tells the current release generation.
	Source GenerationSource
	// PollEvery is how often Watch reads the generation from Source. [250ms]
	PollEvery time.Duration
	// TTL is how long Redis keeps an answer; older generations expire by it. [1h]
	TTL time.Duration
	// LockTTL bounds how long one instance may hold the fill lock of a key. [5s]
	LockTTL time.Duration
	// LockWait is how long an instance waits for another to fill a key before filling it
	// itself. [1s]
	LockWait time.Duration
	// RedisTimeout bounds every Redis call. [200ms]
	RedisTimeout time.Duration
	// BreakerOpen is how long the breaker keeps calls away from Redis before a trial. [1s]
	BreakerOpen time.Duration
	// DocumentTTL and MaxDocumentBytes bound the persisted query documents in Redis.
	// [24h, 64 KiB]
	DocumentTTL      time.Duration
	MaxDocumentBytes int
	Metrics          *Metrics
	Log              *slog.Logger
	// OnNewGeneration, when set, is called on a goroutine of its own each time the cache
	// moves to a newer generation: the server brings its statistics fact table up to date
	// then, rather than in the first question's time.
	OnNewGeneration func(gen int64)
}

// DefaultPrefix starts Redis keys when Options.Prefix is empty.
const DefaultPrefix = "casewatch:"

// Cache caches whole answers per release generation, and persisted query documents.
type Cache struct {
	o      Options
	gen    atomic.Int64
	known  atomic.Bool
	local  *local
	redis  *remote // nil without Redis
	flight singleflight.Group
	docs   *Documents
	lm, rm *tierMetrics
	m      *Metrics
}

// New returns a cache; call Watch to follow new releases.
func New(o Options) *Cache {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.PollEvery, 250*time.Millisecond)
	def(&o.TTL, time.Hour)
	def(&o.LockTTL, 5*time.Second)
	def(&o.LockWait, time.Second)
	def(&o.RedisTimeout, 200*time.Millisecond)
	def(&o.BreakerOpen, time.Second)
	def(&o.DocumentTTL, 24*time.Hour)
	if o.MaxDocumentBytes <= 0 {
		o.MaxDocumentBytes = 64 << 10
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	c := &Cache{o: o, m: o.Metrics}
	c.lm, c.rm = o.Metrics.tier("responses", "local"), o.Metrics.tier("responses", "redis")
	c.local = newLocal(max(o.LocalBytes, 0), c.lm.storedBytes.Set)
	if o.Redis != nil {
		c.redis = newRemote(o.Redis, o.Prefix, o.RedisTimeout, o.BreakerOpen, o.Metrics, o.Log)
	}
	c.docs = newDocuments(c)
	return c
}

// Enabled is false when there is neither an in-process nor a Redis tier: every answer is
// computed.
func (c *Cache) Enabled() bool { return c.o.LocalBytes > 0 || c.redis != nil }

// Outcome says where an answer came from.
type Outcome int

const (
	// Miss: the answer was computed now, by this call or one running at the same time for
	// the same key, and is cached.
	Miss Outcome = iota
	// Hit: the answer came from a tier.
	Hit
	// Uncacheable: the answer computed for the key may not be cached (it holds errors);
	// a caller that did not compute it itself must compute its own.
	Uncacheable
)

// Fill computes an answer on a miss; ok false keeps it out of the cache.
type Fill func(ctx context.Context) (val []byte, ok bool)

type flightResult struct {
	val     []byte
	outcome Outcome
}

// Get returns the answer cached under key for generation gen, or fills it. Concurrent
// misses for one key run fill once in this process and, with Redis, once across instances
// as far as a short lock allows. fill runs with a context that the caller's cancellation
// does not end, since other callers may be waiting for its result.
func (c *Cache) Get(ctx context.Context, gen int64, key string, fill Fill) ([]byte, Outcome) {
	full := "r:" + strconv.FormatInt(gen, 10) + ":" + key
	start := time.Now()
	v, ok := c.local.get(full)
	c.lm.get.Observe(time.Since(start).Seconds())
	if ok {
		c.lm.hits.Inc()
		c.lm.readBytes.Add(float64(len(v)))
		return v, Hit
	}
	c.lm.misses.Inc()
	ch := c.flight.DoChan(full, func() (any, error) {
		return c.miss(context.WithoutCancel(ctx), gen, full, fill), nil
	})
	select {
	case res := <-ch:
		r := res.Val.(flightResult)
		return r.val, r.outcome
	case <-ctx.Done():
		return nil, Uncacheable
	}
}

func (c *Cache) miss(ctx context.Context, gen int64, full string, fill Fill) flightResult {
	// A request that missed the local tier just as the flight before it ended starts a
	// flight of its own: the answer may be there by now.
	if v, ok := c.local.get(full); ok {
		return flightResult{v, Hit}
	}
	if c.redis != nil {
		if v, ok := c.redis.get(ctx, c.rm, full); ok {
			c.keepLocal(gen, full, v)
			return flightResult{v, Hit}
		}
		unlock, held, err := c.redis.lock(ctx, c.rm, full, c.o.LockTTL)
		if held {
			defer unlock()
		} else if err == nil {
			// Another instance is filling this key: wait a little for its answer.
			if v, ok := c.awaitOther(ctx, full); ok {
				c.keepLocal(gen, full, v)
				return flightResult{v, Hit}
			}
		}
	}
	v, ok := fill(ctx)
	if !ok {
		return flightResult{nil, Uncacheable}
	}
	c.keepLocal(gen, full, v)
	if c.redis != nil {
		c.redis.set(ctx, c.rm, full, v, c.o.TTL)
	}
	return flightResult{v, Miss}
}

// awaitOther polls Redis for a key another instance is filling, up to LockWait.
func (c *Cache) awaitOther(ctx context.Context, full string) ([]byte, bool) {
	deadline := time.Now().Add(c.o.LockWait)
	for time.Now().Before(deadline) && !c.redis.open() {
		time.Sleep(15 * time.Millisecond)
		if v, ok := c.redis.get(ctx, c.rm, full); ok {
			return v, true
		}
	}
	return nil, false
}

// keepLocal stores an answer in the in-process tier unless a newer release arrived while
// it was computed: nobody could ask for it again.
func (c *Cache) keepLocal(gen int64, full string, v []byte) {
	if c.o.LocalBytes <= 0 || c.gen.Load() != gen {
		return
	}
	start := time.Now()
	c.local.set(full, v)
	c.lm.set.Observe(time.Since(start).Seconds())
	c.lm.writtenBytes.Add(float64(len(v)))
}

// Documents is the persisted query store (APQ).
func (c *Cache) Documents() *Documents { return c.docs }

// Close releases the Redis client, if any.
func (c *Cache) Close() error {
	if c.o.Redis != nil {
		return c.o.Redis.Close()
	}
	return nil
}
