// Package ratelimit keeps each client's budget of cost points: GCRA (the generic cell rate
// algorithm, a leaky bucket kept as one timestamp per client) in Redis, so that every
// instance sharing the Redis counts the same budget, and the same algorithm in process
// when Redis is not configured or does not answer.
//
// A budget is points per minute; its burst is what a client whose budget is full may spend
// at once. Spent points come back steadily: a budget of 600 per minute regains 10 points
// a second.
package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// Budget is what one client may spend.
type Budget struct {
	// PerMinute is the points regained per minute; 0 means no limit.
	PerMinute int
	// Burst is the most a client may spend at once, the size of a full budget; 0 means
	// PerMinute.
	Burst int
}

// Unlimited reports whether the budget sets no limit.
func (b Budget) Unlimited() bool { return b.PerMinute <= 0 }

// Size is the points of a full budget.
func (b Budget) Size() int {
	if b.Burst > 0 {
		return b.Burst
	}
	return b.PerMinute
}

func (b Budget) limit() redis_rate.Limit {
	return redis_rate.Limit{Rate: b.PerMinute, Burst: b.Size(), Period: time.Minute}
}

// Result is a decision on one charge.
type Result struct {
	// Allowed is false when the budget could not pay the cost; nothing was charged then.
	Allowed bool
	// Limit is the size of the client's full budget.
	Limit int
	// Remaining is what is left after this charge (or, refused, what is left now).
	Remaining int
	// RetryAfter, when refused, is how long until the same charge would be allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the budget is full again.
	ResetAfter time.Duration
	// Local is true when the decision was made in process, Redis being absent or down.
	Local bool
}

// Options configure a Limiter. Every field may be left zero.
type Options struct {
	// Redis keeps the budgets across instances; nil keeps them in process only.
	Redis redis.UniversalClient
	// Prefix starts every Redis key (after redis_rate's own "rate:").
	Prefix string
	// Timeout bounds one Redis call (100 ms by default): past it, the decision is made
	// in process.
	Timeout time.Duration
	// BreakerOpenFor is how long Redis is left alone after failing three times in a row
	// (5 s by default).
	BreakerOpenFor time.Duration
	// LocalClients bounds the clients tracked in process (10,000 by default); the least
	// recently seen are forgotten first.
	LocalClients int
	Metrics      *Metrics
	Log          *slog.Logger
}

// Limiter charges costs to clients' budgets.
type Limiter struct {
	rate    *redis_rate.Limiter
	prefix  string
	timeout time.Duration
	breaker *gobreaker.TwoStepCircuitBreaker[struct{}]
	local   *local
	metrics *Metrics
}

// New returns a Limiter; it does not connect to Redis yet.
func New(o Options) *Limiter {
	if o.Timeout <= 0 {
		o.Timeout = 100 * time.Millisecond
	}
	if o.BreakerOpenFor <= 0 {
		o.BreakerOpenFor = 5 * time.Second
	}
	if o.LocalClients <= 0 {
		o.LocalClients = 10_000
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	l := &Limiter{prefix: o.Prefix + "rl:", timeout: o.Timeout, local: newLocal(o.LocalClients), metrics: o.Metrics}
	if o.Redis != nil {
		l.rate = redis_rate.NewLimiter(o.Redis)
		m, log := o.Metrics, o.Log
		l.breaker = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
			Name:         "redis-ratelimit",
			MaxRequests:  1,
			Timeout:      o.BreakerOpenFor,
			ReadyToTrip:  func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= 3 },
			IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
			IsSuccessful: func(err error) bool { return err == nil },
			OnStateChange: func(_ string, from, to gobreaker.State) {
				switch to {
				case gobreaker.StateOpen:
					m.breakerOpen.Set(1)
					log.Warn("redis rate limits unavailable: circuit breaker open, each instance counts budgets alone", "from", from.String())
				case gobreaker.StateClosed:
					m.breakerOpen.Set(0)
					log.Info("redis rate limits available again: circuit breaker closed")
				}
			},
		})
	}
	return l
}

// Allow charges cost points to key's budget if it can pay them all; a refused charge
// takes nothing. A cost of 0 reads the budget without spending. A cost above the budget's
// size could never be paid: it is charged as the whole budget.
func (l *Limiter) Allow(ctx context.Context, key string, b Budget, cost int) Result {
	if b.Unlimited() {
		return Result{Allowed: true}
	}
	cost = max(0, min(cost, b.Size()))
	if l.rate != nil {
		if res, err := l.remote(ctx, key, b, cost); err == nil {
			return res
		}
		l.metrics.fallbacks.Inc()
	}
	res := l.local.allow(key, b, cost, time.Now())
	res.Local = true
	return res
}

func (l *Limiter) remote(ctx context.Context, key string, b Budget, cost int) (Result, error) {
	done, err := l.breaker.Allow()
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	r, err := l.rate.AllowN(ctx, l.prefix+key, b.limit(), cost)
	cancel()
	done(err)
	if err != nil {
		return Result{}, err
	}
	return Result{
		Allowed:    r.RetryAfter < 0, // redis_rate says -1 when allowed
		Limit:      b.Size(),
		Remaining:  max(0, r.Remaining),
		RetryAfter: max(0, r.RetryAfter),
		ResetAfter: max(0, r.ResetAfter),
	}, nil
}

// local is the same algorithm in process: for each client the theoretical arrival time
// (tat) of its next point, in a bounded LRU.
type local struct {
	mu   sync.Mutex
	tats *simplelru.LRU[string, time.Time]
}

func newLocal(size int) *local {
	tats, _ := simplelru.NewLRU[string, time.Time](size, nil) // size > 0
	return &local{tats: tats}
}

// allow follows redis_rate's allowN script: a charge is allowed when, with its cost added,
// the tat lies no further than the burst ahead of now.
func (g *local) allow(key string, b Budget, cost int, now time.Time) Result {
	emission := time.Minute / time.Duration(b.PerMinute)
	increment := emission * time.Duration(cost)
	burstOffset := emission * time.Duration(b.Size())

	g.mu.Lock()
	defer g.mu.Unlock()
	tat, ok := g.tats.Get(key)
	if !ok || tat.Before(now) {
		tat = now
	}
	newTat := tat.Add(increment)
	diff := now.Sub(newTat.Add(-burstOffset))
	if diff < 0 {
		return Result{Limit: b.Size(), RetryAfter: -diff, ResetAfter: tat.Sub(now)}
	}
	if newTat.After(now) {
		g.tats.Add(key, newTat)
	}
	return Result{Allowed: true, Limit: b.Size(), Remaining: int(diff / emission), ResetAfter: newTat.Sub(now)}
}

// Metrics count what the limiter could not do in Redis.
type Metrics struct {
	fallbacks   prometheus.Counter
	breakerOpen prometheus.Gauge
}

// NewMetrics registers the limiter's metrics with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casewatch_rate_limit_local_decisions_total",
			Help: "Rate-limit decisions made in process because Redis failed or its circuit breaker was open.",
		}),
		breakerOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "casewatch_rate_limit_redis_breaker_open",
			Help: "1 while the rate limiter's Redis circuit breaker is open.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.fallbacks, m.breakerOpen)
	}
	return m
}
