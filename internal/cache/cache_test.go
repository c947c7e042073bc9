package cache_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/cache/cachetest"
)

// generation is a release generation the test sets; the store plays this part in the
// server.
type generation struct{ n atomic.Int64 }

func (g *generation) Generation(context.Context) (int64, error) { return g.n.Load(), nil }

func open(t *testing.T, url string) redis.UniversalClient {
	t.Helper()
	rdb, err := cache.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	return rdb
}

// newCache returns a cache at generation 1 of src, closed when the test ends.
func newCache(t *testing.T, o cache.Options) *cache.Cache {
	t.Helper()
	if o.Source == nil {
		src := &generation{}
		src.n.Store(1)
		o.Source = src
	}
	c := cache.New(o)
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

// filler counts how often it computes an answer.
type filler struct {
	calls atomic.Int32
	val   string
	ok    bool
}

func (f *filler) fill(context.Context) ([]byte, bool) {
	f.calls.Add(1)
	return []byte(f.val), f.ok
}

func TestOpenURLs(t *testing.T) {
	for _, tt := range []struct {
		url, want string
	}{
		{"redis://127.0.0.1:6390/2", "*redis.Client 127.0.0.1:6390"},
		{"rediss://user:pw@cache.example:6380", "*redis.Client cache.example:6380"},
		{"redis+sentinel://127.0.0.1:26379?master_name=main&addr=127.0.0.2:26379", "*redis.Client FailoverClient"},
		{"redis://127.0.0.1:26379?master_name=main", "*redis.Client FailoverClient"},
		{"redis+cluster://127.0.0.1:7000?addr=127.0.0.1:7001&addr=127.0.0.1:7002", "*redis.ClusterClient 127.0.0.1:7000 127.0.0.1:7001 127.0.0.1:7002"},
	} {
		rdb, err := cache.Open(tt.url)
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		var got string
		switch c := rdb.(type) {
		case *redis.Client:
			got = "*redis.Client " + c.Options().Addr
			if o := c.Options(); o.ReadTimeout != 200*time.Millisecond || o.DialTimeout != 250*time.Millisecond || o.MaxRetries > 0 {
				t.Errorf("%s: timeouts not shortened: %v, %v, %d retries", tt.url, o.ReadTimeout, o.DialTimeout, o.MaxRetries)
			}
		case *redis.ClusterClient:
			got = "*redis.ClusterClient " + strings.Join(c.Options().Addrs, " ")
		}
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.url, got, tt.want)
		}
		rdb.Close()
	}
	for _, bad := range []string{"http://127.0.0.1:6379", "redis+sentinel://127.0.0.1:26379", "redis://127.0.0.1:6379/x", "redis+ring://h:1"} {
		if _, err := cache.Open(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestLocalTierIsBoundedInBytes(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := cache.NewMetrics(reg)
	c := newCache(t, cache.Options{LocalBytes: 10_000, Metrics: m})
	f := &filler{val: strings.Repeat("x", 1000), ok: true}
	for i := range 50 {
		if _, out := c.Get(context.Background(), 1, fmt.Sprint("k", i), f.fill); out != cache.Miss {
			t.Fatalf("key %d: outcome %v, want a miss", i, out)
		}
	}
	stored := testutil.ToFloat64(m.StoredBytes("responses", "local"))
	if stored > 10_000 || stored < 8_000 {
		t.Fatalf("the in-process tier holds %v bytes; its bound is 10000", stored)
	}
	// The newest answers stayed, the oldest went.
	if _, out := c.Get(context.Background(), 1, "k49", f.fill); out != cache.Hit {
		t.Fatalf("newest key: %v", out)
	}
	before := f.calls.Load()
	if _, out := c.Get(context.Background(), 1, "k0", f.fill); out != cache.Miss || f.calls.Load() != before+1 {
		t.Fatalf("oldest key: %v", out)
	}
	// An answer larger than the whole bound is served, not kept.
	big := &filler{val: strings.Repeat("y", 20_000), ok: true}
	c.Get(context.Background(), 1, "big", big.fill)
	c.Get(context.Background(), 1, "big", big.fill)
	if big.calls.Load() != 2 {
		t.Fatalf("an answer over the bound was kept")
	}
}

func TestUncacheableAnswersAreNotKept(t *testing.T) {
	url := cachetest.RedisURL(t)
	c := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: cachetest.Prefix(t, url)})
	f := &filler{val: `{"errors":[]}`, ok: false}
	for range 3 {
		if _, out := c.Get(context.Background(), 1, "k", f.fill); out != cache.Uncacheable {
			t.Fatalf("outcome %v", out)
		}
	}
	if f.calls.Load() != 3 {
		t.Fatalf("an answer with errors was cached: %d fills for 3 requests", f.calls.Load())
	}
}

