package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The statistics view as a newsroom uses it, on a 390 px phone: questions asked with the
// form, never with GraphQL, and the figures read off the page must be the API's answer to
// the same question.

// statsCell is one cell of the statistics table as the page shows it.
type statsCell struct {
	Col      string `json:"col"`
	Text     string `json:"text"`
	Amount   string `json:"amount"`   // the median fine's amount, without its index units
	Withheld bool   `json:"withheld"` // a dash with the mark of a reason
	Mark     string `json:"mark"`     // the reason's mark
	Reason   string `json:"reason"`   // the reason in words, for screen readers
}

type statsRow struct {
	Head  string      `json:"head"`
	Rate  string      `json:"rate"` // data-rate: the ranked rate, unformatted
	Cells []statsCell `json:"cells"`
}

const readStatsTable = `Array.from(document.querySelectorAll('table.stats-table tbody tr')).map(tr => ({
	head: tr.querySelector('th').textContent,
	rate: tr.dataset.rate || '',
	cells: Array.from(tr.querySelectorAll('td')).map(td => ({
		col: td.dataset.col || '',
		text: td.textContent,
		amount: Array.from(td.querySelectorAll('.money-amount')).map(e => e.textContent).join(' '),
		withheld: !!td.querySelector('.withheld'),
		mark: (td.querySelector('.withheld .why-mark') || {}).textContent || '',
		reason: (td.querySelector('.withheld .visually-hidden') || {}).textContent || ''}))}))`

func (r statsRow) cell(t *testing.T, col string) statsCell {
	t.Helper()
	for _, c := range r.Cells {
		if c.Col == col {
			return c
		}
	}
	t.Fatalf("row %q has no %s cell: %+v", r.Head, col, r.Cells)
	return statsCell{}
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// phoneBrowser is a browser on a 390 × 844 phone screen with the portal in lang.
func phoneBrowser(t *testing.T, s *server, lang string) (run func(a chromedp.Action[chromedp.Void]), eval func(js string, out any), noScriptErrors func()) {
	t.Helper()
	ctx, noErrors := browser(t)
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	run = func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	eval = func(js string, out any) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if out != nil {
			if err := json.Unmarshal(raw, out); err != nil {
				t.Fatalf("%s: %s: %v", js, raw, err)
			}
		}
	}
	run(chromedp.Navigate(s.url + "/#/statistics"))
	run(chromedp.WaitVisible(`#main h1`))
	eval(`localStorage.setItem('casewatch.lang', '`+lang+`'), true`, nil)
	run(chromedp.Reload())
	run(chromedp.WaitVisible(`table.stats-table tbody tr`))
	return run, eval, noErrors
}

