package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The portal on a slow phone: a first visit (nothing cached) over a slow mobile connection,
// timed from the start of the navigation until the view shows its data.

const (
	// landingPath is the address a visitor opens, and landingReady the element that shows
	// the landing view's data (the first row of the case list).
	landingPath  = "/"
	landingReady = "#ov-headline .ov-card-value"

	// The slow connection: 1.6 Mbit/s down, 750 kbit/s up, 150 ms from a request to its
	// answer's headers (Chrome's "Fast 3G" profile, which the issue names).
	slowDownBitsPerSecond = 1_600_000
	slowUpBitsPerSecond   = 750_000
	slowLatency           = 150 * time.Millisecond

	// speedLang is the reader's language: Russian, so that the page loads two translations
	// (the reader's and the English fallback), as it does for most readers.
	speedLang = "RU"
)

// speedViews are the views timed: the landing view, and two views a link may open.
var speedViews = []struct{ name, path, ready string }{
	{"landing", landingPath, landingReady},
	{"statistics", "/#/statistics", "table.stats-table tbody tr"},
	{"cases", "/#/cases", "#results table tbody tr"},
}

// speedRequest is one request of a page load, as the browser saw it.
type speedRequest struct {
	url, method   string
	start, end    float64 // seconds, the browser's monotonic clock; end 0 while in flight
	status        int64
	headers       map[string]string // of the answer, lower-case names
	bytes         float64           // on the wire, headers included
	failed        bool
	fromDataCache bool
}

// speedLoad is what one page load measured.
type speedLoad struct {
	toData       time.Duration // from the navigation's start until the ready element is there
	requests     []*speedRequest
	scriptErrors []string
}

func (l *speedLoad) graphQL() []*speedRequest {
	var gql []*speedRequest
	for _, r := range l.requests {
		if u, err := url.Parse(r.url); err == nil && u.Path == "/graphql" && r.method == "POST" {
			gql = append(gql, r)
		}
	}
	return gql
}

