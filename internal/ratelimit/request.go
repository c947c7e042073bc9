package ratelimit

import (
	"context"
	"sync"
)

// Request is one request's account with its client's budget: who pays, what this request
// has been charged, and the last decision. The HTTP layer opens it (WithClient) and
// charges the request's first point; the GraphQL layer charges the rest of an operation's
// cost once it is known.
type Request struct {
	lim    *Limiter
	key    string
	budget Budget

	mu      sync.Mutex
	charged int
	last    Result
	refused string
}

type requestKey struct{}

// WithClient opens the account of a request from the client key (e.g. "token:NAME" or
// "ip:ADDRESS") with budget b, and returns it in ctx.
func (l *Limiter) WithClient(ctx context.Context, key string, b Budget) (context.Context, *Request) {
	r := &Request{lim: l, key: key, budget: b, last: Result{Allowed: true, Limit: b.Size(), Remaining: b.Size()}}
	return context.WithValue(ctx, requestKey{}, r), r
}

// FromContext returns the request's account, nil when no limit applies.
func FromContext(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// Key is the client the request is charged to.
func (r *Request) Key() string { return r.key }

// Budget is the client's budget.
func (r *Request) Budget() Budget { return r.budget }

// Charge charges n more points to the budget, all or none. reason names what a refusal
// was for (for the metrics) and is remembered with it.
func (r *Request) Charge(ctx context.Context, n int, reason string) Result {
	res := r.lim.Allow(ctx, r.key, r.budget, n)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = res
	if res.Allowed {
		r.charged += min(n, r.budget.Size())
	} else if r.refused == "" {
		r.refused = reason
	}
	return res
}

// ChargeTotal charges whatever the request has not paid yet of a total cost (at least 1):
// an operation whose cost is known once parsed, after its request paid its first point.
func (r *Request) ChargeTotal(ctx context.Context, total int, reason string) Result {
	r.mu.Lock()
	rest := min(max(total, 1), r.budget.Size()) - r.charged
	last := r.last
	r.mu.Unlock()
	if rest <= 0 {
		return last
	}
	return r.Charge(ctx, rest, reason)
}

// State is the request's cost so far, the last decision, and the reason of a refusal
// ("" when none was refused).
func (r *Request) State() (charged int, last Result, refused string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.charged, r.last, r.refused
}
