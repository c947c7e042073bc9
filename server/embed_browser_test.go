package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestEmbedOnAnotherSite: the iframe code the statistics view offers, pasted into a page of
// another origin, shows the table there with the API's figures, the synthetic-data notice,
// the licence and the citation of the release; nothing inside it asks any origin but the
// casewatch server. The portal's own pages still refuse to be framed.
func TestEmbedOnAnotherSite(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "embed.db"), "DEMO_CASES": "1500"})
	ctx, noScriptErrors := browser(t)
	own, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	run := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	// ---- the code the portal offers, in Kazakh
	run(chromedp.Navigate(s.url + "/#/statistics?by=CATEGORY&interval=YEAR&jurisdiction=KZ&lang=kk"))
	run(chromedp.WaitVisible(`#stats-table-tools details.embed-box summary`))
	run(chromedp.Click(`#stats-table-tools details.embed-box summary`))
	run(chromedp.WaitVisible(`#stats-table-tools textarea.embed-code`))
	type offer struct {
		Table    string `json:"table"`
		Chart    string `json:"chart"`
		Readonly bool   `json:"readonly"`
		Label    string `json:"label"`
		Copy     string `json:"copy"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[offer](`(() => {
		const box = document.querySelector('#stats-table-tools textarea.embed-code');
		return {table: box.value, chart: document.querySelector('#stats-chart-tools textarea.embed-code').value,
			readonly: box.readOnly, label: (document.querySelector('label[for="' + box.id + '"]') || {}).textContent || '',
			copy: document.querySelector('#stats-table-tools button.embed-copy').textContent};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Readonly || got.Label == "" || got.Copy == "" {
		t.Errorf("the embed code is not offered in a labelled read-only box with a copy button: %+v", got)
	}
	for _, want := range []string{`<iframe src="` + s.url + `/embed/statistics?by=CATEGORY&amp;interval=YEAR&amp;jurisdiction=KZ&amp;lang=kk"`, `title="`, `height="`} {
		if !strings.Contains(got.Table, want) {
			t.Errorf("the embed code %s lacks %s", got.Table, want)
		}
	}
	if !strings.Contains(got.Chart, `/embed/chart?by=CATEGORY&amp;interval=YEAR`) {
		t.Errorf("the chart's embed code is %s", got.Chart)
	}

	// The overview offers its trend.
	run(chromedp.Navigate(s.url + "/#/overview?jurisdiction=KZ&lang=kk"))
	run(chromedp.WaitVisible(`#ov-trend details.embed-box summary`))
	trendCode, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#ov-trend textarea.embed-code').value`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(trendCode, `/embed/overview-trend?interval=QUARTER&amp;jurisdiction=KZ&amp;lang=kk"`) {
		t.Errorf("the trend's embed code is %s", trendCode)
	}

	// ---- a page of another origin with that code, and a frame of the portal itself
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A newsroom</title></head>
<body><h1>Our story</h1>
<div id="table">%s</div>
<div id="chart">%s</div>
<div id="trend">%s</div>
<iframe id="portal" src="%s/" width="600" height="300" title="casewatch"></iframe>
</body></html>`, got.Table, got.Chart, trendCode, s.url)
	}))
	defer site.Close()
	other, err := url.Parse(site.URL)
	if err != nil {
		t.Fatal(err)
	}
	if other.Host == own.Host {
		t.Fatal("the other site has the casewatch server's origin")
	}

	var mu sync.Mutex
	var requests, foreign []string
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || e.Request == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		u, err := url.Parse(e.Request.URL)
		switch {
		case err == nil && (u.Scheme == "data" || u.Scheme == "blob" || e.Request.URL == "about:blank"):
		case err == nil && u.Host == own.Host:
			requests = append(requests, e.Request.URL)
		case err == nil && u.Host == other.Host && (u.Path == "/" || u.Path == "/favicon.ico"):
			// the other site's page itself
		default:
			foreign = append(foreign, e.Request.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	run(chromedp.EmulateViewport(1280, 1600))
	run(chromedp.Navigate(site.URL + "/"))
	run(chromedp.WaitVisible(`#table iframe`))
	frameOf := func(sel string) *chromedp.Node {
		t.Helper()
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(sel)))
		if err != nil || len(nodes) != 1 {
			t.Fatalf("%s: %d frames, %v", sel, len(nodes), err)
		}
		return nodes[0]
	}
	type shown struct {
		Lang      string     `json:"lang"`
		Rows      [][]string `json:"rows"`
		Withheld  int        `json:"withheld"`
		Synthetic string     `json:"synthetic"`
		Citation  string     `json:"citation"`
		Licence   string     `json:"licence"`
		Full      string     `json:"full"`
		Target    string     `json:"target"`
		Source    string     `json:"source"`
		Chart     bool       `json:"chart"`
		Points    [][]string `json:"points"` // series, period, value ("" when withheld)
	}
	read := func(frame *chromedp.Node) shown {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Poll[shown](`document.querySelector('.embed-view[data-ready]') && ({
			lang: document.documentElement.lang,
			rows: Array.from(document.querySelectorAll('table.embed-table tbody tr')).map(tr => [tr.dataset.key, tr.dataset.period || '',
				tr.querySelector('td[data-col="count"]').textContent]),
			withheld: document.querySelectorAll('table.embed-table tbody td[data-col="count"] .withheld').length,
			synthetic: (document.getElementById('embed-synthetic') || {}).textContent || '',
			citation: (document.getElementById('embed-citation') || {}).textContent || '',
			licence: (document.getElementById('embed-licence') || {}).href || '',
			full: (document.getElementById('embed-full') || {}).href || '',
			target: (document.getElementById('embed-full') || {}).target || '',
			source: (document.getElementById('embed-source') || {}).href || '',
			chart: !!document.querySelector('#embed-chart svg[role="img"]'),
			points: Array.from(document.querySelectorAll('#embed-chart [data-series][data-period]:not(.chart-line)')).map(e =>
				[e.dataset.series, e.dataset.period, e.dataset.value || ''])})`,
			chromedp.WithPollingInFrame(frame), chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("the embedded page did not render: %v", err)
		}
		return v
	}
	table := read(frameOf(`#table iframe`))
	chart := read(frameOf(`#chart iframe`))
	trend := read(frameOf(`#trend iframe`))

	status, body := s.graphql(t, `{ currentRelease { version publishedAt synthetic }
		statistics(filter: {jurisdiction: KZ}, groupBy: [CATEGORY], interval: YEAR) { buckets { key { code } period count } }
		trend: statistics(filter: {jurisdiction: KZ}, groupBy: [], interval: QUARTER) { buckets { period count liable fined } } }`)
	var a struct {
		Data struct {
			CurrentRelease struct {
				Version     int
				PublishedAt string
				Synthetic   bool
			}
			Statistics struct {
				Buckets []struct {
					Key    []struct{ Code string }
					Period string
					Count  *int
				}
			}
			Trend struct {
				Buckets []map[string]any
			}
		}
	}
	if err := json.Unmarshal(body, &a); err != nil || status != 200 {
		t.Fatalf("status %d: %s (%v)", status, body, err)
	}
	rel, buckets := a.Data.CurrentRelease, a.Data.Statistics.Buckets
	if table.Lang != "kk" || len(table.Rows) != len(buckets) || len(buckets) == 0 {
		t.Fatalf("the embedded table (in %q) has %d rows, the API %d buckets", table.Lang, len(table.Rows), len(buckets))
	}
	for i, b := range buckets {
		r := table.Rows[i]
		want := "withheld"
		if b.Count != nil {
			want = fmt.Sprint(*b.Count)
		}
		shownCount := onlyDigits(r[2])
		if b.Count == nil && shownCount == "" {
			shownCount = "withheld"
		}
		if r[0] != b.Key[0].Code || r[1] != b.Period || shownCount != want {
			t.Errorf("row %d: the frame shows %q, the API %s %s %s", i+1, r, b.Key[0].Code, b.Period, want)
		}
	}
	// The trend's points are the API's figures, a withheld one a gap; only the period not
	// over yet is left out.
	want := map[string]string{}
	for _, b := range a.Data.Trend.Buckets {
		for _, m := range []string{"count", "liable", "fined"} {
			v := ""
			if x, ok := b[m].(float64); ok {
				v = fmt.Sprint(int(x))
			}
			want[m+" "+fmt.Sprint(b["period"])] = v
		}
	}
	if n := len(a.Data.Trend.Buckets); len(trend.Points) != 3*n && len(trend.Points) != 3*(n-1) || n == 0 {
		t.Errorf("the embedded trend draws %d points for %d periods", len(trend.Points), len(a.Data.Trend.Buckets))
	}
	for _, p := range trend.Points {
		if w, ok := want[p[0]+" "+p[1]]; !ok || w != p[2] {
			t.Errorf("the embedded trend shows %s of %s as %q, the API %q", p[0], p[1], p[2], w)
		}
	}
	if !strings.HasPrefix(trend.Full, s.url+"/#/overview?jurisdiction=KZ") {
		t.Errorf("the trend's full view is %s", trend.Full)
	}
	date := rel.PublishedAt[:10]
	for _, x := range []shown{table, chart, trend} {
		if !strings.Contains(x.Citation, "casewatch") || !strings.Contains(x.Citation, fmt.Sprint(rel.Version)) ||
			!strings.Contains(x.Citation, date) || !strings.Contains(x.Citation, "CC BY 4.0") {
			t.Errorf("the citation reads %q, want release %d of %s under CC BY 4.0", x.Citation, rel.Version, date)
		}
		if rel.Synthetic != (x.Synthetic != "") {
			t.Errorf("release synthetic %v, the frame's notice %q", rel.Synthetic, x.Synthetic)
		}
		if x.Licence != "https://creativecommons.org/licenses/by/4.0/" || x.Target != "_blank" || !strings.HasPrefix(x.Source, s.url+"/export/statistics.csv?") {
			t.Errorf("links of the frame: licence %s, full view %s (target %q), data %s", x.Licence, x.Full, x.Target, x.Source)
		}
	}
	// The trend's data: the totals per period, no grouping.
	if csv := get(t, trend.Source); !strings.HasPrefix(csv, "\uFEFF") || !strings.Contains(strings.SplitN(csv, "\n", 2)[0], "(period)") {
		t.Errorf("the trend's data %s: %.200q", trend.Source, csv)
	}
	for _, x := range []shown{table, chart} {
		if !strings.HasPrefix(x.Full, s.url+"/#/statistics?by=CATEGORY&interval=YEAR&jurisdiction=KZ") ||
			!strings.HasPrefix(x.Source, s.url+"/export/statistics.csv?groupBy=CATEGORY&interval=YEAR&jurisdiction=KZ") {
			t.Errorf("links of the frame: licence %s, full view %s (target %q), data %s", x.Licence, x.Full, x.Target, x.Source)
		}
	}
	if !rel.Synthetic {
		t.Error("the demo release is not synthetic: the notice is not tested")
	}
	if !chart.Chart {
		t.Error("the embedded chart shows no chart")
	}
	if dir := os.Getenv("CASEWATCH_TEST_ARTIFACTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "embed-on-another-site.png"), png, 0o644)
		}
	}
	// The frame of the portal's page stays empty: the browser refused to show it (and shows
	// its own error page in its place, if anything).
	portal, err := chromedp.Run(ctx, chromedp.Poll[string](`document.readyState === 'complete' && (location.href + ' ' + !!document.getElementById('main'))`,
		chromedp.WithPollingInFrame(frameOf(`#portal`)), chromedp.WithPollingTimeout(5*time.Second)))
	t.Logf("the portal's frame: %q, %v", portal, err)
	if err == nil && (strings.HasSuffix(portal, " true") || strings.HasPrefix(portal, s.url)) {
		t.Errorf("the portal's page shows in a frame of another site: %s", portal)
	}
	mu.Lock()
	if len(requests) < 5 {
		t.Errorf("only %d requests to the casewatch server seen: the recording does not work", len(requests))
	}
	for _, f := range foreign {
		t.Errorf("a request to another origin: %s", f)
	}
	mu.Unlock()
	noScriptErrors()

	// ---- the headers: only /embed/… may be framed, by anyone
	for _, c := range []struct {
		path  string
		embed bool
	}{
		{"/embed/statistics?by=CATEGORY&interval=YEAR", true}, {"/embed/chart?by=REGION", true},
		{"/", false}, {"/?lang=kk&view=statistics", false}, {"/graphql", false}, {"/export/statistics.csv?groupBy=REGION", false},
		{"/explorer", false}, {"/feed.atom", false},
	} {
		res, err := http.Get(s.url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp, xfo := res.Header.Get("Content-Security-Policy"), res.Header.Get("X-Frame-Options")
		var ancestors []string
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == "frame-ancestors" {
				ancestors = append(ancestors, strings.Join(f[1:], " "))
			}
		}
		if c.embed && (res.StatusCode != 200 || xfo != "" || len(ancestors) != 1 || ancestors[0] != "*") {
			t.Errorf("%s: status %d, X-Frame-Options %q, Content-Security-Policy %q: want it framable by any site", c.path, res.StatusCode, xfo, csp)
		}
		if !c.embed && (xfo != "DENY" || len(ancestors) != 1 || ancestors[0] != "'none'") {
			t.Errorf("%s: X-Frame-Options %q, Content-Security-Policy %q: want no framing", c.path, xfo, csp)
		}
	}
}

