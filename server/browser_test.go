package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browser starts a headless Chromium (CASEWATCH_TEST_BROWSER, else one on the PATH) and
// returns a context for chromedp actions and a function that fails the test with every
// script error the pages raised.
func browser(t *testing.T) (context.Context, func()) {
	t.Helper()
	path := os.Getenv("CASEWATCH_TEST_BROWSER")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("no browser: set CASEWATCH_TEST_BROWSER or run the tests through .ci/test")
		}
		t.Skip("no Chromium found: browser test not run (use .ci/test)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests may run as root in containers
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// Runs before the cleanup above: a failed test leaves a full-page screenshot of the page
	// it was on, in CASEWATCH_TEST_ARTIFACTS (.ci/test sets it and prints it) or a new temp dir
	// that outlives the test.
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir := os.Getenv("CASEWATCH_TEST_ARTIFACTS")
		if dir == "" { // not t.TempDir(): that is removed when the test ends
			var err error
			if dir, err = os.MkdirTemp("", "casewatch-screenshots-"); err != nil {
				t.Logf("no screenshot of the failed test: %v", err)
				return
			}
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Logf("no screenshot of the failed test: %v", err)
			return
		}
		name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
		file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, time.Now().UnixNano()))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Logf("no screenshot of the failed test: %v", err)
		} else if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Logf("no screenshot of the failed test: %v", err)
		} else {
			t.Logf("screenshot of the page at the failure: %s", file)
		}
	})

	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console.error: "+strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	return ctx, func() {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Error(p)
		}
	}
}

// TestPortalInABrowser drives the real portal in Chromium against a running server: the
// synthetic banner, the case list, and the statistics view, whose table must show exactly
// the API's figures and show a withheld figure as a dash, never as a number.
func TestPortalInABrowser(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "portal.db"), "DEMO_CASES": "3000"})
	ctx, noScriptErrors := browser(t)

	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/#/cases")); err != nil {
		t.Fatalf("open the case list: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(`#results table tbody tr`)); err != nil {
		t.Fatalf("the case list shows no table: %v", err)
	}
	banner, err := chromedp.Run(ctx, chromedp.Text(`#synthetic-banner`, chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("synthetic banner: %v", err)
	}
	caseRows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#results table tbody tr').length`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(banner), "synthetic") {
		t.Errorf("synthetic banner reads %q", banner)
	}
	if caseRows == 0 {
		t.Error("the case list shows no cases")
	}
	// The case list shows published periods and fine bands, never a month or an amount.
	type caseList struct {
		Periods []string `json:"periods"`
		Fines   []string `json:"fines"`
		Text    string   `json:"text"`
	}
	listed, err := chromedp.Run(ctx, chromedp.Evaluate[caseList](`({
		periods: Array.from(document.querySelectorAll('#results table tbody tr td:nth-of-type(1)')).map(td => td.textContent),
		fines: Array.from(document.querySelectorAll('#results table tbody .fine-band')).map(e => e.textContent),
		text: document.querySelector('#results table tbody').textContent})`))
	if err != nil {
		t.Fatal(err)
	}
	period := regexp.MustCompile(`^20\d\d(-Q[1-4])?$`)
	band := regexp.MustCompile(`^(up to \d+|\d+–\d+|over \d+) (MCI|RP)$`)
	for _, p := range listed.Periods {
		if !period.MatchString(p) {
			t.Errorf("the case list shows the period %q", p)
		}
	}
	for _, f := range listed.Fines {
		if !band.MatchString(strings.ReplaceAll(f, ",", "")) {
			t.Errorf("the case list shows the fine %q", f)
		}
	}
	if len(listed.Periods) != caseRows || len(listed.Fines) == 0 || strings.Contains(listed.Text, "KZT") || strings.Contains(listed.Text, "KGS") {
		t.Errorf("case list: %d periods of %d rows, fines %q", len(listed.Periods), caseRows, listed.Fines)
	}

	// Small groups are common by defendant kind and quarter, so some figures are withheld.
	type cell struct {
		Text     string `json:"text"`
		Withheld bool   `json:"withheld"`
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.url+"/#/statistics?by=DEFENDANT_KIND&interval=QUARTER")); err != nil {
		t.Fatalf("open the statistics view: %v", err)
	}
	for _, sel := range []string{`table.stats-table tbody tr`, `.funnel-step`} {
		if _, err := chromedp.Run(ctx, chromedp.WaitVisible(sel)); err != nil {
			t.Fatalf("statistics view: no %s: %v", sel, err)
		}
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]cell](`Array.from(document.querySelectorAll('table.stats-table tbody tr')).map(tr =>
		Array.from(tr.querySelectorAll('td')).map(td => ({text: td.textContent, withheld: !!td.querySelector('.withheld')})))`))
	if err != nil {
		t.Fatal(err)
	}
	funnelSteps, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.funnel-step').length`))
	if err != nil {
		t.Fatal(err)
	}
	noScriptErrors()

	status, body := s.graphql(t, `{ statistics(groupBy: [DEFENDANT_KIND], interval: QUARTER) { buckets { period count liable } } }`)
	var a struct {
		Data struct {
			Statistics struct {
				Buckets []struct {
					Period        string
					Count, Liable *int
				}
			}
		}
	}
	if err := json.Unmarshal(body, &a); err != nil || status != 200 {
		t.Fatalf("status %d: %s (%v)", status, body, err)
	}
	buckets := a.Data.Statistics.Buckets
	if len(rows) != len(buckets) {
		t.Fatalf("the table has %d rows, the API %d buckets", len(rows), len(buckets))
	}
	if funnelSteps != 11 {
		t.Errorf("the funnel shows %d steps, want 11", funnelSteps)
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	withheld := 0
	for i, b := range buckets {
		// Cells: period, count, liable, … (no per-capita column for this grouping).
		period, figures := rows[i][0], map[string]struct {
			cell cell
			want *int
		}{"count": {rows[i][1], b.Count}, "liable": {rows[i][2], b.Liable}}
		if strings.TrimSpace(period.Text) != b.Period {
			t.Errorf("row %d: period %q, want %s", i, period.Text, b.Period)
		}
		for name, f := range figures {
			switch {
			case f.want == nil && !f.cell.Withheld:
				t.Errorf("row %d (%s): %s is withheld by the API but shows %q", i, b.Period, name, f.cell.Text)
			case f.want == nil:
				withheld++
				if strings.ContainsAny(f.cell.Text, "0123456789") {
					t.Errorf("row %d (%s): withheld %s shows a number: %q", i, b.Period, name, f.cell.Text)
				}
			case f.cell.Withheld || digits(f.cell.Text) != fmt.Sprint(*f.want):
				t.Errorf("row %d (%s): %s shows %q, want %d", i, b.Period, name, f.cell.Text, *f.want)
			}
		}
	}
	if withheld == 0 {
		t.Error("no withheld figure in the view: the test data no longer exercise how they are shown")
	}
}

