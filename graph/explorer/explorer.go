// Package explorer is the API explorer: GraphiQL, served from the binary, against /graphql.
//
// Page serves the explorer's page; Assets serves its scripts and styles under AssetPrefix,
// each at a path that names its content hash ("/explorer/assets/1a2b3c4d5e6f/graphiql.min.js"),
// so that they are cached for a year and a new binary's page never mixes with stale files.
// Everything comes from this origin: GraphiQL and React are vendored in assets/ (see its
// README), the page starts them with explorer.js, and its Content-Security-Policy allows
// nothing else. The example queries are those of the README, kept in examples.json: the page
// opens them as tabs and lists them in a panel of their own.
//
// WantsPage tells a browser's request for /graphql (GET, accepting text/html, no query)
// from a GraphQL request, which it leaves alone.
package explorer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the path under which Assets serves the scripts and styles.
const AssetPrefix = "/explorer/assets/"

// ContentSecurityPolicy is the page's: scripts, styles and requests of this origin only, with
// no inline script or style and no eval. GraphiQL's CSS inlines its fonts and a few icons
// as data: URLs. Its settings and shortcut dialogs try to add a style element that locks
// the page's scroll: refused, which changes nothing, since the page does not scroll.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

//go:embed page.html explorer.js explorer.css examples.json
//go:embed assets/*.min.js assets/*.min.css
var files embed.FS

// Example is one of the README's example queries.
type Example struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Query       string `json:"query"`
}

// Examples returns the example queries, in the order the page shows them.
func Examples() []Example {
	var ex []Example
	if err := json.Unmarshal(mustRead("examples.json"), &ex); err != nil {
		panic("explorer: examples.json: " + err.Error())
	}
	return ex
}

type asset struct {
	name  string
	body  []byte
	ctype string
	etag  string
	url   string // AssetPrefix + hash + "/" + name

	gzipOnce sync.Once
	gzipped  []byte // nil when compression does not pay
}

type explorer struct {
	assets map[string]*asset // keyed by url
	page   []byte
	etag   string
}

var (
	loadOnce sync.Once
	loaded   *explorer
)

func get() *explorer {
	loadOnce.Do(func() { loaded = load() })
	return loaded
}

// contentTypes fixes the types of the files served, whatever the host's mime tables say.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("explorer: " + err.Error())
	}
	return b
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	ctype, ok := contentTypes[path.Ext(name)]
	if !ok {
		panic("explorer: no content type for " + name)
	}
	return &asset{name: name, body: body, ctype: ctype, etag: `"` + hash + `"`,
		url: AssetPrefix + hash + "/" + name}
}

func load() *explorer {
	e := &explorer{assets: map[string]*asset{}}
	urls := map[string]string{}
	for _, name := range []string{
		"assets/react.production.min.js", "assets/react-dom.production.min.js",
		"assets/graphiql.min.js", "assets/graphiql.min.css", "explorer.js", "explorer.css",
	} {
		a := newAsset(path.Base(name), mustRead(name))
		e.assets[a.url] = a
		urls[path.Base(name)] = a.url
	}
	examples, err := json.Marshal(Examples()) // escapes <, > and &: safe inside <script>
	if err != nil {
		panic("explorer: " + err.Error())
	}
	page := mustRead("page.html")
	for name, url := range urls {
		page = bytes.ReplaceAll(page, []byte(`"`+name+`"`), []byte(`"`+url+`"`))
	}
	page = bytes.Replace(page, []byte("{{examples}}"), examples, 1)
	page = bytes.Replace(page, []byte("{{list}}"), []byte(exampleList(Examples())), 1)
	e.page = page
	sum := sha256.Sum256(page)
	e.etag = `"` + hex.EncodeToString(sum[:])[:12] + `"`
	return e
}

// assetURL is the path the asset of that name is served at, "" for none.
func (e *explorer) assetURL(name string) string {
	for url, a := range e.assets {
		if a.name == name {
			return url
		}
	}
	return ""
}

// exampleList is the examples as links that open them, for the page's header.
func exampleList(ex []Example) string {
	var b strings.Builder
	for i, x := range ex {
		fmt.Fprintf(&b, `<li><button type="button" data-example="%d" title="%s">%s</button></li>`,
			i, htmlEscape(x.Description), htmlEscape(x.Name))
	}
	return b.String()
}

var htmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func htmlEscape(s string) string { return htmlReplacer.Replace(s) }

// WantsPage tells a browser opening /graphql: a GET without query or extensions parameters
// (a GraphQL request has one) whose Accept names text/html. Other requests, fetch's and
// every GraphQL client's, go on to GraphQL over HTTP as before.
func WantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	if q := r.URL.Query(); q.Has("query") || q.Has("extensions") {
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == "text/html" && !zeroQ(params["q"]) {
			return true
		}
	}
	return false
}

// Page serves the explorer's page (GET and HEAD).
func Page() http.Handler {
	e := get()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("Cache-Control", "no-cache") // it names the current assets: always revalidate
		h.Set("Vary", "Accept")            // /graphql answers GraphQL clients otherwise
		h.Set("ETag", e.etag)
		http.ServeContent(w, r, "explorer.html", time.Time{}, bytes.NewReader(e.page))
	})
}

// Assets serves the page's scripts and styles under AssetPrefix (GET and HEAD): a path
// that names another hash than the file's is 404, so a cached year is never stale.
func Assets() http.Handler {
	e := get()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		a, ok := e.assets[r.URL.Path]
		if !ok {
			w.Header().Set("Cache-Control", "no-store")
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Vary", "Accept-Encoding")
		body, etag := a.body, a.etag
		if gz := a.gzip(); gz != nil && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body, etag = gz, strings.TrimSuffix(a.etag, `"`)+`-gzip"`
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
	})
}

// gzip compresses the asset once, on its first request (GraphiQL's script is a megabyte,
// a third of that compressed).
func (a *asset) gzip() []byte {
	a.gzipOnce.Do(func() {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		if b.Len() < len(a.body)*9/10 {
			a.gzipped = b.Bytes()
		}
	})
	return a.gzipped
}

// zeroQ tells a quality value of 0: "not acceptable".
func zeroQ(q string) bool {
	v, err := strconv.ParseFloat(q, 64)
	return err == nil && v == 0
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			_, v, _ := strings.Cut(q, "=")
			return !zeroQ(strings.TrimSpace(v))
		}
	}
	return false
}
