package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store/storetest"
)

// server is a casewatch process run in-process through run, as main would.
type server struct {
	url  string
	stop func() error
	pid  int // of a server started as a process of its own
}

// start runs the server with env as its whole environment and waits for /readyz.
func start(t testing.TB, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	env["ADDR"] = "127.0.0.1:0"
	unlimited(env)
	dumpsIn(t, env)
	seededCopy(t, env)
	getenv := func(k string) string { return env[k] }
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, getenv, stdoutW, io.Discard)
		stdoutW.Close()
	}()
	// run prints its address on stdout once it listens.
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, stdoutR)
	s := &server{url: strings.TrimSpace(line[strings.Index(line, "http://"):])}
	var stopped bool
	s.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("server did not stop within 30 s")
		}
	}
	t.Cleanup(func() { _ = s.stop() })
	waitReady(t, s.url, func() string { return "" })
	return s
}

// seedTemplates are demo databases seeded once per test run, by DEMO_CASES and threshold.
var seedTemplates struct {
	sync.Mutex
	paths map[string]string
}

// seededCopy gives a test's new SQLite database the demo dataset by copying a database seeded
// once for its DEMO_CASES (with the `seed` command, which seeds as the server does), instead
// of the server seeding it on start: under the race detector seeding takes a minute or more,
// and most browser tests want the same few thousand cases. The server finds the release and
// seeds nothing. A test that names an existing file, turns the demo off or asks for no
// particular size is left alone.
func seededCopy(t testing.TB, env map[string]string) {
	t.Helper()
	path, ok := strings.CutPrefix(env["DATABASE_URL"], "sqlite:")
	if !ok || strings.ContainsAny(path, "?#") || env["DEMO"] == "false" || env["DEMO_CASES"] == "" {
		return
	}
	if _, err := os.Stat(path); err == nil {
		return
	}
	key := env["DEMO_CASES"] + "/" + env["SUPPRESSION_THRESHOLD"]
	seedTemplates.Lock()
	defer seedTemplates.Unlock()
	template, ok := seedTemplates.paths[key]
	if !ok {
		dir, err := os.MkdirTemp("", "casewatch-seed-")
		if err != nil {
			t.Fatal(err)
		}
		template = filepath.Join(dir, "demo.db")
		seedEnv := map[string]string{"DATABASE_URL": "sqlite:" + template, "SUPPRESSION_THRESHOLD": env["SUPPRESSION_THRESHOLD"]}
		if err := run(context.Background(), []string{"seed", "--cases", env["DEMO_CASES"]}, func(k string) string { return seedEnv[k] }, io.Discard, io.Discard); err != nil {
			t.Fatalf("seeding the template of %s demo cases: %v", env["DEMO_CASES"], err)
		}
		if seedTemplates.paths == nil {
			seedTemplates.paths = map[string]string{}
		}
		seedTemplates.paths[key] = template
	}
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(template + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// dumpsIn gives a test's server a dumps directory of its own unless the test names one:
// the default, casewatch-dumps in the working directory, would be shared by tests of
// different databases.
func dumpsIn(t testing.TB, env map[string]string) {
	if _, ok := env["DUMPS_DIR"]; !ok {
		env["DUMPS_DIR"] = t.TempDir()
	}
}

// unlimited turns rate limits off for a test that does not set RATE_LIMIT: they are
// tested on their own (ratelimit_test.go), and other tests ask more than a client may.
func unlimited(env map[string]string) {
	if _, ok := env["RATE_LIMIT"]; !ok {
		env["RATE_LIMIT"] = "0"
	}
}

// waitReady waits for /readyz to answer 200 (the demo seed on first start takes a while);
// logs adds what the server said to the failure.
func waitReady(t testing.TB, url string, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 2 minutes (last: %v)\n%s", err, logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) graphql(t *testing.T, query string) (status int, body []byte) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"query": query})
	return s.graphqlRaw(t, b)
}

// graphqlRaw posts a JSON request body as it is.
func (s *server) graphqlRaw(t *testing.T, b []byte) (status int, body []byte) {
	t.Helper()
	resp, err := http.Post(s.url+"/graphql", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

const falseInformationKZ = `{ cases(first: 100, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION]}) {
  totalCount
  edges { cursor node { id reference jurisdiction region { code name } category concern platform
    article { code } liability stage reportedMonth expertConclusion prosecutorDecision
    defendant { kind ageBand gender }
    outcome { decision decidedMonth sanction fine { amount currency indexUnits indexUnit indexYear } }
    appeals { level filedBy filedMonth status decidedMonth fine { amount } }
    timeline { kind month result } summary generalized } }
  pageInfo { hasNextPage endCursor } }
  currentRelease { version synthetic rowsAdded } }`

// TestSameAnswerOnSQLiteAndPostgres runs the server on each backend with the same demo
// dataset and secret: the answers must be byte-identical.
func TestSameAnswerOnSQLiteAndPostgres(t *testing.T) {
	var answers []string
	for _, b := range storetest.Backends(t) {
		s := start(t, map[string]string{"DATABASE_URL": b.URL, "DEMO_CASES": "3000", "CASEWATCH_SECRET": "same secret"})
		status, body := s.graphql(t, falseInformationKZ)
		if status != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
			t.Fatalf("%s: status %d, %s", b.Name, status, body)
		}
		var a struct {
			Data struct {
				Cases struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Jurisdiction, Category string
							Generalized            []string
						}
					}
				}
				CurrentRelease struct{ Synthetic bool }
			}
		}
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		if len(a.Data.Cases.Edges) == 0 || !a.Data.CurrentRelease.Synthetic {
			t.Fatalf("%s: %s", b.Name, body)
		}
		// The demo load generalises before it commits: small groups are coarsened at once.
		generalized := 0
		for _, e := range a.Data.Cases.Edges {
			if len(e.Node.Generalized) > 0 {
				generalized++
			}
		}
		if generalized == 0 {
			t.Errorf("%s: no case of the demo dataset is generalised", b.Name)
		}
		for _, e := range a.Data.Cases.Edges {
			if e.Node.Jurisdiction != "KZ" || e.Node.Category != "FALSE_INFORMATION" {
				t.Fatalf("%s: filter not applied: %+v", b.Name, e.Node)
			}
		}
		answers = append(answers, string(body))
		if err := s.stop(); err != nil {
			t.Fatalf("%s: graceful stop: %v", b.Name, err)
		}
	}
	if len(answers) == 2 && answers[0] != answers[1] {
		t.Fatalf("SQLite and PostgreSQL answer differently:\n%s\n%s", answers[0], answers[1])
	}
}

