package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/graph/graphtest"
	"github.com/casewatch/casewatch/internal/cache/cachetest"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The load generator of TestLoadAndFaults and BenchmarkLoadAndFaults: clients on loopback
// send a paced mix of requests to a real server process while the test stops Redis,
// restarts PostgreSQL and locks the cases table; every answer is classified.

// loadKind is what a request of the mix asks.
type loadKind int

const (
	kindCached    loadKind = iota // one of a few questions, asked again and again
	kindUncached                  // a case list or statistics with varying filters
	kindPage                      // the next page of a walk through `cases` by cursor
	kindExport                    // a small CSV export, read to the end
	kindPersisted                 // a persisted query over GET, by hash
	kindHostile                   // a hostile document (graph/graphtest), small
	numKinds
)

var kindNames = [numKinds]string{"cached", "uncached", "page", "export", "persisted", "hostile"}

// loadMix is the share of each kind, in percent.
var loadMix = [numKinds]int{kindCached: 35, kindUncached: 15, kindPage: 20, kindExport: 5, kindPersisted: 20, kindHostile: 5}

// loadClass is how a request ended.
type loadClass int

const (
	classOK         loadClass = iota // answered in full, and the answer checks out
	classRefused                     // a hostile document refused with QUERY_TOO_COMPLEX or BAD_USER_INPUT
	classFaultError                  // during a fault: GraphQL errors, each with a code of the contract
	classFault503                    // during a fault: 503 with Retry-After
	classFaultCut                    // during a fault: an export whose transfer was broken off
	classError                       // anything else, or any of the fault classes outside a fault
	numClasses
)

var classNames = [numClasses]string{"ok", "refused", "fault: clean GraphQL error", "fault: 503 Retry-After", "fault: export cut off", "ERROR"}

// hangLimit is the longest a request may take: the longest execution deadline (10 s,
// graph.executionDeadline) and some.
const hangLimit = 15 * time.Second

// cachedQuestions are asked again and again: answered from the cache but for the first
// time, and always with the same answer.
var cachedQuestions = []string{
	`{ currentRelease { version synthetic } }`,
	`{ cases(first: 10) { totalCount edges { node { reference category stage reportedMonth } } } }`,
	`{ cases(first: 20, filter: {jurisdiction: KG}) { totalCount edges { node { reference region { code name } outcome { decision } } } } }`,
	`{ statistics(groupBy: [REGION], interval: YEAR) { total { count liable fined } buckets { key { code } period count suppressed } } }`,
	`{ statistics(groupBy: [CATEGORY]) { total { count } buckets { key { code label } count fined fines { currency median } } } }`,
	`{ funnel(filter: {decisions: [LIABLE, NOT_LIABLE]}) { steps { step count suppressed } } }`,
	`{ regions(jurisdiction: KZ) { code name } }`,
}

// detectionQuestions join cachedQuestions when the plan says so: the funnel's first steps
// count the demo's 491,071 detections in SQL, which takes seconds in pure-Go SQLite built
// with -race.
var detectionQuestions = []string{
	`{ funnel { steps { step count suppressed } } }`,
	`{ funnel(filter: {jurisdiction: KZ}) { steps { step count } } }`,
}

// persistedQuestions are asked by hash over GET with varying variables.
var persistedQuestions = []string{
	`query Count($j: Jurisdiction, $p: [Platform!]) { cases(filter: {jurisdiction: $j, platforms: $p}) { totalCount } }`,
	`query Totals($from: Date) { statistics(groupBy: [JURISDICTION], filter: {reportedFrom: $from}) { total { count liable } buckets { key { code } count } } }`,
}

const pageQuery = `query Page($after: String, $f: CaseFilter, $o: CaseOrder) {
  cases(first: 20, after: $after, filter: $f, orderBy: $o) {
    totalCount edges { cursor node { reference category } } pageInfo { hasNextPage endCursor } } }`

var (
	loadPlatforms  = []string{"INSTAGRAM", "TELEGRAM", "TIKTOK", "FACEBOOK", "YOUTUBE", "VK", "WHATSAPP", "X", "WEBSITE", "OTHER"}
	loadCategories = []string{"FALSE_INFORMATION", "INSULT_OR_LIBEL", "INCITEMENT_OF_DISCORD", "DRUG_PROMOTION", "GAMBLING_ADVERTISING", "RELIGIOUS_EXTREMISM"}
	loadOrders     = []string{"REPORTED_DESC", "REPORTED_ASC", "DECIDED_DESC", "DECIDED_ASC"}
	loadGroupings  = []string{"[REGION]", "[CATEGORY]", "[PLATFORM, DECISION]", "[STAGE]", "[DEFENDANT_KIND]"}
)

func randomMonth(rng *rand.Rand) string {
	return fmt.Sprintf("%d-%02d-01", 2021+rng.IntN(4), 1+rng.IntN(12))
}

