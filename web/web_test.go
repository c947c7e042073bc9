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
