// Package web is the casewatch portal: plain HTML, CSS and JavaScript embedded in the binary
// and served as they are, with no build step and nothing loaded from elsewhere.
//
// Handler serves index.html at "/" and every other file of static/ at its own path. The
// page's references to the other files are rewritten once, at start, to carry a content
// hash ("app.js?v=1a2b3c4d5e6f"), so a request for the current version may be cached for a
// year while index.html itself is always revalidated: a new binary is picked up by the next
// page load, never mixed with stale scripts.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed static
var staticFS embed.FS

// indexName is the file served at "/".
const indexName = "index.html"

// contentSecurityPolicy allows nothing but this origin: no inline script or style, no
// framing, no plug-ins. The page needs no more.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

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

func load(fsys fs.FS) *handler {
	root, err := fs.Sub(fsys, "static")
	if err != nil {
		panic("web: " + err.Error())
	}
	h := &handler{files: map[string]*asset{}}
	err = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		h.files["/"+name] = newAsset(name, body)
		return nil
	})
	if err != nil {
		panic("web: " + err.Error())
	}
	index, ok := h.files["/"+indexName]
	if !ok {
		panic("web: static/" + indexName + " is missing")
	}
	// Point the page at the current version of each file it names.
	body := index.body
	for p, a := range h.files {
		name := strings.TrimPrefix(p, "/")
		if name == indexName {
			continue
		}
		for _, attr := range []string{`src="`, `href="`} {
			body = bytes.ReplaceAll(body, []byte(attr+name+`"`), []byte(attr+name+"?v="+a.version+`"`))
		}
	}
	h.files["/"+indexName] = newAsset(indexName, body)
	return h
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
	a, ok := h.files[p]
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
