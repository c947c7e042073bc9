package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPublicAPIHardening drives a real server from outside: request size limits, bodies
// never echoed, CORS for the public API only, security headers on every answer.
func TestPublicAPIHardening(t *testing.T) {
	s := start(t, smallDatabase(t))
	send := func(method, path, contentType string, body []byte, header map[string]string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
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
		return resp.StatusCode, resp.Header, string(b)
	}

	t.Run("body over 1 MiB is 413, unread", func(t *testing.T) {
		body := []byte(`{"query":"{ __typename }","variables":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`)
		status, _, answer := send("POST", "/graphql", "application/json", body, nil)
		if status != http.StatusRequestEntityTooLarge || strings.Contains(answer, "aaaa") {
			t.Fatalf("%d %.200s", status, answer)
		}
	})
	t.Run("malformed JSON is 400 and not echoed", func(t *testing.T) {
		secret := "870412300123 Айгерим Сапарова"
		status, _, answer := send("POST", "/graphql", "application/json", []byte(`{"query": "{ x }" `+secret), nil)
		if status != http.StatusBadRequest || strings.Contains(answer, "870412300123") || strings.Contains(answer, "Айгерим") ||
			!strings.Contains(answer, `"code":"BAD_USER_INPUT"`) {
			t.Fatalf("%d %s", status, answer)
		}
		status, _, answer = send("POST", "/graphql", "application/json", []byte(`{"query": 12, "variables": "Айгерим"}`), nil)
		if status != http.StatusBadRequest || strings.Contains(answer, "Айгерим") {
			t.Fatalf("%d %s", status, answer)
		}
	})
	t.Run("errors never repeat the request's values", func(t *testing.T) {
		const iin, name = "870412300123", "Айгерим Сапарова"
		for _, q := range []string{
			`{ cases(filter: {jurisdiction: Aigerim}) { totalCount } }`,
			`{ cases(first: "` + name + " " + iin + `") { totalCount } }`,
			`{ cases(first: ` + iin + `) { totalCount } }`,
			`{ node(id: "` + iin + `") { id } }`,
			`{ cases(filter: {regions: ["` + name + `"], articles: ["` + iin + `"]}) { totalCount } }`,
			`{ cases(after: "` + iin + `") { totalCount } }`,
			`{ ` + "Aigerim" + ` }`,
			`query($f: Int) { cases(first: $f) { totalCount } }`,
		} {
			a := ask(t, s.url, query(q, map[string]any{"f": name + " " + iin}), nil, nil)
			if a.status >= 500 || !strings.Contains(a.body, "BAD_USER_INPUT") || strings.Contains(a.body, iin) ||
				strings.Contains(a.body, "Айгерим") || strings.Contains(a.body, "Aigerim") {
				t.Errorf("%s: %d %s", q, a.status, a.body)
			}
		}
		// Variable coercion (gqlparser writes an enum's wrong value unquoted).
		for _, vars := range []map[string]any{
			{"g": map[string]any{"categories": []string{name + " " + iin}}},
			{"g": map[string]any{"jurisdiction": "Aigerim"}},
			{"g": name + " " + iin},
		} {
			a := ask(t, s.url, query(`query($g: CaseFilter) { cases(filter: $g) { totalCount } }`, vars), nil, nil)
			if !strings.Contains(a.body, "BAD_USER_INPUT") || strings.Contains(a.body, iin) ||
				strings.Contains(a.body, "Айгерим") || strings.Contains(a.body, "Aigerim") {
				t.Errorf("%v: %d %s", vars, a.status, a.body)
			}
		}
		for _, path := range []string{"/export/cases.csv?regions=" + iin, "/export/cases.csv?Aigerim=1", "/export/cases.csv?reportedFrom=" + iin, "/export/cases.csv?orderBy=" + iin} {
			status, _, answer := send("GET", path, "", nil, nil)
			if status != http.StatusBadRequest || strings.Contains(answer, iin) || strings.Contains(answer, "Aigerim") {
				t.Errorf("%s: %d %s", path, status, answer)
			}
		}
	})
	t.Run("request errors by media type", func(t *testing.T) {
		body := []byte(`{"query":"{ nope }"}`)
		status, _, answer := send("POST", "/graphql", "application/json", body, map[string]string{"Accept": "application/json"})
		if status != http.StatusOK || !strings.Contains(answer, `"data":null`) {
			t.Fatalf("application/json: %d %s", status, answer)
		}
		status, _, answer = send("POST", "/graphql", "application/json", body, map[string]string{"Accept": "application/graphql-response+json"})
		if status != http.StatusBadRequest || strings.Contains(answer, `"data"`) || !strings.Contains(answer, "BAD_USER_INPUT") {
			t.Fatalf("application/graphql-response+json: %d %s", status, answer)
		}
	})
	t.Run("a fragment bomb is refused at once", func(t *testing.T) {
		var q strings.Builder
		q.WriteString(`{ cases { edges { node { ...F0 } } } } fragment F40 on Case { reference }`)
		for i := 39; i >= 0; i-- {
			q.WriteString(fmt.Sprintf(" fragment F%d on Case { ...F%d ...F%d }", i, i+1, i+1))
		}
		a := ask(t, s.url, query(q.String(), nil), nil, nil)
		if !strings.Contains(a.body, "QUERY_TOO_COMPLEX") {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("CORS for public reads, never with a token", func(t *testing.T) {
		status, h, _ := send("OPTIONS", "/graphql", "", nil, map[string]string{
			"Origin": "https://newsroom.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
		if status/100 != 2 || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("preflight: %d %v", status, h)
		}
		_, h, _ = send("OPTIONS", "/graphql", "", nil, map[string]string{
			"Origin": "https://newsroom.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
		if strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "authorization") {
			t.Fatalf("a token may be sent across origins: %v", h)
		}
		_, h, _ = send("GET", "/graphql?query=%7B__typename%7D", "", nil, map[string]string{"Origin": "https://newsroom.example"})
		if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Expose-Headers"), "Ratelimit-Remaining") &&
			!strings.Contains(h.Get("Access-Control-Expose-Headers"), "RateLimit-Remaining") {
			t.Fatalf("GET: %v", h)
		}
		status, h, _ = send("OPTIONS", "/export/cases.csv", "", nil, map[string]string{
			"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"})
		if status/100 != 2 || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("export preflight: %d %v", status, h)
		}
		_, h, _ = send("GET", "/export/cases.csv", "", nil, map[string]string{"Origin": "https://newsroom.example"})
		if h.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("export: %v", h)
		}
		_, h, _ = send("GET", "/graphql?query=%7B__typename%7D", "", nil, map[string]string{"Origin": "https://newsroom.example", "Authorization": "Bearer x"})
		if h.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("with a token: %v", h)
		}
	})
	t.Run("security headers everywhere", func(t *testing.T) {
		for _, path := range []string{"/", "/graphql?query=%7B__typename%7D", "/export/cases.csv", "/healthz", "/nope"} {
			_, h, _ := send("GET", path, "", nil, nil)
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") == "" || h.Get("Referrer-Policy") == "" {
				t.Errorf("%s: %v", path, h)
			}
		}
		_, h, _ := send("GET", "/", "", nil, nil)
		if !strings.Contains(h.Get("Content-Security-Policy"), "script-src") {
			t.Errorf("the portal's own policy was replaced: %q", h.Get("Content-Security-Policy"))
		}
	})
}
