// Package web is the casewatch portal: plain HTML, CSS and JavaScript embedded in the binary
// and served as they are, with no build step and nothing loaded from elsewhere.
//
// Handler serves index.html at "/" and every other file of static/ at its own path. The
// page's references to the other files are rewritten once, at start, to carry a content
// hash ("js/main.js?v=1a2b3c4d5e6f"), and so are the relative references of the JavaScript
// modules (import specifiers, and URLs built from import.meta.url such as the translations),
// whose hashes therefore cover the versions of everything they load. So a request for the
// current version may be cached for a year while index.html itself is always revalidated: a
// new binary is picked up by the next page load, never mixed with stale modules.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed static
var staticFS embed.FS

// indexName is the file served at "/".
const indexName = "index.html"

// embedName is the page served at each of embedPaths: one table or chart that other sites
// may frame (embedSecurityPolicy).
const embedName = "embed.html"

// embedPaths are the addresses of the embeddable page: the statistics table and the chart
// over the periods of one question, and the overview's trend (js/embed.js reads which from
// the path).
var embedPaths = map[string]bool{"/embed/statistics": true, "/embed/chart": true, "/embed/overview-trend": true}

// contentSecurityPolicy allows nothing but this origin: no inline script or style, no
// framing, no plug-ins. The page needs no more.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// embedSecurityPolicy is the policy of the embeddable page: as strict as the portal's
// (nothing from any other origin), but any site may frame it. Its <base href="/"> makes
// its relative addresses the portal's own.
const embedSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
	"base-uri 'self'; form-action 'none'; frame-ancestors *"

// contentTypes fixes the types of the files the portal ships, so that they do not depend on
// the host's mime tables (some map .js to application/x-javascript or nothing at all).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
}

type asset struct {
	body    []byte
	ctype   string
	etag    string
	version string // first 12 hex digits of the SHA-256 of body
}

type handler struct {
	files map[string]*asset // keyed by URL path, e.g. "/app.js"
	// pages are index.html with its link preview in each language and view, by pageKey
	// ("kk", "kk/statistics"); "/?lang=kk&view=statistics" gets pages["kk/statistics"].
	pages map[string]*asset
	// embed is embed.html, served at embedPaths; nil without one.
	embed *asset
}

var (
	loadOnce sync.Once
	loaded   *handler
)

// Handler serves the portal. GET and HEAD only; an unknown path (including any directory)
// is 404, never a listing.
func Handler() http.Handler {
	loadOnce.Do(func() { loaded = load(staticFS) })
	return loaded
}

// Has reports whether path (e.g. "/js/main.js") names one of the portal's files.
func Has(path string) bool {
	h, _ := Handler().(*handler)
	return h != nil && h.files[path] != nil
}

func load(fsys fs.FS) *handler {
	root, err := fs.Sub(fsys, "static")
	if err != nil {
		panic("web: " + err.Error())
	}
	bodies := map[string][]byte{} // keyed by name, e.g. "js/main.js"
	err = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		bodies[name] = body
		return nil
	})
	if err != nil {
		panic("web: " + err.Error())
	}
	index, ok := bodies[indexName]
	if !ok {
		panic("web: static/" + indexName + " is missing")
	}
	h := &handler{files: map[string]*asset{}}
	imports := map[string][]string{} // module -> the modules it imports statically
	// add makes the asset of a file, after those of the files a module refers to (their
	// versions are part of its body). chain is the modules being made, to report a cycle.
	var add func(name string, chain []string) *asset
	add = func(name string, chain []string) *asset {
		if a, ok := h.files["/"+name]; ok {
			return a
		}
		if slices.Contains(chain, name) {
			panic("web: modules import each other: " + strings.Join(append(chain, name), " -> "))
		}
		body := bodies[name]
		if path.Ext(name) == ".js" {
			body = versionReferences(name, body, func(target string, static bool) string {
				if _, ok := bodies[target]; !ok || target == indexName {
					return ""
				}
				if static && path.Ext(target) == ".js" {
					imports[name] = append(imports[name], target)
				}
				return add(target, append(chain, name)).version
			})
		}
		a := newAsset(name, body)
		h.files["/"+name] = a
		return a
	}
	for name := range bodies {
		if name != indexName && name != embedName {
			add(name, nil)
		}
	}
	// Point the pages at the current version of each file they name.
	versioned := func(page []byte) []byte {
		body := preloadModules(page, imports, h.files)
		for p, a := range h.files {
			name := strings.TrimPrefix(p, "/")
			for _, attr := range []string{`src="`, `href="`} {
				body = bytes.ReplaceAll(body, []byte(attr+name+`"`), []byte(attr+name+"?v="+a.version+`"`))
			}
		}
		return body
	}
	body := versioned(index)
	if embed, ok := bodies[embedName]; ok {
		h.embed = newAsset(embedName, versioned(embed))
	}
	h.files["/"+indexName] = newAsset(indexName, body)
	h.pages = map[string]*asset{}
	for name, texts := range bodies {
		tag, ok := strings.CutSuffix(strings.TrimPrefix(name, "i18n/"), ".json")
		if !ok || !strings.HasPrefix(name, "i18n/") || !previewTag.MatchString(tag) {
			continue
		}
		for _, view := range append([]string{""}, slices.Sorted(maps.Keys(previewViews))...) {
			if page, ok := localizedPage(body, tag, view, texts); ok {
				h.pages[pageKey(tag, view)] = newAsset(indexName, page)
			}
		}
	}
	if en, ok := h.pages["en"]; ok {
		h.files["/"+indexName] = en
	}
	return h
}

