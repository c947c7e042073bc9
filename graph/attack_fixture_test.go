package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The fixture of the attack suite (attack_suite_test.go): the demo dataset at a small
// size behind a GraphQL server, the truth as the store holds it (exact dates, withheld
// fields, pseudonyms), and the attacker's client, which only asks public queries.

// truthCase is a case as the store holds it, with what no answer publishes.
type truthCase struct {
	model.Case
	Pseudonym string
}

type attackFixture struct {
	url   string
	k     int
	cases []*truthCase
	byRef map[string]*truthCase
	// first and last month of report in the data, as month numbers (monthNum).
	firstMonth, lastMonth int
	client                *attacker
}

func newAttackFixture(t *testing.T, databaseURL string, n, k int) *attackFixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, databaseURL)
	ref := reference.MustRead()
	if _, err := demo.Seed(ctx, st, ref, demo.Options{Cases: n, Seed: 13, Generalize: privacy.Generalizer(k, ref.FineBand)}); err != nil {
		t.Fatal(err)
	}
	secret := []byte("attack secret")
	api, err := graph.New(graph.Options{Store: st, Engine: stats.NewEngine(st, ref, secret), Reference: ref, Secret: secret,
		Threshold: k, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.GraphQL)
	t.Cleanup(srv.Close)
	f := &attackFixture{url: srv.URL, k: k, byRef: map[string]*truthCase{}}
	f.client = &attacker{t: t, fx: &fixture{url: srv.URL}, cache: map[string]json.RawMessage{}}

	// The truth: every stored case with its pseudonym.
	pseudonyms := map[int64]string{}
	var ids []int64
	err = st.EachCaseFact(ctx, 0, func(cf *store.CaseFact) error {
		ids = append(ids, cf.ID)
		pseudonyms[cf.ID] = string(cf.Pseudonym)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for chunk := range slices.Chunk(ids, 500) {
		cs, err := st.CasesByID(ctx, chunk)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			tc := &truthCase{Case: c, Pseudonym: pseudonyms[c.ID]}
			f.cases = append(f.cases, tc)
			f.byRef[c.Reference] = tc
		}
	}
	if len(f.cases) != n {
		t.Fatalf("the store holds %d cases, want %d", len(f.cases), n)
	}
	slices.SortFunc(f.cases, func(a, b *truthCase) int { return int(a.ID - b.ID) })
	f.firstMonth, f.lastMonth = 1<<30, 0
	for _, c := range f.cases {
		m := monthNum(c.ReportedOn)
		f.firstMonth, f.lastMonth = min(f.firstMonth, m), max(f.lastMonth, m)
	}
	return f
}

// ---------------------------------------------------------------- the attacker's client

// attacker asks public GraphQL queries, as anyone may. Answers are kept, so asking the
// same question twice costs nothing (the server would answer it from its cache anyway).
type attacker struct {
	t       *testing.T
	fx      *fixture
	cache   map[string]json.RawMessage
	queries int
}

// ask posts a query and decodes its data into v; ok is false when the server refused it.
func (a *attacker) ask(query string, vars map[string]any, v any) bool {
	a.t.Helper()
	body, _ := json.Marshal([]any{query, vars})
	raw, hit := a.cache[string(body)]
	if !hit {
		a.queries++
		r := a.fx.post(a.t, query, vars)
		if len(r.Errors) > 0 {
			return false
		}
		raw = r.Data
		a.cache[string(body)] = raw
	}
	if err := json.Unmarshal(raw, v); err != nil {
		a.t.Fatal(err)
	}
	return true
}

// must is ask for a query that has to be answered.
func (a *attacker) must(query string, vars map[string]any, v any) {
	a.t.Helper()
	if !a.ask(query, vars, v) {
		r := a.fx.post(a.t, query, vars)
		a.t.Fatalf("query refused: %+v", r.Errors)
	}
}

const statisticsQuery = `query($f: CaseFilter, $g: [Dimension!]!, $i: Interval, $k: Int) {
	statistics(filter: $f, groupBy: $g, interval: $i, suppressionThreshold: $k) {
		suppressionThreshold total { ` + statFields + ` } buckets { ` + statFields + ` } } }`

// stats asks statistics; k nil asks with the server's threshold.
func (a *attacker) stats(filter map[string]any, groupBy []string, k *int) statAnswer {
	a.t.Helper()
	if groupBy == nil {
		groupBy = []string{}
	}
	var out statAnswer
	a.must(statisticsQuery, map[string]any{"f": filter, "g": groupBy, "k": k}, &out)
	return out
}

// total asks the ungrouped statistics of a filter.
func (a *attacker) total(filter map[string]any) statBucket {
	a.t.Helper()
	return a.stats(filter, nil, nil).Statistics.Total
}

type funnelAnswer struct {
	Funnel struct {
		Steps []struct {
			Step       string
			Count      *int
			Suppressed bool
			Available  bool
		}
	}
}

// funnel asks the funnel; a step withheld, or a question refused, is missing or nil.
func (a *attacker) funnel(filter map[string]any) map[string]*int {
	a.t.Helper()
	var out funnelAnswer
	steps := map[string]*int{}
	if !a.ask(`query($f: CaseFilter) { funnel(filter: $f) { steps { step count suppressed available } } }`,
		map[string]any{"f": filter}, &out) {
		return steps // refused: nothing learnt
	}
	for _, s := range out.Funnel.Steps {
		steps[s.Step] = s.Count
	}
	return steps
}

// count asks how many cases a case list finds.
func (a *attacker) count(filter map[string]any) int {
	a.t.Helper()
	var out struct{ Cases struct{ TotalCount int } }
	a.must(`query($f: CaseFilter) { cases(filter: $f, first: 1) { totalCount } }`, map[string]any{"f": filter}, &out)
	return out.Cases.TotalCount
}

// caseViewSelection builds, by introspection, a selection of everything the case view
// publishes that an outsider could know: every field of Case and of the objects below it,
// except the reference, the id, the summary, labels and releases. An object with a code
// (a region, an article) is selected by its code. The selection follows the schema, so
// coarsened or new fields are taken as they come.
func (a *attacker) caseViewSelection() string {
	a.t.Helper()
	type typeRef struct {
		Kind   string
		Name   *string
		OfType *typeRef
	}
	var schema struct {
		Schema struct {
			Types []struct {
				Name   string
				Kind   string
				Fields []struct {
					Name string
					Args []struct {
						DefaultValue *string
						Type         typeRef
					}
					Type typeRef
				}
			}
		} `json:"__schema"`
	}
	a.must(`{ __schema { types { name kind fields { name args { defaultValue type { kind } } type { kind name
		ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`, nil, &schema)
	types := map[string]int{}
	for i, ty := range schema.Schema.Types {
		types[ty.Name] = i
	}
	skip := map[string]bool{"id": true, "reference": true, "summary": true, "label": true, "name": true,
		"firstRelease": true, "corrections": true, "release": true, "generalized": true}
	var sel func(name string, depth int) string
	sel = func(name string, depth int) string {
		ty := schema.Schema.Types[types[name]]
		var parts []string
		for _, fl := range ty.Fields {
			if skip[fl.Name] {
				continue
			}
			required := false
			for _, arg := range fl.Args {
				required = required || (arg.Type.Kind == "NON_NULL" && arg.DefaultValue == nil)
			}
			if required {
				continue
			}
			tr := fl.Type
			for tr.Name == nil && tr.OfType != nil {
				tr = *tr.OfType
			}
			if tr.Name == nil {
				continue
			}
			switch tr.Kind {
			case "SCALAR", "ENUM":
				parts = append(parts, fl.Name)
			case "OBJECT":
				sub := schema.Schema.Types[types[*tr.Name]]
				if slices.ContainsFunc(sub.Fields, func(f struct {
					Name string
					Args []struct {
						DefaultValue *string
						Type         typeRef
					}
					Type typeRef
				}) bool {
					return f.Name == "code"
				}) {
					parts = append(parts, fl.Name+" { code }")
				} else if depth < 3 {
					if s := sel(*tr.Name, depth+1); s != "" {
						parts = append(parts, fl.Name+" { "+s+" }")
					}
				}
			}
		}
		return strings.Join(parts, " ")
	}
	return sel("Case", 0)
}

// publishedCase is one case of a list as published: its reference and everything else as
// generic JSON.
type publishedCase struct {
	Reference string
	View      map[string]any
}

// listAll pages through the whole case list in the given order.
func (a *attacker) listAll(order string) []publishedCase {
	a.t.Helper()
	query := `query($o: CaseOrder, $after: String) { cases(orderBy: $o, first: 100, after: $after) {
		edges { node { reference ` + a.caseViewSelection() + ` } } pageInfo { hasNextPage endCursor } } }`
	vars := map[string]any{"o": order}
	var out []publishedCase
	for page := 0; ; page++ {
		if page > 1000 {
			a.t.Fatal("pagination does not end")
		}
		var ans struct {
			Cases struct {
				Edges []struct {
					Node map[string]any
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		a.must(query, vars, &ans)
		for _, e := range ans.Cases.Edges {
			ref, _ := e.Node["reference"].(string)
			delete(e.Node, "reference")
			out = append(out, publishedCase{Reference: ref, View: e.Node})
		}
		if !ans.Cases.PageInfo.HasNextPage {
			return out
		}
		vars["after"] = *ans.Cases.PageInfo.EndCursor
	}
}

// ---------------------------------------------------------------- dates and periods

// monthNum numbers the month of a YYYY-MM-DD (or YYYY-MM) date.
func monthNum(date string) int {
	y, _ := strconv.Atoi(date[:4])
	m, _ := strconv.Atoi(date[5:7])
	return y*12 + m - 1
}

// monthFrom and monthTo are a filter's bounds for month number m (filters match at
// month precision, or coarser).
func monthFrom(m int) string { return fmt.Sprintf("%04d-%02d-01", m/12, m%12+1) }
func monthTo(m int) string {
	t := time.Date(m/12, time.Month(m%12+2), 0, 0, 0, 0, 0, time.UTC)
	return t.Format(time.DateOnly)
}

// periodRange reads a published period, "2024", "2024-Q2", "2024-05" or "2024-05-17", as
// its first and last day.
func periodRange(p string) (from, to time.Time, ok bool) {
	switch {
	case len(p) == 4:
		y, err := strconv.Atoi(p)
		if err != nil {
			return from, to, false
		}
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), true
	case len(p) == 7 && p[5] == 'Q':
		y, err1 := strconv.Atoi(p[:4])
		q, err2 := strconv.Atoi(p[6:])
		if err1 != nil || err2 != nil || q < 1 || q > 4 {
			return from, to, false
		}
		from = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 3, -1), true
	case len(p) == 7:
		t, err := time.Parse("2006-01", p)
		if err != nil {
			return from, to, false
		}
		return t, t.AddDate(0, 1, -1), true
	case len(p) == 10:
		t, err := time.Parse(time.DateOnly, p)
		return t, t, err == nil
	}
	return from, to, false
}

// periodHolds reports whether the published period p holds the date d (YYYY-MM-DD).
func periodHolds(p, d string) bool {
	from, to, ok := periodRange(p)
	if !ok {
		return false
	}
	t, err := time.Parse(time.DateOnly, d)
	return err == nil && !t.Before(from) && !t.After(to)
}

// ---------------------------------------------------------------- small helpers

// withFilter copies a filter and sets more fields.
func withFilter(f map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(f)+len(kv)/2)
	for k, v := range f {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// spread picks at most n items of xs, evenly spaced, so that targets come from the
// whole dataset rather than its first part.
func spread[T any](xs []T, n int) []T {
	if len(xs) <= n {
		return xs
	}
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, xs[i*len(xs)/n])
	}
	return out
}

// balanced picks at most n targets with a true hidden value and as many with a false
// one, so that guessing one answer for all scores one half.
func balanced[T any](xs []T, hidden func(T) bool, n int) []T {
	var yes, no []T
	for _, x := range xs {
		if hidden(x) {
			yes = append(yes, x)
		} else {
			no = append(no, x)
		}
	}
	m := min(len(yes), len(no), n)
	return append(spread(yes, m), spread(no, m)...)
}

func codeOf[T ~string](p *T) string {
	if p == nil {
		return "NONE"
	}
	return string(*p)
}

// sorted returns the keys of a set in order.
func sorted[K ~string | ~int](m map[K]bool) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
