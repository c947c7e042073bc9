package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/store/storetest"
	"github.com/casewatch/casewatch/internal/webhooks"
)

// The webhook queries and mutations, on both backends: editors only, input checked with
// the case filter's rules, every change in the audit log.
func TestWebhookMutations(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b.URL, 40)
			svc := webhooks.New(webhooks.Options{Store: f.store, Count: f.engine.CountCases})
			api, err := graph.New(graph.Options{Store: f.store, Engine: f.engine, Reference: f.ref,
				Secret: []byte("test secret"), Threshold: privacy.MinThreshold, Log: slog.New(slog.DiscardHandler),
				Webhooks: svc, Audit: f.store})
			if err != nil {
				t.Fatal(err)
			}
			// The caller comes from a header here; the server takes it from the token.
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c := graph.Caller{}
				if role := r.Header.Get("X-Test-Role"); role != "" {
					c = graph.Caller{Token: true, Name: "newsroom", Role: role}
				}
				api.GraphQL.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), c)))
			}))
			defer srv.Close()
			post := func(role, query string, vars map[string]any) (data map[string]any, code, msg string) {
				t.Helper()
				body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
				req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if role != "" {
					req.Header.Set("X-Test-Role", role)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				var out struct {
					Data   map[string]any
					Errors []gqlError
				}
				if err := json.Unmarshal(raw, &out); err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
				if len(out.Errors) > 0 {
					code, _ = out.Errors[0].Extensions["code"].(string)
					msg = out.Errors[0].Message
				}
				return out.Data, code, msg
			}
			const create = `mutation($url: String!, $filter: CaseFilter) { createWebhook(url: $url, filter: $filter) {
				secret webhook { id url filter createdBy paused pausedReason consecutiveFailures deliveries { id } } } }`
			ok := map[string]any{"url": "https://newsroom.example/hook", "filter": map[string]any{"jurisdiction": "KZ", "regions": []string{"KZ-75"}}}
			if _, code, _ := post("", create, ok); code != "UNAUTHENTICATED" {
				t.Fatalf("no token: %s", code)
			}
			if _, code, _ := post("reader", create, ok); code != "FORBIDDEN" {
				t.Fatalf("reader: %s", code)
			}
			if _, code, _ := post("reader", `{ webhooks { id } }`, nil); code != "FORBIDDEN" {
				t.Fatalf("reader reading webhooks: %s", code)
			}
			for _, c := range []struct {
				vars map[string]any
				want string
			}{
				{map[string]any{"url": "http://newsroom.example/hook"}, "https"},
				{map[string]any{"url": "https://127.0.0.1/hook"}, "loopback"},
				{map[string]any{"url": "https://a:b@newsroom.example/hook"}, "password"},
				{map[string]any{"url": "https://newsroom.example/", "filter": map[string]any{"regions": []string{"KG-GB"}, "jurisdiction": "KZ"}}, "not in jurisdiction"},
				{map[string]any{"url": "https://newsroom.example/", "filter": map[string]any{"search": "паводок"}}, "search"},
			} {
				if _, code, msg := post("editor", create, c.vars); code != "BAD_USER_INPUT" || !strings.Contains(msg, c.want) {
					t.Errorf("%v: %s %q", c.vars, code, msg)
				}
			}
			data, code, msg := post("editor", create, ok)
			if code != "" {
				t.Fatalf("create: %s %s", code, msg)
			}
			created := data["createWebhook"].(map[string]any)
			hook := created["webhook"].(map[string]any)
			id := hook["id"].(string)
			if !strings.HasPrefix(created["secret"].(string), "whsec_") || hook["filter"] != `{"jurisdiction":"KZ","regions":["KZ-75"]}` ||
				hook["createdBy"] != "newsroom" || hook["paused"] != false || hook["pausedReason"] != nil || len(hook["deliveries"].([]any)) != 0 {
				t.Fatalf("created: %v", created)
			}
			data, code, _ = post("editor", `mutation($id: ID!) { pauseWebhook(id: $id) { paused pausedReason } }`, map[string]any{"id": id})
			if code != "" || data["pauseWebhook"].(map[string]any)["pausedReason"] != "editor" {
				t.Fatalf("pause: %v %s", data, code)
			}
			data, code, _ = post("editor", `mutation($id: ID!) { resumeWebhook(id: $id) { paused } }`, map[string]any{"id": id})
			if code != "" || data["resumeWebhook"].(map[string]any)["paused"] != false {
				t.Fatalf("resume: %v %s", data, code)
			}
			if _, code, _ := post("editor", `mutation { pauseWebhook(id: "wh_none") { id } }`, nil); code != "BAD_USER_INPUT" {
				t.Fatalf("unknown id: %s", code)
			}
			if _, code, _ := post("editor", `{ webhooks { deliveries(first: 500) { id } } }`, nil); code != "BAD_USER_INPUT" {
				t.Fatalf("first 500: %s", code)
			}
			data, code, _ = post("editor", `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id})
			if code != "" || data["deleteWebhook"] != true {
				t.Fatalf("delete: %v %s", data, code)
			}
			data, _, _ = post("editor", `{ webhooks { id } }`, nil)
			if len(data["webhooks"].([]any)) != 0 {
				t.Fatalf("after delete: %v", data)
			}
			audit, err := f.store.AuditLog(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range audit {
				actions = append(actions, e.Action+" "+e.TokenName+" "+strings.TrimPrefix(e.Detail, "webhook "+id))
			}
			if got := strings.Join(actions, ","); got != "createWebhook newsroom ,pauseWebhook newsroom ,resumeWebhook newsroom ,deleteWebhook newsroom " {
				t.Fatalf("audit log: %s", got)
			}
		})
	}
}