// loadPlan sizes a run: the clients, their pace and bounds, and the phases.
type loadPlan struct {
	clients     int
	rate        float64       // requests a second, over all clients
	maxRequests int           // the generator stops after this many, whatever the time
	steady      time.Duration // each steady phase: before the faults and after them
	outage      time.Duration // how long Redis is down, and PostgreSQL at least
	lock        time.Duration // how long the cases table is locked: past the 2 s deadline
	grace       time.Duration // after a fault ends, how long recovery may take
	detections  bool          // ask detectionQuestions too
}

// faultWindow is a span in which requests may end in the fault classes.
type faultWindow struct {
	name     string
	from, to time.Time // to is zero while the fault lasts
	counts   [numClasses]int
	samples  []string // the first answers that were not full ones
}

// loadRecord is one finished request.
type loadRecord struct {
	kind       loadKind
	class      loadClass
	start, end time.Time
	window     string // the fault window it fell in, if any
	detail     string // what was wrong, for errors and fault classes
}

// loadGen sends the mix and keeps what happened.
type loadGen struct {
	base      string
	plan      loadPlan
	client    *http.Client
	questions []string // the cached questions

	mu      sync.Mutex
	windows []*faultWindow
	records []loadRecord
	truth   map[string]string // the first full answer of each cached question

	sent    atomic.Int64 // requests begun
	resent  atomic.Int64 // persisted queries sent again with their document (PersistedQueryNotFound)
	stop    chan struct{}
	stopped sync.Once
	done    sync.WaitGroup
	from    time.Time
	until   time.Time
}

func newLoadGen(base string, plan loadPlan) *loadGen {
	questions := cachedQuestions
	if plan.detections {
		questions = append(slices.Clip(questions), detectionQuestions...)
	}
	return &loadGen{
		base: base, plan: plan, questions: questions, truth: map[string]string{}, stop: make(chan struct{}),
		client: &http.Client{
			Timeout:   hangLimit + 15*time.Second, // a hang is classified, not waited for forever
			Transport: &http.Transport{MaxIdleConnsPerHost: plan.clients, DisableCompression: true},
		},
	}
}

// start launches the clients and the pacer; the generator stops by itself after
// plan.maxRequests or maxTime, or when finish is called.
func (g *loadGen) start(maxTime time.Duration) {
	g.from = time.Now()
	tokens := make(chan struct{}, g.plan.clients)
	deadline := time.NewTimer(maxTime)
	g.done.Go(func() {
		defer close(tokens)
		defer deadline.Stop()
		tick := time.NewTicker(time.Duration(float64(time.Second) / g.plan.rate))
		defer tick.Stop()
		for n := 0; n < g.plan.maxRequests; {
			select {
			case <-g.stop:
				return
			case <-deadline.C:
				return
			case <-tick.C:
				select {
				case tokens <- struct{}{}:
					n++
				default: // every client is busy: the server is behind, the pace drops
				}
			}
		}
	})
	for i := range g.plan.clients {
		g.done.Go(func() {
			c := &loadClient{g: g, rng: rand.New(rand.NewPCG(uint64(i)+1, uint64(g.from.UnixNano())))}
			for range tokens {
				c.one()
			}
		})
	}
}

// finish stops the generator and waits for the requests under way.
func (g *loadGen) finish() {
	g.stopped.Do(func() { close(g.stop) })
	g.done.Wait()
	g.until = time.Now()
	g.client.CloseIdleConnections()
}

// fault opens a fault window; the function it returns closes it grace after it is called.
func (g *loadGen) fault(name string) (end func(grace time.Duration)) {
	w := &faultWindow{name: name, from: time.Now()}
	g.mu.Lock()
	g.windows = append(g.windows, w)
	g.mu.Unlock()
	return func(grace time.Duration) {
		g.mu.Lock()
		w.to = time.Now().Add(grace)
		g.mu.Unlock()
	}
}

