package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/cache/cachetest"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// startLogged runs the server like start, keeping what it logs (as JSON lines).
func startLogged(t *testing.T, env map[string]string) (*server, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env["ADDR"], env["LOG_FORMAT"] = "127.0.0.1:0", "json"
	dumpsIn(t, env)
	logs := &syncBuffer{}
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, w, logs)
		w.Close()
	}()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v (%v)\n%s", err, <-done, logs)
	}
	go io.Copy(io.Discard, r)
	_, addr, _ := strings.Cut(line, "http://")
	s := &server{url: "http://" + strings.TrimSpace(addr)}
	var stopErr error
	var once sync.Once
	s.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	waitReady(t, s.url, logs.String)
	return s, logs
}

// logLines returns the JSON log lines with msg "request".
func logLines(t *testing.T, logs *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

func lineWithID(t *testing.T, logs *syncBuffer, id string) map[string]any {
	t.Helper()
	// The line is written when the handler returns, just after the answer went out.
	deadline := time.Now().Add(5 * time.Second)
	for {
		for _, l := range logLines(t, logs) {
			if l["request_id"] == id {
				return l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no access log line for request %s in\n%s", id, logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// secretName stands for something a reader typed: it may reach no log.
const secretName = "Zhanibekova Aigerim"

// TestAccessLogMetricsAndRequestID: every request gets an id, echoed and logged with its
// method, path, status, duration, bytes, cache result and operation; the latency histogram
// is labelled by operation, status and cache result; nothing a reader sent (variables,
// query strings) is logged.
func TestAccessLogMetricsAndRequestID(t *testing.T) {
	redisURL := cachetest.RedisURL(t)
	env := smallDatabase(t)
	env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, cachetest.Prefix(t, redisURL)
	env["TRUSTED_PROXIES"] = "127.0.0.1" // the test stands in for the proxy
	s, logs := startLogged(t, env)

	search := `query FindCases($q: String) { cases(filter: {search: $q}) { totalCount } }`
	// A proxy's random id is kept.
	const edgeID = "0123456789abcdef0123456789abcdef"
	a := ask(t, s.url, query(search, map[string]any{"q": secretName}), nil, map[string]string{"X-Request-Id": edgeID})
	if a.status != 200 || a.header.Get("X-Request-Id") != edgeID {
		t.Fatalf("%d, X-Request-Id %q", a.status, a.header.Get("X-Request-Id"))
	}
	// Anything else that could carry data (an IIN, a name) is replaced, even from the proxy.
	for _, bad := range []string{"870412300123", "Aigerim.Zhanibekova", "tel-87011234567"} {
		b := ask(t, s.url, query(`{ __typename }`, nil), nil, map[string]string{"X-Request-Id": bad})
		if got := b.header.Get("X-Request-Id"); got == bad || strings.Contains(logs.String(), bad) {
			t.Fatalf("the id %q came back as %q or reached the log", bad, got)
		}
	}
	l := lineWithID(t, logs, edgeID)
	want := map[string]any{"method": "POST", "path": "/graphql", "status": 200.0, "handler": "graphql",
		"cache": "BYPASS", "operation": "FindCases", "level": "INFO"}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("log %s = %v, want %v (%v)", k, l[k], v, l)
		}
	}
	if b, _ := l["bytes"].(float64); b <= 0 || int(b) != len(a.body) {
		t.Errorf("log bytes = %v, answer has %d", l["bytes"], len(a.body))
	}
	if _, ok := l["duration_ms"].(float64); !ok {
		t.Errorf("no duration_ms: %v", l)
	}
	// The same again is no hit: a search is never shared between visitors.
	a = ask(t, s.url, query(search, map[string]any{"q": secretName}), nil, nil)
	id := a.header.Get("X-Request-Id")
	if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(id) || a.xcache() != "BYPASS" {
		t.Fatalf("X-Request-Id %q, X-Cache %s", id, a.xcache())
	}
	if l := lineWithID(t, logs, id); l["cache"] != "BYPASS" || l["operation"] != "FindCases" {
		t.Errorf("search logged as %v", l)
	}
	// The same question without a search is a miss, then a hit, and the cache knows the
	// operation without running it.
	for _, want := range []string{"MISS", "HIT"} {
		a = ask(t, s.url, query(`query CountCases { cases { totalCount } }`, nil), nil, nil)
		if l := lineWithID(t, logs, a.header.Get("X-Request-Id")); a.xcache() != want || l["cache"] != want || l["operation"] != "CountCases" {
			t.Errorf("X-Cache %s, logged as %v, want %s", a.xcache(), l, want)
		}
	}
	// Over GET the search is in the query string; an id with spaces is replaced.
	params := url.Values{"query": {search}, "variables": {`{"q":"` + secretName + `"}`}}
	a = ask(t, s.url, nil, params, map[string]string{"X-Request-Id": "no good id"})
	id = a.header.Get("X-Request-Id")
	if a.status != 200 || id == "no good id" || id == "" {
		t.Fatalf("GET: %d, X-Request-Id %q", a.status, id)
	}
	if l := lineWithID(t, logs, id); l["method"] != "GET" || l["path"] != "/graphql" {
		t.Errorf("GET logged as %v", l)
	}
	// Anonymous operations, odd names and a flood of names stay a few label values.
	ask(t, s.url, query(`{ cases { totalCount } }`, nil), nil, nil)
	for i := range 150 {
		ask(t, s.url, query(fmt.Sprintf(`query Op%d { cases { totalCount } }`, i), nil), nil, nil)
	}
	if a := ask(t, s.url, map[string]any{"query": `{ cases { totalCount } }`, "operationName": "x y"}, nil, nil); a.status == 0 {
		t.Fatal("no answer")
	}

	if strings.Contains(logs.String(), "Zhanibekova") || strings.Contains(logs.String(), "Aigerim") {
		t.Fatalf("the log holds what a reader searched for:\n%s", logs)
	}
	m := get(t, s.url+"/metrics")
	for _, want := range []string{
		`casewatch_http_request_duration_seconds_count{cache="BYPASS",code="200",handler="graphql",operation="FindCases"} 3`,
		`casewatch_http_request_duration_seconds_count{cache="HIT",code="200",handler="graphql",operation="CountCases"} 1`,
		`casewatch_http_request_duration_seconds_count{cache="MISS",code="200",handler="graphql",operation="anonymous"}`,
		`operation="other"`,
		`go_sql_max_open_connections{db_name="casewatch"} 4`,
		`go_sql_open_connections{db_name="casewatch"}`,
		`casewatch_redis_up 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	ops := map[string]bool{}
	for _, m := range regexp.MustCompile(`casewatch_http_request_duration_seconds_count\{[^}]*operation="([^"]*)"`).FindAllStringSubmatch(m, -1) {
		ops[m[1]] = true
	}
	if len(ops) > maxOperationNames+4 || !ops["Op0"] || ops["Op149"] {
		t.Errorf("%d operation label values: %v", len(ops), ops)
	}
}

// TestRequestIDOnlyFromTrustedProxies: a well-formed id is kept only from a trusted peer;
// from anyone else it is replaced, so no client chooses what is logged and traced.
func TestRequestIDOnlyFromTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	const id = "0123456789abcdef0123456789abcdef"
	for _, c := range []struct {
		peer, id string
		kept     bool
	}{
		{"10.1.2.3:4000", id, true},
		{"10.1.2.3:4000", "8f14e45f-ceea-467f-a8b3-5c6f2a5d9e1b", true},
		{"192.0.2.7:4000", id, false},
		{"10.1.2.3:4000", "870412300123", false},
		{"10.1.2.3:4000", "0123456789ABCDEF0123456789ABCDEF", false},
	} {
		r := httptest.NewRequest("GET", "/graphql", nil)
		r.RemoteAddr = c.peer
		r.Header.Set(HeaderRequestID, c.id)
		if got, ok := incomingRequestID(r, trusted); ok != c.kept || (ok && got != c.id) {
			t.Errorf("%s from %s: kept %v (%q), want %v", c.id, c.peer, ok, got, c.kept)
		}
	}
}