func TestHitAndMissThroughBothTiers(t *testing.T) {
	url := cachetest.RedisURL(t)
	prefix := cachetest.Prefix(t, url)
	a := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: prefix})
	b := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: prefix})
	f := &filler{val: "answer", ok: true}
	ctx := context.Background()
	if v, out := a.Get(ctx, 1, "k", f.fill); out != cache.Miss || string(v) != "answer" {
		t.Fatalf("first: %q %v", v, out)
	}
	if v, out := a.Get(ctx, 1, "k", f.fill); out != cache.Hit || string(v) != "answer" {
		t.Fatalf("second, same instance: %q %v", v, out)
	}
	// Another instance finds it in Redis.
	if v, out := b.Get(ctx, 1, "k", f.fill); out != cache.Hit || string(v) != "answer" {
		t.Fatalf("other instance: %q %v", v, out)
	}
	if f.calls.Load() != 1 {
		t.Fatalf("%d fills, want 1", f.calls.Load())
	}
	// Another generation is another key.
	if _, out := b.Get(ctx, 2, "k", f.fill); out != cache.Miss {
		t.Fatalf("generation 2: %v", out)
	}
}

func TestConcurrentMissesFillOnce(t *testing.T) {
	const n = 20
	c := newCache(t, cache.Options{LocalBytes: 1 << 20})
	var started sync.WaitGroup
	started.Add(n)
	var calls atomic.Int32
	fill := func(context.Context) ([]byte, bool) {
		calls.Add(1)
		started.Wait() // everyone has asked by now
		return []byte("answer"), true
	}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			started.Done()
			if v, _ := c.Get(context.Background(), 1, "k", fill); string(v) != "answer" {
				t.Errorf("got %q", v)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("%d concurrent misses ran %d fills, want 1", n, calls.Load())
	}
}

func TestConcurrentMissesAcrossInstancesFillOnce(t *testing.T) {
	url := cachetest.RedisURL(t)
	prefix := cachetest.Prefix(t, url)
	var calls atomic.Int32
	fill := func(context.Context) ([]byte, bool) {
		calls.Add(1)
		time.Sleep(100 * time.Millisecond) // a slow query
		return []byte("answer"), true
	}
	var wg sync.WaitGroup
	for range 4 {
		c := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: prefix, LockWait: 30 * time.Second})
		wg.Go(func() {
			if v, _ := c.Get(context.Background(), 1, "k", fill); string(v) != "answer" {
				t.Errorf("got %q", v)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("4 instances ran %d fills, want 1", calls.Load())
	}
}

func TestNewGenerationIsAnnouncedThroughRedis(t *testing.T) {
	url := cachetest.RedisURL(t)
	prefix := cachetest.Prefix(t, url)
	src := &generation{}
	src.n.Store(1)
	// Polling is off in effect: only the announcement can tell b.
	a := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: prefix, Source: src, PollEvery: time.Hour})
	bm := cache.NewMetrics(nil)
	b := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, url), Prefix: prefix, Source: src, PollEvery: time.Hour, Metrics: bm})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Watch(ctx)
	waitSubscribed(t, url, prefix+"generation")

	f := &filler{val: "old", ok: true}
	b.Get(ctx, 1, "k", f.fill)
	if testutil.ToFloat64(bm.StoredBytes("responses", "local")) == 0 {
		t.Fatal("nothing stored")
	}
	src.n.Store(2) // an import committed
	if err := a.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if g, _ := a.Generation(); g != 2 {
		t.Fatalf("the importing instance is at generation %d", g)
	}
	eventually(t, func() bool { g, _ := b.Generation(); return g == 2 })
	// b's answers of generation 1 went with it.
	if n := testutil.ToFloat64(bm.StoredBytes("responses", "local")); n != 0 {
		t.Fatalf("the in-process tier still holds %v bytes of generation 1", n)
	}
}

