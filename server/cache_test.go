package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/casewatch/casewatch/internal/cache"
	"github.com/casewatch/casewatch/internal/cache/cachetest"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// answer is one /graphql response.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) xcache() string { return a.header.Get("X-Cache") }

// ask sends a GraphQL request: POST with a JSON body when body is set, else GET with
// params in the URL.
func ask(t *testing.T, base string, body any, params url.Values, header map[string]string) answer {
	t.Helper()
	var req *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		req, _ = http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req, _ = http.NewRequest(http.MethodGet, base+"/graphql?"+params.Encode(), nil)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func query(q string, vars map[string]any) map[string]any {
	return map[string]any{"query": q, "variables": vars}
}

// smallDatabase returns the environment of a server on a SQLite file holding the three
// cases of goodRows and five like A-1, which the case view shows with A-1 (the other two
// it leaves out): quicker to make than the demo dataset.
func smallDatabase(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
	if _, _, err := runCmd(t, env, "import", writeFile(t, "cases.csv", importHeader+goodRows+alikeRows("B", 5, goodRow("A-1")))); err != nil {
		t.Fatal(err)
	}
	return env
}

const casesByJurisdiction = `query Count($j: Jurisdiction) { cases(filter: {jurisdiction: $j}) { totalCount } }`

func TestResponseCacheHitMissBypass(t *testing.T) {
	redisURL := cachetest.RedisURL(t)
	env := smallDatabase(t)
	env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, cachetest.Prefix(t, redisURL)
	s := start(t, env)

	first := ask(t, s.url, query(casesByJurisdiction, map[string]any{"j": "KZ"}), nil, nil)
	if first.status != 200 || first.xcache() != "MISS" || first.body != `{"data":{"cases":{"totalCount":6}}}` {
		t.Fatalf("first: %d %s %s", first.status, first.xcache(), first.body)
	}
	again := ask(t, s.url, query(casesByJurisdiction, map[string]any{"j": "KZ"}), nil, nil)
	if again.xcache() != "HIT" || again.body != first.body || again.header.Get("Content-Type") != "application/json" {
		t.Fatalf("again: %s %s %q", again.xcache(), again.header.Get("Content-Type"), again.body)
	}
	// The same document spelt differently is the same entry.
	respelt := "# how many cases\nquery Count( $j : Jurisdiction ) {\n  cases(filter: {jurisdiction: $j}) {\n    totalCount # all of them\n  }\n}\n"
	if a := ask(t, s.url, query(respelt, map[string]any{"j": "KZ"}), nil, nil); a.xcache() != "HIT" || a.body != first.body {
		t.Fatalf("respelt: %s %s", a.xcache(), a.body)
	}
	// Other variables are another entry.
	if a := ask(t, s.url, query(casesByJurisdiction, map[string]any{"j": "KG"}), nil, nil); a.xcache() != "MISS" || a.body == first.body {
		t.Fatalf("other variables: %s %s", a.xcache(), a.body)
	}
	// A token always bypasses, valid or not, and its answer is nobody else's to keep.
	if a := ask(t, s.url, query(casesByJurisdiction, map[string]any{"j": "KZ"}), nil, map[string]string{"Authorization": "Bearer cw_x"}); a.xcache() != "BYPASS" || a.header.Get("Cache-Control") != "no-store" || a.body != first.body {
		t.Fatalf("with a token: %s %q %s", a.xcache(), a.header.Get("Cache-Control"), a.body)
	}
	// Mutations bypass.
	if a := ask(t, s.url, query(`mutation { importCases(file: null) { rowsAdded } }`, nil), nil, nil); a.xcache() != "BYPASS" {
		t.Fatalf("mutation: %s %s", a.xcache(), a.body)
	}
	// Errors are never cached.
	for range 2 {
		a := ask(t, s.url, query(`{ cases(first: 0) { totalCount } }`, nil), nil, nil)
		if a.xcache() != "MISS" || a.header.Get("Cache-Control") != "no-store" || !strings.Contains(a.body, "BAD_USER_INPUT") {
			t.Fatalf("error answer: %s %q %s", a.xcache(), a.header.Get("Cache-Control"), a.body)
		}
	}
	// GET: the same entry, with headers for HTTP caches.
	g := ask(t, s.url, nil, url.Values{"query": {casesByJurisdiction}, "variables": {`{"j":"KZ"}`}}, nil)
	if g.xcache() != "HIT" || g.body != first.body || g.header.Get("Cache-Control") != "public, max-age=1, stale-while-revalidate=10" || !strings.HasPrefix(g.header.Get("ETag"), `"1-`) {
		t.Fatalf("GET: %s %v %s", g.xcache(), g.header, g.body)
	}

	metrics := get(t, s.url+"/metrics")
	for _, want := range []string{`casewatch_graphql_cache_results_total{result="HIT"}`, `casewatch_graphql_cache_results_total{result="BYPASS"}`,
		`casewatch_cache_hits_total{cache="responses",tier="local"}`, `casewatch_cache_misses_total{cache="responses",tier="redis"}`,
		`casewatch_cache_stored_bytes{cache="responses",tier="local"}`, `casewatch_cache_operation_duration_seconds_count{op="get",tier="redis"}`,
		`casewatch_cache_redis_breaker_open 0`, `casewatch_cache_generation 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestPersistedQueryOverGET(t *testing.T) {
	redisURL := cachetest.RedisURL(t)
	env := smallDatabase(t)
	env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, cachetest.Prefix(t, redisURL)
	s := start(t, env)
	sum := sha256.Sum256([]byte(casesByJurisdiction))
	hash := hex.EncodeToString(sum[:])
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hash + `"}}`
	byHash := url.Values{"extensions": {ext}, "variables": {`{"j":"KZ"}`}, "operationName": {"Count"}}

	// Unknown hash: the client is told to send the document; nothing may keep that.
	a := ask(t, s.url, nil, byHash, nil)
	if !strings.Contains(a.body, "PersistedQueryNotFound") || a.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("unknown hash: %v %s", a.header, a.body)
	}
	// Document and hash: registered, answered.
	withDoc := url.Values{"query": {casesByJurisdiction}, "extensions": {ext}, "variables": {`{"j":"KZ"}`}, "operationName": {"Count"}}
	if a := ask(t, s.url, nil, withDoc, nil); a.status != 200 || !strings.Contains(a.body, "totalCount") {
		t.Fatalf("with the document: %d %s", a.status, a.body)
	}
	// Hash alone now: public, with a strong ETag.
	a = ask(t, s.url, nil, byHash, nil)
	etag := a.header.Get("ETag")
	if a.status != 200 || !strings.Contains(a.body, "totalCount") || a.xcache() != "HIT" ||
		a.header.Get("Cache-Control") != "public, max-age=1, stale-while-revalidate=10" || !strings.HasPrefix(etag, `"`) {
		t.Fatalf("by hash: %d %v %s", a.status, a.header, a.body)
	}
	// Revalidation: 304, no body.
	nm := ask(t, s.url, nil, byHash, map[string]string{"If-None-Match": etag})
	if nm.status != http.StatusNotModified || nm.body != "" || nm.header.Get("ETag") != etag {
		t.Fatalf("If-None-Match: %d %v %q", nm.status, nm.header, nm.body)
	}
	// Other variables: another ETag, and the old one does not match.
	other := url.Values{"extensions": {ext}, "variables": {`{"j":"KG"}`}, "operationName": {"Count"}}
	if a := ask(t, s.url, nil, other, map[string]string{"If-None-Match": etag}); a.status != 200 || a.header.Get("ETag") == etag {
		t.Fatalf("other variables: %d %v", a.status, a.header)
	}
	// Another instance on the same database and Redis knows the hash.
	s2 := start(t, env)
	if a := ask(t, s2.url, nil, byHash, nil); a.status != 200 || !strings.Contains(a.body, "totalCount") || a.header.Get("ETag") != etag {
		t.Fatalf("other instance: %d %v %s", a.status, a.header, a.body)
	}
}

// TestNewReleaseReachesEveryInstance runs two server processes on one database, with and
// without a shared Redis, imports through one of them (the importCases mutation) and
// through the import command in a third process, and asks the other server at once.
// Pub/sub makes the news immediate; without Redis, polling the store brings it.
func TestNewReleaseReachesEveryInstance(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		for _, withRedis := range []bool{true, false} {
			name := b.Name + "/poll-only"
			if withRedis {
				name = b.Name + "/redis"
			}
			t.Run(name, func(t *testing.T) {
				dbURL := b.URL
				if b.Name == "postgres" {
					dbURL = storetest.PostgresURL(t) // a fresh schema for each run
				} else {
					dbURL = storetest.SQLiteURL(t)
				}
				env := map[string]string{"DATABASE_URL": dbURL, "CASEWATCH_SECRET": "s3cret", "DEMO": "false"}
				if withRedis {
					redisURL := cachetest.RedisURL(t)
					env["REDIS_URL"], env["REDIS_PREFIX"] = redisURL, cachetest.Prefix(t, redisURL)
				}
				out, _, err := runCmd(t, env, "token", "create", "--role", "editor", "--name", "newsroom")
				if err != nil {
					t.Fatal(err)
				}
				token := strings.TrimSpace(out)
				a, other := startProcess(t, env), startProcess(t, env)

				counts := `{ releases { totalCount } cases(filter: {decisions: [LIABLE]}) { totalCount } }`
				ask(t, other.url, query(counts, nil), nil, nil)
				if x := ask(t, other.url, query(counts, nil), nil, nil); x.xcache() != "HIT" || x.body != `{"data":{"releases":{"totalCount":0},"cases":{"totalCount":0}}}` {
					t.Fatalf("before: %s %s", x.xcache(), x.body)
				}

				// with five cases like each, so that the case view shows them.
				rows := importHeader + goodRows + alikeRows("B", 5, goodRow("A-1")) + alikeRows("C", 5, goodRow("A-2"))
				uploadCSV(t, a.url, token, rows)
				seen(t, other.url, counts, `{"data":{"releases":{"totalCount":1},"cases":{"totalCount":6}}}`)

				// A correction through the import command, a process of its own: A-2 and its
				// like are now held liable.
				file := writeFile(t, "cases.csv", strings.ReplaceAll(rows, "not_liable,2024-04-16", "liable,2024-04-16"))
				cmd := exec.Command(os.Args[0], "import", file)
				cmd.Env = append(os.Environ(), "CASEWATCH_TEST_AS_MAIN=1")
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("import: %v\n%s", err, out)
				}
				want := `{"data":{"releases":{"totalCount":2},"cases":{"totalCount":12}}}`
				seen(t, other.url, counts, want)
				seen(t, a.url, counts, want)
			})
		}
	}
}

