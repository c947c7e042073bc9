package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var versionedRef = regexp.MustCompile(`(?:src|href)="([^"?#]+)\?v=([0-9a-f]{12})"`)

func TestIndex(t *testing.T) {
	h := Handler()
	for _, target := range []string{"/", "/index.html"} {
		res := get(t, h, http.MethodGet, target, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, res.StatusCode)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", target, cc)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", target)
		}
		page := body(t, res)
		if !strings.Contains(page, `id="synthetic-banner"`) {
			t.Errorf("GET %s: no synthetic-banner element", target)
		}
		if !regexp.MustCompile(`<script type="module" src="app\.js\?v=[0-9a-f]{12}"></script>`).MatchString(page) {
			t.Errorf("GET %s: no versioned app.js script tag", target)
		}
		if !strings.Contains(page, `href="style.css?v=`) {
			t.Errorf("GET %s: no versioned stylesheet link", target)
		}
		for _, external := range []string{"http://", "https://", "//fonts.", "cdn"} {
			if strings.Contains(page, external) {
				t.Errorf("GET %s: page refers to something external (%q)", target, external)
			}
		}
	}
}

// Every file the page names is served, and its ?v= is the one that gets the long cache.
func TestIndexReferencesResolve(t *testing.T) {
	h := Handler()
	page := body(t, get(t, h, http.MethodGet, "/", nil))
	refs := versionedRef.FindAllStringSubmatch(page, -1)
	if len(refs) < 3 {
		t.Fatalf("index names %d versioned files, want app.js, style.css and favicon.svg", len(refs))
	}
	for _, m := range refs {
		res := get(t, h, http.MethodGet, "/"+m[1]+"?v="+m[2], nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", m[0], res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable", m[0], cc)
		}
		stale := get(t, h, http.MethodGet, "/"+m[1]+"?v=000000000000", nil)
		if cc := stale.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") || !strings.Contains(cc, "no-cache") {
			t.Errorf("%s with another version: Cache-Control %q", m[1], cc)
		}
	}
}

func TestContentTypes(t *testing.T) {
	h := Handler()
	for path, want := range map[string]string{
		"/app.js":      "text/javascript",
		"/style.css":   "text/css",
		"/favicon.svg": "image/svg+xml",
	} {
		res := get(t, h, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", path, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("GET %s: Content-Type %q, want %s", path, ct, want)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", path)
		}
		if res.Header.Get("ETag") == "" || res.Header.Get("Cache-Control") == "" {
			t.Errorf("GET %s: ETag %q, Cache-Control %q", path, res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
		}
	}
}

func TestNotFoundAndNoListing(t *testing.T) {
	h := Handler()
	for _, path := range []string{
		"/nope", "/nope.js", "/cases", "/static/", "/static/app.js", "/static", "/app.js/",
		"/./", "//", "/.", "/../web.go", "/index.html/",
	} {
		res := get(t, h, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, res.StatusCode)
		}
		if b := body(t, res); strings.Contains(b, "<pre>") || strings.Contains(b, `href="app.js"`) {
			t.Errorf("GET %s: looks like a directory listing: %q", path, b)
		}
	}
}

func TestMethodsAndConditional(t *testing.T) {
	h := Handler()
	res := get(t, h, http.MethodPost, "/", nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") == "" {
		t.Errorf("POST /: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	head := get(t, h, http.MethodHead, "/app.js", nil)
	if head.StatusCode != http.StatusOK || body(t, head) != "" {
		t.Errorf("HEAD /app.js: status %d", head.StatusCode)
	}
	etag := get(t, h, http.MethodGet, "/style.css", nil).Header.Get("ETag")
	res = get(t, h, http.MethodGet, "/style.css", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("GET /style.css with If-None-Match: status %d, want 304", res.StatusCode)
	}
}

// ---------------------------------------------------------------- app.js against the schema

func readStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	return schema
}

var queryConst = regexp.MustCompile("(?s)const (Q_[A-Z_]+) = /\\* GraphQL \\*/ `([^`]*)`;")

// Every GraphQL document of app.js is valid against schema.graphqls: fields, arguments,
// variables and their types.
func TestQueriesMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	js := readStatic(t, "app.js")
	queries := queryConst.FindAllStringSubmatch(js, -1)
	if len(queries) < 6 {
		t.Fatalf("found %d Q_* documents in app.js", len(queries))
	}
	for _, q := range queries {
		if strings.Contains(q[2], "${") {
			t.Errorf("%s: interpolation in a GraphQL document", q[1])
		}
		if _, err := gqlparser.LoadQuery(schema, q[2]); err != nil {
			t.Errorf("%s: %v", q[1], err)
		}
	}
	// Each constant defined is one the regexp saw (none hidden by another quoting style).
	if n := strings.Count(js, "const Q_"); n != len(queries) {
		t.Errorf("app.js defines %d Q_* constants, %d are /* GraphQL */ template literals", n, len(queries))
	}
}

