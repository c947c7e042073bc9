package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/casewatch/casewatch/graph/explorer"
)

// browserAccept is what Chromium asks for when it opens a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"

func getWith(t *testing.T, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip: see what is sent
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestExplorerPage: a browser opening /graphql, or /explorer, gets the explorer's page, which
// names only assets of this origin, served with their types and cached for a year; every
// other request to /graphql is answered as before; the page's example queries all run.
func TestExplorerPage(t *testing.T) {
	s := start(t, smallDatabase(t))

	resp, page := getWith(t, s.url+"/graphql", map[string]string{"Accept": browserAccept})
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" ||
		h.Get("Content-Security-Policy") != explorer.ContentSecurityPolicy || h.Get("Vary") != "Accept" {
		t.Fatalf("GET /graphql as a browser: %d %v", resp.StatusCode, h)
	}
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Error("the page is readable from other origins")
	}
	csp := h.Get("Content-Security-Policy")
	for _, loose := range []string{"unsafe-inline", "unsafe-eval", "*", "http:", "https:"} {
		if strings.Contains(csp, loose) {
			t.Errorf("the page's CSP allows %s: %s", loose, csp)
		}
	}
	if !strings.Contains(string(page), "<title>casewatch API explorer</title>") {
		t.Fatalf("not the explorer: %s", page)
	}
	if resp, other := getWith(t, s.url+"/explorer", nil); resp.StatusCode != 200 || string(other) != string(page) {
		t.Errorf("GET /explorer: %d, the same page: %v", resp.StatusCode, string(other) == string(page))
	}

	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(page), -1)
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	var assets int
	for _, m := range refs {
		u, err := url.Parse(m[1])
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
			t.Errorf("the page refers to %q, not a path of this origin", m[1])
			continue
		}
		if !strings.HasPrefix(u.Path, explorer.AssetPrefix) {
			if resp, _ := getWith(t, s.url+u.Path, nil); resp.StatusCode != 200 {
				t.Errorf("%s: %d", u.Path, resp.StatusCode)
			}
			continue
		}
		assets++
		for _, enc := range []string{"", "gzip"} {
			resp, body := getWith(t, s.url+u.Path, map[string]string{"Accept-Encoding": enc})
			h := resp.Header
			if resp.StatusCode != 200 || h.Get("Content-Type") != types[filepath.Ext(u.Path)] ||
				h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s (Accept-Encoding %q): %d %v", u.Path, enc, resp.StatusCode, h)
			}
			if enc == "" && (h.Get("Content-Encoding") != "" || len(body) == 0) {
				t.Errorf("%s: Content-Encoding %q without gzip accepted, %d bytes", u.Path, h.Get("Content-Encoding"), len(body))
			}
			if enc == "gzip" && strings.Contains(u.Path, "graphiql.min.js") && h.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: not compressed", u.Path)
			}
		}
	}
	if assets != 6 {
		t.Errorf("the page names %d assets, want 6", assets)
	}
	if resp, _ := getWith(t, s.url+explorer.AssetPrefix+"000000000000/graphiql.min.js", nil); resp.StatusCode != 404 {
		t.Errorf("an asset of another version: %d, want 404", resp.StatusCode)
	}

	// Every other request to /graphql is GraphQL over HTTP, as before.
	for _, c := range []struct {
		name, target, accept string
		status               int
	}{
		{"no Accept", "/graphql", "", 400},
		{"any type", "/graphql", "*/*", 400},
		{"JSON", "/graphql", "application/json", 400},
		{"GraphQL response", "/graphql", "application/graphql-response+json", 400},
		{"a browser with a query", "/graphql?query=" + url.QueryEscape("{ __typename }"), browserAccept, 200},
		{"JSON with a query", "/graphql?query=" + url.QueryEscape("{ __typename }"), "application/json", 200},
	} {
		resp, body := getWith(t, s.url+c.target, map[string]string{"Accept": c.accept})
		ct := resp.Header.Get("Content-Type")
		if resp.StatusCode != c.status || !strings.HasPrefix(ct, "application/") || !json.Valid(body) {
			t.Errorf("%s: %d %s %s", c.name, resp.StatusCode, ct, body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", strings.NewReader(`{"query":"{ __typename }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", browserAccept)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("POST as a browser: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	for _, x := range explorer.Examples() {
		status, body := s.graphql(t, x.Query)
		var a struct {
			Data   map[string]json.RawMessage
			Errors []json.RawMessage
		}
		if err := json.Unmarshal(body, &a); err != nil || status != 200 || len(a.Errors) > 0 || len(a.Data) == 0 {
			t.Errorf("example %s: %d %s", x.Name, status, body)
		}
	}
}

// TestExplorerInABrowser opens /graphql in Chromium: GraphiQL loads the schema (its
// documentation lists the query type's fields), runs the example tabs it opens with, opens
// an example from the header in a new tab and runs it, showing the API's answer; every request stays on this origin and the
// page's Content-Security-Policy blocks nothing.
func TestExplorerInABrowser(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "explorer.db"), "DEMO_CASES": "300"})
	ctx, noScriptErrors := browser(t)

	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	// Counts what the page's Content-Security-Policy blocks.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.cspViolations = [];
			document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/graphql"), chromedp.WaitVisible(`.graphiql-execute-button`)); err != nil {
		t.Fatalf("open the explorer: %v", err)
	}
	// The schema's documentation: the docs panel lists the fields of Query.
	if err := chromedp.Do(ctx,
		chromedp.Click(`button[aria-label="Show Documentation Explorer"]`),
		chromedp.Click(`.graphiql-doc-explorer-content a.graphiql-doc-explorer-type-name`),
		chromedp.WaitVisible(`.graphiql-doc-explorer-content a.graphiql-doc-explorer-field-name`),
	); err != nil {
		t.Fatalf("the documentation explorer: %v", err)
	}
	fields, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.graphiql-doc-explorer-content a.graphiql-doc-explorer-field-name')).map(a => a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(fields, " "), "funnel") {
		t.Errorf("the documentation lists %v, no funnel", fields)
	}

	// The header's Funnel button opens the example in a new tab; ▶ runs it.
	var funnel explorer.Example
	for _, x := range explorer.Examples() {
		if x.Name == "Funnel" {
			funnel = x
		}
	}
	const tabCount = `document.querySelectorAll('.graphiql-tab').length`
	const query = `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`
	const response = `document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`
	tabs, err := chromedp.Run(ctx, chromedp.Evaluate[int](tabCount))
	if err != nil {
		t.Fatal(err)
	}
	if tabs != len(explorer.Examples()) {
		t.Errorf("%d tabs, want one for each of the %d examples", tabs, len(explorer.Examples()))
	}
	// The first tab, Statistics, runs as it is; so does the third, Cases, once chosen.
	if err := chromedp.Do(ctx,
		chromedp.Click(`.graphiql-execute-button`),
		chromedp.Poll[chromedp.Void](response+`.includes('"suppressionThreshold"')`),
		chromedp.Click(`.graphiql-tab:nth-of-type(3) .graphiql-tab-button`),
		chromedp.Poll[chromedp.Void](query+`.includes('cases(')`),
		chromedp.Click(`.graphiql-execute-button`),
		chromedp.Poll[chromedp.Void](response+`.includes('"totalCount"')`),
	); err != nil {
		r, _ := chromedp.Run(ctx, chromedp.Evaluate[string](response))
		t.Fatalf("run the first and third tabs: %v\n%s", err, r)
	}
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('.explorer-examples button')).find(b => b.textContent === 'Funnel').click()`),
		chromedp.Poll[chromedp.Void](query+` === `+jsString(funnel.Query)),
		chromedp.Click(`.graphiql-execute-button`),
		chromedp.Poll[chromedp.Void](response+`.includes('"steps"')`),
	); err != nil {
		q, _ := chromedp.Run(ctx, chromedp.Evaluate[string](query))
		r, _ := chromedp.Run(ctx, chromedp.Evaluate[string](response))
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](tabCount))
		t.Fatalf("run the funnel example: %v\n%d tabs, the query:\n%s\nthe response:\n%s", err, n, q, r)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](response))
	if err != nil {
		t.Fatal(err)
	}
	if tabs2, _ := chromedp.Run(ctx, chromedp.Evaluate[int](tabCount)); tabs2 != tabs+1 {
		t.Errorf("%d tabs after opening an example, want %d", tabs2, tabs+1)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.cspViolations`))
	if err != nil {
		t.Fatal(err)
	}
	noScriptErrors()

	status, body := s.graphql(t, funnel.Query)
	var got, want struct{ Data json.RawMessage }
	if err := json.Unmarshal([]byte(shown), &got); err != nil {
		t.Fatalf("the explorer shows %q: %v", shown, err)
	}
	if err := json.Unmarshal(body, &want); err != nil || status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	if compactJSON(t, got.Data) != compactJSON(t, want.Data) {
		t.Errorf("the explorer shows %s, the API answers %s", got.Data, want.Data)
	}
	if len(violations) > 0 {
		t.Errorf("the Content-Security-Policy blocked %v", violations)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) < 7 {
		t.Errorf("only %d requests recorded: %v", len(requests), requests)
	}
	for _, u := range requests {
		if !strings.HasPrefix(u, s.url+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("a request left the origin: %s", u)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func compactJSON(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return buf.String()
}