// previewTag is the form of a language's tag: the name of its file in i18n/.
var previewTag = regexp.MustCompile(`^[a-z]{2}$`)

// previewLocales are the og:locale of the portal's languages.
var previewLocales = map[string]string{"kk": "kk_KZ", "ky": "ky_KG", "ru": "ru_RU", "en": "en_GB"}

// The tags localizedPage rewrites; index.html has each once, on a line of its own.
var (
	htmlLangTag = regexp.MustCompile(`<html lang="[^"]*">`)
	metaContent = func(attr, name string) *regexp.Regexp {
		return regexp.MustCompile(`<meta ` + attr + `="` + regexp.QuoteMeta(name) + `" content="[^"]*">`)
	}
	ogTitleTag       = metaContent("property", "og:title")
	ogDescriptionTag = metaContent("property", "og:description")
	ogLocaleTag      = metaContent("property", "og:locale")
	descriptionTag   = metaContent("name", "description")
)

// previewViews are the views a shared link may name (/?lang=kk&view=statistics#/statistics…)
// for its preview, with the keys of their title and description in the texts.
var previewViews = map[string][2]string{
	"overview":    {"ovTitle", "ovIntro"},
	"cases":       {"casesTitle", "casesIntro"},
	"statistics":  {"statsTitle", "statsIntro"},
	"releases":    {"releasesTitle", "releasesIntro"},
	"sources":     {"sourcesTitle", "sourcesIntro"},
	"methodology": {"methodologyTitle", "lnOgDescription"},
}

// pageKey is the key of a page in handler.pages: the language's tag, and the view if any.
func pageKey(tag, view string) string {
	if view == "" {
		return tag
	}
	return tag + "/" + view
}

// localizedPage writes the page's language and link preview (og:title, og:description,
// description, og:locale) in the language of tag, from its texts (lnOgTitle and
// lnOgDescription of i18n/<tag>.json, or for a view its title, "— casewatch", and its
// introduction), HTML-escaped. Nothing of a request goes into a page: the pages are made
// once, at start, one per language file and view. ok is false when the texts lack the
// preview.
func localizedPage(page []byte, tag, view string, texts []byte) ([]byte, bool) {
	var t struct {
		UI map[string]string `json:"ui"`
	}
	if err := json.Unmarshal(texts, &t); err != nil {
		return nil, false
	}
	title, description := t.UI["lnOgTitle"], t.UI["lnOgDescription"]
	if keys, ok := previewViews[view]; ok {
		title, description = t.UI[keys[0]]+" — casewatch", t.UI[keys[1]]
		if t.UI[keys[0]] == "" {
			return nil, false
		}
	}
	if title == "" || description == "" {
		return nil, false
	}
	locale := previewLocales[tag]
	if locale == "" {
		locale = tag
	}
	set := func(page []byte, re *regexp.Regexp, tag string) []byte {
		return re.ReplaceAllLiteral(page, []byte(tag))
	}
	meta := func(attr, name, content string) string {
		return `<meta ` + attr + `="` + name + `" content="` + html.EscapeString(content) + `">`
	}
	page = set(page, htmlLangTag, `<html lang="`+tag+`">`)
	page = set(page, ogTitleTag, meta("property", "og:title", title))
	page = set(page, ogDescriptionTag, meta("property", "og:description", description))
	page = set(page, descriptionTag, meta("name", "description", description))
	page = set(page, ogLocaleTag, meta("property", "og:locale", locale))
	return page, true
}

