package ratelimit

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/cache/cachetest"
)

// budget regains one point a second and holds ten.
var budget = Budget{PerMinute: 60, Burst: 10}

func redisLimiter(t *testing.T, url, prefix string) *Limiter {
	t.Helper()
	rdb, err := cache.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	return New(Options{Redis: rdb, Prefix: prefix})
}

// checkSpend charges the sequence every budget should answer alike: 4 of 10, then 7 (one
// too many, refused with a retry in about a second), then the 6 left, then 1 more.
func checkSpend(t *testing.T, charge func(n int) Result, wantLocal bool) {
	t.Helper()
	r := charge(4)
	if !r.Allowed || r.Remaining != 6 || r.Limit != 10 || r.Local != wantLocal || r.ResetAfter < 3*time.Second || r.ResetAfter > 4*time.Second {
		t.Fatalf("4 of 10: %+v", r)
	}
	r = charge(7)
	if r.Allowed || r.RetryAfter < 900*time.Millisecond || r.RetryAfter > time.Second {
		t.Fatalf("7 of the 6 left: %+v", r)
	}
	r = charge(6)
	if !r.Allowed || r.Remaining != 0 {
		t.Fatalf("the 6 left: %+v", r)
	}
	r = charge(1)
	if r.Allowed || r.RetryAfter <= 0 || r.RetryAfter > time.Second {
		t.Fatalf("one more: %+v", r)
	}
	if r := charge(0); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("reading an empty budget: %+v", r)
	}
}

func TestRateLimitRedisSharedAcrossLimiters(t *testing.T) {
	url := cachetest.RedisURL(t)
	prefix := cachetest.Prefix(t, url)
	a, b := redisLimiter(t, url, prefix), redisLimiter(t, url, prefix)
	ctx := context.Background()
	// Charges alternate between two limiters (two instances): one budget.
	i := 0
	checkSpend(t, func(n int) Result {
		i++
		if i%2 == 0 {
			return b.Allow(ctx, "ip:192.0.2.1", budget, n)
		}
		return a.Allow(ctx, "ip:192.0.2.1", budget, n)
	}, false)
	// Another client has its own budget.
	if r := b.Allow(ctx, "ip:192.0.2.2", budget, 10); !r.Allowed || r.Remaining != 0 {
		t.Fatalf("another client: %+v", r)
	}
	// The budget lives in Redis under the prefix, and expires when full again.
	opt, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ttl, err := rdb.TTL(ctx, "rate:"+prefix+"rl:ip:192.0.2.1").Result()
	if err != nil || ttl <= 0 || ttl > 11*time.Second {
		t.Fatalf("key's TTL: %v %v", ttl, err)
	}
	// Points come back: after a second, one more point.
	time.Sleep(1100 * time.Millisecond)
	if r := a.Allow(ctx, "ip:192.0.2.1", budget, 1); !r.Allowed {
		t.Fatalf("after a second: %+v", r)
	}
}

func TestRateLimitCostAboveBudgetTakesItWhole(t *testing.T) {
	url := cachetest.RedisURL(t)
	for _, l := range []*Limiter{redisLimiter(t, url, cachetest.Prefix(t, url)), New(Options{})} {
		ctx := context.Background()
		if r := l.Allow(ctx, "k", budget, 1000); !r.Allowed || r.Remaining != 0 {
			t.Fatalf("full budget, cost 1000: %+v", r)
		}
		if r := l.Allow(ctx, "k", budget, 1000); r.Allowed || r.RetryAfter < 9*time.Second {
			t.Fatalf("empty budget, cost 1000: %+v", r)
		}
	}
}

func TestRateLimitInProcessWithoutRedis(t *testing.T) {
	l := New(Options{})
	checkSpend(t, func(n int) Result { return l.Allow(context.Background(), "ip:192.0.2.1", budget, n) }, true)
	if r := l.Allow(context.Background(), "ip:192.0.2.1", Budget{}, 1e9); !r.Allowed {
		t.Fatalf("no budget is no limit: %+v", r)
	}
}