// TestPanicIsA500WithTheRequestID: a handler's panic is logged with the request id and
// answered 500 without the panic's text or a stack.
func TestPanicIsA500WithTheRequestID(t *testing.T) {
	logs := &syncBuffer{}
	a := &app{log: slog.New(slog.NewJSONHandler(logs, nil))}
	h := a.observe(&operationNames{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Has("text") {
			panic("bad value " + r.URL.Query().Get("name")) // a panic's text may hold what the request carried
		}
		var m map[string]int
		m[r.URL.Query().Get("name")]++ // assignment to a nil map
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/graphql?name=" + url.QueryEscape(secretName))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != 500 || id == "" || !strings.Contains(string(body), id) ||
		strings.Contains(string(body), "goroutine") || strings.Contains(string(body), "nil map") {
		t.Fatalf("%d %q: %s", resp.StatusCode, id, body)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"panic serving a request","request_id":"`+id+`"`) ||
		!strings.Contains(out, "assignment to entry in nil map") ||
		!strings.Contains(out, `"request_id":"`+id+`","method":"GET","path":"/graphql","status":500`) {
		t.Fatalf("log:\n%s", out)
	}
	if strings.Contains(out, "Zhanibekova") {
		t.Fatalf("the log holds the query string:\n%s", out)
	}
	resp, err = http.Get(srv.URL + "/graphql?text=1&name=" + url.QueryEscape(secretName))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if out := logs.String(); resp.StatusCode != 500 || strings.Contains(out, "Zhanibekova") || !strings.Contains(out, `"panic":"string"`) {
		t.Fatalf("a panic's text reached the log, or the panic was not logged:\n%s", out)
	}
}

// TestReadyzDegradedWithoutRedis: /readyz stays 200 when Redis stops, saying the instance
// is degraded, and casewatch_redis_up follows Redis down and up.
func TestReadyzDegradedWithoutRedis(t *testing.T) {
	rs := cachetest.StartRedis(t)
	env := smallDatabase(t)
	env["REDIS_URL"] = rs.URL
	s := start(t, env)
	readyz := func() (int, string) {
		resp, err := http.Get(s.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := readyz(); code != 200 || body != "ready\n" {
		t.Fatalf("with Redis: %d %q", code, body)
	}
	rs.Stop()
	if code, body := readyz(); code != 200 || body != "degraded: redis unavailable\n" {
		t.Fatalf("without Redis: %d %q", code, body)
	}
	if m := get(t, s.url+"/metrics"); !strings.Contains(m, "casewatch_redis_up 0") {
		t.Fatal("casewatch_redis_up is not 0 without Redis")
	}
	rs.Start()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, body := readyz()
		if code == 200 && body == "ready\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after Redis came back: %d %q", code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if m := get(t, s.url+"/metrics"); !strings.Contains(m, "casewatch_redis_up 1") {
		t.Fatal("casewatch_redis_up is not 1 with Redis back")
	}
}

// TestReadyzFollowsTheDatabase: /readyz answers 503 while PostgreSQL refuses connections
// and 200 again once it takes them.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	base := os.Getenv("CASEWATCH_TEST_POSTGRES_URL")
	if base == "" {
		storetest.PostgresURL(t) // fails under CASEWATCH_TEST_REQUIRE_SERVICES=1
		t.Skip("no PostgreSQL")
	}
	// A database of its own, to refuse connections to.
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "casewatch_readyz_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
		admin.Close()
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	s := start(t, map[string]string{"DATABASE_URL": u.String(), "DEMO_CASES": "300"})
	readyz := func() int {
		resp, err := http.Get(s.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := readyz(); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	for _, q := range []string{"ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'"} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if code := readyz(); code != http.StatusServiceUnavailable {
		t.Fatalf("readyz %d with the database refusing connections, want 503", code)
	}
	if _, err := admin.Exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true"); err != nil {
		t.Fatal(err)
	}
	// The pool's connections died with their backends: a probe or two may still meet one.
	deadline := time.Now().Add(10 * time.Second)
	for readyz() != 200 {
		if time.Now().After(deadline) {
			t.Fatal("readyz is not 200 again with the database back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