// rounds is the length of the longest chain of requests of which each one started only
// after the one before it had finished: the round trips a visitor waits for one after
// another. Requests that all run at once are one round.
func rounds(reqs []*speedRequest) int {
	sorted := slices.Clone(reqs)
	slices.SortFunc(sorted, func(a, b *speedRequest) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	depth := make([]int, len(sorted))
	most := 0
	for i, r := range sorted {
		depth[i] = 1
		for j := range i {
			if p := sorted[j]; p.end > 0 && p.end <= r.start && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		most = max(most, depth[i])
	}
	return most
}

// maxInFlight is the largest number of the requests under way at one moment.
func maxInFlight(reqs []*speedRequest) int {
	most := 0
	for _, r := range reqs {
		n := 0
		for _, o := range reqs {
			if o.start <= r.start && (o.end == 0 || o.end > r.start) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

func (l *speedLoad) bytes() float64 {
	var n float64
	for _, r := range l.requests {
		n += r.bytes
	}
	return n
}

// problems lists what the page load did against the rules for static files and answers:
// every script, style sheet and JSON answer of 1 KB or more comes compressed, and every
// module, style sheet and translation comes under a versioned (?v=) URL, cached for a year.
func (l *speedLoad) problems() []string {
	var out []string
	for _, r := range l.requests {
		if r.failed || r.status == 0 {
			continue
		}
		u, err := url.Parse(r.url)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", r.url, err))
			continue
		}
		ctype := r.headers["content-type"]
		textual := strings.Contains(ctype, "javascript") || strings.Contains(ctype, "css") || strings.Contains(ctype, "json")
		small := false
		if n, err := strconv.Atoi(r.headers["content-length"]); err == nil && n < 1024 {
			small = true
		}
		if textual && !small && r.headers["content-encoding"] == "" && r.status == 200 {
			out = append(out, fmt.Sprintf("%s (%s) came uncompressed", u.RequestURI(), ctype))
		}
		static := strings.HasPrefix(u.Path, "/js/") || strings.HasPrefix(u.Path, "/i18n/") || strings.HasSuffix(u.Path, ".css")
		if static {
			if u.Query().Get("v") == "" {
				out = append(out, fmt.Sprintf("%s has no version (?v=)", u.RequestURI()))
			}
			if cc := r.headers["cache-control"]; !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				out = append(out, fmt.Sprintf("%s is cached as %q, not for a year", u.RequestURI(), cc))
			}
		}
	}
	return out
}

func (l *speedLoad) String() string {
	var b strings.Builder
	t0 := 0.0
	for _, r := range l.requests {
		if t0 == 0 || r.start < t0 {
			t0 = r.start
		}
	}
	for _, r := range l.requests {
		u, _ := url.Parse(r.url)
		end := "…"
		if r.end > 0 {
			end = fmt.Sprintf("%5.0f", (r.end-t0)*1000)
		}
		fmt.Fprintf(&b, "  %5.0f–%s ms %6.0f B %3d %s %s\n", (r.start-t0)*1000, end, r.bytes, r.status, r.method, u.RequestURI())
	}
	fmt.Fprintf(&b, "  data shown after %v", l.toData.Round(time.Millisecond))
	return b.String()
}

// slowPhoneBrowser starts a headless Chromium for page loads on a slow connection.
func slowPhoneBrowser(tb testing.TB) context.Context {
	tb.Helper()
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
			tb.Fatal("no browser: set CASEWATCH_TEST_BROWSER or run the tests through .ci/test")
		}
		tb.Skip("no Chromium found: browser test not run (use .ci/test)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.WindowSize(390, 844),
		chromedp.Flag("ignore-certificate-errors", true), // the HTTP/2 proxy's test certificate
		chromedp.UserDataDir(filepath.Join(tb.TempDir(), "profile")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("start the browser: %v", err)
	}
	return ctx
}

// cpuSlowdown is how much slower than this machine the phone's processor is taken to be:
// CASEWATCH_BENCH_CPU_SLOWDOWN, 1 (not slowed) when unset.
func cpuSlowdown() float64 {
	if f, err := strconv.ParseFloat(os.Getenv("CASEWATCH_BENCH_CPU_SLOWDOWN"), 64); err == nil && f >= 1 {
		return f
	}
	return 1
}

// loadOnSlowPhone opens url in a new tab of the browser as a first visit (no cache) over
// the slow connection and waits until the element ready is on the page.
func loadOnSlowPhone(browserCtx context.Context, pageURL, ready string) (*speedLoad, error) {
	tab, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(tab, time.Minute)
	defer cancelTimeout()

	var mu sync.Mutex
	byID := map[network.RequestID]*speedRequest{}
	var order []*speedRequest
	var scriptErrors []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			scriptErrors = append(scriptErrors, msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				scriptErrors = append(scriptErrors, fmt.Sprint("console.error ", e.Args))
			}
		case *network.EventRequestWillBeSent:
			if e.Request == nil || strings.HasPrefix(e.Request.URL, "data:") {
				return
			}
			r := &speedRequest{url: e.Request.URL, method: e.Request.Method, start: e.Timestamp.Float64()}
			byID[e.RequestID] = r
			order = append(order, r)
		case *network.EventResponseReceived:
			if r := byID[e.RequestID]; r != nil && e.Response != nil {
				r.status = e.Response.Status
				r.headers = map[string]string{}
				for k, v := range e.Response.Headers {
					r.headers[strings.ToLower(k)] = fmt.Sprint(v)
				}
				r.fromDataCache = e.Response.FromDiskCache || e.Response.FromPrefetchCache
			}
		case *network.EventLoadingFinished:
			if r := byID[e.RequestID]; r != nil {
				r.end = e.Timestamp.Float64()
				r.bytes = e.EncodedDataLength
			}
		case *network.EventLoadingFailed:
			if r := byID[e.RequestID]; r != nil {
				r.end = e.Timestamp.Float64()
				r.failed = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		return nil, fmt.Errorf("disable the cache: %w", err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{
			Latency:            float64(slowLatency.Milliseconds()),
			DownloadThroughput: slowDownBitsPerSecond / 8,
			UploadThroughput:   slowUpBitsPerSecond / 8,
			ConnectionType:     network.ConnectionTypeCellular3g,
		}},
	}); err != nil {
		return nil, fmt.Errorf("emulate a slow connection: %w", err)
	}
	if f := cpuSlowdown(); f > 1 {
		if _, err := chromedp.Call(ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: f}); err != nil {
			return nil, fmt.Errorf("slow the processor down: %w", err)
		}
	}
	// Sets the reader's language and notes the moment (performance.now(): since the
	// navigation started) the ready element first appears.
	observer := fmt.Sprintf(`(() => {
  try { localStorage.setItem('casewatch.lang', %q); } catch {}
  const sel = %q;
  const seen = () => {
    if (window.__casewatchDataShown === undefined && document.querySelector(sel)) {
      window.__casewatchDataShown = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})()`, speedLang, ready)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: observer}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(pageURL)); err != nil {
		return nil, fmt.Errorf("open %s: %w", pageURL, err)
	}
	ms, err := chromedp.Run(ctx, chromedp.Poll[float64](`window.__casewatchDataShown`, chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		return nil, fmt.Errorf("%s: %s never appeared: %w", pageURL, ready, err)
	}
	// Let the requests under way finish, so that their sizes are known.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		busy := slices.ContainsFunc(order, func(r *speedRequest) bool { return r.end == 0 })
		mu.Unlock()
		if !busy {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	l := &speedLoad{toData: time.Duration(ms * float64(time.Millisecond)), scriptErrors: slices.Clone(scriptErrors)}
	for _, r := range order {
		c := *r
		l.requests = append(l.requests, &c)
	}
	return l, nil
}

// startSpeedServer starts the server with a demo dataset the size of the other browser
// tests'. With CASEWATCH_BENCH_HTTP2=1 the browser reaches it through a TLS proxy speaking
// HTTP/2, as behind a TLS-terminating proxy, instead of over HTTP/1.1 (at most six
// connections, so six requests at a time).
func startSpeedServer(tb testing.TB) *server {
	s := start(tb, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(tb.TempDir(), "speed.db"), "DEMO_CASES": "3000"})
	if os.Getenv("CASEWATCH_BENCH_HTTP2") != "1" {
		return s
	}
	target, err := url.Parse(s.url)
	if err != nil {
		tb.Fatal(err)
	}
	front := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(target))
	front.EnableHTTP2 = true
	front.StartTLS()
	tb.Cleanup(front.Close)
	return &server{url: front.URL, stop: s.stop}
}

