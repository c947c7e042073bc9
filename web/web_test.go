package web

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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
		if !regexp.MustCompile(`<script type="module" src="js/main\.js\?v=[0-9a-f]{12}"></script>`).MatchString(page) {
			t.Errorf("GET %s: no versioned js/main.js module script tag", target)
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
		t.Fatalf("index names %d versioned files, want js/main.js, style.css and favicon.svg", len(refs))
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
		"/js/main.js":        "text/javascript",
		"/js/enums.js":       "text/javascript",
		"/js/views/cases.js": "text/javascript",
		"/i18n/en.json":      "application/json",
		"/i18n/kk.json":      "application/json",
		"/style.css":         "text/css",
		"/favicon.svg":       "image/svg+xml",
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
		"/nope", "/nope.js", "/cases", "/static/", "/static/js/main.js", "/static", "/js/main.js/",
		"/js", "/js/", "/js/views/", "/i18n/", "/app.js", "/js/../index.html",
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
	head := get(t, h, http.MethodHead, "/js/main.js", nil)
	if head.StatusCode != http.StatusOK || body(t, head) != "" {
		t.Errorf("HEAD /js/main.js: status %d", head.StatusCode)
	}
	etag := get(t, h, http.MethodGet, "/style.css", nil).Header.Get("ETag")
	res = get(t, h, http.MethodGet, "/style.css", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("GET /style.css with If-None-Match: status %d, want 304", res.StatusCode)
	}
}

// Every relative reference of a served module carries the version of the file it names, so
// that the whole module graph may be cached for a year and still never mixes two releases.
func TestModuleReferencesVersioned(t *testing.T) {
	h := Handler()
	relative := regexp.MustCompile(`['"](\.\.?/[^'"]*)['"]`)
	n := 0
	for name := range scripts(t) {
		js := body(t, get(t, h, http.MethodGet, "/"+name, nil))
		for _, m := range relative.FindAllStringSubmatch(js, -1) {
			ref, v, ok := strings.Cut(m[1], "?v=")
			if !ok {
				t.Errorf("%s: %q has no version", name, m[1])
				continue
			}
			target := "/" + path.Join(path.Dir(name), ref)
			res := get(t, h, http.MethodGet, target+"?v="+v, nil)
			if res.Header.Get("ETag") != `"`+v+`"` || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: %q is not the current version of %s (ETag %s)", name, m[1], target, res.Header.Get("ETag"))
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("found %d versioned references in the modules", n)
	}
}

func TestVersionsCoverImports(t *testing.T) {
	files := func(leaf string) fstest.MapFS {
		return fstest.MapFS{
			"static/index.html":  {Data: []byte(`<script type="module" src="js/main.js"></script>`)},
			"static/js/main.js":  {Data: []byte("import { a } from './a.js';\nconst u = new URL('../t.json', import.meta.url);\nimport('./a.js');\n")},
			"static/js/a.js":     {Data: []byte(leaf)},
			"static/t.json":      {Data: []byte(`{}`)},
			"static/js/other.js": {Data: []byte("import { x } from 'bare';\nimport '../../outside.js';\nimport './missing.js';\n")},
		}
	}
	one, two := load(files("export const a = 1;\n")), load(files("export const a = 2;\n"))
	main := string(one.files["/js/main.js"].body)
	for _, want := range []string{
		"from './a.js?v=" + one.files["/js/a.js"].version + "';",
		"new URL('../t.json?v=" + one.files["/t.json"].version + "', import.meta.url)",
		"import('./a.js?v=" + one.files["/js/a.js"].version + "')",
	} {
		if !strings.Contains(main, want) {
			t.Errorf("main.js lacks %q:\n%s", want, main)
		}
	}
	if one.files["/js/main.js"].version == two.files["/js/main.js"].version {
		t.Error("main.js keeps its version when a module it imports changes")
	}
	if !strings.Contains(string(two.files["/index.html"].body), "js/main.js?v="+two.files["/js/main.js"].version) {
		t.Errorf("index.html: %s", two.files["/index.html"].body)
	}
	if other := string(one.files["/js/other.js"].body); strings.Contains(other, "?v=") {
		t.Errorf("references to no file of static/ were rewritten:\n%s", other)
	}

	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "import each other") {
			t.Errorf("an import cycle: %v", r)
		}
	}()
	cycle := files("import { b } from './b.js';\n")
	cycle["static/js/b.js"] = &fstest.MapFile{Data: []byte("import { a } from './a.js';\n")}
	load(cycle)
}

