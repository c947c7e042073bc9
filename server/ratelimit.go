package main

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/ratelimit"
	"github.com/casewatch/casewatch/internal/store"
)

// exportCost is what one export costs, whatever it streams: as much as a full page of 100
// cases with every field.
const exportCost = 5000

// limits is how the server applies rate limits.
type limits struct {
	lim *ratelimit.Limiter
	// anonymous is the budget of a client address, key that of an API key (reader or
	// editor).
	anonymous, key ratelimit.Budget
	proxies        []netip.Prefix
}

// callerKey holds the caller as the rate limiter established it, so that authenticate
// does not look the token up again.
type callerKey struct{}

// caller reads the bearer token of r, as authenticate does: a request without one, or
// with an unknown or revoked one, has no name.
func (a *app) caller(r *http.Request) (c graph.Caller, err error) {
	if c, ok := r.Context().Value(callerKey{}).(graph.Caller); ok {
		return c, nil
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return c, nil
	}
	c.Token = true
	if token, ok := strings.CutPrefix(h, "Bearer "); ok {
		t, err := a.store.ActiveToken(r.Context(), hashToken(strings.TrimSpace(token)))
		switch {
		case err == nil:
			c.Name, c.Role = t.Name, t.Role
		case !errors.Is(err, store.ErrNotFound):
			return c, err
		}
	}
	return c, nil
}

// limit charges each request to its client's budget: cost points at once, before anything
// is read, and for GraphQL the rest of the operation's cost once it is parsed
// (graph.RateLimits). A client whose budget cannot pay is answered 429 with Retry-After and
// a RATE_LIMITED error. Every answer says RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset (seconds until the budget is full). reason labels the refusals counted.
//
// The client is the API key when a valid one is sent ("token:NAME", the key budget), else
// its address ("ip:ADDRESS", the anonymous budget; see clientAddr).
func (a *app) limit(m *httpMetrics, cost int, reason string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := a.caller(r)
		if err != nil {
			a.log.Error("token lookup", "err", err)
			http.Error(w, "internal error; it has been logged", http.StatusInternalServerError)
			return
		}
		ctx := context.WithValue(r.Context(), callerKey{}, c)
		key, budget := "ip:"+clientKey(clientAddr(r, a.limits.proxies)), a.limits.anonymous
		if c.Name != "" {
			key, budget = "token:"+c.Name, a.limits.key
		}
		if budget.Unlimited() {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		ctx, req := a.limits.lim.WithClient(ctx, key, budget)
		if res := req.Charge(ctx, cost, reason); !res.Allowed {
			m.rateLimited.WithLabelValues(reason).Inc()
			h := w.Header()
			setRateLimitHeaders(h, res)
			h.Set("Retry-After", strconv.Itoa(graph.RetryAfterSeconds(res.RetryAfter)))
			h.Set("Cache-Control", "no-store")
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write(graph.RateLimitedBody(res))
			return
		}
		lw := &limitWriter{ResponseWriter: w, req: req}
		next.ServeHTTP(lw, r.WithContext(ctx))
		if lw.refused != "" {
			m.rateLimited.WithLabelValues(lw.refused).Inc()
		}
	})
}

func setRateLimitHeaders(h http.Header, res ratelimit.Result) {
	h.Set("RateLimit-Limit", strconv.Itoa(res.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(res.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(res.ResetAfter.Seconds()))))
}

// limitWriter sets the rate-limit headers as the answer starts, from the last decision
// on the request, and turns the answer of a refused operation into a 429.
type limitWriter struct {
	http.ResponseWriter
	req     *ratelimit.Request
	wrote   bool
	refused string
}

func (w *limitWriter) WriteHeader(code int) {
	if w.wrote {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.wrote = true
	_, last, refused := w.req.State()
	h := w.Header()
	setRateLimitHeaders(h, last)
	if refused != "" && code < 300 {
		w.refused = refused
		h.Set("Retry-After", strconv.Itoa(graph.RetryAfterSeconds(last.RetryAfter)))
		h.Set("Cache-Control", "no-store")
		code = http.StatusTooManyRequests
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *limitWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *limitWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *limitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// clientAddr is the address a request came from: the peer, or, when the peer is a trusted
// proxy, the right-most address of X-Forwarded-For that is not a trusted proxy (the ones
// left of it could have been written by the client).
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	addr, err := netip.ParseAddrPort(r.RemoteAddr)
	peer := addr.Addr()
	if err != nil {
		peer, _ = netip.ParseAddr(r.RemoteAddr)
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // what a trusted proxy passed on ends here
		}
		hop = hop.Unmap()
		if !isTrusted(hop, trusted) {
			return hop
		}
		peer = hop
	}
	return peer
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey is the budget an address is charged to: its own for IPv4, its /64 for IPv6
// (what one subscriber usually holds).
func clientKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