// TestRateLimitFallbackWhenRedisIsDown points the limiter at a port nothing listens on:
// every decision is made in process, quickly, and the breaker opens.
func TestRateLimitFallbackWhenRedisIsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	reg := prometheus.NewRegistry()
	rdb, err := cache.Open("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	l := New(Options{Redis: rdb, Prefix: "casewatch-test:down:", Metrics: NewMetrics(reg)})
	start := time.Now()
	checkSpend(t, func(n int) Result { return l.Allow(context.Background(), "token:newsroom", budget, n) }, true)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("5 decisions took %v without Redis", took)
	}
	if got := testutil.ToFloat64(l.metrics.fallbacks); got != 5 {
		t.Errorf("local decisions: %v, want 5", got)
	}
	if got := testutil.ToFloat64(l.metrics.breakerOpen); got != 1 {
		t.Errorf("breaker open: %v, want 1", got)
	}
	if n, err := testutil.GatherAndCount(reg, "casewatch_rate_limit_local_decisions_total", "casewatch_rate_limit_redis_breaker_open"); n != 2 || err != nil {
		t.Errorf("registered metrics: %d %v", n, err)
	}
}

// TestRateLimitLocalMatchesRedis runs the same charges through both algorithms with the
// in-process clock stopped: the remaining points agree (Redis computes in floating point,
// and its clock moves on a little).
func TestRateLimitLocalMatchesRedis(t *testing.T) {
	url := cachetest.RedisURL(t)
	r := redisLimiter(t, url, cachetest.Prefix(t, url))
	g := newLocal(10)
	now := time.Now()
	b := Budget{PerMinute: 600, Burst: 500} // the Redis clock moves a little between calls
	for i, n := range []int{1, 100, 250, 200, 149, 1} {
		want := g.allow("k", b, n, now)
		got := r.Allow(context.Background(), "k", b, n)
		if got.Allowed != want.Allowed || got.Remaining-want.Remaining < -1 || got.Remaining-want.Remaining > 2 {
			t.Fatalf("charge %d (%d): redis %+v, in process %+v", i, n, got, want)
		}
	}
}

func TestRateLimitLocalForgetsLeastRecentClients(t *testing.T) {
	g := newLocal(3)
	now := time.Now()
	for i := range 4 {
		g.allow(fmt.Sprint(i), budget, 10, now)
	}
	if r := g.allow("0", budget, 10, now); !r.Allowed {
		t.Fatalf("the first client should have been forgotten: %+v", r)
	}
	if r := g.allow("3", budget, 1, now); r.Allowed {
		t.Fatalf("the last client should be remembered: %+v", r)
	}
}

func TestRateLimitRequestChargesTheRestOfATotal(t *testing.T) {
	l := New(Options{})
	ctx, req := l.WithClient(context.Background(), "ip:192.0.2.9", budget)
	if FromContext(ctx) != req {
		t.Fatal("FromContext")
	}
	req.Charge(ctx, 1, "request")
	if r := req.ChargeTotal(ctx, 4, "cost"); !r.Allowed || r.Remaining != 6 {
		t.Fatalf("total 4: %+v", r)
	}
	if charged, _, refused := req.State(); charged != 4 || refused != "" {
		t.Fatalf("state: %d %q", charged, refused)
	}
	_, req2 := l.WithClient(ctx, "ip:192.0.2.9", budget)
	req2.Charge(ctx, 1, "request")
	if r := req2.ChargeTotal(ctx, 9, "cost"); r.Allowed {
		t.Fatalf("total 9 of 5 left: %+v", r)
	}
	if charged, last, refused := req2.State(); charged != 1 || refused != "cost" || last.Allowed {
		t.Fatalf("state: %d %+v %q", charged, last, refused)
	}
}