// ---------------------------------------------------------------- the modules against the schema

func readStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scripts returns the portal's modules (static/js), keyed by their path under static/.
func scripts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(staticFS, "static/js", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(name) != ".js" {
			t.Errorf("%s: not a module", name)
			return nil
		}
		out[strings.TrimPrefix(name, "static/")] = readStatic(t, strings.TrimPrefix(name, "static/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found %d modules in static/js", len(out))
	}
	return out
}

// allScripts is every module, one after the other, for checks that hold for all of them.
func allScripts(t *testing.T) string {
	t.Helper()
	all := scripts(t)
	names := slices.Sorted(maps.Keys(all))
	var b strings.Builder
	for _, n := range names {
		b.WriteString(all[n])
		b.WriteString("\n")
	}
	return b.String()
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

// Every GraphQL document of the portal is valid against schema.graphqls: fields, arguments,
// variables and their types.
func TestQueriesMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	js := allScripts(t)
	queries := queryConst.FindAllStringSubmatch(js, -1)
	if len(queries) < 6 {
		t.Fatalf("found %d Q_* documents in the modules", len(queries))
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
		t.Errorf("the modules define %d Q_* constants, %d are /* GraphQL */ template literals", n, len(queries))
	}
	if n := len(queryConst.FindAllString(readStatic(t, "js/queries.js"), -1)); n != len(queries) {
		t.Errorf("js/queries.js holds %d of the %d documents", n, len(queries))
	}
}

// jsonLiteral extracts the literal that follows prefix (`const NAME = /* marker */ `) in a
// module, up to the first "\n}" that ends a line with ";", as JSON.
func jsonLiteral(t *testing.T, js, prefix string, v any) {
	t.Helper()
	start := strings.Index(js, prefix)
	if start < 0 {
		t.Fatalf("no %q", prefix)
	}
	rest := js[start+len(prefix):]
	end := strings.Index(rest, "\n};\n")
	if end < 0 {
		t.Fatalf("%s: no end", prefix)
	}
	if err := json.Unmarshal([]byte(rest[:end+2]), v); err != nil {
		t.Fatalf("%s is not strict JSON: %v", prefix, err)
	}
}

func readEnums(t *testing.T) map[string][]string {
	t.Helper()
	var enums map[string][]string
	jsonLiteral(t, readStatic(t, "js/enums.js"), "export const ENUMS = ", &enums)
	return enums
}

