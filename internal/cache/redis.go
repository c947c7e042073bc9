package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// Open returns a client for the Redis at rawURL without connecting yet:
//
//	redis://[user:pass@]host:port[/db]                       one node (rediss:// for TLS)
//	redis+sentinel://[user:pass@]host:port[/db]?master_name=NAME&addr=host2:port
//	                                                          Sentinel (master_name also on redis://)
//	redis+cluster://[user:pass@]host:port?addr=host2:port    Cluster
//
// The query parameters are go-redis's (ParseURL, ParseFailoverURL, ParseClusterURL).
// Timeouts not given in the URL are short and retries off: the cache is an accelerator,
// and an answer from SQL beats waiting for a Redis that does not answer.
func Open(rawURL string) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	base, variant, _ := strings.Cut(u.Scheme, "+")
	if base != "redis" && base != "rediss" {
		return nil, fmt.Errorf("REDIS_URL: scheme %q: use redis://, rediss://, redis+sentinel:// or redis+cluster://", u.Scheme)
	}
	if variant == "" && u.Query().Has("master_name") {
		variant = "sentinel"
	}
	u.Scheme = base
	switch variant {
	case "":
		o, err := redis.ParseURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries)
		o.ContextTimeoutEnabled = true
		return redis.NewClient(o), nil
	case "sentinel":
		o, err := redis.ParseFailoverURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		if o.MasterName == "" {
			return nil, errors.New("REDIS_URL: a Sentinel URL needs master_name=NAME")
		}
		fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries)
		o.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(o), nil
	case "cluster":
		o, err := redis.ParseClusterURL(u.String())
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		fast(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, &o.PoolTimeout, &o.MaxRetries, &o.DialerRetries)
		o.ContextTimeoutEnabled = true
		return redis.NewClusterClient(o), nil
	}
	return nil, fmt.Errorf("REDIS_URL: scheme %q: use redis://, rediss://, redis+sentinel:// or redis+cluster://", u.Scheme+"+"+variant)
}

// fast sets the timeouts the URL left at their defaults (seconds) to fractions of a second.
func fast(dial, read, write, pool *time.Duration, retries, dialRetries *int) {
	for _, d := range []struct {
		p *time.Duration
		v time.Duration
	}{{dial, 250 * time.Millisecond}, {read, 200 * time.Millisecond}, {write, 200 * time.Millisecond}, {pool, 250 * time.Millisecond}} {
		if *d.p == 0 {
			*d.p = d.v
		}
	}
	if *retries == 0 {
		*retries = -1
	}
	if *dialRetries == 0 {
		*dialRetries = 1
	}
}

// remote is the Redis tier. Every call goes through one circuit breaker: after a few
// failures in a row it opens, and calls fail at once without touching the network until a
// trial call succeeds again.
type remote struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
	breaker *gobreaker.TwoStepCircuitBreaker[struct{}]
	log     *slog.Logger
}

// errBreakerOpen is a call the breaker refused: Redis is considered down.
var errBreakerOpen = errors.New("redis circuit breaker open")

func newRemote(rdb redis.UniversalClient, prefix string, timeout, openFor time.Duration, m *Metrics, log *slog.Logger) *remote {
	r := &remote{rdb: rdb, prefix: prefix, timeout: timeout, log: log}
	r.breaker = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        "redis",
		MaxRequests: 1,
		Timeout:     openFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 3 },
		// A miss is an answer, and a caller that went away says nothing about Redis.
		IsSuccessful: func(err error) bool { return err == nil || errors.Is(err, redis.Nil) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			m.breakerChanges.WithLabelValues(to.String()).Inc()
			switch to {
			case gobreaker.StateOpen:
				m.breakerOpen.Set(1)
				log.Warn("redis cache unavailable: circuit breaker open, answering from the database", "from", from.String())
			case gobreaker.StateClosed:
				m.breakerOpen.Set(0)
				log.Info("redis cache available again: circuit breaker closed")
			}
		},
	})
	return r
}

// call runs fn against Redis with the short timeout, through the breaker.
func (r *remote) call(ctx context.Context, obs prometheus.Observer, fn func(ctx context.Context) error) error {
	done, err := r.breaker.Allow()
	if err != nil {
		return errBreakerOpen
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	start := time.Now()
	err = fn(ctx)
	cancel()
	obs.Observe(time.Since(start).Seconds())
	done(err)
	return err
}

// get returns the value at key; a failure counts as a miss.
func (r *remote) get(ctx context.Context, tm *tierMetrics, key string) ([]byte, bool) {
	var val []byte
	err := r.call(ctx, tm.get, func(ctx context.Context) (err error) {
		val, err = r.rdb.Get(ctx, r.prefix+key).Bytes()
		return err
	})
	switch {
	case err == nil:
		tm.hits.Inc()
		tm.readBytes.Add(float64(len(val)))
		return val, true
	case errors.Is(err, redis.Nil), errors.Is(err, errBreakerOpen):
		tm.misses.Inc()
	default:
		tm.misses.Inc()
		tm.errors.Inc()
	}
	return nil, false
}

func (r *remote) set(ctx context.Context, tm *tierMetrics, key string, val []byte, ttl time.Duration) {
	err := r.call(ctx, tm.set, func(ctx context.Context) error {
		return r.rdb.Set(ctx, r.prefix+key, val, ttl).Err()
	})
	switch {
	case err == nil:
		tm.writtenBytes.Add(float64(len(val)))
	case !errors.Is(err, errBreakerOpen):
		tm.errors.Inc()
	}
}

// unlockScript deletes a lock only if it is still the caller's: one that expired and was
// taken by another instance stays.
var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// lock takes a short lock on key across instances (SET NX PX). held is false when another
// instance holds it; err is set when Redis could not say.
func (r *remote) lock(ctx context.Context, tm *tierMetrics, key string, ttl time.Duration) (unlock func(), held bool, err error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	lockKey := r.prefix + "lock:" + key
	err = r.call(ctx, tm.set, func(ctx context.Context) (err error) {
		held, err = r.rdb.SetNX(ctx, lockKey, token, ttl).Result()
		return err
	})
	if err != nil {
		if !errors.Is(err, errBreakerOpen) {
			tm.errors.Inc()
		}
		return nil, false, err
	}
	if !held {
		return nil, false, nil
	}
	return func() {
		_ = r.call(context.Background(), tm.set, func(ctx context.Context) error {
			return unlockScript.Run(ctx, r.rdb, []string{lockKey}, token).Err()
		})
	}, true, nil
}

// open reports whether the breaker keeps calls away from Redis.
func (r *remote) open() bool { return r.breaker.State() == gobreaker.StateOpen }

// RedisConfigured tells whether the cache has a Redis tier.
func (c *Cache) RedisConfigured() bool { return c.redis != nil }

// errNoRedis is RedisHealth's answer for a cache without Redis.
var errNoRedis = errors.New("no Redis configured")

// RedisHealth returns nil when Redis answers PING, through the circuit breaker: while the
// breaker is open Redis counts as down without being asked.
func (c *Cache) RedisHealth(ctx context.Context) error {
	if c.redis == nil {
		return errNoRedis
	}
	return c.redis.call(ctx, prometheus.ObserverFunc(func(float64) {}), func(ctx context.Context) error {
		return c.redis.rdb.Ping(ctx).Err()
	})
}
