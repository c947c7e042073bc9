package main

// Cross-cutting browser checks of the portal: every view in every language passes axe-core's
// WCAG 2.1 A/AA rules, asks nothing of another origin, and prints its tables on A4 paper.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// portalLanguages are the languages of the portal (js/i18n.js), as stored in localStorage.
var portalLanguages = []string{"KK", "KY", "RU", "EN"}

// portalViews lists every view of the portal by its hash route, for the checks that open
// them all. caseRef is the reference of a published case. A new route belongs here.
func portalViews(caseRef string) []string {
	return []string{
		"cases",
		"case/" + caseRef,
		"statistics",
		"statistics?by=REGION&interval=YEAR",
		"releases",
		"sources",
		"methodology",
		// A shared link with values the portal does not know: the page reports them.
		"cases?categories=INSULT_OR_LIBLE&from=2025-31-12",
		// The landing page, with its charts and map; and the statistics with a period chart.
		"overview",
		"overview?jurisdiction=KG&interval=MONTH",
		"statistics?by=CONCERN&interval=QUARTER",
	}
}

// screenSizes are the screens every view is checked on: a desktop and a phone, and a desktop
// whose reader prefers a dark colour scheme (the portal has one).
var screenSizes = []struct {
	name          string
	width, height int64
	mobile, dark  bool
}{
	{"desktop", 1280, 900, false, false},
	{"phone", 390, 844, true, false},
	{"desktop-dark", 1280, 900, false, true},
}

// portalPage drives one browser through the portal's views.
type portalPage struct {
	t    *testing.T
	ctx  context.Context
	url  string
	lang string // the language chosen with setLanguage, which every view must be in
}

func (p *portalPage) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	for _, a := range actions {
		if _, err := chromedp.Run(p.ctx, a); err != nil {
			p.t.Fatal(err)
		}
	}
}

// setLanguage stores the portal's language choice for the server's origin.
func (p *portalPage) setLanguage(lang string) {
	p.t.Helper()
	// The portal stores the language it starts in once it has loaded its texts, so the
	// choice is stored after that.
	p.open("methodology")
	p.lang = lang
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[any](`localStorage.setItem('casewatch.lang', '`+lang+`')`)); err != nil {
		p.t.Fatal(err)
	}
}

// open loads a view afresh (a full page load, not a hash change) and waits until it has a
// title and nothing on it is still loading.
func (p *portalPage) open(view string) {
	p.t.Helper()
	p.do(chromedp.Navigate("about:blank"), chromedp.Navigate(p.url+"/#/"+view))
	ready := `(() => {
		const main = document.getElementById('main');
		if (!main || !main.querySelector('h1') || document.getElementById('boot-loading')) return false;
		return !document.querySelector('#main .loading, [aria-busy="true"]');
	})()`
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](ready, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		p.t.Fatalf("#/%s did not finish loading: %v", view, err)
	}
	p.do(chromedp.Sleep(300 * time.Millisecond)) // let late renders (charts, status lines) settle
	if p.lang == "" {
		return
	}
	pageLang, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		p.t.Fatal(err)
	}
	if !strings.HasPrefix(strings.ToLower(pageLang), strings.ToLower(p.lang)) {
		p.t.Errorf("%s #/%s: the page says its language is %q", p.lang, view, pageLang)
	}
}

// emulateMedia sets the emulated CSS media type and features (the zero value resets them).
func (p *portalPage) emulateMedia(m emulation.SetEmulatedMediaParams) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, m)
		return err
	})); err != nil {
		p.t.Fatal(err)
	}
}