func TestEnumsMatchSchema(t *testing.T) {
	schema := loadSchema(t)
	enums := readEnums(t)
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

// ---------------------------------------------------------------- translations

type methodologyText struct {
	Intro          []string          `json:"intro"`
	ConcernHeading string            `json:"concernHeading"`
	ConcernIntro   string            `json:"concernIntro"`
	Concerns       map[string]string `json:"concerns"`
	Perturbation   struct {
		Heading         string   `json:"heading"`
		Paragraphs      []string `json:"paragraphs"`
		TableCaption    string   `json:"tableCaption"`
		ColCount        string   `json:"colCount"`
		ColPerturbation string   `json:"colPerturbation"`
		ColProbability  string   `json:"colProbability"`
		OrMore          string   `json:"orMore"`
		Parameters      string   `json:"parameters"`
	} `json:"perturbation"`
	Sections []struct {
		Heading    string   `json:"heading"`
		Paragraphs []string `json:"paragraphs"`
	} `json:"sections"`
	Licence struct {
		Heading     string   `json:"heading"`
		Paragraphs  []string `json:"paragraphs"`
		LicenceLink string   `json:"licenceLink"`
		CiteIntro   string   `json:"citeIntro"`
		Cite        string   `json:"cite"`
		WaysHeading string   `json:"waysHeading"`
		Exports     string   `json:"exports"`
		Dumps       string   `json:"dumps"`
		Feed        string   `json:"feed"`
		API         string   `json:"api"`
	} `json:"licence"`
}

type texts struct {
	UI          map[string]string `json:"ui"`
	Methodology methodologyText   `json:"methodology"`
}

// languageEntry is `{ code: 'KK', tag: 'kk', … url: new URL('../i18n/kk.json', import.meta.url) }`
// in the list of languages of js/i18n.js.
var languageEntry = regexp.MustCompile(`\{ code: '([A-Z]{2})', tag: '([a-z]{2,3})', locale: '[a-z]{2,3}-[A-Z]{2}', name: '[^']+', url: new URL\('\.\./i18n/([a-z]{2,3})\.json', import\.meta\.url\) \}`)

// readTexts reads every file of static/i18n, keyed by the language's code ("EN"), and checks
// that the list of languages of js/i18n.js names exactly these files.
func readTexts(t *testing.T) map[string]texts {
	t.Helper()
	files, err := fs.Glob(staticFS, "static/i18n/*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]texts{}
	for _, name := range files {
		tag, ok := strings.CutSuffix(path.Base(name), ".json")
		if !ok {
			t.Errorf("%s: not a JSON file", name)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(readStatic(t, strings.TrimPrefix(name, "static/"))))
		dec.DisallowUnknownFields()
		var x texts
		if err := dec.Decode(&x); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[strings.ToUpper(tag)] = x
	}
	listed := map[string]bool{}
	for _, m := range languageEntry.FindAllStringSubmatch(readStatic(t, "js/i18n.js"), -1) {
		if m[2] != m[3] || strings.ToUpper(m[2]) != m[1] {
			t.Errorf("js/i18n.js: %s", m[0])
		}
		if _, ok := out[m[1]]; !ok {
			t.Errorf("js/i18n.js lists %s, static/i18n has no %s.json", m[1], m[3])
		}
		listed[m[1]] = true
	}
	for lang := range out {
		if !listed[lang] {
			t.Errorf("static/i18n/%s.json: the language is not in the list of js/i18n.js", strings.ToLower(lang))
		}
	}
	for _, lang := range []string{"KK", "RU", "EN"} {
		if _, ok := out[lang]; !ok {
			t.Fatalf("static/i18n/%s.json missing", strings.ToLower(lang))
		}
	}
	return out
}

func TestTranslationsComplete(t *testing.T) {
	all := readTexts(t)
	en := all["EN"].UI
	for lang, x := range all {
		ui := x.UI
		if len(ui) == 0 {
			t.Fatalf("%s: ui missing", lang)
		}
		for key := range en {
			if strings.TrimSpace(ui[key]) == "" {
				t.Errorf("%s: ui.%s missing", lang, key)
			}
		}
		for key := range ui {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: ui.%s has no English", lang, key)
			}
		}
	}
	// Every t('key') of the modules exists.
	for _, m := range regexp.MustCompile(`\bt\('([A-Za-z]+)'`).FindAllStringSubmatch(allScripts(t), -1) {
		if _, ok := en[m[1]]; !ok {
			t.Errorf("t(%q) has no string", m[1])
		}
	}
	if !strings.Contains(en["banner"], "Synthetic demo data") {
		t.Errorf("English banner is %q", en["banner"])
	}

	for lang, x := range all {
		d := x.Methodology
		if len(d.Intro) == 0 || d.ConcernHeading == "" || len(d.Sections) != len(all["EN"].Methodology.Sections) {
			t.Errorf("%s: methodology incomplete", lang)
		}
		for _, c := range []string{"CORE_EXPRESSION", "CONTESTED", "HARM", "OTHER"} {
			if d.Concerns[c] == "" {
				t.Errorf("%s: methodology.concerns.%s missing", lang, c)
			}
		}
		if l := d.Licence; l.Heading == "" || len(l.Paragraphs) == 0 || l.LicenceLink == "" || l.CiteIntro == "" ||
			!strings.Contains(l.Cite, "{0}") || !strings.Contains(l.Cite, "{1}") || l.WaysHeading == "" ||
			l.Exports == "" || l.Dumps == "" || l.Feed == "" || l.API == "" {
			t.Errorf("%s: methodology.licence incomplete", lang)
		}
		p := d.Perturbation
		if p.Heading == "" || len(p.Paragraphs) == 0 || p.TableCaption == "" || p.ColCount == "" ||
			!strings.Contains(p.OrMore, "{0}") || !strings.Contains(p.Parameters, "{0}") {
			t.Errorf("%s: methodology.perturbation incomplete", lang)
		}
	}
}

// ---------------------------------------------------------------- the modules

// Every module the portal loads is embedded: imports are relative and name a file of
// static/ (a bare or external specifier would fail in the browser, or load from elsewhere),
// and so do the URLs a module builds from import.meta.url.
func TestModulesResolve(t *testing.T) {
	spec := regexp.MustCompile(`(?m)(?:^import\s+|\sfrom\s+|\bimport\(\s*)['"]([^'"]*)['"]|new URL\('([^']*)', import\.meta\.url\)`)
	// The entry modules: of index.html and of embed.html.
	reached := map[string]bool{"js/main.js": true, "js/embed.js": true}
	for name, js := range scripts(t) {
		for _, m := range spec.FindAllStringSubmatch(js, -1) {
			ref := m[1] + m[2]
			if !strings.HasPrefix(ref, "./") && !strings.HasPrefix(ref, "../") {
				t.Errorf("%s: %q is not a relative path", name, ref)
				continue
			}
			target := path.Join(path.Dir(name), ref)
			if _, err := fs.Stat(staticFS, "static/"+target); err != nil || strings.HasPrefix(target, "..") {
				t.Errorf("%s: %q names no file of static/", name, ref)
			}
			reached[target] = true
		}
	}
	for name := range scripts(t) {
		if !reached[name] {
			t.Errorf("%s: no module imports it", name)
		}
	}
}

// Data never reaches the page as HTML.
func TestNoHTMLInjectionSinks(t *testing.T) {
	for name, js := range scripts(t) {
		for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "createContextualFragment"} {
			if strings.Contains(js, sink) {
				t.Errorf("%s uses %s", name, sink)
			}
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
	js := allScripts(t)
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
			t.Errorf("the modules have no %s", name)
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

	enums := readEnums(t)
	for _, name := range []string{"Dimension", "Interval", "FunnelStepKind"} {
		if len(enums[name]) == 0 {
			t.Errorf("ENUMS.%s missing: the statistics view validates links with it", name)
		}
	}

	en := readTexts(t)["EN"].UI
	for _, v := range append(ast.EnumValueList{{Name: "None"}}, schema.Types["Interval"].EnumValues...) {
		if en["interval"+v.Name] == "" {
			t.Errorf("en.json: ui.interval%s missing (the period choice)", v.Name)
		}
	}

	var dims map[string]string
	jsonLiteral(t, readStatic(t, "js/views/statistics.js"), "const DIMENSION_FILTER = /* dimension-filters */ ", &dims)
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

// Every entry of the main menu opens a view, every view but a single case has an entry and a
// module of its own, and every text the page takes from the translations exists.
func TestNavigation(t *testing.T) {
	js := readStatic(t, "js/router.js")
	page := readStatic(t, "index.html")
	m := regexp.MustCompile(`(?s)const VIEWS = \{(.*?)\n\};`).FindStringSubmatch(js)
	if m == nil {
		t.Fatal("js/router.js has no VIEWS")
	}
	views := map[string]bool{}
	for _, v := range regexp.MustCompile(`(?m)^\s+(\w+): (view\w+),?$`).FindAllStringSubmatch(m[1], -1) {
		views[v[1]] = true
		if !strings.Contains(js, "import { "+v[2]+" } from './views/"+v[1]+".js';") {
			t.Errorf("view %q: %s is not imported from views/%s.js", v[1], v[2], v[1])
		}
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
	en := readTexts(t)["EN"].UI
	for _, k := range regexp.MustCompile(`data-i18n="(\w+)"`).FindAllStringSubmatch(page, -1) {
		if en[k[1]] == "" {
			t.Errorf("index.html: data-i18n=%q has no string", k[1])
		}
	}
}

// The Content-Security-Policy (style-src 'self') drops style attributes and <style>
// elements: sizes set from script go through the CSSOM (el.style.width) instead.
func TestNoInlineStyles(t *testing.T) {
	for name, js := range scripts(t) {
		for _, bad := range []string{"setAttribute('style'", `setAttribute("style"`, "cssText", "createElement('style')"} {
			if strings.Contains(js, bad) {
				t.Errorf("%s uses %s", name, bad)
			}
		}
		// h(tag, { style: … }) would become a style attribute.
		if m := regexp.MustCompile(`\bh\('[a-z0-9]+', \{[^}]*\bstyle:`).FindString(js); m != "" {
			t.Errorf("%s sets a style attribute: %s", name, m)
		}
	}
	page := readStatic(t, "index.html")
	for _, bad := range []string{" style=", "<style"} {
		if strings.Contains(page, bad) {
			t.Errorf("index.html uses %s", bad)
		}
	}
}
