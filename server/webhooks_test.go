package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store/storetest"
	"github.com/casewatch/casewatch/internal/webhooks"
)

// receiver is a webhook endpoint on loopback that checks every event's signature and
// keeps what it received.
type receiver struct {
	*httptest.Server
	secret atomic.Value // string
	fail   atomic.Bool  // answer 500
	mu     sync.Mutex
	events []receivedEvent
	bad    []string // what was wrong with requests that failed the checks
}

type receivedEvent struct {
	idempotencyKey string
	body           []byte
	event          webhooks.Event
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.secret.Store("")
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := webhooks.Verify(r.secret.Load().(string), req.Header.Get(webhooks.SignatureHeader), body, time.Now(), webhooks.DefaultTolerance); err != nil {
			r.bad = append(r.bad, "signature: "+err.Error())
		}
		var e webhooks.Event
		if err := json.Unmarshal(body, &e); err != nil {
			r.bad = append(r.bad, "body: "+err.Error())
		}
		if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			r.bad = append(r.bad, "request: "+req.Method+" "+req.Header.Get("Content-Type"))
		}
		r.events = append(r.events, receivedEvent{idempotencyKey: req.Header.Get("Idempotency-Key"), body: body, event: e})
		if r.fail.Load() {
			http.Error(w, "receiver down", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() ([]receivedEvent, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedEvent(nil), r.events...), append([]string(nil), r.bad...)
}

// gqlAs posts a GraphQL request with a bearer token (none when empty).
func gqlAs(t *testing.T, url, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// errorCode is the first error's extensions.code, "" when there is none.
func errorCode(r map[string]any) string {
	errs, _ := r["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	c, _ := ext["code"].(string)
	return c
}

// uploadCases imports a CSV file through the importCases mutation (upload, cache_test.go).
func uploadCases(t *testing.T, url, token, content string) map[string]any {
	t.Helper()
	_, _, b := upload(t, url, token, "", "release { version } rowsAdded", content)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
	}
}

const createWebhook = `mutation($url: String!, $filter: CaseFilter) {
  createWebhook(url: $url, filter: $filter) { secret webhook { id url filter createdBy paused } } }`

const webhookLog = `{ webhooks { id paused pausedReason consecutiveFailures
  deliveries { id releaseVersion status event nextAttemptAt deliveredAt attempts { attempt at durationMs statusCode error } } } }`

// TestWebhooksTwoInstances runs two servers on one PostgreSQL database. An editor registers
// two webhooks through one; a file imported through the other makes one release. The
// healthy receiver gets exactly one signed event for it, whatever the two instances do;
// the failing one is retried until its webhook pauses, and after resuming it gets the
// event. The delivery log shows every attempt.
func TestWebhooksTwoInstances(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		t.Skip("no PostgreSQL")
	}
	env := func() map[string]string {
		return map[string]string{"DATABASE_URL": url, "CASEWATCH_SECRET": "hooks", "DEMO": "false",
			"WEBHOOK_ALLOW_LOOPBACK": "true", "WEBHOOK_BACKOFF": "50ms", "WEBHOOK_PAUSE_AFTER": "4"}
	}
	out, _, err := runCmd(t, env(), "token", "create", "--role", "editor", "--name", "newsroom")
	if err != nil {
		t.Fatal(err)
	}
	editor := strings.TrimSpace(out)
	out, _, err = runCmd(t, env(), "token", "create", "--role", "reader", "--name", "researcher")
	if err != nil {
		t.Fatal(err)
	}
	reader := strings.TrimSpace(out)
	a, b := start(t, env()), start(t, env())
	good, failing := newReceiver(t), newReceiver(t)
	failing.fail.Store(true)

	// Editors only; bad input is BAD_USER_INPUT.
	vars := map[string]any{"url": good.URL + "/hook", "filter": map[string]any{"jurisdiction": "KZ"}}
	for token, want := range map[string]string{"": "UNAUTHENTICATED", "cw_WRONG": "UNAUTHENTICATED", reader: "FORBIDDEN"} {
		if c := errorCode(gqlAs(t, a.url, token, createWebhook, vars)); c != want {
			t.Fatalf("createWebhook with token %q: %q, want %s", token, c, want)
		}
		if c := errorCode(gqlAs(t, a.url, token, webhookLog, nil)); c != want {
			t.Fatalf("webhooks with token %q: %q, want %s", token, c, want)
		}
	}
	for _, bad := range []map[string]any{
		{"url": "http://example.org/hook"},
		{"url": "https://user:pw@example.org/hook"},
		{"url": "https://10.0.0.1/hook"},
		{"url": "not a url"},
		{"url": "https://example.org/hook", "filter": map[string]any{"search": "паводок"}},
		{"url": "https://example.org/hook", "filter": map[string]any{"regions": []string{"KZ-00"}}},
	} {
		if r := gqlAs(t, a.url, editor, createWebhook, bad); errorCode(r) != "BAD_USER_INPUT" {
			t.Fatalf("createWebhook %v: %v", bad, r)
		}
	}

	r := gqlAs(t, a.url, editor, createWebhook, vars)
	if errorCode(r) != "" {
		t.Fatalf("createWebhook: %v", r)
	}
	created := r["data"].(map[string]any)["createWebhook"].(map[string]any)
	secret := created["secret"].(string)
	hook := created["webhook"].(map[string]any)
	if !strings.HasPrefix(secret, "whsec_") || hook["createdBy"] != "newsroom" || hook["filter"] != `{"jurisdiction":"KZ"}` || hook["paused"] != false {
		t.Fatalf("created: %v", created)
	}
	good.secret.Store(secret)
	r = gqlAs(t, b.url, editor, createWebhook, map[string]any{"url": failing.URL + "/hook"})
	if errorCode(r) != "" {
		t.Fatalf("createWebhook: %v", r)
	}
	failingID := r["data"].(map[string]any)["createWebhook"].(map[string]any)["webhook"].(map[string]any)["id"].(string)
	failing.secret.Store(r["data"].(map[string]any)["createWebhook"].(map[string]any)["secret"].(string))

	// One release, committed through the other instance.
	file := importHeader + goodRows + alikeRows("B", 5, goodRow("A-2"))
	if r := uploadCases(t, b.url, editor, file); errorCode(r) != "" {
		t.Fatalf("import: %v", r)
	}
	eventually(t, "the event", 30*time.Second, func() bool { ev, _ := good.received(); return len(ev) > 0 })
	time.Sleep(3 * time.Second) // time for a duplicate to show
	events, bad := good.received()
	if len(bad) > 0 {
		t.Fatalf("the receiver refused requests: %v", bad)
	}
	if len(events) != 1 {
		t.Fatalf("%d events for one release, want 1", len(events))
	}
	e := events[0]
	if e.event.Type != "release.published" || e.event.Release.Version != 1 || e.event.Release.RowsAdded != 8 ||
		e.idempotencyKey == "" || e.idempotencyKey != e.event.ID || e.event.Webhook != hook["id"] ||
		string(e.event.Filter) != `{"jurisdiction":"KZ"}` || e.event.MatchingCases == nil {
		t.Fatalf("event: %s (Idempotency-Key %q)", e.body, e.idempotencyKey)
	}
	// Nothing about a case: no reference, no source id, nothing from a row.
	for _, s := range []string{"KZ-2024", "A-1", "B-1", "Жумабаев", "2024-03", "liable", "KZ-75"} {
		if strings.Contains(string(e.body), s) {
			t.Fatalf("the event holds %q: %s", s, e.body)
		}
	}

	// The failing receiver: retried until the webhook pauses after 4 failures in a row.
	type attempt struct {
		Attempt    int
		StatusCode *int
		Error      *string
	}
	type delivery struct {
		ID, Status     string
		ReleaseVersion int
		Event          string
		DeliveredAt    *string
		Attempts       []attempt
	}
	type hookLog struct {
		ID                  string
		Paused              bool
		PausedReason        *string
		ConsecutiveFailures int
		Deliveries          []delivery
	}
	readLog := func(url string) map[string]hookLog {
		t.Helper()
		r := gqlAs(t, url, editor, webhookLog, nil)
		if errorCode(r) != "" {
			t.Fatalf("webhooks: %v", r)
		}
		var data struct{ Webhooks []hookLog }
		if err := json.Unmarshal([]byte(toJSON(r["data"])), &data); err != nil {
			t.Fatal(err)
		}
		out := map[string]hookLog{}
		for _, h := range data.Webhooks {
			out[h.ID] = h
		}
		return out
	}
	eventually(t, "the failing webhook paused", 30*time.Second, func() bool { return readLog(a.url)[failingID].Paused })
	time.Sleep(500 * time.Millisecond) // no attempt while paused
	l := readLog(b.url)
	fl := l[failingID]
	if *fl.PausedReason != "failing" || fl.ConsecutiveFailures != 4 || len(fl.Deliveries) != 1 || fl.Deliveries[0].Status != "pending" ||
		len(fl.Deliveries[0].Attempts) != 4 {
		t.Fatalf("failing webhook: %+v", fl)
	}
	for i, at := range fl.Deliveries[0].Attempts {
		if at.Attempt != i+1 || at.StatusCode == nil || *at.StatusCode != 500 || at.Error == nil || *at.Error != "HTTP 500" {
			t.Fatalf("attempt %d: %+v", i+1, at)
		}
	}
	if ev, _ := failing.received(); len(ev) != 4 || ev[0].idempotencyKey != ev[3].idempotencyKey {
		t.Fatalf("the failing receiver saw %d requests", len(ev))
	}
	gl := l[hook["id"].(string)]
	if len(gl.Deliveries) != 1 || gl.Deliveries[0].Status != "delivered" || gl.Deliveries[0].DeliveredAt == nil ||
		len(gl.Deliveries[0].Attempts) != 1 || *gl.Deliveries[0].Attempts[0].StatusCode != 204 || gl.Deliveries[0].ID != e.event.ID {
		t.Fatalf("healthy webhook: %+v", gl)
	}

	// Resumed, with the receiver back: the pending event arrives, the same event again.
	failing.fail.Store(false)
	if r := gqlAs(t, b.url, editor, `mutation($id: ID!) { resumeWebhook(id: $id) { paused consecutiveFailures } }`, map[string]any{"id": failingID}); errorCode(r) != "" ||
		!strings.Contains(toJSON(r), `"paused":false`) {
		t.Fatalf("resume: %v", r)
	}
	eventually(t, "the event after resuming", 30*time.Second, func() bool {
		d := readLog(a.url)[failingID].Deliveries
		return len(d) == 1 && d[0].Status == "delivered"
	})
	if ev, bad := failing.received(); len(ev) != 5 || len(bad) > 0 || ev[4].idempotencyKey != ev[0].idempotencyKey {
		t.Fatalf("after resuming the receiver saw %d requests (%v)", len(ev), bad)
	}

	// Across the two instances: two deliveries, four failures, one pause.
	metric := func(line string) (sum float64) {
		for _, s := range []*server{a, b} {
			for l := range strings.Lines(get(t, s.url+"/metrics")) {
				if v, ok := strings.CutPrefix(l, line+" "); ok {
					f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
					sum += f
				}
			}
		}
		return sum
	}
	if d, f, p := metric(`casewatch_webhook_attempts_total{outcome="delivered"}`), metric(`casewatch_webhook_attempts_total{outcome="failed"}`),
		metric("casewatch_webhooks_paused_total"); d != 2 || f != 4 || p != 1 {
		t.Fatalf("metrics: %v delivered, %v failed, %v paused", d, f, p)
	}

	// The command line reads the same log and changes the same webhooks.
	out, _, err = runCmd(t, env(), "webhook", "deliveries", failingID)
	if err != nil || strings.Count(out, " 500 ") != 4 || strings.Count(out, " 204 ") != 1 {
		t.Fatalf("webhook deliveries: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, env(), "webhook", "list")
	if err != nil || !strings.Contains(out, failingID) || !strings.Contains(out, `{"jurisdiction":"KZ"}`) {
		t.Fatalf("webhook list: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, env(), "webhook", "pause", "wh_nope"); !isUsage(err) {
		t.Fatalf("pausing an unknown webhook: %v", err)
	}
	if _, _, err := runCmd(t, env(), "webhook", "create", "--url", "http://example.org/"); !isUsage(err) {
		t.Fatalf("an http URL: %v", err)
	}
	if _, _, err := runCmd(t, env(), "webhook", "create", "--url", "https://example.org/", "--filter", `{"categories":["MEMES"]}`); !isUsage(err) {
		t.Fatalf("a bad filter: %v", err)
	}
	out, _, err = runCmd(t, env(), "webhook", "create", "--url", "https://example.org/hook", "--filter", `{"jurisdiction":"KG","regions":["KG-GB"]}`)
	if err != nil || !strings.Contains(out, "secret whsec_") {
		t.Fatalf("webhook create: %v\n%s", err, out)
	}
	if r := gqlAs(t, a.url, editor, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": failingID}); errorCode(r) != "" {
		t.Fatalf("delete: %v", r)
	}
	if r := gqlAs(t, a.url, editor, `mutation($id: ID!) { pauseWebhook(id: $id) { id } }`, map[string]any{"id": failingID}); errorCode(r) != "BAD_USER_INPUT" {
		t.Fatalf("pausing a deleted webhook: %v", r)
	}
	if l := readLog(a.url); len(l) != 2 {
		t.Fatalf("%d webhooks after one was deleted and one created", len(l))
	}
	cliID := strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "webhook ")
	if out, _, err := runCmd(t, env(), "webhook", "delete", cliID); err != nil || !strings.Contains(out, "deleted") {
		t.Fatalf("webhook delete %s: %v %s", cliID, err, out)
	}

	// A release committed by the import command, with no server involved: the servers find
	// it by polling the store, and the receiver gets its one event.
	path := writeFile(t, "cases.csv", strings.ReplaceAll(file, "not_liable,2024-04-16", "liable,2024-04-16"))
	if out, _, err := runCmd(t, env(), "import", path); err != nil || !strings.HasPrefix(out, "release 2:") {
		t.Fatalf("import command: %v %s", err, out)
	}
	eventually(t, "the event of release 2", 30*time.Second, func() bool { ev, _ := good.received(); return len(ev) > 1 })
	time.Sleep(2 * time.Second)
	events, bad = good.received()
	if len(events) != 2 || len(bad) > 0 || events[1].event.Release.Version != 2 || events[1].event.Release.RowsUpdated != 6 ||
		events[1].idempotencyKey == events[0].idempotencyKey {
		t.Fatalf("after the import command: %d events (%v), the last %s", len(events), bad, events[len(events)-1].body)
	}
}

// Mistakes on the command line exit 2, before the database is opened.
func TestWebhookUsage(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite:" + t.TempDir() + "/never.db"}
	for _, args := range [][]string{
		{"webhook"}, {"webhook", "bogus"}, {"webhook", "create"}, {"webhook", "pause"},
		{"webhook", "list", "extra"}, {"webhook", "deliveries", "wh_x", "--first", "0"},
		{"webhook", "create", "--url", "https://example.org/", "--filter", "{"},
		{"webhook", "create", "--url", "https://example.org/", "--filter", `{"jurisdiction":"XX"}`},
		{"webhook", "list", "--webhook-backoff", "0s"},
	} {
		if _, _, err := runCmd(t, env, args...); !isUsage(err) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
