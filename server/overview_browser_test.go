package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ovStats asks the API a statistics question and decodes its answer into v.
func ovStats(t *testing.T, s *server, query string, v any) {
	t.Helper()
	status, body := s.graphql(t, query)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var a struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(body, &a); err != nil || len(a.Errors) > 0 {
		t.Fatalf("%s: %s (%v)", query, body, err)
	}
	if err := json.Unmarshal(a.Data, v); err != nil {
		t.Fatal(err)
	}
}

// TestOverviewInABrowser: the landing page opens at / in Kazakh on a phone; its headline
// figures are the API's answer to the same question; every chart is an SVG with role img,
// a title, a description and a table of its figures, drawn at a readable size.
func TestOverviewInABrowser(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "overview.db"), "DEMO_CASES": "3000"})
	ctx, noScriptErrors := browser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			if _, err := chromedp.Run(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(s.url+"/"), chromedp.WaitVisible(`#main h1`))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`localStorage.setItem('casewatch.lang', 'KK')`)); err != nil {
		t.Fatal(err)
	}
	do(chromedp.Reload(), chromedp.WaitVisible(`#ov-headline [data-figure="count"]`), chromedp.WaitVisible(`#ov-map svg`))

	type page struct {
		Lang, Title, Nav, Hash string
		Year                   int
		Width                  int
		Figures                map[string]string
		Fines                  map[string]string
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({
		lang: document.documentElement.lang,
		title: document.querySelector('#main h1').textContent,
		nav: (document.querySelector('[data-nav][aria-current="page"]') || {}).textContent || '',
		hash: location.hash,
		year: Number(document.querySelector('#ov-headline').dataset.year),
		width: document.documentElement.scrollWidth,
		figures: Object.fromEntries(Array.from(document.querySelectorAll('#ov-headline [data-figure]:not([data-currency])')).map(e => [e.dataset.figure, e.dataset.value])),
		fines: Object.fromEntries(Array.from(document.querySelectorAll('#ov-headline [data-currency]')).map(e => [e.dataset.currency, e.dataset.value])),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Lang != "kk" || p.Title != "Шолу" || p.Nav != "Шолу" {
		t.Errorf("the landing page is not the overview in Kazakh: lang %q, title %q, current menu entry %q (%s)", p.Lang, p.Title, p.Nav, p.Hash)
	}
	if p.Width > 390 {
		t.Errorf("the overview is %d px wide on a 390 px phone", p.Width)
	}
	// The latest full year: the demo data cover the year before this one.
	if want := time.Now().UTC().Year() - 1; p.Year != want {
		t.Errorf("the headline is about %d, want the latest full year %d", p.Year, want)
	}

	var a struct {
		Statistics struct {
			Total struct {
				Count, Liable, Fined *int
				Fines                []struct {
					Currency string
					Median   *float64
				}
			}
		}
	}
	ovStats(t, s, fmt.Sprintf(`{ statistics(filter: {reportedFrom: "%d-01-01", reportedTo: "%d-12-31"}, groupBy: [JURISDICTION]) {
		total { count liable fined fines { currency median } } } }`, p.Year, p.Year), &a)
	tot := a.Statistics.Total
	str := func(v *int) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(*v)
	}
	for name, want := range map[string]string{"count": str(tot.Count), "liable": str(tot.Liable), "fined": str(tot.Fined)} {
		if got := p.Figures[name]; got != want || want == "" {
			t.Errorf("headline %s shows %q, the API says %q", name, got, want)
		}
	}
	if len(tot.Fines) == 0 || len(p.Fines) != len(tot.Fines) {
		t.Errorf("headline fines %v, the API %d currencies", p.Fines, len(tot.Fines))
	}
	for _, f := range tot.Fines {
		want := ""
		if f.Median != nil {
			want = fmt.Sprint(*f.Median)
		}
		if got := p.Fines[f.Currency]; got != want {
			t.Errorf("headline median fine in %s shows %q, the API says %q", f.Currency, got, want)
		}
	}

	type chart struct {
		ID, Kind, Role, Title, Desc, Labelled string
		Rows                                  int
		Scale                                 float64
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chart](`Array.from(document.querySelectorAll('figure.chart')).map(f => {
		const svg = f.querySelector('svg.chart-svg');
		const vb = svg ? svg.viewBox.baseVal.width : 0;
		return {id: f.id, kind: f.dataset.chart, role: svg ? svg.getAttribute('role') : '',
			title: svg && svg.querySelector(':scope > title') ? svg.querySelector(':scope > title').textContent : '',
			desc: svg && svg.querySelector(':scope > desc') ? svg.querySelector(':scope > desc').textContent : '',
			labelled: svg ? svg.getAttribute('aria-labelledby') || '' : '',
			rows: f.querySelectorAll('details.chart-table table tbody tr').length,
			scale: svg && vb ? svg.getBoundingClientRect().width / vb : 0};
	})`))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range charts {
		ids = append(ids, c.ID)
		if c.Role != "img" || strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Desc) == "" || c.Labelled == "" {
			t.Errorf("chart %s: role %q, title %q, desc %q, aria-labelledby %q", c.ID, c.Role, c.Title, c.Desc, c.Labelled)
		}
		if c.Rows == 0 {
			t.Errorf("chart %s has no table of its figures", c.ID)
		}
		// Drawn at about its own size: 12 px text stays about 12 px on the phone.
		if c.Scale < 0.85 {
			t.Errorf("chart %s is drawn at %.2f of its size on a 390 px phone: its text is too small", c.ID, c.Scale)
		}
	}
	for _, want := range []string{"ov-funnel-cases", "ov-trend", "ov-concern", "ov-category", "ov-platform", "ov-kind", "ov-appeals", "ov-map"} {
		if !slices.Contains(ids, want) {
			t.Errorf("the overview has no chart %s (has %v)", want, ids)
		}
	}
	// No language widens the page on the phone.
	for _, lang := range []string{"KY", "RU", "EN"} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`localStorage.setItem('casewatch.lang', '`+lang+`')`)); err != nil {
			t.Fatal(err)
		}
		do(chromedp.Reload(), chromedp.WaitVisible(`#ov-map svg`))
		type wide struct {
			Width     int      `json:"width"`
			Offenders []string `json:"offenders"`
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[wide](`({width: document.documentElement.scrollWidth,
			offenders: Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 391 &&
				!(e.parentElement && e.parentElement.closest('.table-wrap'))).slice(0, 8).map(e => e.tagName + '.' + e.getAttribute('class'))})`))
		if err != nil {
			t.Fatal(err)
		}
		if w.Width > 390 {
			t.Errorf("%s: the overview is %d px wide on a 390 px phone: %v", lang, w.Width, w.Offenders)
		}
	}
	// The perturbation is said, with a link to the methodology.
	link, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('.ov-perturbed a[href="#/methodology"]')`))
	if err != nil || !link {
		t.Errorf("the overview does not say that its figures are perturbed with a link to the methodology (%v)", err)
	}
	noScriptErrors()
}

// TestOverviewTrendShowsWithheldAsGaps (newsroom task d): a monthly trend of Kyrgyz cases,
// where small months are withheld. Every plotted point is the API's figure, every withheld
// figure (null, or a month the API leaves out) is a gap mark and nothing else, and no line
// is drawn across a gap.
func TestOverviewTrendShowsWithheldAsGaps(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "trend.db"), "DEMO_CASES": "3000"})
	ctx, noScriptErrors := browser(t)
	// Newsroom task (d), in Kyrgyz on a phone.
	for _, a := range []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(s.url + "/#/overview?jurisdiction=KG&interval=MONTH&lang=ky"),
		chromedp.WaitVisible(`#ov-trend svg .chart-point`),
	} {
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	type mark struct {
		Series, Period, Value string
	}
	type drawn struct {
		Points, Gaps []mark
		Paths        map[string]int
		Legend       string
	}
	d, err := chromedp.Run(ctx, chromedp.Evaluate[drawn](`({
		points: Array.from(document.querySelectorAll('#ov-trend .chart-point[data-period]')).map(e => ({series: e.dataset.series, period: e.dataset.period, value: e.dataset.value})),
		gaps: Array.from(document.querySelectorAll('#ov-trend .chart-gap[data-period]')).map(e => ({series: e.dataset.series, period: e.dataset.period, value: e.dataset.value || ''})),
		paths: Array.from(document.querySelectorAll('#ov-trend path.chart-line')).reduce((m, p) => (m[p.dataset.series] = (p.getAttribute('d').match(/M/g) || []).length, m), {}),
		legend: document.querySelector('#ov-trend .chart-legend').textContent,
	})`))
	if err != nil {
		t.Fatal(err)
	}

	var a struct {
		Statistics struct {
			Buckets []struct {
				Period               string
				Count, Liable, Fined *int
			}
		}
	}
	ovStats(t, s, `{ statistics(filter: {jurisdiction: KG}, groupBy: [], interval: MONTH) { buckets { period count liable fined } } }`, &a)
	// The months from the first to the last the API lists, but for one not over yet.
	today := time.Now().UTC().Format("2006-01-02")
	byPeriod := map[string]int{}
	var first, last time.Time
	for i, b := range a.Statistics.Buckets {
		m, err := time.Parse("2006-01", b.Period)
		if err != nil {
			t.Fatalf("period %q", b.Period)
		}
		if m.AddDate(0, 1, -1).Format("2006-01-02") >= today {
			continue
		}
		byPeriod[b.Period] = i
		if first.IsZero() || m.Before(first) {
			first = m
		}
		if m.After(last) {
			last = m
		}
	}
	want := map[string]string{} // series|period -> value, "" for withheld
	wantPaths := map[string]int{}
	for _, series := range []string{"count", "liable", "fined"} {
		open := false
		for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
			var v *int
			if i, ok := byPeriod[m.Format("2006-01")]; ok {
				b := a.Statistics.Buckets[i]
				v = map[string]*int{"count": b.Count, "liable": b.Liable, "fined": b.Fined}[series]
			}
			key := series + "|" + m.Format("2006-01")
			if v == nil {
				want[key] = ""
				open = false
				continue
			}
			want[key] = fmt.Sprint(*v)
			if !open {
				wantPaths[series]++
			}
			open = true
		}
	}
	got := map[string]string{}
	for _, p := range d.Points {
		got[p.Series+"|"+p.Period] = p.Value
	}
	gaps := 0
	for _, g := range d.Gaps {
		key := g.Series + "|" + g.Period
		if _, dup := got[key]; dup {
			t.Errorf("%s is drawn both as a point and as withheld", key)
		}
		got[key] = ""
		gaps++
	}
	if len(got) != len(want) {
		t.Errorf("the chart marks %d figures, the API has %d (months %s to %s)", len(got), len(want), first.Format("2006-01"), last.Format("2006-01"))
	}
	for key, w := range want {
		g, ok := got[key]
		switch {
		case !ok:
			t.Errorf("%s: not on the chart (the API: %q)", key, w)
		case w == "" && g != "":
			t.Errorf("%s: withheld by the API but plotted as %s", key, g)
		case w != "" && g != w:
			t.Errorf("%s: plotted %q, the API says %s", key, g, w)
		}
	}
	if gaps == 0 {
		t.Error("no withheld month in the trend: the test data no longer exercise gaps")
	}
	for series, n := range wantPaths {
		if d.Paths[series] != n {
			t.Errorf("series %s is drawn in %d pieces, want %d (a line must break at every withheld month)", series, d.Paths[series], n)
		}
	}
	// One tab stop for the chart; the arrow keys go from mark to mark, withheld ones too.
	type focus struct {
		Stops  int      `json:"stops"`
		Labels []string `json:"labels"`
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[focus](`(() => {
		const stops = document.querySelectorAll('#ov-trend svg [tabindex="0"]');
		const labels = [];
		let el = stops[0];
		el.focus();
		for (let i = 0; i < 3; i++) {
			labels.push(document.activeElement.getAttribute('aria-label'));
			document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
		}
		return {stops: stops.length, labels};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Stops != 1 || len(f.Labels) != 3 || f.Labels[0] == f.Labels[1] || f.Labels[1] == f.Labels[2] || f.Labels[2] == "" {
		t.Errorf("keyboard: %d tab stops in the trend, the arrow keys visit %q", f.Stops, f.Labels)
	}
	if !strings.Contains(strings.ToLower(d.Legend), "жашырылган") { // "withheld", in Kyrgyz
		t.Errorf("the legend does not explain the withheld marks: %q", d.Legend)
	}
	noScriptErrors()
}

// TestOverviewLinks: a chart's links open the statistics view and the case list with the
// chart's filters.
func TestOverviewLinks(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "links.db"), "DEMO_CASES": "3000"})
	ctx, noScriptErrors := browser(t)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			if _, err := chromedp.Run(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const year = "2024"
	overview := s.url + "/#/overview?year=" + year + "&jurisdiction=KZ"
	span := "reportedFrom=" + year + "-01-01&reportedTo=" + year + "-12-31"

	// The category chart: "open in the statistics view".
	do(chromedp.Navigate(overview), chromedp.WaitVisible(`#ov-category .chart-links a`))
	if href := eval(`document.querySelector('#ov-category .chart-links a').getAttribute('href')`); href != "#/statistics?by=CATEGORY&jurisdiction=KZ&"+span {
		t.Errorf("the category chart links to the statistics view as %q", href)
	}
	do(chromedp.Click(`#ov-category .chart-links a`, chromedp.NodeVisible), chromedp.WaitVisible(`table.stats-table tbody tr`))
	if hash := eval(`location.hash`); hash != "#/statistics?by=CATEGORY&jurisdiction=KZ&"+span {
		t.Errorf("the statistics link opened %q", hash)
	}

	// A bar of the category chart: the case list of that category in that year.
	do(chromedp.Navigate(overview), chromedp.WaitVisible(`#ov-category a.chart-link`))
	code := eval(`document.querySelector('#ov-category a.chart-link rect[data-key]').dataset.key`)
	do(chromedp.Click(`#ov-category a.chart-link rect.chart-bar`, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(`#results table, #results .empty-state`)))
	if hash := eval(`location.hash`); hash != "#/cases?jurisdiction=KZ&categories="+code+"&"+span {
		t.Errorf("the bar of %s opened %q", code, hash)
	}

	// A region of the map: the case list of that region.
	do(chromedp.Navigate(overview), chromedp.WaitVisible(`#ov-map a.chart-link`))
	region := eval(`document.querySelector('#ov-map a.chart-link rect[data-code]').dataset.code`)
	do(chromedp.Click(`#ov-map a.chart-link rect`, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(`#results table, #results .empty-state`)))
	if hash := eval(`location.hash`); hash != "#/cases?jurisdiction=KZ&regions="+region+"&"+span {
		t.Errorf("the tile of %s opened %q", region, hash)
	}

	// The trend: every period, with the interval chosen.
	do(chromedp.Navigate(overview+"&interval=MONTH"), chromedp.WaitVisible(`#ov-trend .chart-links a`))
	if href := eval(`document.querySelector('#ov-trend .chart-links a').getAttribute('href')`); href != "#/statistics?by=JURISDICTION&interval=MONTH&jurisdiction=KZ" {
		t.Errorf("the trend links to the statistics view as %q", href)
	}
	noScriptErrors()
}