// jsonLiteral extracts `const NAME = /* marker */ {...};` from app.js as JSON.
func jsonLiteral(t *testing.T, js, name, marker string, v any) {
	t.Helper()
	start := strings.Index(js, "const "+name+" = /* "+marker+" */ ")
	if start < 0 {
		t.Fatalf("app.js has no %s literal", name)
	}
	rest := js[start+len("const "+name+" = /* "+marker+" */ "):]
	end := strings.Index(rest, "\n};\n")
	if end < 0 {
		t.Fatalf("%s: no end", name)
	}
	if err := json.Unmarshal([]byte(rest[:end+2]), v); err != nil {
		t.Fatalf("%s is not strict JSON: %v", name, err)
	}
}

func TestEnumsMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	var enums map[string][]string
	jsonLiteral(t, readStatic(t, "app.js"), "ENUMS", "enums", &enums)
	for name, codes := range enums {
		def := schema.Types[name]
		if def == nil || def.Kind != ast.Enum {
			t.Errorf("ENUMS.%s: no such enum in the schema", name)
			continue
		}
		var want []string
		for _, v := range def.EnumValues {
			want = append(want, v.Name)
		}
		if !slices.Equal(codes, want) {
			t.Errorf("ENUMS.%s = %v, schema has %v", name, codes, want)
		}
	}
}

func TestTranslationsComplete(t *testing.T) {
	js := readStatic(t, "app.js")
	var ui map[string]map[string]string
	jsonLiteral(t, js, "UI", "i18n", &ui)
	for _, lang := range []string{"KK", "RU", "EN"} {
		if len(ui[lang]) == 0 {
			t.Fatalf("UI.%s missing", lang)
		}
		for key := range ui["EN"] {
			if strings.TrimSpace(ui[lang][key]) == "" {
				t.Errorf("UI.%s.%s missing", lang, key)
			}
		}
		for key := range ui[lang] {
			if _, ok := ui["EN"][key]; !ok {
				t.Errorf("UI.%s.%s has no English", lang, key)
			}
		}
	}
	// Every t('key') in app.js exists.
	for _, m := range regexp.MustCompile(`\bt\('([A-Za-z]+)'`).FindAllStringSubmatch(js, -1) {
		if _, ok := ui["EN"][m[1]]; !ok {
			t.Errorf("t(%q) has no string", m[1])
		}
	}
	if !strings.Contains(ui["EN"]["banner"], "Synthetic demo data") {
		t.Errorf("English banner is %q", ui["EN"]["banner"])
	}

	type section struct {
		Heading    string   `json:"heading"`
		Paragraphs []string `json:"paragraphs"`
	}
	var m map[string]struct {
		Intro          []string          `json:"intro"`
		ConcernHeading string            `json:"concernHeading"`
		ConcernIntro   string            `json:"concernIntro"`
		Concerns       map[string]string `json:"concerns"`
		Sections       []section         `json:"sections"`
	}
	jsonLiteral(t, js, "METHODOLOGY", "methodology", &m)
	for _, lang := range []string{"KK", "RU", "EN"} {
		d, ok := m[lang]
		if !ok || len(d.Intro) == 0 || d.ConcernHeading == "" || len(d.Sections) != len(m["EN"].Sections) {
			t.Errorf("METHODOLOGY.%s incomplete", lang)
		}
		for _, c := range []string{"CORE_EXPRESSION", "CONTESTED", "HARM", "OTHER"} {
			if d.Concerns[c] == "" {
				t.Errorf("METHODOLOGY.%s.concerns.%s missing", lang, c)
			}
		}
	}
}

// Data never reaches the page as HTML.
func TestNoHTMLInjectionSinks(t *testing.T) {
	js := readStatic(t, "app.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "createContextualFragment"} {
		if strings.Contains(js, sink) {
			t.Errorf("app.js uses %s", sink)
		}
	}
}

// selectedFields lists the names of the fields a selection set asks for, through fragments.
func selectedFields(set ast.SelectionSet, into map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			into[s.Name] = true
			selectedFields(s.SelectionSet, into)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				selectedFields(s.Definition.SelectionSet, into)
			}
		case *ast.InlineFragment:
			selectedFields(s.SelectionSet, into)
		}
	}
}