func TestServeEndpoints(t *testing.T) {
	dbURL := storetest.SQLiteURL(t)
	s := start(t, map[string]string{"DATABASE_URL": dbURL, "DEMO_CASES": "500"})
	get := func(path string) (int, string, http.Header) {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if code, _, _ := get("/healthz"); code != 200 {
		t.Fatalf("/healthz = %d", code)
	}
	if code, body, _ := get("/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics = %d", code)
	}
	if code, body, h := get("/"); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(strings.ToLower(body), "synthetic") {
		t.Fatalf("/ = %d %s", code, h.Get("Content-Type"))
	}
	// GraphQL over GET.
	code, body, _ := get("/graphql?query=" + "%7B%20currentRelease%20%7B%20version%20synthetic%20%7D%20%7D")
	if code != 200 || body != `{"data":{"currentRelease":{"version":1,"synthetic":true}}}` {
		t.Fatalf("GET /graphql = %d %s", code, body)
	}
	if code, body := s.graphql(t, `{ cases(first: 0) { totalCount } }`); code >= 500 || !strings.Contains(string(body), "BAD_USER_INPUT") {
		t.Fatalf("bad input = %d %s", code, body)
	}
	// The files: statistics export and feed (graph/export_test.go and feed_test.go test
	// their content).
	if code, body, _ := get("/export/statistics.csv?groupBy=JURISDICTION&lang=RU&bom=1"); code != 200 ||
		!strings.HasPrefix(body, "\uFEFFСтрана (jurisdiction),") {
		t.Fatalf("/export/statistics.csv = %d %q", code, body)
	}
	if code, body, h := get("/feed.atom?lang=KK"); code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") || !strings.Contains(body, "1-шығарылым") {
		t.Fatalf("/feed.atom = %d %s %q", code, h.Get("Content-Type"), body)
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}

	// A second start on the same database does not seed again.
	s = start(t, map[string]string{"DATABASE_URL": dbURL, "DEMO_CASES": "500"})
	if _, body := s.graphql(t, `{ releases { totalCount } }`); string(body) != `{"data":{"releases":{"totalCount":1}}}` {
		t.Fatalf("restart: %s", body)
	}
}

func TestDemoOff(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "DEMO": "false"})
	if _, body := s.graphql(t, `{ cases { totalCount } releases { totalCount } }`); string(body) != `{"data":{"cases":{"totalCount":0},"releases":{"totalCount":0}}}` {
		t.Fatalf("empty database: %s", body)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"frobnicate"}, nil},
		{[]string{"serve", "--no-such-flag"}, nil},
		{nil, map[string]string{"SUPPRESSION_THRESHOLD": "2"}},
		{nil, map[string]string{"SUPPRESSION_THRESHOLD": "five"}},
		{nil, map[string]string{"DEMO": "maybe"}},
		{[]string{"seed", "--cases", "0"}, nil},
	} {
		err := run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, io.Discard, io.Discard)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("run(%q, %v) = %v, want a usage error", tt.args, tt.env, err)
		}
	}
}
