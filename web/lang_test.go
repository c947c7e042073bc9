package web

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The page at /?lang=kk previews itself in Kazakh: og:title, og:description, description,
// og:locale and the page's lang come from i18n/kk.json, escaped; any other value of lang
// (or none) gets the English page, and nothing of the request is written into it. The
// page's headers (its CSP above all) are those of every page.
func TestLinkPreview(t *testing.T) {
	h := Handler()
	texts := readTexts(t)
	meta := func(page, attr, name string) string {
		m := regexp.MustCompile(`<meta ` + attr + `="` + regexp.QuoteMeta(name) + `" content="([^"]*)">`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s meta tag in\n%s", name, page)
		}
		return html.UnescapeString(m[1])
	}
	plain := get(t, h, http.MethodGet, "/", nil)
	plainPage := body(t, plain)
	for _, c := range []struct{ query, tag, lang, locale, view string }{
		{"", "en", "EN", "en_GB", ""},
		{"?lang=en", "en", "EN", "en_GB", ""},
		{"?lang=kk", "kk", "KK", "kk_KZ", ""},
		{"?lang=KY", "ky", "KY", "ky_KG", ""},
		{"?lang=ru&view=statistics", "ru", "RU", "ru_RU", "statistics"},
		{"?lang=kk&view=overview", "kk", "KK", "kk_KZ", "overview"},
		{"?view=cases", "en", "EN", "en_GB", "cases"},
		{"?lang=ky&view=nowhere", "ky", "KY", "ky_KG", ""},
		{"?lang=xx", "en", "EN", "en_GB", ""},
		{`?lang="><script>alert(1)</script>`, "en", "EN", "en_GB", ""},
		{"?lang=kk%22%3E%3Cscript%3E", "en", "EN", "en_GB", ""},
		{`?lang=kk&view="><script>`, "kk", "KK", "kk_KZ", ""},
	} {
		for _, path := range []string{"/", "/index.html"} {
			res := get(t, h, http.MethodGet, path+strings.ReplaceAll(c.query, " ", "%20"), nil)
			page := body(t, res)
			ui := texts[c.lang].UI
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s%s: status %d", path, c.query, res.StatusCode)
			}
			title, description := ui["lnOgTitle"], ui["lnOgDescription"]
			if keys, ok := previewViews[c.view]; ok {
				title, description = ui[keys[0]]+" — casewatch", ui[keys[1]]
			}
			if got := meta(page, "property", "og:title"); got != title {
				t.Errorf("%s%s: og:title %q, want %q", path, c.query, got, title)
			}
			if got := meta(page, "property", "og:description"); got != description {
				t.Errorf("%s%s: og:description %q", path, c.query, got)
			}
			if got := meta(page, "name", "description"); got != description {
				t.Errorf("%s%s: description %q", path, c.query, got)
			}
			if got := meta(page, "property", "og:locale"); got != c.locale {
				t.Errorf("%s%s: og:locale %q, want %q", path, c.query, got, c.locale)
			}
			if meta(page, "property", "og:type") != "website" || meta(page, "name", "twitter:card") != "summary" {
				t.Errorf("%s%s: og:type or twitter:card missing", path, c.query)
			}
			if !strings.Contains(page, `<html lang="`+c.tag+`">`) {
				t.Errorf("%s%s: the page's language is not %s", path, c.query, c.tag)
			}
			if strings.Contains(page, "<script>") || strings.Contains(page, "alert(") || strings.Count(page, "<script") != 1 {
				t.Errorf("%s%s: the page carries a script of the request", path, c.query)
			}
			for _, k := range []string{"Content-Security-Policy", "X-Frame-Options", "Referrer-Policy", "Cache-Control", "Content-Type"} {
				if res.Header.Get(k) != plain.Header.Get(k) {
					t.Errorf("%s%s: %s %q, want %q as for /", path, c.query, k, res.Header.Get(k), plain.Header.Get(k))
				}
			}
			if res.Header.Get("Content-Security-Policy") != contentSecurityPolicy {
				t.Errorf("%s%s: CSP %q", path, c.query, res.Header.Get("Content-Security-Policy"))
			}
			// Apart from its preview and language, the page is the page.
			strip := regexp.MustCompile(`<meta (property="og:(title|description|locale)"|name="description") content="[^"]*">|<html lang="[a-z]+">`)
			if strip.ReplaceAllString(page, "") != strip.ReplaceAllString(plainPage, "") {
				t.Errorf("%s%s: the page differs from / beyond its preview", path, c.query)
			}
			if (c.tag == "en" && c.view == "") != (res.Header.Get("ETag") == plain.Header.Get("ETag")) {
				t.Errorf("%s%s: ETag %s beside %s of /", path, c.query, res.Header.Get("ETag"), plain.Header.Get("ETag"))
			}
		}
	}
	// A text with characters HTML gives a meaning is escaped.
	page, ok := localizedPage([]byte(`<html lang="en"><meta property="og:title" content="x"><meta property="og:description" content="y">`),
		"kk", "", []byte(`{"ui":{"lnOgTitle":"a \"b\" <c> & d","lnOgDescription":"'e'"}}`))
	if !ok || !strings.Contains(string(page), `content="a &#34;b&#34; &lt;c&gt; &amp; d"`) || !strings.Contains(string(page), `content="&#39;e&#39;"`) {
		t.Errorf("escaping: %s", page)
	}
}

// Numbers and dates are written by the portal's own formatter (i18n.js: formatNumber,
// formatPercent, formatDate, formatTime), never by the browser's locale data, which some
// browsers lack for Kazakh or Kyrgyz: no other module calls Intl or toLocale*.
func TestNoLocaleFormattingOutsideFormatter(t *testing.T) {
	calls := regexp.MustCompile(`\bIntl\s*\.|\.toLocale[A-Za-z]*String\s*\(|\blocale\(\)`)
	comment := regexp.MustCompile(`(?m)^\s*//.*$`)
	for name, js := range scripts(t) {
		if name == "js/i18n.js" {
			continue
		}
		for _, m := range calls.FindAllString(comment.ReplaceAllString(js, ""), -1) {
			t.Errorf("%s formats with the browser's locale data (%q): use util.js fmtInt, fmtNumber, fmtPercent, fmtDate, fmtTime", name, m)
		}
	}
	// The formatter itself has explicit rules for every language of the portal.
	i18n := readStatic(t, "js/i18n.js")
	for _, code := range []string{"KK", "KY", "RU", "EN"} {
		if !regexp.MustCompile(`\b` + code + `: \{ group: `).MatchString(i18n) {
			t.Errorf("i18n.js has no number rules for %s", code)
		}
	}
	if strings.Contains(regexp.MustCompile(`(?s)const NUMBER_RULES.*?\n\};`).FindString(i18n), "Intl") {
		t.Error("the number rules use Intl")
	}
	// Month names come from the texts: twelve in every language.
	for lang, x := range readTexts(t) {
		for _, k := range []string{"lnMonths", "lnMonthsOf"} {
			if n := len(strings.Split(x.UI[k], ",")); n != 12 {
				t.Errorf("%s: %s has %d months", lang, k, n)
			}
		}
		for _, k := range []string{"lnDate"} {
			for _, p := range []string{"{d}", "{m}", "{y}"} {
				if !strings.Contains(x.UI[k], p) {
					t.Errorf("%s: %s lacks %s", lang, k, p)
				}
			}
		}
	}
}