// TestEmbedAccessibleOnAPhone opens the embeddable table and chart in Kazakh and English on
// a 390 px phone and a desktop: they fit the phone (a wide table scrolls in its own box) and,
// with CASEWATCH_TEST_AXE, axe-core finds no WCAG 2.1 A/AA violation.
func TestEmbedAccessibleOnAPhone(t *testing.T) {
	var axeSource []byte
	if p := os.Getenv("CASEWATCH_TEST_AXE"); p != "" {
		var err error
		if axeSource, err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "embed-a11y.db"), "DEMO_CASES": "600"})
	ctx, noScriptErrors := browser(t)
	for _, lang := range []string{"kk", "en"} {
		for _, path := range []string{"/embed/statistics?by=REGION&interval=YEAR", "/embed/chart?by=CATEGORY&interval=QUARTER&jurisdiction=KG", "/embed/statistics?by=PLATFORM", "/embed/overview-trend?interval=MONTH"} {
			for _, phone := range []bool{true, false} {
				where := fmt.Sprintf("%s %s (phone %v)", lang, path, phone)
				if phone {
					if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 700, chromedp.EmulateMobile)); err != nil {
						t.Fatal(err)
					}
				} else if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(ctx, chromedp.Navigate(s.url+path+"&lang="+lang)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(ctx, chromedp.WaitVisible(`.embed-view[data-ready] .embed-foot`)); err != nil {
					t.Fatalf("%s: %v", where, err)
				}
				type page struct {
					Lang  string `json:"lang"`
					Width int    `json:"width"`
				}
				p, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({lang: document.documentElement.lang, width: document.documentElement.scrollWidth})`))
				if err != nil {
					t.Fatal(err)
				}
				if p.Lang != lang {
					t.Errorf("%s: the page says its language is %q", where, p.Lang)
				}
				if phone && p.Width > 390 {
					t.Errorf("%s: the page is %d px wide on a 390 px screen", where, p.Width)
				}
				if axeSource == nil {
					continue
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelectorAll('details').forEach(d => d.open = true); 0`)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axeSource)+"\n;0")); err != nil {
					t.Fatalf("inject axe-core: %v", err)
				}
				res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`axe.run(document, {
					runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
					resultTypes: ['violations'],
				}).then(r => ({passed: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
					nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), summary: n.failureSummary || ''}))}))}))`,
					chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("%s: axe-core: %v", where, err)
				}
				if res.Passed < 10 {
					t.Errorf("%s: axe-core passed only %d rules", where, res.Passed)
				}
				for _, v := range res.Violations {
					var targets []string
					for _, n := range v.Nodes {
						targets = append(targets, n.Target)
					}
					t.Errorf("%s: %s (%s): %s — %s\n\t%s", where, v.ID, v.Impact, v.Help, strings.Join(targets, " | "), v.Nodes[0].Summary)
				}
			}
		}
	}
	noScriptErrors()
}