// The statistics view asks for every figure it shows, offers every grouping and period of
// the schema with a label, and links a grouped value only through a real CaseFilter field.
func TestStatisticsView(t *testing.T) {
	schema := loadSchema(t)
	js := readStatic(t, "app.js")
	docs := map[string]string{}
	for _, q := range queryConst.FindAllStringSubmatch(js, -1) {
		docs[q[1]] = q[2]
	}
	for name, want := range map[string][]string{
		"Q_STATISTICS": {"statistics", "suppressionThreshold", "total", "buckets", "key", "dimension", "code", "label",
			"period", "count", "suppressed", "liable", "fined", "appealed", "appealsSucceeded", "fines", "currency",
			"median", "indexUnits", "unit", "medianDaysToDecision", "prosecutorRejectionRate", "expertNoOffenceRate",
			"countPer100k", "currentRelease", "synthetic"},
		"Q_FUNNEL": {"funnel", "suppressionThreshold", "steps", "step", "label", "count", "suppressed", "available", "shareOfPrevious"},
	} {
		doc, ok := docs[name]
		if !ok {
			t.Errorf("app.js has no %s", name)
			continue
		}
		q, err := gqlparser.LoadQuery(schema, doc)
		if err != nil {
			continue // reported by TestQueriesMatchSchema
		}
		got := map[string]bool{}
		for _, op := range q.Operations {
			selectedFields(op.SelectionSet, got)
		}
		for _, f := range want {
			if !got[f] {
				t.Errorf("%s does not ask for %s", name, f)
			}
		}
	}

	var enums map[string][]string
	jsonLiteral(t, js, "ENUMS", "enums", &enums)
	for _, name := range []string{"Dimension", "Interval", "FunnelStepKind"} {
		if len(enums[name]) == 0 {
			t.Errorf("ENUMS.%s missing: the statistics view validates links with it", name)
		}
	}

	var ui map[string]map[string]string
	jsonLiteral(t, js, "UI", "i18n", &ui)
	for _, v := range append(ast.EnumValueList{{Name: "None"}}, schema.Types["Interval"].EnumValues...) {
		if ui["EN"]["interval"+v.Name] == "" {
			t.Errorf("UI.EN.interval%s missing (the period choice)", v.Name)
		}
	}

	var dims map[string]string
	jsonLiteral(t, js, "DIMENSION_FILTER", "dimension-filters", &dims)
	filter := schema.Types["CaseFilter"]
	for dim, field := range dims {
		if schema.Types["Dimension"].EnumValues.ForName(dim) == nil {
			t.Errorf("DIMENSION_FILTER.%s: no such Dimension", dim)
		}
		if filter.Fields.ForName(field) == nil {
			t.Errorf("DIMENSION_FILTER.%s = %q: no such CaseFilter field", dim, field)
		}
		if field != "jurisdiction" && !strings.Contains(js, "field: '"+field+"'") {
			t.Errorf("DIMENSION_FILTER.%s = %q: the case list has no filter for it", dim, field)
		}
	}
}

// Every entry of the main menu opens a view, every view but a single case has an entry, and
// every text the page takes from UI exists.
func TestNavigation(t *testing.T) {
	js := readStatic(t, "app.js")
	page := readStatic(t, "index.html")
	m := regexp.MustCompile(`(?s)const VIEWS = \{(.*?)\n\};`).FindStringSubmatch(js)
	if m == nil {
		t.Fatal("app.js has no VIEWS")
	}
	views := map[string]bool{}
	for _, v := range regexp.MustCompile(`(?m)^\s+(\w+): view\w+,?$`).FindAllStringSubmatch(m[1], -1) {
		views[v[1]] = true
	}
	nav := map[string]bool{}
	for _, n := range regexp.MustCompile(`<a href="#/(\w+)" data-nav="(\w+)"`).FindAllStringSubmatch(page, -1) {
		if n[1] != n[2] {
			t.Errorf("menu entry #/%s is marked data-nav=%q", n[1], n[2])
		}
		if !views[n[2]] {
			t.Errorf("menu entry %q opens no view", n[2])
		}
		nav[n[2]] = true
	}
	for v := range views {
		if v != "case" && !nav[v] {
			t.Errorf("view %q has no menu entry", v)
		}
	}
	var ui map[string]map[string]string
	jsonLiteral(t, js, "UI", "i18n", &ui)
	for _, k := range regexp.MustCompile(`data-i18n="(\w+)"`).FindAllStringSubmatch(page, -1) {
		if ui["EN"][k[1]] == "" {
			t.Errorf("index.html: data-i18n=%q has no string", k[1])
		}
	}
}

// The Content-Security-Policy (style-src 'self') drops style attributes and <style>
// elements: sizes set from script go through the CSSOM (el.style.width) instead.
func TestNoInlineStyles(t *testing.T) {
	js := readStatic(t, "app.js")
	for _, bad := range []string{"setAttribute('style'", `setAttribute("style"`, "cssText", "createElement('style')"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
	// h(tag, { style: … }) would become a style attribute.
	if m := regexp.MustCompile(`\bh\('[a-z0-9]+', \{[^}]*\bstyle:`).FindString(js); m != "" {
		t.Errorf("app.js sets a style attribute: %s", m)
	}
	page := readStatic(t, "index.html")
	for _, bad := range []string{" style=", "<style"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html uses %s", bad)
		}
	}
}
