package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/ratelimit"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

func TestRateLimitLiveQueriesAreNotCached(t *testing.T) {
	for q, live := range map[string]bool{
		`{ rateLimit { remaining } }`:                                             true,
		`{ cases { totalCount } left: rateLimit { remaining } }`:                  true,
		`query { ...F } fragment F on Query { rateLimit { cost } }`:               true,
		`{ ... on Query { rateLimit { cost } } }`:                                 true,
		`{ cases { totalCount } currentRelease { version } }`:                     false,
		`query Q { regions { name } } query R { cases(first: 1) { totalCount } }`: false,
	} {
		if n := normalize(q); n.bad || n.live != live {
			t.Errorf("%s: bad %v, live %v, want live %v", q, n.bad, n.live, live)
		}
	}
}

// TestRateLimitChargesTheOperationCost runs the handler behind an account opened as the
// HTTP layer does: an operation is charged its complexity, and one the budget cannot pay
// is refused before it runs.
func TestRateLimitChargesTheOperationCost(t *testing.T) {
	st := storetest.Open(t, storetest.SQLiteURL(t))
	ref := reference.MustRead()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	api, err := New(Options{Store: st, Engine: stats.NewEngine(st, ref, []byte("test secret")), Reference: ref, Secret: []byte("test secret"),
		Threshold: privacy.MinThreshold, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	h := api.GraphQL
	lim := ratelimit.New(ratelimit.Options{})
	budget := ratelimit.Budget{PerMinute: 6, Burst: 30} // a point every 10 s: none comes back during the test
	withAccount := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if withAccount {
			ctx, req := lim.WithClient(r.Context(), "ip:192.0.2.1", budget)
			req.Charge(ctx, 1, "exhausted")
			r = r.WithContext(ctx)
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	post := func(q string) (out struct {
		Data struct {
			RateLimit struct{ Limit, Cost, Remaining int }
		}
		Errors []struct{ Extensions map[string]any }
	}) {
		b, _ := json.Marshal(map[string]string{"query": q})
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}

	// The budget pays the cost the complexity extension published, all of it.
	r := post(`{ rateLimit { limit cost remaining } }`)
	rl := r.Data.RateLimit
	if len(r.Errors) > 0 || rl.Limit != 30 || rl.Cost < 1 || rl.Remaining != 30-rl.Cost {
		t.Fatalf("first: %+v", r)
	}
	cost := rl.Cost
	r = post(`{ cases(first: 20) { totalCount edges { node { reference } } } rateLimit { cost remaining } }`)
	if len(r.Errors) > 0 || r.Data.RateLimit.Cost <= cost || r.Data.RateLimit.Remaining != rl.Remaining-r.Data.RateLimit.Cost {
		t.Fatalf("a page: %+v after %+v", r, rl)
	}
	// Spend the rest: refused, with RATE_LIMITED, and charged only its first point.
	left := r.Data.RateLimit.Remaining
	for range 30 {
		r = post(`{ rateLimit { limit cost remaining } }`)
		if len(r.Errors) > 0 {
			break
		}
		left = r.Data.RateLimit.Remaining
	}
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeRateLimited || r.Errors[0].Extensions["retryAfter"] == nil {
		t.Fatalf("over the budget: %+v", r)
	}
	if got := lim.Allow(context.Background(), "ip:192.0.2.1", budget, 0); got.Remaining != max(0, left-1) {
		t.Fatalf("%d left before the refusal, %d after", left, got.Remaining)
	}

	// Without an account nothing is charged, and rateLimit says there is no limit.
	withAccount = false
	r = post(`{ rateLimit { limit cost remaining } }`)
	if rl := r.Data.RateLimit; len(r.Errors) > 0 || rl.Limit != 0 || rl.Cost != cost {
		t.Fatalf("no limit: %+v", r)
	}
}