// BenchmarkPortalOnSlowPhone times a first visit on a slow phone connection for the landing
// view and the views a shared link opens: milliseconds from the start of the navigation until
// the view shows its data (the median of the runs), the GraphQL requests and the rounds of
// them a visitor waits for one after another, all requests' rounds, and the bytes the page
// load moved.
//
//	go test ./server -run '^$' -bench PortalOnSlowPhone -benchtime 5x
func BenchmarkPortalOnSlowPhone(b *testing.B) {
	s := startSpeedServer(b)
	ctx := slowPhoneBrowser(b)
	// A first load of each view fills the server's answer cache, as visitors before have.
	for _, v := range speedViews {
		if _, err := loadOnSlowPhone(ctx, s.url+v.path, v.ready); err != nil {
			b.Fatal(err)
		}
	}
	times := map[string][]float64{}
	last := map[string]*speedLoad{}
	b.ResetTimer()
	for range b.N {
		for _, v := range speedViews {
			l, err := loadOnSlowPhone(ctx, s.url+v.path, v.ready)
			if err != nil {
				b.Fatal(err)
			}
			times[v.name] = append(times[v.name], float64(l.toData.Microseconds())/1000)
			last[v.name] = l
		}
	}
	b.StopTimer()
	for _, v := range speedViews {
		l := last[v.name]
		ts := times[v.name]
		slices.Sort(ts)
		b.ReportMetric(ts[len(ts)/2], "ms-to-data/"+v.name)
		b.ReportMetric(float64(len(l.graphQL())), "graphql-requests/"+v.name)
		b.ReportMetric(float64(rounds(l.graphQL())), "graphql-rounds/"+v.name)
		b.ReportMetric(float64(rounds(l.requests)), "rounds/"+v.name)
		b.ReportMetric(l.bytes()/1000, "kB/"+v.name)
		b.Logf("%s (%s), runs %v ms:\n%s", v.name, v.path, ts, l)
		for _, p := range append(l.problems(), l.scriptErrors...) {
			b.Errorf("%s: %s", v.name, p)
		}
	}
}

