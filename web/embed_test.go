package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// frameAncestors is the frame-ancestors directive of a policy, and its sources.
var frameAncestors = regexp.MustCompile(`(?:^|;)\s*frame-ancestors\s+([^;]*?)\s*(?:;|$)`)

// The embeddable pages may be framed by any site; every other page of the portal by none.
func TestEmbedMayBeFramedPortalNot(t *testing.T) {
	h := Handler()
	get := func(target string) *httptest.ResponseRecorder {
		t.Helper()
		rec := httptest.NewRecorder()
		// As securityHeaders (server/security.go) leaves them for a path under /embed/.
		rec.Header().Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if !strings.HasPrefix(target, "/embed/") {
			rec.Header().Set("X-Frame-Options", "DENY")
		}
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec
	}
	for _, target := range []string{"/embed/statistics?by=REGION&interval=YEAR&lang=kk", "/embed/chart?by=CATEGORY&interval=QUARTER", "/embed/overview-trend?interval=MONTH&jurisdiction=KG"} {
		rec := get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if fa := frameAncestors.FindAllStringSubmatch(csp, -1); len(fa) != 1 || fa[0][1] != "*" {
			t.Errorf("%s: Content-Security-Policy %q, want frame-ancestors *", target, csp)
		}
		// Nothing from another origin: scripts, styles and requests are the portal's own.
		for _, d := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: Content-Security-Policy %q lacks %s", target, csp, d)
			}
		}
		if x := rec.Header().Get("X-Frame-Options"); x != "" {
			t.Errorf("%s: X-Frame-Options %q", target, x)
		}
		body := rec.Body.String()
		if !strings.Contains(body, `<base href="/">`) || !regexp.MustCompile(`<script type="module" src="js/embed\.js\?v=[0-9a-f]{12}"></script>`).MatchString(body) {
			t.Errorf("%s: the page does not load the current js/embed.js from the portal's root:\n%s", target, body)
		}
		if !strings.Contains(body, `<link rel="modulepreload" href="js/charts.js?v=`) {
			t.Errorf("%s: the modules of js/embed.js are not preloaded", target)
		}
	}
	for _, target := range []string{"/", "/?lang=kk&view=statistics", "/js/main.js"} {
		rec := get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if fa := frameAncestors.FindAllStringSubmatch(csp, -1); len(fa) != 1 || fa[0][1] != "'none'" {
			t.Errorf("%s: Content-Security-Policy %q, want frame-ancestors 'none'", target, csp)
		}
		if x := rec.Header().Get("X-Frame-Options"); x != "DENY" {
			t.Errorf("%s: X-Frame-Options %q, want DENY", target, x)
		}
	}
	// embed.html is a page of its own, not a file to fetch, and no other path is embeddable.
	for _, target := range []string{"/embed.html", "/embed/", "/embed/cases"} {
		if rec := get(target); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, rec.Code)
		}
	}
}
