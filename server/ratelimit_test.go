package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/cache/cachetest"
)

// withRateLimit is a rateLimit query: never answered from the cache, and it says its cost.
const withRateLimit = `{ cases(first: 1) { totalCount } rateLimit { limit cost remaining used resetAt } }`

type rateLimitAnswer struct {
	Data struct {
		RateLimit struct {
			Limit, Cost, Remaining int
			Used                   *int
			ResetAt                string
		}
	}
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
}

func decodeRateLimit(t *testing.T, a answer) rateLimitAnswer {
	t.Helper()
	var r rateLimitAnswer
	if err := json.Unmarshal([]byte(a.body), &r); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return r
}

func headerInt(t *testing.T, a answer, name string) int {
	t.Helper()
	n, err := strconv.Atoi(a.header.Get(name))
	if err != nil {
		t.Fatalf("%s: %q (%d %s)", name, a.header.Get(name), a.status, a.body)
	}
	return n
}

// near: Redis computes what is left in floating point and rounds down, so 1 point may
// seem gone that is not.
func near(got, want int) bool { return got == want || got == want-1 }

// checkRefused checks a 429 as every refusal gives it.
func checkRefused(t *testing.T, what string, a answer, limit int) {
	t.Helper()
	if a.status != http.StatusTooManyRequests || headerInt(t, a, "Retry-After") < 1 || headerInt(t, a, "RateLimit-Limit") != limit ||
		a.header.Get("RateLimit-Remaining") == "" || headerInt(t, a, "RateLimit-Reset") < 1 {
		t.Fatalf("%s: %d %v %s", what, a.status, a.header, a.body)
	}
	r := decodeRateLimit(t, a)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Fatalf("%s: %s", what, a.body)
	}
}

// exhaust asks q at base until it is refused; it must be within n requests.
func exhaust(t *testing.T, base, q string, n int, header map[string]string) answer {
	t.Helper()
	for range n {
		if a := ask(t, base, query(q, nil), nil, header); a.status == http.StatusTooManyRequests {
			return a
		} else if a.status != http.StatusOK {
			t.Fatalf("before the limit: %d %s", a.status, a.body)
		}
	}
	t.Fatalf("not refused after %d requests", n)
	return answer{}
}

