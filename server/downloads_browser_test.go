package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chromedp/chromedp"
)

// fetchExport GETs an export the way a spreadsheet program or a script would (no browser).
func fetchExport(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v: %.300s", url, res.StatusCode, err, body)
	}
	return body
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readKazakhCSV reads a CSV export asked for in Kazakh with bom=1: it must open with the
// byte-order mark and say its headers in Kazakh ("Сілтеме (reference)"). It returns the
// column index of every code and the rows.
func readKazakhCSV(t *testing.T, body []byte, wantCodes ...string) (map[string]int, [][]string) {
	t.Helper()
	if !bytes.HasPrefix(body, utf8BOM) {
		t.Fatalf("the CSV does not open with a byte-order mark: % x", body[:min(8, len(body))])
	}
	records, err := csv.NewReader(bytes.NewReader(body[len(utf8BOM):])).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("read the CSV: %v", err)
	}
	cols := map[string]int{}
	for i, h := range records[0] {
		open := strings.LastIndex(h, " (")
		if open < 0 || !strings.HasSuffix(h, ")") {
			t.Errorf("header %q is not 'Label (code)'", h)
			continue
		}
		cols[h[open+2:len(h)-1]] = i
	}
	for _, c := range wantCodes {
		i, ok := cols[c]
		if !ok {
			t.Fatalf("the CSV has no %s column: %q", c, records[0])
		}
		label := records[0][i]
		if !strings.ContainsFunc(label, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			t.Errorf("the %s header %q is not in Kazakh", c, label)
		}
	}
	return cols, records[1:]
}