// waitForTable waits until the address holds every part of want and the table shows the
// answer to it.
func waitForTable(t *testing.T, eval func(string, any), want ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var state struct {
			Hash  string `json:"hash"`
			Ready bool   `json:"ready"`
		}
		eval(`({hash: decodeURIComponent(location.hash), ready: !!document.querySelector('.results:not(.is-loading) table.stats-table tbody tr') &&
			document.querySelector('.stats-groups').dataset.for === location.hash})`, &state)
		ok := state.Ready
		for _, w := range want {
			ok = ok && strings.Contains(state.Hash, w)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not show %q: address %s, table ready %v", want, state.Hash, state.Ready)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestStatisticsNewsroomQuestionInKazakh: on a phone, in Kazakh, a reporter asks with the
// form how many false-information cases of one region decided in 2025 ended in a fine, and
// what the median fine was. The page's figures are the API's answer to the same question.
func TestStatisticsNewsroomQuestionInKazakh(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "newsroom.db"), "DEMO_CASES": "8000"})

	// The region: the one with the most fined false-information cases decided in 2025, so
	// that its figures are published.
	type fine struct {
		Currency string
		Count    *int
		Median   *float64
	}
	type bucket struct {
		Key   []struct{ Code string }
		Count *int
		Fined *int
		Fines []fine
	}
	ask := func(filter string) []bucket {
		t.Helper()
		status, body := s.graphql(t, `{ statistics(filter: {`+filter+`}, groupBy: [REGION]) { buckets { key { code } count fined fines { currency count median } } total { count fined fines { currency count median } } } }`)
		var a struct {
			Data struct {
				Statistics struct {
					Buckets []bucket
					Total   bucket
				}
			}
		}
		if err := json.Unmarshal(body, &a); err != nil || status != 200 {
			t.Fatalf("status %d: %s (%v)", status, body, err)
		}
		return append(a.Data.Statistics.Buckets, a.Data.Statistics.Total)
	}
	const question = `categories: [FALSE_INFORMATION], decidedFrom: "2025-01-01", decidedTo: "2025-12-31"`
	region, most := "", -1
	for _, b := range ask(question) {
		if len(b.Key) == 1 && b.Key[0].Code != "NONE" && strings.HasPrefix(b.Key[0].Code, "KZ-") && b.Fined != nil && *b.Fined > most {
			region, most = b.Key[0].Code, *b.Fined
		}
	}
	if region == "" {
		t.Fatal("no Kazakh region has a published number of fined false-information cases decided in 2025")
	}

	run, eval, noScriptErrors := phoneBrowser(t, s, "KK")
	var lang string
	eval(`document.documentElement.lang`, &lang)
	if lang != "kk" {
		t.Fatalf("the page is in %q, want kk", lang)
	}

	// The category and the region: open their groups and tick the boxes.
	run(chromedp.Click(`details[data-facet="categories"] > summary`))
	run(chromedp.Click(`#s-categories-FALSE_INFORMATION`))
	waitForTable(t, eval, "categories=FALSE_INFORMATION")
	run(chromedp.Click(`details[data-facet="regions"] > summary`))
	run(chromedp.Click(`#s-regions-` + region))
	waitForTable(t, eval, "categories=FALSE_INFORMATION", "regions="+region)
	// Decided in 2025: the two decision dates typed as a person types them, in the order
	// of the browser's date fields (month first in some locales, day first in others).
	typeDate := func(sel, y, m, d string) {
		t.Helper()
		for _, keys := range []string{m + d + y, d + m + y} {
			eval(`document.querySelector('`+sel+`').value = '', true`, nil)
			run(chromedp.Focus(sel))
			run(chromedp.SendKeys(sel, keys))
			var v string
			eval(`document.querySelector('`+sel+`').value`, &v)
			if v == y+"-"+m+"-"+d {
				waitForTable(t, eval, strings.TrimPrefix(sel, "#s-")+"="+v)
				return
			}
		}
		t.Fatalf("%s: typing the date %s-%s-%s did not work", sel, y, m, d)
	}
	typeDate(`#s-decidedFrom`, "2025", "01", "01")
	typeDate(`#s-decidedTo`, "2025", "12", "31")
	waitForTable(t, eval, "categories=FALSE_INFORMATION", "regions="+region, "decidedFrom=2025-01-01", "decidedTo=2025-12-31")

	var rows []statsRow
	eval(readStatsTable, &rows)
	var total []statsCell
	eval(`Array.from(document.querySelectorAll('table.stats-table tfoot td')).map(td => ({col: td.dataset.col || '', text: td.textContent,
		amount: Array.from(td.querySelectorAll('.money-amount')).map(e => e.textContent).join(' '), withheld: !!td.querySelector('.withheld'),
		mark: (td.querySelector('.withheld .why-mark') || {}).textContent || '', reason: (td.querySelector('.withheld .visually-hidden') || {}).textContent || ''}))`, &total)
	var legend string
	eval(`(document.querySelector('.why-legend') || {}).textContent || ''`, &legend)
	noScriptErrors()

	api := ask(question + `, regions: ["` + region + `"]`)
	if len(rows) != len(api)-1 {
		t.Fatalf("the table has %d rows, the API %d buckets", len(rows), len(api)-1)
	}
	check := func(name string, cells statsRow, b bucket) {
		t.Helper()
		fined := cells.cell(t, "fined")
		switch {
		case b.Fined == nil && !fined.Withheld:
			t.Errorf("%s: fined is withheld by the API, the page shows %q", name, fined.Text)
		case b.Fined != nil && (fined.Withheld || onlyDigits(fined.Text) != fmt.Sprint(*b.Fined)):
			t.Errorf("%s: the page shows %q fined, the API %d", name, fined.Text, *b.Fined)
		}
		median := cells.cell(t, "fine")
		var f *fine
		for i := range b.Fines {
			if b.Fines[i].Currency == "KZT" {
				f = &b.Fines[i]
			}
		}
		switch {
		case f == nil:
			t.Errorf("%s: the API lists no fines in KZT", name)
		case f.Median != nil:
			if want := fmt.Sprint(math.Round(*f.Median)); onlyDigits(median.Amount) != want {
				t.Errorf("%s: the page shows the median fine %q, the API %s KZT", name, median.Amount, want)
			}
			t.Logf("%s: %d fined, median fine %s (page: %q, %q)", name, *b.Fined, fmt.Sprint(*f.Median), fined.Text, median.Amount)
		default:
			// Withheld: a dash with the mark and the words of its reason, never a number.
			wantMark := "b"
			if f.Count == nil {
				wantMark = "a"
			}
			if !median.Withheld || median.Mark != wantMark || median.Reason == "" || strings.ContainsAny(median.Text, "0123456789") {
				t.Errorf("%s: the median fine is withheld by the API, the page shows %+v (want the mark %s)", name, median, wantMark)
			}
			t.Logf("%s: %d fined, median fine withheld (mark %s: %s)", name, *b.Fined, median.Mark, median.Reason)
		}
	}
	if !strings.Contains(rows[0].Head, region) {
		t.Errorf("the row is %q, want the region %s", rows[0].Head, region)
	}
	check(region, rows[0], api[0])
	check("total", statsRow{Head: "total", Cells: total}, api[len(api)-1])
	// The legend names the reasons in Kazakh.
	if legend != "" && !strings.Contains(legend, "Сан неге көрсетілмеген") {
		t.Errorf("the legend is not in Kazakh: %q", legend)
	}
	// The form keeps every choice in the address, which says it in the page's language.
	var chips string
	eval(`document.querySelector('.chips').textContent`, &chips)
	for _, want := range []string{"Сот шешімі күннен", "2025-01-01", "2025-12-31"} {
		if !strings.Contains(chips, want) {
			t.Errorf("the active filters %q do not say %q", chips, want)
		}
	}
}