// TestMisspeltLinkIsReported: a shared link with a misspelt category and an impossible date
// says so on the page, naming the parameter, the value and what was expected, in the case
// list and in the statistics view, instead of silently showing every case.
func TestMisspeltLinkIsReported(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "link.db"), "DEMO_CASES": "600"})
	ctx, noScriptErrors := browser(t)
	// In English on a desktop, and (newsroom task (e)) in Kazakh and Kyrgyz on a phone.
	for _, c := range []struct{ view, lang, expectedDate string }{
		{"cases", "", "YYYY-MM-DD"}, {"statistics", "", "YYYY-MM-DD"},
		{"cases", "kk", "ЖЖЖЖ-АА-КК"}, {"statistics", "ky", "ЖЖЖЖ-АА-КК"},
	} {
		view := c.view
		link := s.url + "/#/" + view + "?categories=INSULT_OR_LIBLE&from=2025-31-12" // the browser reads English
		if c.lang != "" {
			link += "&lang=" + c.lang
			if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := chromedp.Run(ctx, chromedp.Navigate(link)); err != nil {
			t.Fatalf("open %s: %v", link, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.WaitVisible(`#error-box li`)); err != nil {
			t.Fatalf("%s: no problem reported: %v", view, err)
		}
		// The box may be filled more than once while the page settles (a link's language is
		// loaded, then the view reports the link): read it until it says everything, or give up.
		wants := []string{"categories=INSULT_OR_LIBLE", "INSULT_OR_LIBEL", "from=2025-31-12", c.expectedDate}
		var text string
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			var err error
			if text, err = chromedp.Run(ctx, chromedp.Text(`#error-box`, chromedp.NodeVisible)); err != nil {
				t.Fatal(err)
			}
			missing := slices.IndexFunc(wants, func(w string) bool { return !strings.Contains(text, w) })
			if missing < 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("%s (%s): the report %q does not say %q", view, c.lang, text, wants[missing])
				break
			}
		}
	}
	noScriptErrors()
}

// TestNoViewWiderThanAPhone opens every view in every language on a 390 px screen: the
// page itself never scrolls sideways (a wide table scrolls inside its own box).
func TestNoViewWiderThanAPhone(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "phone.db"), "DEMO_CASES": "600"})
	ctx, noScriptErrors := browser(t)
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			if _, err := chromedp.Run(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	do(chromedp.Navigate(s.url+"/#/cases"), chromedp.WaitVisible(`#results table tbody tr a`))
	ref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#results table tbody tr a').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	type wide struct {
		Width     int      `json:"width"`
		Offenders []string `json:"offenders"`
	}
	for _, lang := range []string{"KK", "KY", "RU", "EN"} {
		for _, view := range []string{"overview", "cases", "case/" + ref, "statistics?by=REGION&interval=YEAR", "releases", "sources", "methodology"} {
			do(chromedp.Navigate(s.url + "/#/" + view))
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`localStorage.setItem('casewatch.lang', '`+lang+`')`)); err != nil {
				t.Fatal(err)
			}
			do(chromedp.Reload(), chromedp.WaitVisible(`#main h1`), chromedp.Sleep(500*time.Millisecond))
			w, err := chromedp.Run(ctx, chromedp.Evaluate[wide](`({width: document.documentElement.scrollWidth,
				offenders: Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 391 &&
					(!(e.parentElement && e.parentElement.closest('.table-wrap, pre')) || getComputedStyle(e).position === 'absolute')).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))})`))
			if err != nil {
				t.Fatal(err)
			}
			if w.Width > 390 {
				t.Errorf("%s #/%s: the page is %d px wide on a 390 px screen: %v", lang, view, w.Width, w.Offenders)
			}
		}
	}
	noScriptErrors()
}