// moduleScript is a module script of the page.
var moduleScript = regexp.MustCompile(`<script type="module" src="([^"?#]+)"></script>`)

// preloadModules puts a <link rel="modulepreload"> before each module script of the page
// for every module it imports, directly or not. Without them the browser learns of a module
// only once the one importing it has arrived: one round trip per level of imports, which on a
// slow mobile connection (150 ms or more each) is most of the wait for a first visit. With
// them the whole graph is asked for at once.
func preloadModules(index []byte, imports map[string][]string, files map[string]*asset) []byte {
	return moduleScript.ReplaceAllFunc(index, func(tag []byte) []byte {
		entry := string(moduleScript.FindSubmatch(tag)[1])
		seen := map[string]bool{entry: true}
		var links []byte
		for queue := []string{entry}; len(queue) > 0; queue = queue[1:] {
			for _, m := range imports[queue[0]] {
				if seen[m] || files["/"+m] == nil {
					continue
				}
				seen[m] = true
				queue = append(queue, m)
				links = append(links, `<link rel="modulepreload" href="`+m+"?v="+files["/"+m].version+`">`+"\n"...)
			}
		}
		return append(links, tag...)
	})
}

// moduleReference finds the relative references of a module: the specifier of an import
// (static, side-effect only or dynamic) or of an export … from, and a URL built from
// import.meta.url. The reference itself is the second group.
var moduleReference = regexp.MustCompile(`(?m)((?:^import\s+|\sfrom\s+|\bimport\(\s*)['"])(\.\.?/[^'"?#\s]+)(['"])` +
	`|(new URL\(['"])(\.\.?/[^'"?#\s]+)(['"],\s*import\.meta\.url\))`)

// versionReferences appends "?v=" and the version of the file to every relative reference of
// the module name whose file version knows (it returns "" for any other). static says the
// reference is a static import (or export … from), which the module cannot run without.
func versionReferences(name string, body []byte, version func(target string, static bool) string) []byte {
	return moduleReference.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := moduleReference.FindSubmatch(m)
		before, ref, after := sub[1], sub[2], sub[3]
		static := ref != nil && !bytes.Contains(before, []byte("import("))
		if ref == nil {
			before, ref, after = sub[4], sub[5], sub[6]
		}
		target := path.Join(path.Dir(name), string(ref))
		if target == ".." || strings.HasPrefix(target, "../") {
			return m
		}
		v := version(target, static)
		if v == "" {
			return m
		}
		return slices.Concat(before, ref, []byte("?v="+v), after)
	})
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	version := hex.EncodeToString(sum[:])[:12]
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		if ctype = mime.TypeByExtension(path.Ext(name)); ctype == "" {
			ctype = "application/octet-stream"
		}
	}
	return &asset{body: body, ctype: ctype, etag: `"` + version + `"`, version: version}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if p == "/" || p == "" {
		p = "/" + indexName
	}
	if embedPaths[p] && h.embed != nil {
		// Made to be framed by any site: no X-Frame-Options, frame-ancestors *.
		hdr := w.Header()
		hdr.Del("X-Frame-Options")
		hdr.Set("Content-Type", h.embed.ctype)
		hdr.Set("ETag", h.embed.etag)
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Content-Security-Policy", embedSecurityPolicy)
		hdr.Set("Referrer-Policy", "same-origin")
		http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(h.embed.body))
		return
	}
	a, ok := h.files[p]
	if p == "/"+indexName {
		// The preview of a shared link: its language (English by default) and its view.
		q := r.URL.Query()
		tag := strings.ToLower(q.Get("lang"))
		if _, known := h.pages[tag]; !known {
			tag = "en"
		}
		for _, key := range []string{pageKey(tag, strings.ToLower(q.Get("view"))), tag} {
			if page, found := h.pages[key]; found {
				a = page
				break
			}
		}
	}
	if !ok || path.Clean(p) != p {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.ctype)
	hdr.Set("ETag", a.etag)
	hdr.Set("X-Content-Type-Options", "nosniff")
	switch {
	case p == "/"+indexName:
		// The page names the versions of everything else: always revalidate it (cheap,
		// thanks to the ETag).
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("Referrer-Policy", "same-origin")
		hdr.Set("X-Frame-Options", "DENY")
	case r.URL.Query().Get("v") == a.version:
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		hdr.Set("Cache-Control", "public, no-cache")
	}
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(a.body))
}