// firstCaseRef opens the case list and returns the reference of its first case.
func (p *portalPage) firstCaseRef() string {
	p.t.Helper()
	p.do(chromedp.Navigate(p.url+"/#/cases"), chromedp.WaitVisible(`#results table tbody tr a`))
	ref, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('#results table tbody tr a').textContent`))
	if err != nil || ref == "" {
		p.t.Fatalf("no case in the list (%q): %v", ref, err)
	}
	return ref
}

type axeResult struct {
	Passed     int            `json:"passed"`
	Violations []axeViolation `json:"violations"`
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core (CASEWATCH_TEST_AXE, installed by .ci/test from .ci/axe) on
// every view in every language, on a desktop, a phone and a dark desktop screen: any violation of a WCAG
// 2.0/2.1 A or AA rule fails the test, naming the rule, its impact, the elements and the view.
func TestAccessibility(t *testing.T) {
	axePath := os.Getenv("CASEWATCH_TEST_AXE")
	if axePath == "" {
		if os.Getenv("CASEWATCH_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("no axe-core: set CASEWATCH_TEST_AXE or run the tests through .ci/test")
		}
		t.Skip("CASEWATCH_TEST_AXE is not set: accessibility check not run (use .ci/test)")
	}
	axeSource, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "a11y.db"), "DEMO_CASES": "600"})
	var caseRef string
	for _, lang := range portalLanguages {
		t.Run(lang, func(t *testing.T) {
			ctx, noScriptErrors := browser(t)
			p := &portalPage{t: t, ctx: ctx, url: s.url}
			if caseRef == "" {
				caseRef = p.firstCaseRef()
			}
			p.setLanguage(lang)
			for _, view := range portalViews(caseRef) {
				p.do(chromedp.EmulateViewport(screenSizes[0].width, screenSizes[0].height))
				p.emulateMedia(emulation.SetEmulatedMediaParams{})
				p.open(view)
				// Folded parts (the filter facets) are checked open too.
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelectorAll('details').forEach(d => d.open = true); 0`)); err != nil {
					t.Fatal(err)
				}
				// The page's CSP would refuse a <script> from elsewhere; evaluating the source
				// through the DevTools protocol is not subject to it.
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axeSource)+"\n;0")); err != nil {
					t.Fatalf("inject axe-core: %v", err)
				}
				// The same page on each screen: the portal's layout depends on CSS alone.
				for _, size := range screenSizes {
					var opts []chromedp.EmulateViewportOption
					if size.mobile {
						opts = append(opts, chromedp.EmulateMobile)
					}
					var media emulation.SetEmulatedMediaParams
					if size.dark {
						media.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}
					}
					p.do(chromedp.EmulateViewport(size.width, size.height, opts...))
					p.emulateMedia(media)
					p.do(chromedp.Sleep(150 * time.Millisecond))
					dark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`matchMedia('(prefers-color-scheme: dark)').matches`))
					if err != nil || dark != size.dark {
						t.Fatalf("%s: the browser prefers a dark scheme: %v (%v)", size.name, dark, err)
					}
					res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](`axe.run(document, {
						runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
						resultTypes: ['violations'],
					}).then(r => ({passed: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
						nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), summary: n.failureSummary || ''}))}))}))`,
						chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatalf("%s #/%s: axe-core: %v", size.name, view, err)
					}
					if res.Passed < 10 {
						t.Errorf("%s %s #/%s: axe-core passed only %d rules: did it check the page?", lang, size.name, view, res.Passed)
					}
					for _, v := range res.Violations {
						var targets []string
						for _, n := range v.Nodes {
							targets = append(targets, n.Target)
						}
						t.Errorf("%s %s #/%s: %s (%s): %s — %d element(s): %s\n\t%s", lang, size.name, view, v.ID, v.Impact, v.Help,
							len(v.Nodes), strings.Join(targets, " | "), strings.ReplaceAll(v.Nodes[0].Summary, "\n", "\n\t"))
					}
				}
			}
			noScriptErrors()
		})
	}
}

// TestNoRequestToAnotherOrigin records every request the browser makes while it opens every
// view in every language, the API explorer (/explorer, and /graphql asked for as a page): all
// of them go to the server's own origin (data: and blob: URLs are the page's own too).
func TestNoRequestToAnotherOrigin(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "origin.db"), "DEMO_CASES": "600"})
	ctx, noScriptErrors := browser(t)
	own, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var requests, foreign []string
	page := "" // what the browser was opening
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || e.Request == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		requests = append(requests, e.Request.URL)
		u, err := url.Parse(e.Request.URL)
		switch {
		case err == nil && (u.Scheme == "data" || u.Scheme == "blob" || e.Request.URL == "about:blank"):
		case err == nil && u.Scheme == own.Scheme && u.Host == own.Host:
		default:
			foreign = append(foreign, fmt.Sprintf("%s (while opening %s)", e.Request.URL, page))
		}
	}); err != nil {
		t.Fatal(err)
	}
	p := &portalPage{t: t, ctx: ctx, url: s.url}
	caseRef := p.firstCaseRef()
	for _, lang := range portalLanguages {
		p.setLanguage(lang)
		for _, view := range portalViews(caseRef) {
			mu.Lock()
			page = lang + " #/" + view
			mu.Unlock()
			p.open(view)
		}
	}
	for _, path := range []string{"/explorer", "/graphql"} {
		mu.Lock()
		page = path
		mu.Unlock()
		// A browser's navigation asks for text/html, so /graphql answers with the explorer.
		p.do(chromedp.Navigate(s.url+path), chromedp.WaitReady(`body`), chromedp.Sleep(1500*time.Millisecond))
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(title), "graphiql") && !strings.Contains(strings.ToLower(title), "explorer") && !strings.Contains(strings.ToLower(title), "casewatch") {
			t.Errorf("%s: the page %q does not look like the API explorer", path, title)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) < 50 {
		t.Errorf("only %d requests seen: the recording does not work", len(requests))
	}
	for _, f := range foreign {
		t.Errorf("request to another origin: %s", f)
	}
	noScriptErrors()
}