// record classifies a finished request. The fault classes are allowed only to a request
// that overlaps a fault window; elsewhere they are errors. So is a request slower than
// hangLimit.
func (g *loadGen) record(kind loadKind, class loadClass, start time.Time, detail string) {
	end := time.Now()
	if end.Sub(start) > hangLimit {
		class, detail = classError, fmt.Sprintf("took %v: %s", end.Sub(start).Round(time.Millisecond), detail)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var in *faultWindow
	for _, w := range g.windows {
		if !start.After(w.to) || w.to.IsZero() {
			if !end.Before(w.from) {
				in = w
				break
			}
		}
	}
	if class >= classFaultError && class <= classFaultCut && in == nil {
		class, detail = classError, "outside any fault: "+detail
	}
	r := loadRecord{kind: kind, class: class, start: start, end: end, detail: detail}
	if in != nil {
		r.window = in.name
		in.counts[class]++
		if class != classOK && class != classRefused && len(in.samples) < 5 {
			in.samples = append(in.samples, kindNames[kind]+": "+detail)
		}
	}
	g.records = append(g.records, r)
}

// loadClient is one client of the generator, with its own random source and walk.
type loadClient struct {
	g    *loadGen
	rng  *rand.Rand
	walk *pageWalk
}

// pageWalk is a walk through the pages of one case list.
type pageWalk struct {
	vars  map[string]any
	pages int
	seen  map[string]bool // references met so far: no page repeats a case
}

func (c *loadClient) one() {
	c.g.sent.Add(1)
	n := c.rng.IntN(100)
	kind := kindCached
	for k := range numKinds {
		if n < loadMix[k] {
			kind = k
			break
		}
		n -= loadMix[k]
	}
	start := time.Now()
	class, detail := c.send(kind)
	c.g.record(kind, class, start, detail)
}

func (c *loadClient) send(kind loadKind) (loadClass, string) {
	switch kind {
	case kindCached:
		q := c.g.questions[c.rng.IntN(len(c.g.questions))]
		class, detail, body, _ := c.g.post(q, nil)
		if class == classOK {
			if want := c.g.truthOf(q, body); body != want {
				return classError, fmt.Sprintf("%s: answer changed: %.200s, was %.200s", q, body, want)
			}
		}
		return class, detail
	case kindUncached:
		return c.uncached()
	case kindPage:
		return c.page()
	case kindExport:
		return c.export()
	case kindPersisted:
		return c.persisted()
	default:
		return c.hostile()
	}
}

func (c *loadClient) uncached() (loadClass, string) {
	var q string
	var vars map[string]any
	if c.rng.IntN(3) == 0 {
		q = fmt.Sprintf(`query($f: CaseFilter) { statistics(groupBy: %s, filter: $f) { total { count fined } buckets { key { code } count suppressed } } }`,
			loadGroupings[c.rng.IntN(len(loadGroupings))])
		vars = map[string]any{"f": map[string]any{"reportedFrom": randomMonth(c.rng), "platforms": []string{loadPlatforms[c.rng.IntN(len(loadPlatforms))]}}}
	} else {
		q = `query($n: Int, $o: CaseOrder, $f: CaseFilter) { cases(first: $n, orderBy: $o, filter: $f) {
  totalCount edges { node { reference category stage outcome { decision fine { amount } } appeals { status } } } } }`
		vars = map[string]any{"n": 1 + c.rng.IntN(50), "o": loadOrders[c.rng.IntN(len(loadOrders))],
			"f": map[string]any{"reportedFrom": randomMonth(c.rng), "categories": []string{loadCategories[c.rng.IntN(len(loadCategories))]}}}
	}
	class, detail, _, _ := c.g.post(q, vars)
	return class, detail
}

// page asks the next page of the client's walk, or the first of a new one, and checks
// that no case comes twice.
func (c *loadClient) page() (loadClass, string) {
	if c.walk == nil {
		f := map[string]any{}
		if c.rng.IntN(2) == 0 {
			f["platforms"] = []string{loadPlatforms[c.rng.IntN(len(loadPlatforms))]}
		} else {
			f["reportedFrom"] = randomMonth(c.rng)
		}
		c.walk = &pageWalk{vars: map[string]any{"f": f, "o": loadOrders[c.rng.IntN(len(loadOrders))]}, seen: map[string]bool{}}
	}
	w := c.walk
	class, detail, _, data := c.g.post(pageQuery, w.vars)
	if class != classOK {
		c.walk = nil // start again: a cursor is good for one release, not one attempt
		return class, detail
	}
	var a struct {
		Cases struct {
			TotalCount int
			Edges      []struct{ Node struct{ Reference string } }
			PageInfo   struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return classError, "page: " + err.Error()
	}
	if len(a.Cases.Edges) > 20 || (a.Cases.PageInfo.HasNextPage && (a.Cases.PageInfo.EndCursor == nil || len(a.Cases.Edges) == 0)) {
		return classError, fmt.Sprintf("page: %d edges, pageInfo %+v", len(a.Cases.Edges), a.Cases.PageInfo)
	}
	for _, e := range a.Cases.Edges {
		if w.seen[e.Node.Reference] {
			return classError, "page: case " + e.Node.Reference + " came twice in one walk"
		}
		w.seen[e.Node.Reference] = true
	}
	w.pages++
	if !a.Cases.PageInfo.HasNextPage || w.pages == 5 {
		if !a.Cases.PageInfo.HasNextPage && len(w.seen) != a.Cases.TotalCount {
			return classError, fmt.Sprintf("page: walked %d cases of %d", len(w.seen), a.Cases.TotalCount)
		}
		c.walk = nil
	} else {
		w.vars["after"] = *a.Cases.PageInfo.EndCursor
	}
	return classOK, ""
}

// export reads a small CSV export to its end: a header, then rows, each ending a line.
func (c *loadClient) export() (loadClass, string) {
	q := url.Values{"jurisdiction": {"KG"}, "categories": {loadCategories[c.rng.IntN(len(loadCategories))]},
		"platforms": {loadPlatforms[c.rng.IntN(len(loadPlatforms))]}, "reportedFrom": {randomMonth(c.rng)}}
	resp, err := c.g.client.Get(c.g.base + "/export/cases.csv?" + q.Encode())
	if err != nil {
		return classError, "export: " + err.Error()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		return classFault503, "export: 503"
	case resp.StatusCode != http.StatusOK:
		return classError, fmt.Sprintf("export: %d %.200s", resp.StatusCode, body)
	case err != nil:
		return classFaultCut, "export: " + err.Error()
	case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("reference,")) || !bytes.HasSuffix(body, []byte("\n")):
		return classError, fmt.Sprintf("export: %s %.200q", resp.Header.Get("Content-Type"), body)
	}
	return classOK, ""
}

// persisted asks a persisted query by its hash over GET; when the server does not know
// the hash (a new server, or Redis lost it), it sends the document with it, as a client of
// automatic persisted queries does.
func (c *loadClient) persisted() (loadClass, string) {
	i := c.rng.IntN(len(persistedQuestions))
	doc := persistedQuestions[i]
	sum := sha256.Sum256([]byte(doc))
	params := url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`}}
	var vars map[string]any
	if i == 0 {
		vars = map[string]any{"j": []string{"KZ", "KG"}[c.rng.IntN(2)], "p": []string{loadPlatforms[c.rng.IntN(len(loadPlatforms))]}}
	} else {
		vars = map[string]any{"from": randomMonth(c.rng)}
	}
	v, _ := json.Marshal(vars)
	params.Set("variables", string(v))
	status, header, body, err := c.g.do(http.MethodGet, c.g.base+"/graphql?"+params.Encode(), nil)
	if err == nil && strings.Contains(string(body), "PersistedQueryNotFound") {
		c.g.resent.Add(1)
		params.Set("query", doc)
		status, header, body, err = c.g.do(http.MethodGet, c.g.base+"/graphql?"+params.Encode(), nil)
	}
	class, detail, _ := classifyGraphQL(status, header, body, err)
	return class, detail
}

// hostile sends one of the hostile shapes at a small size: answered or refused cleanly.
func (c *loadClient) hostile() (loadClass, string) {
	shape := graphtest.HostileShapes[c.rng.IntN(len(graphtest.HostileShapes))]
	q, vars := shape.Write(c.rng, 2+c.rng.IntN(60))
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	status, header, body, err := c.g.do(http.MethodPost, c.g.base+"/graphql", b)
	class, detail, _ := classifyGraphQL(status, header, body, err)
	if class == classFaultError && status < 500 && refusedCleanly(body) {
		return classRefused, ""
	}
	return class, shape.Name + ": " + detail
}

// refusedCleanly: every error says QUERY_TOO_COMPLEX or BAD_USER_INPUT.
func refusedCleanly(body []byte) bool {
	var a gqlAnswer
	if json.Unmarshal(body, &a) != nil || len(a.Errors) == 0 {
		return false
	}
	for _, e := range a.Errors {
		if e.Extensions.Code != graph.CodeTooComplex && e.Extensions.Code != graph.CodeBadUserInput {
			return false
		}
	}
	return true
}

type gqlAnswer struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

var contractCodes = []string{graph.CodeBadUserInput, graph.CodeUnauthenticated, graph.CodeForbidden,
	graph.CodeRateLimited, graph.CodeTooComplex, graph.CodeInternal}

// classifyGraphQL classifies a /graphql answer: classOK with its data, a fault class when
// the server said cleanly that it could not answer, else classError.
func classifyGraphQL(status int, header http.Header, body []byte, err error) (loadClass, string, json.RawMessage) {
	if err != nil {
		return classError, "transport: " + err.Error(), nil
	}
	if status == http.StatusServiceUnavailable && header.Get("Retry-After") != "" {
		return classFault503, "503", nil
	}
	var a gqlAnswer
	if jerr := json.Unmarshal(body, &a); jerr != nil {
		return classError, fmt.Sprintf("%d, not JSON: %.200s", status, body), nil
	}
	if status >= 500 {
		return classError, fmt.Sprintf("%d %.200s", status, body), nil
	}
	if len(a.Errors) == 0 {
		if status != http.StatusOK || len(a.Data) == 0 || string(a.Data) == "null" {
			return classError, fmt.Sprintf("%d without data: %.200s", status, body), nil
		}
		return classOK, "", a.Data
	}
	for _, e := range a.Errors {
		if !slices.Contains(contractCodes, e.Extensions.Code) {
			return classError, fmt.Sprintf("%d, an error without a code of the contract: %.200s", status, body), nil
		}
	}
	return classFaultError, fmt.Sprintf("%s: %.120s", a.Errors[0].Extensions.Code, a.Errors[0].Message), nil
}

func (g *loadGen) post(q string, vars map[string]any) (loadClass, string, string, json.RawMessage) {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	status, header, body, err := g.do(http.MethodPost, g.base+"/graphql", b)
	class, detail, data := classifyGraphQL(status, header, body, err)
	return class, detail, string(body), data
}

func (g *loadGen) do(method, u string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b, err
}

// truthOf returns the first full answer given to q, which is body when this is the first.
func (g *loadGen) truthOf(q, body string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t, ok := g.truth[q]; ok {
		return t
	}
	g.truth[q] = body
	return body
}

// loadReport is what a run measured.
type loadReport struct {
	counts     [numKinds][numClasses]int
	latencies  [numKinds][]time.Duration
	errors     []string // the first errors, in order
	windows    []faultWindow
	duration   time.Duration
	resent     int64
	afterFault [numKinds][numClasses]int // requests begun after the last fault's grace
}

func (g *loadGen) report(lastFaultOver time.Time) *loadReport {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := &loadReport{duration: g.until.Sub(g.from), resent: g.resent.Load()}
	for _, rec := range g.records {
		r.counts[rec.kind][rec.class]++
		r.latencies[rec.kind] = append(r.latencies[rec.kind], rec.end.Sub(rec.start))
		if rec.class == classError && len(r.errors) < 20 {
			r.errors = append(r.errors, fmt.Sprintf("%s at +%v: %s", kindNames[rec.kind], rec.start.Sub(g.from).Round(time.Millisecond), rec.detail))
		}
		if !lastFaultOver.IsZero() && rec.start.After(lastFaultOver) {
			r.afterFault[rec.kind][rec.class]++
		}
	}
	for _, w := range g.windows {
		r.windows = append(r.windows, *w)
	}
	return r
}

func (r *loadReport) total(class loadClass) int {
	n := 0
	for k := range numKinds {
		n += r.counts[k][class]
	}
	return n
}

// table is the report in Markdown: by kind, then by fault window.
func (r *loadReport) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%v of load\n\n| kind | requests | req/s | p50 | p99 | max |", r.duration.Round(time.Second))
	for c := range numClasses {
		fmt.Fprintf(&b, " %s |", classNames[c])
	}
	b.WriteString("\n|---|---:|---:|---:|---:|---:|" + strings.Repeat("---:|", int(numClasses)) + "\n")
	all := 0
	for k := range numKinds {
		lat := slices.Clone(r.latencies[k])
		slices.Sort(lat)
		all += len(lat)
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %s |", kindNames[k], len(lat), float64(len(lat))/r.duration.Seconds(),
			quantile(lat, 0.5), quantile(lat, 0.99), quantile(lat, 1))
		for c := range numClasses {
			fmt.Fprintf(&b, " %d |", r.counts[k][c])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "| all | %d | %.1f | | | |", all, float64(all)/r.duration.Seconds())
	for c := range numClasses {
		fmt.Fprintf(&b, " %d |", r.total(c))
	}
	b.WriteString("\n\n| fault | lasted (with recovery) |")
	for c := range numClasses {
		fmt.Fprintf(&b, " %s |", classNames[c])
	}
	b.WriteString("\n|---|---:|" + strings.Repeat("---:|", int(numClasses)) + "\n")
	for _, w := range r.windows {
		fmt.Fprintf(&b, "| %s | %v |", w.name, w.to.Sub(w.from).Round(100*time.Millisecond))
		for c := range numClasses {
			fmt.Fprintf(&b, " %d |", w.counts[c])
		}
		b.WriteString("\n")
	}
	for _, w := range r.windows {
		for _, s := range w.samples {
			fmt.Fprintf(&b, "\n%s: %s", w.name, s)
		}
	}
	fmt.Fprintf(&b, "\npersisted queries sent again with their document: %d\n", r.resent)
	return b.String()
}

func quantile(sorted []time.Duration, q float64) string {
	if len(sorted) == 0 {
		return "-"
	}
	d := sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", ms(d))
	}
	return d.Round(time.Millisecond).String()
}

// serverFigures are a server's goroutines and resident memory, from its /metrics.
type serverFigures struct {
	goroutines int
	rssMB      float64
}

func readFigures(t testing.TB, base string) serverFigures {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f serverFigures
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "go_goroutines":
			f.goroutines = int(v)
		case "process_resident_memory_bytes":
			f.rssMB = v / 1e6
		}
	}
	if f.goroutines == 0 || f.rssMB == 0 {
		t.Fatalf("/metrics lacks go_goroutines or process_resident_memory_bytes")
	}
	return f
}

// settledGoroutines waits up to 10 s for the server's goroutines to come down to at most
// want, the connections of the load closed, and returns the last count.
func settledGoroutines(t testing.TB, base string, want int) int {
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := readFigures(t, base).goroutines
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// loadRun is a load-and-faults run's result.
type loadRun struct {
	report                 *loadReport
	goroutinesBefore       int
	goroutinesAfter        int
	rssWarmMB, rssAfterMB  float64
	rssPeakMB              float64       // VmHWM: the most the process ever held
	serverCPU              time.Duration // the server's CPU time during the load
	readyAfterPGRestart    time.Duration
	lockedCasesAnswered    int // cached answers given while the cases table was locked
	lockedDeadlineRefusals int // questions ended by their deadline while it was locked
}

// runLoadAndFaults runs a server process on env with the given private Redis (and, when pg
// is set, the private PostgreSQL cluster env's DATABASE_URL names) under the load of plan,
// and causes the faults in turn: Redis killed and started again; then, with pg, PostgreSQL
// restarted and the cases table locked. A steady phase comes before and after.
func runLoadAndFaults(t testing.TB, env map[string]string, rds *cachetest.Server, pg *storetest.PostgresServer, plan loadPlan) *loadRun {
	t.Helper()
	s := startProcess(t, env)
	g := newLoadGen(s.url, plan)
	// A first request of every kind, so the figures before start from a server that has
	// built what it keeps (fact table, statements, connections).
	warm := &loadClient{g: g, rng: rand.New(rand.NewPCG(0, 0))}
	for k := range numKinds {
		for range 3 {
			warm.send(k)
		}
	}
	for _, q := range g.questions {
		if class, detail, body, _ := g.post(q, nil); class != classOK {
			t.Fatalf("warm-up: %s: %s", q, detail)
		} else {
			g.truthOf(q, body)
		}
	}
	g.client.CloseIdleConnections()
	time.Sleep(500 * time.Millisecond) // for the server to see the connections closed
	run := &loadRun{goroutinesBefore: readFigures(t, s.url).goroutines}

	phases := 2*plan.steady + 2*plan.outage + plan.lock + 3*plan.grace + 30*time.Second
	cpu := processCPU(t, s.pid)
	g.start(phases)
	defer g.finish()
	time.Sleep(plan.steady)
	run.rssWarmMB = readFigures(t, s.url).rssMB

	t.Logf("fault: Redis killed for %v", plan.outage)
	end := g.fault("Redis killed and started again")
	rds.Stop()
	time.Sleep(plan.outage)
	rds.Start()
	end(plan.grace)
	time.Sleep(plan.grace)

	if pg != nil {
		t.Log("fault: PostgreSQL restarted (pg_ctl restart -m fast)")
		end = g.fault("PostgreSQL restarted")
		began := time.Now()
		pg.Restart()
		time.Sleep(plan.outage / 2)
		end(plan.grace)
		for time.Since(began) < time.Minute {
			if resp, err := http.Get(s.url + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					run.readyAfterPGRestart = time.Since(began)
					break
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		if run.readyAfterPGRestart == 0 {
			t.Fatal("/readyz not 200 within a minute of the PostgreSQL restart")
		}
		time.Sleep(plan.grace)

		t.Logf("fault: cases table locked (ACCESS EXCLUSIVE) for %v", plan.lock)
		locked := lockCases(t, pg.URL)
		end = g.fault("cases table locked")
		time.Sleep(plan.lock)
		locked()
		end(plan.grace)
		time.Sleep(plan.grace)
	}
	lastFaultOver := time.Now()
	time.Sleep(plan.steady)
	// One request of every kind after the faults, whatever the mix drew in the steady phase
	// (on a busy machine it may draw no export): each must be answered.
	probe := &loadClient{g: g, rng: rand.New(rand.NewPCG(99, 99))}
	for k := range numKinds {
		start := time.Now()
		class, detail := probe.send(k)
		g.record(k, class, start, detail)
	}
	g.finish()
	run.serverCPU = processCPU(t, s.pid) - cpu
	run.report = g.report(lastFaultOver)
	for _, rec := range g.records {
		if rec.window == "cases table locked" {
			if rec.kind == kindCached && rec.class == classOK {
				run.lockedCasesAnswered++
			}
			if rec.class == classFaultError && strings.HasPrefix(rec.detail, graph.CodeTooComplex) {
				run.lockedDeadlineRefusals++
			}
		}
	}

	run.goroutinesAfter = settledGoroutines(t, s.url, run.goroutinesBefore+goroutineTolerance)
	run.rssAfterMB = readFigures(t, s.url).rssMB
	run.rssPeakMB = residentMB(t, s.pid, "VmHWM") * 1.024 // residentMB counts thousands of KiB; these are 10⁶ bytes
	if err := s.stop(); err != nil {
		t.Errorf("server process: %v", err)
	}
	return run
}

// goroutineTolerance is how many more goroutines a server may have once the load is over:
// pools and timers come and go.
const goroutineTolerance = 10

// lockCases takes an ACCESS EXCLUSIVE lock on the cases table in a transaction of its own,
// so that every statement reading cases waits, as behind a slow migration; the function it
// returns rolls back.
func lockCases(t testing.TB, databaseURL string) (release func()) {
	t.Helper()
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "LOCK TABLE cases IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		_ = tx.Rollback()
		db.Close()
	}
}

// check fails t for any error and for growth; the faults must have bitten.
func (run *loadRun) check(t testing.TB, withPG bool) {
	t.Helper()
	r := run.report
	t.Log(r.table())
	t.Logf("server CPU %.1f s in %v of load (%.0f%% of one core); goroutines: %d before, %d after; RSS: %.0f MB warm, %.0f MB after, %.0f MB peak",
		run.serverCPU.Seconds(), r.duration.Round(time.Second), 100*run.serverCPU.Seconds()/r.duration.Seconds(),
		run.goroutinesBefore, run.goroutinesAfter, run.rssWarmMB, run.rssAfterMB, run.rssPeakMB)
	if n := r.total(classError); n > 0 {
		t.Errorf("%d errors:\n%s", n, strings.Join(r.errors, "\n"))
	}
	for k := range numKinds {
		if ok := r.afterFault[k][classOK] + r.afterFault[k][classRefused]; ok == 0 {
			t.Errorf("no %s request answered after the faults", kindNames[k])
		}
		for c := classFaultError; c < numClasses; c++ {
			if n := r.afterFault[k][c]; n > 0 {
				t.Errorf("%d %s requests ended %q after the faults were over", n, kindNames[k], classNames[c])
			}
		}
	}
	if r.counts[kindHostile][classRefused] == 0 {
		t.Error("no hostile document was refused")
	}
	for _, w := range r.windows {
		if w.counts[classOK] == 0 {
			t.Errorf("%s: nothing answered meanwhile", w.name)
		}
		// The breaker answers from the database: a Redis outage is not seen.
		if strings.HasPrefix(w.name, "Redis") && w.counts[classOK]+w.counts[classRefused] != sum(w.counts[:]) {
			t.Errorf("%s: answers other than full ones: %v", w.name, w.counts)
		}
	}
	if withPG {
		if run.lockedCasesAnswered == 0 || run.lockedDeadlineRefusals == 0 {
			t.Errorf("while cases were locked: %d cached answers, %d deadline refusals; want some of both", run.lockedCasesAnswered, run.lockedDeadlineRefusals)
		}
	}
	if run.goroutinesAfter > run.goroutinesBefore+goroutineTolerance {
		t.Errorf("goroutines grew from %d to %d", run.goroutinesBefore, run.goroutinesAfter)
	}
	// Generous: the answer cache (32 MiB) fills as the load asks new questions, and the race
	// detector's shadow memory grows with every byte the heap touches.
	tolerance := 80.0
	if raceEnabled {
		tolerance = 250
	}
	if run.rssAfterMB > run.rssWarmMB+tolerance {
		t.Errorf("resident memory grew from %.0f MB to %.0f MB", run.rssWarmMB, run.rssAfterMB)
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// TestLoadAndFaults runs the mixed load against a server process with a private Redis
// (killed and started again under the load) on SQLite and on a private PostgreSQL cluster
// (also restarted, and its cases table locked): no error for a well-formed request, a
// clean answer or a clean error during each fault, recovery by itself, no growth. The
// longer version is BenchmarkLoadAndFaults.
func TestLoadAndFaults(t *testing.T) {
	plan := loadPlan{clients: 4, rate: 60, maxRequests: 3000, steady: 2500 * time.Millisecond, outage: 2 * time.Second, lock: 4 * time.Second, grace: 1500 * time.Millisecond}
	t.Run("sqlite", func(t *testing.T) {
		rds := cachetest.StartRedis(t)
		// Small: SQLite is pure Go, and under -race its scans are slow enough to pass the
		// execution deadline on a busy machine.
		env := map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "DEMO_CASES": "800", "CASEWATCH_SECRET": "load", "REDIS_URL": rds.URL}
		runLoadAndFaults(t, env, rds, nil, plan).check(t, false)
	})
	t.Run("postgres", func(t *testing.T) {
		rds := cachetest.StartRedis(t)
		pg := storetest.StartPostgres(t)
		env := map[string]string{"DATABASE_URL": pg.URL, "DEMO_CASES": "3000", "CASEWATCH_SECRET": "load", "REDIS_URL": rds.URL}
		plan := plan
		plan.detections = true
		run := runLoadAndFaults(t, env, rds, pg, plan)
		t.Logf("ready again %v after the PostgreSQL restart began", run.readyAfterPGRestart.Round(time.Millisecond))
		run.check(t, true)
	})
}

// TestDatabaseDownAnswersCleanly stops the server's PostgreSQL outright: exports say 503
// with Retry-After, a question that needs the database ends in a GraphQL error with a code
// of the contract, cached ones are still answered, /readyz says 503; once PostgreSQL is back,
// everything is answered again without a restart of the server.
func TestDatabaseDownAnswersCleanly(t *testing.T) {
	pg := storetest.StartPostgres(t)
	s := startProcess(t, map[string]string{"DATABASE_URL": pg.URL, "DEMO_CASES": "300", "CASEWATCH_SECRET": "down"})
	g := newLoadGen(s.url, loadPlan{clients: 1})
	cached := cachedQuestions[1]
	class, detail, truth, _ := g.post(cached, nil)
	if class != classOK {
		t.Fatal(detail)
	}
	exportStatus := func() (int, http.Header, string) {
		resp, err := g.client.Get(s.url + "/export/cases.csv?jurisdiction=KG")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		return resp.StatusCode, resp.Header, string(b)
	}
	// A case looked up by its reference: the engine answers lists, counts and statistics
	// from memory (and keeps the rows of recent pages for a few seconds), a look-up is SQL.
	uncached := `query($n: String!) { case(reference: $n) { reference } }`

	pg.Stop()
	if status, h, body := exportStatus(); status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || strings.Contains(body, "sql") {
		t.Errorf("export with the database down: %d %v %q", status, h, body)
	}
	if class, detail, _, _ := g.post(uncached, map[string]any{"n": "KZ-2024-NONE07"}); class != classFaultError || !strings.HasPrefix(detail, graph.CodeInternal) {
		t.Errorf("uncached question with the database down: %v %s", classNames[class], detail)
	}
	if class, detail, body, _ := g.post(cached, nil); class != classOK || body != truth {
		t.Errorf("cached question with the database down: %v %s", classNames[class], detail)
	}
	if resp, err := http.Get(s.url + "/readyz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	pg.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, body := exportStatus()
		class, detail, _, _ := g.post(uncached, map[string]any{"n": "KZ-2024-NONE08"})
		if status == http.StatusOK && strings.HasPrefix(body, "reference,") && class == classOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after PostgreSQL came back: export %d, question %s", status, detail)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// BenchmarkLoadAndFaults is TestLoadAndFaults for minutes, on PostgreSQL with the
// 50,000-case demo dataset (seeded by the server on its first start into a private
// cluster), without -race: a steady phase, Redis killed for outage and started again,
// PostgreSQL restarted, the cases table locked, and a steady phase again. It logs requests
// a second by kind, latency quantiles, answers by class, each fault's answers, and the
// server's goroutines and memory; it fails as the test does. The README's "Load and faults"
// figures come from it:
//
//	go test ./server -run '^$' -bench LoadAndFaults -benchtime 1x -timeout 30m -v
//
// CASEWATCH_LOAD_STEADY (default 60s) is each steady phase, CASEWATCH_LOAD_OUTAGE (10s)
// the Redis outage, CASEWATCH_LOAD_RATE (400) requests a second, CASEWATCH_LOAD_CLIENTS (32)
// the clients.
func BenchmarkLoadAndFaults(b *testing.B) {
	plan := loadPlan{clients: 32, rate: 400, steady: time.Minute, outage: 10 * time.Second, lock: 6 * time.Second, grace: 5 * time.Second, detections: true}
	if d, err := time.ParseDuration(os.Getenv("CASEWATCH_LOAD_STEADY")); err == nil {
		plan.steady = d
	}
	if d, err := time.ParseDuration(os.Getenv("CASEWATCH_LOAD_OUTAGE")); err == nil {
		plan.outage = d
	}
	if r, err := strconv.ParseFloat(os.Getenv("CASEWATCH_LOAD_RATE"), 64); err == nil && r > 0 {
		plan.rate = r
	}
	if n, err := strconv.Atoi(os.Getenv("CASEWATCH_LOAD_CLIENTS")); err == nil && n > 0 {
		plan.clients = n
	}
	plan.maxRequests = int(plan.rate * (2*plan.steady + 2*plan.outage + plan.lock + 3*plan.grace + time.Minute).Seconds())
	for b.Loop() {
		rds := cachetest.StartRedis(b)
		pg := storetest.StartPostgres(b)
		env := map[string]string{"DATABASE_URL": pg.URL, "CASEWATCH_SECRET": "load", "REDIS_URL": rds.URL, "LOG_FORMAT": "json"}
		run := runLoadAndFaults(b, env, rds, pg, plan)
		b.Logf("%d clients at up to %.0f requests a second; ready again %v after the PostgreSQL restart began",
			plan.clients, plan.rate, run.readyAfterPGRestart.Round(time.Millisecond))
		run.check(b, true)
		all := 0
		for k := range numKinds {
			all += len(run.report.latencies[k])
		}
		b.ReportMetric(float64(all)/run.report.duration.Seconds(), "req/s")
		b.ReportMetric(float64(run.report.total(classError)), "errors")
		b.ReportMetric(run.rssPeakMB, "MB-peak-RSS")
	}
}