// TestRateLimitSharedAcrossInstances runs two servers on one database and one Redis: a
// client that spends its budget on one is refused by the other, for GraphQL and exports.
func TestRateLimitSharedAcrossInstances(t *testing.T) {
	redisURL := cachetest.RedisURL(t)
	env := smallDatabase(t)
	env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, cachetest.Prefix(t, redisURL)
	env["RATE_LIMIT"] = "100"
	a, b := start(t, env), start(t, env)

	// The first answer: the budget minus this request's cost, in the headers and the body.
	first := ask(t, a.url, query(withRateLimit, nil), nil, nil)
	r := decodeRateLimit(t, first)
	rl := r.Data.RateLimit
	if first.status != 200 || rl.Limit != 100 || rl.Cost < 3 || !near(rl.Remaining, 100-rl.Cost) || rl.Used == nil || *rl.Used != 100-rl.Remaining ||
		headerInt(t, first, "RateLimit-Limit") != 100 || headerInt(t, first, "RateLimit-Remaining") != rl.Remaining ||
		headerInt(t, first, "RateLimit-Reset") < 1 || rl.ResetAt == "" {
		t.Fatalf("first: %d %v %s", first.status, first.header, first.body)
	}
	// Asking for rateLimit is never answered from the cache: the numbers move.
	second := ask(t, a.url, query(withRateLimit, nil), nil, nil)
	if second.xcache() != "BYPASS" || decodeRateLimit(t, second).Data.RateLimit.Remaining > rl.Remaining-rl.Cost+1 {
		t.Fatalf("second: %s %s after %s", second.xcache(), second.body, first.body)
	}

	// A cached answer costs 1 point; computing it cost more.
	counts := `{ cases(first: 20) { totalCount } }`
	before := headerInt(t, ask(t, b.url, query(withRateLimit, nil), nil, nil), "RateLimit-Remaining")
	miss := ask(t, b.url, query(counts, nil), nil, nil)
	hit := ask(t, b.url, query(counts, nil), nil, nil)
	if miss.xcache() != "MISS" || hit.xcache() != "HIT" {
		t.Fatalf("cache: %s %s", miss.xcache(), hit.xcache())
	}
	if spent := before - headerInt(t, miss, "RateLimit-Remaining"); spent < 2 {
		t.Errorf("a computed page of 20 took %d points", spent)
	}
	if spent := headerInt(t, miss, "RateLimit-Remaining") - headerInt(t, hit, "RateLimit-Remaining"); spent < 0 || spent > 1 {
		t.Errorf("a cached answer took %d points", spent)
	}

	// An operation costing more than is left is refused before it runs.
	page := `totalCount edges { node { reference category platform timeline { kind month label } appeals { status } region { code name } } }`
	big := ask(t, a.url, query(`{ a: cases(first: 100) { `+page+` } b: cases(first: 100, filter: {jurisdiction: KZ}) { `+page+` } }`, nil), nil, nil)
	checkRefused(t, "cost above what is left", big, 100)
	if strings.Contains(big.body, "totalCount") || strings.Contains(big.body, "edges") {
		t.Fatalf("the refused operation ran: %s", big.body)
	}

	// Spend the rest on A, down to the last point with cached answers; B refuses at once,
	// even a cached answer.
	exhaust(t, a.url, withRateLimit, 30, nil)
	exhaust(t, a.url, counts, 30, nil)
	g := ask(t, b.url, nil, map[string][]string{"query": {counts}}, nil)
	checkRefused(t, "instance B, a cached answer", g, 100)
	checkRefused(t, "instance B", ask(t, b.url, query(withRateLimit, nil), nil, nil), 100)
	resp, err := http.Get(b.url + "/export/cases.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "RATE_LIMITED") {
		t.Fatalf("export: %d %v %s", resp.StatusCode, resp.Header, body)
	}

	m := get(t, a.url+"/metrics") + get(t, b.url+"/metrics")
	for _, want := range []string{`casewatch_rate_limited_total{reason="cost"}`, `casewatch_rate_limited_total{reason="exhausted"}`,
		`casewatch_rate_limit_redis_breaker_open 0`, `casewatch_http_requests_total{code="429",handler="graphql"}`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestRateLimitReaderToken: a reader token has the API key's budget (ten times the
// anonymous one by default), its own, and cannot change anything.
func TestRateLimitReaderToken(t *testing.T) {
	env := smallDatabase(t)
	env["RATE_LIMIT"] = "50"
	out, _, err := runCmd(t, env, "token", "create", "--role", "reader", "--name", "researcher")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out)
	s := start(t, env)
	bearer := map[string]string{"Authorization": "Bearer " + token}

	// The anonymous budget is spent…
	exhaust(t, s.url, withRateLimit, 20, nil)
	// …the token's is another, larger one.
	a := ask(t, s.url, query(withRateLimit, nil), nil, bearer)
	if rl := decodeRateLimit(t, a).Data.RateLimit; a.status != 200 || rl.Limit != 500 || !near(rl.Remaining, 500-rl.Cost) || headerInt(t, a, "RateLimit-Limit") != 500 {
		t.Fatalf("reader: %d %v %s", a.status, a.header, a.body)
	}
	// An unknown token is charged as its address.
	checkRefused(t, "unknown token", ask(t, s.url, query(withRateLimit, nil), nil, map[string]string{"Authorization": "Bearer cw_nope"}), 50)

	// A reader may not import.
	status, header, b := upload(t, s.url, token, "", "rowsAdded", importHeader+goodRows)
	if status != 200 || !strings.Contains(string(b), `"FORBIDDEN"`) || header.Get("RateLimit-Limit") != "500" {
		t.Fatalf("reader import: %d %v %s", status, header, b)
	}
}

// TestRateLimitForwardedFor: X-Forwarded-For counts only from a trusted proxy, and then
// its right-most address that is not one.
func TestRateLimitForwardedFor(t *testing.T) {
	env := smallDatabase(t)
	env["RATE_LIMIT"] = "30"
	from := func(xff string) map[string]string { return map[string]string{"X-Forwarded-For": xff} }

	untrusted := start(t, env)
	exhaust(t, untrusted.url, withRateLimit, 20, from("203.0.113.1"))
	checkRefused(t, "another X-Forwarded-For from an untrusted peer", ask(t, untrusted.url, query(withRateLimit, nil), nil, from("203.0.113.2")), 30)

	env["TRUSTED_PROXIES"] = "10.0.0.0/8, 127.0.0.1"
	trusted := start(t, env)
	exhaust(t, trusted.url, withRateLimit, 20, from("203.0.113.1"))
	checkRefused(t, "the same client", ask(t, trusted.url, query(withRateLimit, nil), nil, from("198.51.100.7, 203.0.113.1, 10.1.2.3")), 30)
	// What the client wrote left of the address the proxy saw does not matter.
	if a := ask(t, trusted.url, query(withRateLimit, nil), nil, from("203.0.113.1, 203.0.113.2")); a.status != 200 {
		t.Fatalf("another client behind the proxy: %d %s", a.status, a.body)
	}
}

func TestRateLimitClientAddr(t *testing.T) {
	trusted, err := parseProxies("10.0.0.0/8 ,::1, 192.0.2.5")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ remote, xff, want string }{
		{"198.51.100.1:5000", "203.0.113.9", "198.51.100.1"}, // untrusted peer: its own address
		{"10.0.0.1:5000", "", "10.0.0.1"},
		{"10.0.0.1:5000", "203.0.113.9", "203.0.113.9"},
		{"10.0.0.1:5000", "1.1.1.1, 203.0.113.9, 192.0.2.5", "203.0.113.9"},
		{"[::1]:80", "garbage, 10.2.2.2", "10.2.2.2"}, // every hop trusted up to one unreadable
		{"[::ffff:10.0.0.1]:80", "2001:db8::1", "2001:db8::1"},
	} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientAddr(r, trusted); got != netip.MustParseAddr(c.want) {
			t.Errorf("%s %q: %v, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if got := clientKey(netip.MustParseAddr("2001:db8:1:2:3:4:5:6")); got != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 key: %s", got)
	}
	if _, err := parseProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad range was accepted")
	}
}
