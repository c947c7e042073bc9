package explorer

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestWantsPage(t *testing.T) {
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	for _, c := range []struct {
		method, target, accept string
		want                   bool
	}{
		{"GET", "/graphql", browser, true},
		{"GET", "/graphql", "text/html", true},
		{"GET", "/graphql?foo=1", browser, true},
		{"GET", "/graphql", "", false},
		{"GET", "/graphql", "*/*", false},
		{"GET", "/graphql", "application/json", false},
		{"GET", "/graphql", "application/graphql-response+json, application/json;q=0.9", false},
		{"GET", "/graphql", "text/html;q=0", false},
		{"GET", "/graphql", "text/html;q=0.000", false},
		{"GET", "/graphql?query=%7B__typename%7D", browser, false},
		{"GET", "/graphql?extensions=%7B%7D", browser, false},
		{"POST", "/graphql", browser, false},
		{"HEAD", "/graphql", browser, false},
	} {
		r := httptest.NewRequest(c.method, c.target, nil)
		if c.accept != "" {
			r.Header.Set("Accept", c.accept)
		}
		if got := WantsPage(r); got != c.want {
			t.Errorf("%s %s Accept %q: WantsPage %v, want %v", c.method, c.target, c.accept, got, c.want)
		}
	}
}

// TestPageNamesOnlyItsAssets: every script and style of the page is one of Assets', by a
// path of this origin, and the page holds no inline script or style.
func TestPageNamesOnlyItsAssets(t *testing.T) {
	page := httptest.NewRecorder()
	Page().ServeHTTP(page, httptest.NewRequest("GET", "/explorer", nil))
	body := page.Body.String()
	if page.Code != 200 || page.Header().Get("Content-Security-Policy") != ContentSecurityPolicy {
		t.Fatalf("status %d, headers %v", page.Code, page.Header())
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(body, -1)
	assets := 0
	for _, m := range refs {
		u := m[1]
		if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
			t.Errorf("the page refers to %q, not a path of this origin", u)
		}
		if !strings.HasPrefix(u, AssetPrefix) {
			continue
		}
		assets++
		rec := httptest.NewRecorder()
		Assets().ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != 200 {
			t.Errorf("%s: %d", u, rec.Code)
		}
	}
	if assets != 6 {
		t.Errorf("the page names %d assets, want 6", assets)
	}
	if regexp.MustCompile(`<script>|<style|\sstyle="|\son[a-z]+="`).MatchString(body) {
		t.Error("the page has inline script or style")
	}
	if !strings.Contains(body, `<script type="application/json" id="examples">[{`) {
		t.Error("the page does not carry the examples")
	}
	if strings.Contains(body, "{{") {
		t.Error("the page has an unfilled placeholder")
	}
}

// TestExamplesAreTheREADMEs: each example is one of the README's example queries (its
// comments and operation name aside), so that the two do not drift apart.
func TestExamplesAreTheREADMEs(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
	doc := strip(string(readme))
	comment := regexp.MustCompile(`(?m)#.*$`)
	name := regexp.MustCompile(`^\s*query\s+\w+\s*`)
	ex := Examples()
	if len(ex) < 3 {
		t.Fatalf("%d examples", len(ex))
	}
	for _, x := range ex {
		q := name.ReplaceAllString(comment.ReplaceAllString(x.Query, ""), "")
		if !strings.Contains(doc, strip(q)) {
			t.Errorf("example %s is not in the README:\n%s", x.Name, q)
		}
		if x.Description == "" {
			t.Errorf("example %s has no description", x.Name)
		}
	}
}

func TestAssetsTypesCachingAndCompression(t *testing.T) {
	e := get()
	for url, a := range e.assets {
		for _, gz := range []bool{false, true} {
			r := httptest.NewRequest("GET", url, nil)
			if gz {
				r.Header.Set("Accept-Encoding", "gzip, deflate, br")
			}
			rec := httptest.NewRecorder()
			Assets().ServeHTTP(rec, r)
			h := rec.Header()
			want := "text/javascript; charset=utf-8"
			if strings.HasSuffix(url, ".css") {
				want = "text/css; charset=utf-8"
			}
			if rec.Code != 200 || h.Get("Content-Type") != want || h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("%s: %d, %v", url, rec.Code, h)
			}
			if compressed := h.Get("Content-Encoding") == "gzip"; compressed != (gz && a.gzip() != nil) {
				t.Errorf("%s (gzip accepted: %v): Content-Encoding %q", url, gz, h.Get("Content-Encoding"))
			}
		}
	}
	if a := e.assets[get().assetURL("graphiql.min.js")]; a == nil || a.gzip() == nil {
		t.Error("GraphiQL's script is not compressed")
	}
	for _, p := range []string{AssetPrefix + "000000000000/graphiql.min.js", AssetPrefix, AssetPrefix + "graphiql.min.js"} {
		rec := httptest.NewRecorder()
		Assets().ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, rec.Code)
		}
	}
}