// a4Width is the width in CSS pixels of what Chromium lays out on a portrait A4 page with its
// default margins of 1 cm: (8.27 in - 2 × 0.3937 in) × 96 px/in.
const a4Width = 718

// TestPrintOnA4 prints every view in every language on portrait A4 paper (print media at the
// width Chromium lays an A4 page out at): with the print stylesheet no table, and nothing else,
// is wider than the page, navigation and controls are not printed, and the statistics view
// grouped by region and year turns into an A4 PDF.
func TestPrintOnA4(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "print.db"), "DEMO_CASES": "600"})
	type printed struct {
		Page      int      `json:"page"`
		Tables    []int    `json:"tables"`
		Offenders []string `json:"offenders"`
		Controls  []string `json:"controls"`
	}
	var caseRef string
	for _, lang := range portalLanguages {
		t.Run(lang, func(t *testing.T) {
			ctx, noScriptErrors := browser(t)
			p := &portalPage{t: t, ctx: ctx, url: s.url}
			if caseRef == "" {
				caseRef = p.firstCaseRef()
			}
			p.setLanguage(lang)
			p.emulateMedia(emulation.SetEmulatedMediaParams{Media: "print"})
			p.do(chromedp.EmulateViewport(a4Width, 1123))
			for _, view := range portalViews(caseRef) {
				p.open(view)
				if strings.HasPrefix(view, "statistics?") {
					p.do(chromedp.WaitVisible(`table.stats-table tbody tr`))
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[printed](`(() => {
					const right = (e) => Math.ceil(e.getBoundingClientRect().right);
					return {
						page: document.documentElement.scrollWidth,
						tables: Array.from(document.querySelectorAll('table')).map(tb => Math.max(right(tb), Math.ceil(tb.getBoundingClientRect().left) + tb.scrollWidth)),
						offenders: Array.from(document.querySelectorAll('body *')).filter(e => right(e) > `+fmt.Sprint(a4Width)+` &&
							getComputedStyle(e).position !== 'absolute').slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + JSON.stringify(e.textContent.trim().slice(0, 30)) + ' ' + right(e)),
						controls: Array.from(document.querySelectorAll('.site-nav, .lang-switch, #main form, #main button, #main .button'))
							.filter(e => e.getClientRects().length > 0).slice(0, 5).map(e => e.tagName + '.' + e.className),
					};
				})()`))
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(view, "statistics?") && len(got.Tables) == 0 {
					t.Errorf("%s #/%s: the printout has no table", lang, view)
				}
				for i, w := range got.Tables {
					if w > a4Width {
						t.Errorf("%s #/%s: printed table %d is %d px wide on an A4 page of %d px", lang, view, i+1, w, a4Width)
					}
				}
				if got.Page > a4Width || len(got.Offenders) > 0 {
					t.Errorf("%s #/%s: the printout is %d px wide on an A4 page of %d px: %v", lang, view, got.Page, a4Width, got.Offenders)
				}
				if len(got.Controls) > 0 {
					t.Errorf("%s #/%s: the printout shows navigation or controls: %v", lang, view, got.Controls)
				}
				if view != "statistics?by=REGION&interval=YEAR" {
					continue
				}
				pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFMargin(0.3937)))
				if err != nil {
					t.Fatalf("%s: print to PDF: %v", lang, err)
				}
				if !strings.HasPrefix(string(pdf), "%PDF") {
					t.Errorf("%s: the printout is not a PDF", lang)
				}
				if dir := os.Getenv("CASEWATCH_TEST_PRINT_DIR"); dir != "" { // to look at the printout
					_ = os.WriteFile(filepath.Join(dir, "statistics-"+lang+".pdf"), pdf, 0o644)
				}
			}
			noScriptErrors()
		})
	}
}