// TestDownloadLinksGiveWhatThePageShows: in Kazakh, the case list opened from a link with
// filters and an order, and the statistics view, offer download links whose files (fetched
// as a spreadsheet program would) hold what the page shows: every matching case in the
// page's order, and each statistics row with the table's figure; with a byte-order mark and
// Kazakh headers.
func TestDownloadLinksGiveWhatThePageShows(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "downloads.db"), "DEMO_CASES": "2000"})
	ctx, noScriptErrors := browser(t)
	run := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string, out any) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: %s: %v", js, raw, err)
		}
	}
	run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))

	// ---- the case list, from a shared link
	const filter = `{jurisdiction: KZ, categories: [FALSE_INFORMATION, INSULT_OR_LIBEL, DRUG_PROMOTION]}`
	run(chromedp.Navigate(s.url + "/#/cases?jurisdiction=KZ&categories=FALSE_INFORMATION,INSULT_OR_LIBEL,DRUG_PROMOTION&orderBy=REPORTED_ASC&lang=kk"))
	run(chromedp.WaitVisible(`.cases-downloads a[data-format="csv"]`))
	var page struct {
		Refs   []string          `json:"refs"`
		Links  map[string]string `json:"links"`
		Labels []string          `json:"labels"`
		Lang   string            `json:"lang"`
	}
	eval(`({refs: Array.from(document.querySelectorAll('#results table tbody tr th a.ref')).map(a => a.textContent),
		links: Object.fromEntries(Array.from(document.querySelectorAll('.cases-downloads a[download]')).map(a => [a.dataset.format, a.href])),
		labels: Array.from(document.querySelectorAll('.cases-downloads a[download]')).map(a => a.textContent),
		lang: document.documentElement.lang})`, &page)
	if page.Lang != "kk" || len(page.Refs) == 0 {
		t.Fatalf("the case list in %q shows %d cases", page.Lang, len(page.Refs))
	}
	for _, l := range page.Labels {
		if !strings.Contains(l, "CSV") && !strings.Contains(l, "NDJSON") {
			t.Errorf("a download link does not say its format: %q", l)
		}
	}
	for _, want := range []string{"jurisdiction=KZ", "categories=FALSE_INFORMATION,INSULT_OR_LIBEL,DRUG_PROMOTION", "orderBy=REPORTED_ASC", "lang=KK", "bom=1"} {
		if !strings.Contains(page.Links["csv"], want) {
			t.Errorf("the CSV link %s lacks %s", page.Links["csv"], want)
		}
	}
	status, body := s.graphql(t, `{ cases(filter: `+filter+`, orderBy: REPORTED_ASC, first: 1) { totalCount } }`)
	var a struct {
		Data struct{ Cases struct{ TotalCount int } }
	}
	if err := json.Unmarshal(body, &a); err != nil || status != 200 {
		t.Fatalf("status %d: %s (%v)", status, body, err)
	}
	total := a.Data.Cases.TotalCount
	if total <= len(page.Refs) {
		t.Fatalf("%d matching cases, %d on the first page: the test data no longer need more than one page", total, len(page.Refs))
	}
	cols, rows := readKazakhCSV(t, fetchExport(t, page.Links["csv"]), "reference", "jurisdiction", "category")
	if len(rows) != total {
		t.Errorf("the CSV holds %d cases, the list %d (totalCount)", len(rows), total)
	}
	for i, ref := range page.Refs {
		if i >= len(rows) || rows[i][cols["reference"]] != ref {
			t.Fatalf("row %d of the CSV is not the page's case %s (the order differs)", i+1, ref)
		}
	}
	for _, r := range rows {
		if r[cols["jurisdiction"]] != "KZ" || !strings.Contains("FALSE_INFORMATION INSULT_OR_LIBEL DRUG_PROMOTION ", r[cols["category"]]+" ") {
			t.Fatalf("the CSV holds a case outside the filters: %q", r)
		}
	}
	ndjson := fetchExport(t, page.Links["ndjson"])
	if n := bytes.Count(ndjson, []byte("\n")); n != total {
		t.Errorf("the NDJSON holds %d lines, the list %d cases", n, total)
	}

	// ---- the statistics view
	run(chromedp.Navigate(s.url + "/#/statistics?by=CATEGORY&interval=QUARTER&jurisdiction=KG&lang=kk"))
	run(chromedp.WaitVisible(`#stats-table-tools a[data-format="csv"]`))
	type row struct {
		Group, Period, Count string
		Withheld             bool
	}
	var stats struct {
		Rows  []row             `json:"rows"`
		Links map[string]string `json:"links"`
	}
	eval(`({rows: Array.from(document.querySelectorAll('table.stats-table tbody tr')).map(tr => ({
			Group: tr.querySelector('th').textContent.trim(),
			Period: tr.querySelector('td[data-col="period"]').textContent.trim(),
			Count: tr.querySelector('td[data-col="count"]').textContent,
			Withheld: !!tr.querySelector('td[data-col="count"] .withheld')})),
		links: Object.fromEntries(Array.from(document.querySelectorAll('#stats-table-tools a[download]')).map(a => [a.dataset.format, a.href]))})`, &stats)
	for _, want := range []string{"groupBy=CATEGORY", "interval=QUARTER", "jurisdiction=KG", "lang=KK", "bom=1"} {
		if !strings.Contains(stats.Links["csv"], want) {
			t.Errorf("the statistics CSV link %s lacks %s", stats.Links["csv"], want)
		}
	}
	status, body = s.graphql(t, `{ statistics(filter: {jurisdiction: KG}, groupBy: [CATEGORY], interval: QUARTER) { buckets { key { code } period count } } }`)
	var sa struct {
		Data struct {
			Statistics struct {
				Buckets []struct {
					Key    []struct{ Code string }
					Period string
					Count  *int
				}
			}
		}
	}
	if err := json.Unmarshal(body, &sa); err != nil || status != 200 {
		t.Fatalf("status %d: %s (%v)", status, body, err)
	}
	buckets := sa.Data.Statistics.Buckets
	cols, rows = readKazakhCSV(t, fetchExport(t, stats.Links["csv"]), "category", "category_label", "period", "count", "withheld")
	if len(rows) != len(stats.Rows) || len(rows) != len(buckets) || len(rows) == 0 {
		t.Fatalf("the CSV holds %d rows, the table %d, the API %d buckets", len(rows), len(stats.Rows), len(buckets))
	}
	withheld := 0
	for i, r := range rows {
		shown, b := stats.Rows[i], buckets[i]
		if r[cols["category"]] != b.Key[0].Code || r[cols["period"]] != b.Period || r[cols["period"]] != shown.Period ||
			!strings.HasPrefix(shown.Group, r[cols["category_label"]]) {
			t.Errorf("row %d: the CSV has %s %q %s, the table %q %s, the API %s %s", i+1,
				r[cols["category"]], r[cols["category_label"]], r[cols["period"]], shown.Group, shown.Period, b.Key[0].Code, b.Period)
		}
		switch got := r[cols["count"]]; {
		case b.Count == nil:
			withheld++
			if got != "" || !shown.Withheld || !strings.Contains(r[cols["withheld"]], "count:below_threshold") {
				t.Errorf("row %d: a withheld count is %q in the CSV (withheld %q), the table shows %q", i+1, got, r[cols["withheld"]], shown.Count)
			}
		case got != fmt.Sprint(*b.Count) || onlyDigits(shown.Count) != got || shown.Withheld:
			t.Errorf("row %d: the count is %q in the CSV, %q in the table, %d in the API", i+1, got, shown.Count, *b.Count)
		}
	}
	if withheld == 0 {
		t.Error("no withheld count: the test no longer sees how the files give them")
	}
	var doc struct {
		Release  any              `json:"release"`
		Citation string           `json:"citation"`
		Rows     []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(fetchExport(t, stats.Links["json"]), &doc); err != nil {
		t.Fatalf("the JSON file: %v", err)
	}
	if len(doc.Rows) != len(buckets) || doc.Release == nil || doc.Citation == "" {
		t.Errorf("the JSON file holds %d rows (the API %d), release %v, citation %q", len(doc.Rows), len(buckets), doc.Release, doc.Citation)
	}

	// The links are reached with the keyboard, and followed with Enter like any link.
	var focusable bool
	eval(`(() => { const a = document.querySelector('#stats-table-tools a[download]'); a.focus(); return document.activeElement === a; })()`, &focusable)
	if !focusable {
		t.Error("a download link cannot take the focus")
	}
	noScriptErrors()
}