func TestNewGenerationIsFoundByPolling(t *testing.T) {
	src := &generation{}
	src.n.Store(1)
	m := cache.NewMetrics(nil)
	var told atomic.Int64
	c := newCache(t, cache.Options{LocalBytes: 1 << 20, Source: src, PollEvery: 10 * time.Millisecond, Metrics: m,
		OnNewGeneration: func(g int64) { told.Store(g) }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Watch(ctx)
	f := &filler{val: "old", ok: true}
	c.Get(ctx, 1, "k", f.fill)
	if testutil.ToFloat64(m.StoredBytes("responses", "local")) == 0 {
		t.Fatal("nothing stored")
	}
	src.n.Store(2)
	eventually(t, func() bool { g, _ := c.Generation(); return g == 2 })
	if b := testutil.ToFloat64(m.StoredBytes("responses", "local")); b != 0 {
		t.Fatalf("answers of the old generation still held: %v bytes", b)
	}
	eventually(t, func() bool { return told.Load() == 2 }) // OnNewGeneration learnt of it
}

// TestRedisOutage stops a private redis-server under the cache and starts it again:
// answers keep coming, the breaker opens, and the Redis tier is used again afterwards.
func TestRedisOutage(t *testing.T) {
	srv := cachetest.StartRedis(t)
	m := cache.NewMetrics(nil)
	o := cache.Options{LocalBytes: 1 << 20, Redis: open(t, srv.URL), Metrics: m, BreakerOpen: 200 * time.Millisecond}
	c := newCache(t, o)
	ctx := context.Background()
	f := &filler{val: "answer", ok: true}
	if _, out := c.Get(ctx, 1, "before", f.fill); out != cache.Miss {
		t.Fatalf("before: %v", out)
	}

	srv.Stop()
	for i := range 10 {
		v, out := c.Get(ctx, 1, fmt.Sprint("during", i), f.fill)
		if string(v) != "answer" || out != cache.Miss {
			t.Fatalf("during the outage: %q %v", v, out)
		}
	}
	if testutil.ToFloat64(m.BreakerOpen()) != 1 {
		t.Fatal("the circuit breaker did not open")
	}
	if testutil.ToFloat64(m.Errors("responses", "redis")) == 0 {
		t.Fatal("no Redis errors counted")
	}
	// The in-process tier still answers.
	if _, out := c.Get(ctx, 1, "during0", f.fill); out != cache.Hit {
		t.Fatalf("in-process tier during the outage: %v", out)
	}

	// Flapping: down, up, down again; every answer still comes.
	for cycle := range 3 {
		srv.Start()
		for i := range 5 {
			if v, _ := c.Get(ctx, 1, fmt.Sprint("flap", cycle, i), f.fill); string(v) != "answer" {
				t.Fatalf("flapping: %q", v)
			}
		}
		srv.Stop()
	}

	srv.Start()
	other := newCache(t, cache.Options{Redis: open(t, srv.URL)})
	i := 0
	eventually(t, func() bool {
		i++
		key := fmt.Sprint("after", i)
		c.Get(ctx, 1, key, f.fill)
		_, out := other.Get(ctx, 1, key, f.fill)
		return out == cache.Hit // c stored it in Redis again
	})
	if testutil.ToFloat64(m.BreakerOpen()) != 0 {
		t.Fatal("the circuit breaker did not close")
	}
}

// TestSlowRedis points the cache at a server that accepts connections and never answers:
// every call times out, the breaker opens, and answers keep coming from fill.
func TestSlowRedis(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // read nothing, answer nothing
		}
	}()
	m := cache.NewMetrics(nil)
	c := newCache(t, cache.Options{LocalBytes: 1 << 20, Redis: open(t, "redis://"+ln.Addr().String()), Metrics: m, RedisTimeout: 50 * time.Millisecond})
	f := &filler{val: "answer", ok: true}
	for i := range 10 {
		if v, _ := c.Get(context.Background(), 1, fmt.Sprint("k", i), f.fill); string(v) != "answer" {
			t.Fatalf("got %q", v)
		}
	}
	if testutil.ToFloat64(m.BreakerOpen()) != 1 {
		t.Fatal("the circuit breaker did not open")
	}
	if f.calls.Load() != 10 {
		t.Fatalf("%d fills", f.calls.Load())
	}
}

func TestDocuments(t *testing.T) {
	url := cachetest.RedisURL(t)
	prefix := cachetest.Prefix(t, url)
	ctx := context.Background()
	a := newCache(t, cache.Options{Redis: open(t, url), Prefix: prefix, MaxDocumentBytes: 100})
	b := newCache(t, cache.Options{Redis: open(t, url), Prefix: prefix, MaxDocumentBytes: 100})
	a.Documents().Add(ctx, "h1", "{ regions { code } }")
	if q, ok := b.Documents().Get(ctx, "h1"); !ok || q != "{ regions { code } }" {
		t.Fatalf("registered through one instance, asked of another: %q %v", q, ok)
	}
	a.Documents().Add(ctx, "h2", "{ "+strings.Repeat("regions { code } ", 10)+"}")
	if _, ok := a.Documents().Get(ctx, "h2"); ok {
		t.Fatal("a document over the size cap was kept")
	}
	// Without Redis, the documents live in process.
	local := newCache(t, cache.Options{})
	local.Documents().Add(ctx, "h3", "{ articles { code } }")
	if q, ok := local.Documents().Get(ctx, "h3"); !ok || q != "{ articles { code } }" {
		t.Fatalf("in process: %q %v", q, ok)
	}
}

// waitSubscribed waits until someone listens on channel.
func waitSubscribed(t *testing.T, url, channel string) {
	t.Helper()
	rdb := open(t, url)
	defer rdb.Close()
	eventually(t, func() bool {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		return err == nil && n[channel] > 0
	})
}

// eventually waits for cond; the deadline is generous, as the point is that it happens.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 15 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