// parseRate reads a figure per 100,000 as the Kyrgyz page writes it ("1 234,56": a narrow
// no-break space between thousands, a decimal comma).
func parseRate(t *testing.T, s string) float64 {
	t.Helper()
	s = strings.NewReplacer("\u202f", "", "\u00a0", "", " ", "", ",", ".").Replace(strings.TrimSpace(s))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a rate: %q", s)
	}
	return v
}

// TestStatisticsRankingPer100k: on a phone, the ranking of regions by found liable per
// 100,000 inhabitants for one year, chosen with the form: ranked highest first, ranks 1..n,
// regions without a rate last and without a rank, every rate the API's, and the population
// year used said.
func TestStatisticsRankingPer100k(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "ranking.db"), "DEMO_CASES": "3000"})
	run, eval, noScriptErrors := phoneBrowser(t, s, "KY") // newsroom task (b), in Kyrgyz on a phone

	choose := func(sel, value string) {
		t.Helper()
		run(chromedp.Focus(sel))
		eval(`(() => { const e = document.querySelector('`+sel+`'); e.value = '`+value+`'; e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()`, nil)
	}
	choose(`#s-rank`, "liable")
	waitForTable(t, eval, "rank=liable")
	var years []string
	eval(`Array.from(document.querySelectorAll('#s-year option')).map(o => o.value)`, &years)
	if len(years) < 2 {
		t.Fatalf("the ranking offers the years %q", years)
	}
	const year = "2025"
	choose(`#s-year`, year)
	waitForTable(t, eval, "rank=liable", "year="+year)

	var rows []statsRow
	eval(readStatsTable, &rows)
	var view struct {
		Heading, Notes, Caption, FirstCol string
		Wide                              int
	}
	eval(`({heading: document.querySelector('#sec-groups').textContent, notes: document.querySelector('.rank-notes').textContent,
		caption: document.querySelector('#stats-caption').textContent,
		firstCol: Array.from(document.querySelectorAll('table.stats-table thead th')).map(th => th.textContent).join(' | '),
		wide: document.documentElement.scrollWidth})`, &view)
	noScriptErrors()

	status, body := s.graphql(t, `{ statistics(groupBy: [REGION], interval: YEAR) { buckets { key { code } period liable liablePer100k populationYear } } }`)
	var a struct {
		Data struct {
			Statistics struct {
				Buckets []struct {
					Key            []struct{ Code string }
					Period         string
					Liable         *int
					LiablePer100k  *float64
					PopulationYear *int
				}
			}
		}
	}
	if err := json.Unmarshal(body, &a); err != nil || status != 200 {
		t.Fatalf("status %d: %s (%v)", status, body, err)
	}
	type want struct {
		rate    *float64
		popYear *int
	}
	api := map[string]want{}
	later := false
	for _, b := range a.Data.Statistics.Buckets {
		if b.Period == year {
			api[b.Key[0].Code] = want{b.LiablePer100k, b.PopulationYear}
			later = later || (b.PopulationYear != nil && fmt.Sprint(*b.PopulationYear) < year)
		}
	}
	if len(rows) != len(api) {
		t.Fatalf("the ranking has %d rows, the API %d regions in %s", len(rows), len(api), year)
	}
	if view.Wide > 390 {
		t.Errorf("the ranking is %d px wide on a 390 px phone", view.Wide)
	}
	if !strings.Contains(view.Heading, year) || !strings.Contains(view.Caption, "100 000 тургунга күнөөлүү деп табылгандар") {
		t.Errorf("the ranking says %q / %q", view.Heading, view.Caption)
	}
	if later != strings.Contains(view.Notes, "Айрым аймактар үчүн "+year+" жылдын калкынын саны жок") {
		t.Errorf("a region uses an earlier population: %v, the notes say %q", later, view.Notes)
	}
	ranked, unranked := 0, 0
	prev := math.Inf(1)
	for i, r := range rows {
		code := r.Head[strings.LastIndex(r.Head, " ")+1:]
		if !regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]+$`).MatchString(code) {
			code = "NONE" // the row of cases without a region ("жок")
		}
		w, ok := api[code]
		if !ok {
			t.Fatalf("row %d: %q is not a region of the API's answer", i, r.Head)
		}
		rank, rate := r.cell(t, "rank"), r.cell(t, "liablePer100k")
		if w.rate == nil {
			unranked++
			if !rate.Withheld || !rank.Withheld || strings.ContainsAny(rate.Text+rank.Text, "0123456789") {
				t.Errorf("row %d (%s): no rate in the API, the page shows rank %q rate %q", i, code, rank.Text, rate.Text)
			}
			continue
		}
		if unranked > 0 {
			t.Errorf("row %d (%s): a ranked region after %d without a rate", i, code, unranked)
		}
		ranked++
		got := parseRate(t, rate.Text)
		if math.Abs(got-*w.rate) > 0.005 {
			t.Errorf("row %d (%s): the page shows %s per 100,000, the API %v", i, code, rate.Text, *w.rate)
		}
		if exact, _ := strconv.ParseFloat(r.Rate, 64); exact != *w.rate {
			t.Errorf("row %d (%s): ranked by %q, the API's rate is %v", i, code, r.Rate, *w.rate)
		}
		if *w.rate > prev {
			t.Errorf("row %d (%s): %v per 100,000 after %v: not in descending order", i, code, *w.rate, prev)
		}
		wantRank := ranked
		if *w.rate == prev {
			wantRank, _ = strconv.Atoi(onlyDigits(rows[i-1].cell(t, "rank").Text))
		}
		if onlyDigits(rank.Text) != strconv.Itoa(wantRank) {
			t.Errorf("row %d (%s): rank %q, want %d", i, code, rank.Text, wantRank)
		}
		prev = *w.rate
		if pop := r.cell(t, "populationYear"); w.popYear == nil || onlyDigits(pop.Text) != fmt.Sprint(*w.popYear) {
			t.Errorf("row %d (%s): population year %q, the API %v", i, code, pop.Text, w.popYear)
		}
	}
	if ranked < 5 {
		t.Errorf("only %d regions ranked", ranked)
	}
	t.Logf("%d regions ranked, %d without a rate; population of an earlier year used: %v", ranked, unranked, later)
}

// TestStatisticsSortByHeader: clicking a column's header sorts the table by it, highest
// first, then lowest first; withheld figures stay last both ways; the link keeps the order
// and the header says it (aria-sort).
func TestStatisticsSortByHeader(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "sort.db"), "DEMO_CASES": "600"})
	run, eval, noScriptErrors := phoneBrowser(t, s, "RU")
	run(chromedp.Navigate(s.url + "/#/statistics?by=DEFENDANT_KIND&interval=QUARTER"))
	waitForTable(t, eval, "by=DEFENDANT_KIND")

	values := func() (nums []int, withheldAfter bool, withheld int) {
		var rows []statsRow
		eval(readStatsTable, &rows)
		withheldAfter = true
		for _, r := range rows {
			c := r.cell(t, "count")
			if c.Withheld {
				if strings.ContainsAny(c.Text, "0123456789") || c.Mark != "a" {
					t.Errorf("a withheld count shows %q (mark %q)", c.Text, c.Mark)
				}
				withheld++
				continue
			}
			if withheld > 0 {
				withheldAfter = false
			}
			n, _ := strconv.Atoi(onlyDigits(c.Text))
			nums = append(nums, n)
		}
		return
	}
	for _, dir := range []struct {
		sort, ariaSort string
		ordered        func(a, b int) bool
	}{
		{"-count", "descending", func(a, b int) bool { return a >= b }},
		{"count", "ascending", func(a, b int) bool { return a <= b }},
	} {
		run(chromedp.Click(`#sort-count`))
		waitForTable(t, eval, "sort="+dir.sort)
		var state struct {
			AriaSort string `json:"ariaSort"`
			Others   int    `json:"others"`
			Focused  string `json:"focused"`
		}
		eval(`({ariaSort: document.querySelector('#sort-count').closest('th').getAttribute('aria-sort'),
			others: document.querySelectorAll('table.stats-table th[aria-sort]').length,
			focused: document.activeElement ? document.activeElement.id : ''})`, &state)
		if state.AriaSort != dir.ariaSort || state.Others != 1 {
			t.Errorf("sort=%s: aria-sort %q on the header, %d sorted headers", dir.sort, state.AriaSort, state.Others)
		}
		if state.Focused != "sort-count" {
			t.Errorf("sort=%s: the focus is on %q, not on the header's button", dir.sort, state.Focused)
		}
		nums, withheldLast, withheld := values()
		if !withheldLast {
			t.Errorf("sort=%s: a withheld count is not last", dir.sort)
		}
		for i := 1; i < len(nums); i++ {
			if !dir.ordered(nums[i-1], nums[i]) {
				t.Errorf("sort=%s: %d before %d", dir.sort, nums[i-1], nums[i])
			}
		}
		if withheld == 0 || len(nums) < 3 {
			t.Errorf("sort=%s: %d counts, %d withheld: the test data exercise too little", dir.sort, len(nums), withheld)
		}
	}
	// A shared link keeps the order.
	run(chromedp.Reload())
	waitForTable(t, eval, "sort=count")
	var aria string
	eval(`document.querySelector('#sort-count').closest('th').getAttribute('aria-sort')`, &aria)
	if aria != "ascending" {
		t.Errorf("after a reload the count column is %q", aria)
	}
	noScriptErrors()
}