// TestLandingPageAsksInParallel fails when a view of a first visit waits for one GraphQL
// answer before it sends its next request, or when the page load as a whole takes more
// round trips one after another than the page, its modules and style sheet (all preloaded),
// and then its data and texts together. It also checks that scripts, style sheets and JSON
// come compressed, and modules, style sheet and translations under versioned URLs cached
// for a year.
func TestLandingPageAsksInParallel(t *testing.T) {
	s := startSpeedServer(t)
	ctx := slowPhoneBrowser(t)
	for _, v := range speedViews {
		l, err := loadOnSlowPhone(ctx, s.url+v.path, v.ready)
		if err != nil {
			t.Fatal(err)
		}
		gql := l.graphQL()
		if len(gql) == 0 {
			t.Errorf("%s: no GraphQL request", v.name)
		}
		if n := rounds(gql); n > 1 || (len(gql) > 1 && maxInFlight(gql) < 2) {
			t.Errorf("%s: %d GraphQL requests in %d rounds, one after another; want them all at once:\n%s", v.name, len(gql), n, l)
		}
		if n := rounds(l.requests); n > 3 {
			t.Errorf("%s: the page load waits for %d round trips one after another; want 3 (the page; its modules and style sheet; its data and texts):\n%s", v.name, n, l)
		}
		for _, p := range append(l.problems(), l.scriptErrors...) {
			t.Errorf("%s: %s", v.name, p)
		}
	}
}

// TestSlowStartAndQuickNavigation: requests sent ahead keep the portal's behaviour. While the
// server answers 503 with Retry-After, the page says so in the reader's words (the answers
// come before the texts) and shows the view once the server answers; a reader who leaves a
// view before its answers came has its requests cancelled, and sees only the view they went
// to.
func TestSlowStartAndQuickNavigation(t *testing.T) {
	s := startSpeedServer(t)
	target, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var starting atomic.Bool
	var delay atomic.Int64
	var caseListAnswers atomic.Int32 // answers to the case list's requests
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/graphql" && r.Method == http.MethodPost {
			if starting.Load() {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "starting: preparing the database", http.StatusServiceUnavailable)
				return
			}
			// The server notices a closed connection once it has read the request.
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			select {
			case <-time.After(time.Duration(delay.Load())):
				// The case list's own: its cases and the regions of its jurisdiction (the
				// statistics view asks for every region, with no jurisdiction).
				if bytes.Contains(b, []byte(`"operationName":"Cases"`)) ||
					bytes.Contains(b, []byte(`"operationName":"Regions"`)) && bytes.Contains(b, []byte(`"jurisdiction":"KG"`)) {
					caseListAnswers.Add(1)
				}
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	ctx, noScriptErrors := browser(t)

	starting.Store(true)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(front.URL+"/#/cases")); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text("#error-box li", chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("no message while the server starts: %v", err)
	}
	if !strings.Contains(msg, "still preparing") {
		t.Errorf("while the server starts the page says %q", msg)
	}
	starting.Store(false)
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible("#results table tbody tr")); err != nil {
		t.Fatalf("no case list once the server answers: %v", err)
	}
	if hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('error-box').hidden`)); err != nil || !hidden {
		t.Errorf("the message stays once the server answers (hidden %v, %v)", hidden, err)
	}

	// A new visit whose answers take a second; the reader goes to the statistics at once.
	delay.Store(int64(time.Second))
	caseListAnswers.Store(0)
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(front.URL+"/#/cases?jurisdiction=KG")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`location.hash = '#/statistics'`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible("table.stats-table tbody tr")); err != nil {
		t.Fatalf("no statistics: %v", err)
	}
	time.Sleep(1500 * time.Millisecond) // what the case list asked would have come by now
	state, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`[!!document.querySelector('.view-statistics'), !!document.querySelector('.view-cases'), document.getElementById('error-box').hidden]`))
	if err != nil {
		t.Fatal(err)
	}
	if !state[0] || state[1] || !state[2] {
		t.Errorf("after going to the statistics: statistics shown %v, case list shown %v, no error %v", state[0], state[1], state[2])
	}
	if n := caseListAnswers.Load(); n > 0 {
		t.Errorf("%d requests of the case list were answered after the reader had left it (not cancelled)", n)
	}
	noScriptErrors()
}