// seen asks base for q at once and then until the answer is want, and checks that it
// stays so: once the new release has been answered, the old one never is again.
func seen(t *testing.T, base, q, want string) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(15 * time.Second)
	for {
		a := ask(t, base, query(q, nil), nil, nil)
		if a.body == want {
			t.Logf("new release answered %v after the import returned (%s)", time.Since(start).Round(time.Millisecond), a.xcache())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %s, want %s", a.body, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for range 5 {
		if a := ask(t, base, query(q, nil), nil, nil); a.body != want {
			t.Fatalf("went back to %s", a.body)
		}
	}
}

// upload sends content as the file of an importCases mutation asking for selection, with
// the token, and returns the answer.
func upload(t *testing.T, base, token, args, selection, content string) (int, http.Header, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": "mutation($f: Upload!) { importCases(file: $f" + args + ") { " + selection + " } }", "variables": map[string]any{"f": nil}})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0":["variables.f"]}`)
	fw, _ := mw.CreateFormFile("0", "cases.csv")
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func uploadCSV(t *testing.T, base, token, content string) {
	t.Helper()
	_, h, b := upload(t, base, token, "", "release { version }", content)
	if h.Get("X-Cache") != "BYPASS" || !strings.Contains(string(b), `"release":{"version"`) {
		t.Fatalf("import: %s %s", h.Get("X-Cache"), b)
	}
}

// startProcess runs the server as a process of its own (the test binary as main), stopped
// with SIGTERM when the test ends.
func startProcess(t testing.TB, env map[string]string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	unlimited(env)
	dumpsIn(t, env)
	cmd.Env = append(os.Environ(), "CASEWATCH_TEST_AS_MAIN=1", "ADDR=127.0.0.1:0")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		_ = cmd.Process.Signal(syscall.SIGTERM)
		return cmd.Wait()
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("server process: %v\n%s", err, stderr.String())
		}
	})
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("server did not start: %v\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, r)
	s := &server{url: strings.TrimSpace(line[strings.Index(line, "http://"):]), stop: stop, pid: cmd.Process.Pid}
	waitReady(t, s.url, stderr.String)
	return s
}

// TestRedisOutageAnswersFromTheDatabase stops the server's private redis-server mid-test and
// starts it again: every answer is right throughout, the breaker opens and closes, and
// answers are stored in Redis again afterwards.
func TestRedisOutageAnswersFromTheDatabase(t *testing.T) {
	srv := cachetest.StartRedis(t)
	env := smallDatabase(t)
	env["REDIS_URL"] = srv.URL
	s := start(t, env)
	byRegion := `query($r: [String!]) { cases(filter: {regions: $r}) { totalCount } }`
	regions := []string{"KZ-71", "KZ-75", "KZ-79", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-35"}
	// The answers as the database gives them, with a token (never cached).
	truth := map[string]string{}
	for _, r := range regions {
		truth[r] = ask(t, s.url, query(byRegion, map[string]any{"r": []string{r}}), nil, map[string]string{"Authorization": "Bearer none"}).body
	}
	check := func(r, wantX string) {
		t.Helper()
		a := ask(t, s.url, query(byRegion, map[string]any{"r": []string{r}}), nil, nil)
		if a.status != 200 || a.body != truth[r] || (wantX != "" && a.xcache() != wantX) {
			t.Fatalf("%s: %d %s %s, want %s", r, a.status, a.xcache(), a.body, truth[r])
		}
	}
	check(regions[0], "MISS")
	check(regions[0], "HIT")

	srv.Stop()
	for _, r := range regions[1:] {
		check(r, "MISS")
	}
	check(regions[0], "HIT") // the in-process tier still serves
	if m := get(t, s.url+"/metrics"); !strings.Contains(m, "casewatch_cache_redis_breaker_open 1") ||
		!strings.Contains(m, `casewatch_cache_redis_breaker_transitions_total{state="open"}`) {
		t.Fatal("the breaker did not open")
	}

	srv.Start()
	opt, _ := redis.ParseURL(srv.URL)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	// Page sizes make new entries with the same total.
	pages := `query($n: Int) { cases(first: $n) { totalCount } }`
	all := ask(t, s.url, query(pages, map[string]any{"n": 1}), nil, map[string]string{"Authorization": "Bearer none"}).body
	deadline := time.Now().Add(15 * time.Second)
	for n := 1; ; n = n%100 + 1 {
		if a := ask(t, s.url, query(pages, map[string]any{"n": n}), nil, nil); a.status != 200 || a.body != all {
			t.Fatalf("after the restart: %d %s, want %s", a.status, a.body, all)
		}
		keys, err := rdb.Keys(context.Background(), (&config{redisPrefix: cache.DefaultPrefix}).cachePrefix()+"r:*").Result()
		if err == nil && len(keys) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing stored in Redis after it came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m := get(t, s.url+"/metrics"); !strings.Contains(m, "casewatch_cache_redis_breaker_open 0") {
		t.Fatal("the breaker did not close")
	}
}