// TestStatisticsFormOffersEveryFilter: the statistics form has a control for every field of
// CaseFilter in the schema; a shared link carries each of them (articles and decision
// dates too), and a misspelt one is reported on the page, not silently dropped.
func TestStatisticsFormOffersEveryFilter(t *testing.T) {
	schema, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)\ninput CaseFilter \{(.*?)\n\}`).FindSubmatch(schema)
	if block == nil {
		t.Fatal("schema.graphqls has no input CaseFilter")
	}
	var fields []string
	for _, m := range regexp.MustCompile(`(?m)^\s+(\w+):`).FindAllSubmatch(block[1], -1) {
		fields = append(fields, string(m[1]))
	}
	if len(fields) < 15 {
		t.Fatalf("CaseFilter fields: %q", fields)
	}

	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "form.db"), "DEMO_CASES": "600"})
	run, eval, noScriptErrors := phoneBrowser(t, s, "EN")
	var offered []string
	eval(`Array.from(document.querySelectorAll('#stats-filters [data-field]')).map(e => e.dataset.field)`, &offered)
	for _, f := range fields {
		if !slices.Contains(offered, f) {
			t.Errorf("the form offers no control for CaseFilter.%s (it offers %q)", f, offered)
		}
	}
	// On a phone the filter groups are closed, two to a row.
	var facets struct {
		Open   int `json:"open"`
		Height int `json:"height"`
		Count  int `json:"count"`
	}
	eval(`({open: document.querySelectorAll('#stats-filters details[open]').length, count: document.querySelectorAll('#stats-filters details.facet').length,
		height: Math.round(document.querySelector('#stats-filters .facets').getBoundingClientRect().height)})`, &facets)
	if facets.Open != 0 || facets.Height > 300 {
		t.Errorf("on a phone %d of %d filter groups are open, taking %d px", facets.Open, facets.Count, facets.Height)
	}

	link := s.url + "/#/statistics?articles=" + url.PathEscape("CAO 456-2") + "," + url.PathEscape("CAO 999") +
		"&decidedFrom=2025-01-01&decidedTo=2025-13-01&sort=-fined&kinds=BLOGER"
	run(chromedp.Navigate(link))
	run(chromedp.WaitVisible(`#error-box li`))
	waitForTable(t, eval, "articles=CAO 456-2", "decidedFrom=2025-01-01", "sort=-fined")
	var page struct {
		Errors  string `json:"errors"`
		Article bool   `json:"article"`
		Decided string `json:"decided"`
		Chips   string `json:"chips"`
	}
	eval(`({errors: document.querySelector('#error-box').textContent,
		article: document.querySelector('#stats-filters input[name="articles"][value="CAO 456-2"]').checked,
		decided: document.querySelector('#s-decidedFrom').value,
		chips: document.querySelector('.chips').textContent})`, &page)
	noScriptErrors()
	for _, want := range []string{"articles=CAO 999", "CAO 456-2", "decidedTo=2025-13-01", "YYYY-MM-DD", "kinds=BLOGER", "BLOGGER"} {
		if !strings.Contains(page.Errors, want) {
			t.Errorf("the report %q does not say %q", page.Errors, want)
		}
	}
	if !page.Article || page.Decided != "2025-01-01" || !strings.Contains(page.Chips, "Decided from") {
		t.Errorf("the link's article and decision date are not in the form: %+v", page)
	}
}
