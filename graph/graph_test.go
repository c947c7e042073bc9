package graph_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// fixture is a store filled with generated cases and the same cases as the test knows them,
// so answers can be checked against an independent computation in Go.
type fixture struct {
	store      *store.Store
	ref        *reference.Data
	cases      []model.Case // as stored: with IDs, and generalized as the store decided
	appeals    map[int64][]model.Appeal
	detections []model.Detection
	url        string // GraphQL endpoint
	api        *graph.API
	engine     *stats.Engine
}

func ptr[T any](v T) *T { return &v }

// newFixture loads n cases drawn from a fixed seed into the database at databaseURL, with
// no generalisation beyond the base view (dates by quarter, fine bands, no age band or
// gender): every case is listed.
func newFixture(t *testing.T, databaseURL string, n int) *fixture {
	t.Helper()
	return loadFixture(t, databaseURL, n, model.Generalizer{})
}

// newGeneralizedFixture is newFixture with the cases generalised as the server does, with
// the fixture's threshold (privacy.MinThreshold): some cases withhold fields, some are left
// out of the case view.
func newGeneralizedFixture(t *testing.T, databaseURL string, n int) *fixture {
	t.Helper()
	ref := reference.MustRead()
	return loadFixture(t, databaseURL, n, privacy.Generalizer(privacy.MinThreshold, ref.FineBand))
}

func loadFixture(t *testing.T, databaseURL string, n int, generalize model.Generalizer) *fixture {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, databaseURL)
	ref := reference.MustRead()
	rng := rand.New(rand.NewPCG(7, 7))
	pick := func(codes []string) string { return codes[rng.IntN(len(codes))] }
	f := &fixture{store: st, ref: ref}
	_, err := st.Load(ctx, model.Release{Synthetic: true}, func(b *store.Batch) error {
		if generalize.Apply != nil {
			b.GeneralizeWith(generalize)
		}
		for i := range n {
			j := model.JurisdictionKZ
			if i%5 == 0 {
				j = model.JurisdictionKG
			}
			// Three regions of each jurisdiction, so that cases alike in region are common.
			regions := reference.Filter(ref.Regions, j, func(r *model.Region) model.Jurisdiction { return r.Jurisdiction })
			cat := model.ContentCategory(pick([]string{"FALSE_INFORMATION", "INSULT_OR_LIBEL", "DRUG_PROMOTION", "INCITEMENT_OF_DISCORD"}))
			// Few distinct days, so ties on the sort key are common and the id must break them.
			reported := fmt.Sprintf("2024-%02d-%02d", 1+rng.IntN(6), 1+rng.IntN(3))
			c := model.Case{
				Reference:    fmt.Sprintf("%s-2024-T%05d", j, i),
				Jurisdiction: j, RegionCode: ptr(regions[rng.IntN(min(3, len(regions)))].Code),
				Category: cat, Concern: cat.Concern(),
				Platform:  model.Platform(pick([]string{"TELEGRAM", "INSTAGRAM", "TIKTOK"})),
				Liability: model.LiabilityAdministrative, ReportedOn: reported,
				Summary: ptr(fmt.Sprintf("Публикация номер %d о паводке", i)),
			}
			if j == model.JurisdictionKZ && cat == model.ContentCategoryFalseInformation {
				c.ArticleCode = ptr("CAO 456-2")
			}
			var appeals []model.Appeal
			if rng.IntN(3) > 0 {
				c.CaseOpenedOn, c.ProsecutorDecision = ptr("2024-07-01"), ptr(model.ProsecutorDecisionApproved)
				c.ProsecutorOn = ptr("2024-07-02")
				c.CourtDecision, c.CourtOn = ptr(model.DecisionLiable), ptr(fmt.Sprintf("2024-08-%02d", 1+rng.IntN(3)))
				c.Sanction, c.FineAmount = ptr(model.SanctionFine), ptr(int64(73840))
				if rng.IntN(2) == 0 {
					appeals = append(appeals, model.Appeal{Level: model.AppealLevelAppeal, FiledOn: ptr("2024-08-09"),
						Status: model.AppealStatusModified, DecidedOn: ptr("2024-09-10"), FineAmount: ptr(int64(36920))})
					c.AppealStatus = ptr(model.AppealStatusModified)
				}
			}
			c.Stage = c.DeriveStage(appeals)
			rec := &store.CaseRecord{Case: c, SourceKey: fmt.Sprintf("src-%d", i), Appeals: appeals}
			if err := b.AddCase(ctx, rec); err != nil {
				return err
			}
			f.cases = append(f.cases, rec.Case)
		}
		for i := range 4 * n {
			d := model.Detection{
				Jurisdiction: model.JurisdictionKZ,
				Category:     model.ContentCategory(pick(model.ContentCategoryVocabulary.Codes())),
				Platform:     model.Platform(pick([]string{"TELEGRAM", "WEBSITE"})),
				Action:       model.DetectionAction(pick(model.DetectionActionVocabulary.Codes())),
				DetectedOn:   fmt.Sprintf("%d-%02d-%02d", 2023+rng.IntN(2), 1+rng.IntN(12), 1+rng.IntN(28)),
			}
			if i%4 != 0 {
				d.RegionCode = ptr(pick([]string{"KZ-75", "KZ-71", "KZ-79"}))
			}
			if err := b.AddDetection(ctx, &d); err != nil {
				return err
			}
			f.detections = append(f.detections, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The cases as stored, with what generalisation decided.
	ids := make([]int64, len(f.cases))
	for i, c := range f.cases {
		ids[i] = c.ID
	}
	if f.cases, err = st.CasesByID(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if len(f.cases) != n {
		t.Fatalf("the store holds %d of %d cases", len(f.cases), n)
	}
	if f.appeals, err = st.AppealsByCase(ctx, ids); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.engine = stats.NewEngine(st, ref, []byte("test secret"))
	api, err := graph.New(graph.Options{Store: st, Engine: f.engine, Reference: ref,
		Secret: []byte("test secret"), Threshold: privacy.MinThreshold, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.GraphQL)
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.api = api
	return f
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	status int
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (f *fixture) post(t *testing.T, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(f.url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{status: resp.StatusCode}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %s: %v", resp.StatusCode, raw, err)
	}
	return out
}

// data posts a query that must succeed and decodes its data into v.
func (f *fixture) data(t *testing.T, query string, vars map[string]any, v any) {
	t.Helper()
	r := f.post(t, query, vars)
	if len(r.Errors) > 0 || r.status != http.StatusOK {
		t.Fatalf("status %d, errors %+v", r.status, r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatal(err)
	}
}

const casesPage = `query($filter: CaseFilter, $order: CaseOrder, $first: Int, $after: String) {
  cases(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount
    edges { cursor node { reference reportedMonth jurisdiction category
      region { code } article { code }
      outcome { decision decidedMonth fine { amount } fineBand { from to indexUnit label } }
      appeals { level status filedMonth decidedMonth fine { amount } fineBand { label } }
      generalized
      timeline { kind month result label(lang: RU) }
      firstRelease { version synthetic } corrections { release { version } fields } } }
    pageInfo { hasNextPage endCursor }
  }
}`

type casesAnswer struct {
	Cases struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct {
				Reference, ReportedMonth, Jurisdiction, Category string
				Region                                           *struct{ Code string }
				Article                                          *struct{ Code string }
				Outcome                                          *struct {
					Decision     string
					DecidedMonth *string
					Fine         *struct{ Amount int }
					FineBand     *struct {
						From      int
						To        *int
						IndexUnit string
						Label     string
					}
				}
				Appeals []struct {
					Level, Status            string
					FiledMonth, DecidedMonth *string
					Fine                     *struct{ Amount int }
					FineBand                 *struct{ Label string }
				}
				Generalized []string
				Timeline    []struct {
					Kind, Month, Label string
					Result             *string
				}
				FirstRelease struct {
					Version   int
					Synthetic bool
				}
			}
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// walk follows the pages of a case list to its end and returns the references in order.
func (f *fixture) walk(t *testing.T, filter map[string]any, order string, first int) (refs []string, total int) {
	t.Helper()
	vars := map[string]any{"filter": filter, "order": order, "first": first}
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
		var a casesAnswer
		f.data(t, casesPage, vars, &a)
		total = a.Cases.TotalCount
		for _, e := range a.Cases.Edges {
			refs = append(refs, e.Node.Reference)
		}
		if !a.Cases.PageInfo.HasNextPage {
			return refs, total
		}
		vars["after"] = *a.Cases.PageInfo.EndCursor
	}
}

// view is what the case view publishes of a stored case of the fixture.
func (f *fixture) view(c *model.Case) model.View {
	return c.PublishedView(f.appeals[c.ID], f.ref.FineBand)
}

// expected computes, in Go, the references a filter and order select: keep is given the
// case view of each case the view does not leave out, as case lists filter and order on
// what the view publishes (docs/design.md §6).
func (f *fixture) expected(keep func(*model.Case) bool, order model.CaseOrder) []string {
	var sel []model.Case
	for _, c := range f.cases {
		v := f.view(&c)
		if !v.Withheld && keep(&v.Case) {
			sel = append(sel, v.Case)
		}
	}
	// By published period (quarter, a year alone after its quarters, of report or of
	// decision), then by the keyed rank: never by the month or day.
	key := func(c *model.Case) model.CaseKey {
		period := c.ReportedOn
		if order.ByDecision() {
			period = ""
			if c.CourtOn != nil {
				period = *c.CourtOn
			}
		}
		if len(period) == 4 {
			period += "-Q5" // after the year's quarters
		}
		return model.CaseKey{Period: period, Rank: stats.CaseRank([]byte("test secret"), c.Reference), ID: c.ID}
	}
	slices.SortFunc(sel, func(a, b model.Case) int {
		ka, kb := key(&a), key(&b)
		c := cmp.Or(cmp.Compare(ka.Period, kb.Period), cmp.Compare(ka.Rank, kb.Rank), cmp.Compare(ka.ID, kb.ID))
		if order == model.CaseOrderReportedDesc || order == model.CaseOrderDecidedDesc {
			return -c
		}
		return c
	})
	refs := make([]string, len(sel))
	for i, c := range sel {
		refs[i] = c.Reference
	}
	return refs
}

// overlaps reports whether a published period (a quarter, "2024-Q2", or a year, "2024")
// overlaps the days from to to (inclusive, YYYY-MM-DD; "" is open).
func overlaps(period *string, from, to string) bool {
	if period == nil {
		return false
	}
	p := *period
	if len(p) == 4 {
		return (from == "" || p >= model.Year(from)) && (to == "" || p <= model.Year(to))
	}
	return (from == "" || p >= model.Quarter(from)) && (to == "" || p <= model.Quarter(to))
}

func in[T comparable](v *T, set ...T) bool { return v != nil && slices.Contains(set, *v) }

func TestCasesFiltersOrdersAndPages(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newGeneralizedFixture(t, b.URL, 240)
			// The fixture exercises the view: some cases are left out, some withhold a
			// field a filter looks at, some publish their dates by year.
			steps := map[string]int{}
			for _, c := range f.cases {
				for _, s := range c.GeneralizedFields() {
					steps[s]++
				}
			}
			for _, s := range []string{model.GeneralizedCase, model.GeneralizedRegion, model.GeneralizedDates,
				model.GeneralizedPlatform, model.GeneralizedAppeals, model.GeneralizedCategory} {
				if steps[s] == 0 || steps[s] == len(f.cases) {
					t.Fatalf("%d of %d cases generalise %q; the test needs some that do and some that do not (%v)", steps[s], len(f.cases), s, steps)
				}
			}
			tests := []struct {
				name   string
				filter map[string]any
				keep   func(*model.Case) bool // given the case view
			}{
				{"all", nil, func(*model.Case) bool { return true }},
				{"KZ false information", map[string]any{"jurisdiction": "KZ", "categories": []string{"FALSE_INFORMATION"}},
					func(c *model.Case) bool {
						return c.Jurisdiction == "KZ" && c.Category == model.ContentCategoryFalseInformation
					}},
				{"three filters and dates", map[string]any{"jurisdiction": "KZ", "platforms": []string{"TELEGRAM", "TIKTOK"},
					"concerns": []string{"CORE_EXPRESSION"}, "reportedFrom": "2024-02-17", "reportedTo": "2024-04-02"},
					func(c *model.Case) bool {
						// The quarters of the bounds: 2024-Q1 and 2024-Q2, and the year 2024.
						return c.Jurisdiction == "KZ" && (c.Platform == "TELEGRAM" || c.Platform == "TIKTOK") &&
							c.Concern == model.ConcernCoreExpression && overlaps(&c.ReportedOn, "2024-02-17", "2024-04-02")
					}},
				{"second half", map[string]any{"reportedFrom": "2024-07-01"},
					func(c *model.Case) bool { return overlaps(&c.ReportedOn, "2024-07-01", "") }},
				{"two categories merged", map[string]any{"categories": []string{"FALSE_INFORMATION", "DRUG_PROMOTION"}, "platforms": []string{"TELEGRAM"}},
					func(c *model.Case) bool {
						return (c.Category == "FALSE_INFORMATION" || c.Category == "DRUG_PROMOTION") && c.Platform == "TELEGRAM"
					}},
				{"regions and kind of defendant unknown", map[string]any{"regions": []string{"KZ-75", "KZ-71", "KG-GB"}},
					func(c *model.Case) bool { return in(c.RegionCode, "KZ-75", "KZ-71", "KG-GB") }},
				{"decided in range with appeal modified", map[string]any{"decidedFrom": "2024-08-02", "decidedTo": "2024-08-02", "appealStatuses": []string{"MODIFIED"}},
					func(c *model.Case) bool {
						// Day-precise bounds widen to the published period: 2024-Q3, or 2024.
						return overlaps(c.CourtOn, "2024-08-02", "2024-08-02") && in(c.AppealStatus, model.AppealStatusModified)
					}},
				{"article and search", map[string]any{"articles": []string{"CAO 456-2"}, "search": "  ПАВОДКЕ номер "},
					func(c *model.Case) bool { return in(c.ArticleCode, "CAO 456-2") }},
				{"search for all words", map[string]any{"search": "номер 17 О"},
					func(c *model.Case) bool {
						s := strings.ToLower(*c.Summary)
						return strings.Contains(s, "номер") && strings.Contains(s, "17") && strings.Contains(s, "о")
					}},
				// Words are plain text: LIKE's wildcards and escape match only themselves.
				{"search for wildcards", map[string]any{"search": "номер%1"}, func(*model.Case) bool { return false }},
				{"search for one character", map[string]any{"search": "_"}, func(*model.Case) bool { return false }},
				{"search for a backslash", map[string]any{"search": `\`}, func(*model.Case) bool { return false }},
			}
			for _, tt := range tests {
				for _, order := range []model.CaseOrder{model.CaseOrderReportedDesc, model.CaseOrderReportedAsc, model.CaseOrderDecidedDesc, model.CaseOrderDecidedAsc} {
					t.Run(tt.name+"/"+string(order), func(t *testing.T) {
						want := f.expected(tt.keep, order)
						got, total := f.walk(t, tt.filter, string(order), 7)
						if !slices.Equal(got, want) {
							t.Fatalf("got %d references %v\nwant %d %v", len(got), got, len(want), want)
						}
						if total != len(want) {
							t.Fatalf("totalCount = %d, want %d", total, len(want))
						}
						if len(want) == 0 && !strings.HasPrefix(tt.name, "search for ") {
							t.Fatal("the filter selects no case: it checks nothing")
						}
					})
				}
			}
		})
	}
}

func TestCaseFields(t *testing.T) {
	f := newGeneralizedFixture(t, storetest.SQLiteURL(t), 240)
	var a casesAnswer
	f.data(t, casesPage, map[string]any{"first": 100, "filter": map[string]any{"appealStatuses": []string{"MODIFIED"}, "jurisdiction": "KZ"}}, &a)
	if len(a.Cases.Edges) == 0 {
		t.Fatal("fixture has no appealed case")
	}
	n := a.Cases.Edges[0].Node
	// The view publishes dates by quarter, or by year when it generalised them.
	quarter := func(q string) string {
		if slices.Contains(n.Generalized, model.GeneralizedDates) {
			return q[:4]
		}
		return q
	}
	if !slices.Equal(n.Generalized[:2], []string{model.GeneralizedAgeBand, model.GeneralizedGender}) ||
		slices.Contains(n.Generalized, model.GeneralizedAppeals) || slices.Contains(n.Generalized, model.GeneralizedCase) {
		t.Fatalf("generalized = %v", n.Generalized)
	}
	// A fine is published as its band, never its amount: 73,840 tenge at the 2024 MCI of
	// 3,692 is 20 MCI, in the band (10, 20].
	fine := n.Outcome.FineBand
	if n.Outcome.Fine != nil || fine == nil || fine.From != 10 || fine.To == nil || *fine.To != 20 ||
		fine.IndexUnit != "MCI" || fine.Label != "10–20 MCI" {
		t.Fatalf("outcome = %+v, fine band %+v", n.Outcome, fine)
	}
	if n.Outcome.DecidedMonth == nil || *n.Outcome.DecidedMonth != quarter("2024-Q3") || n.ReportedMonth != quarter(n.ReportedMonth) {
		t.Fatalf("decided %v, reported %q", n.Outcome.DecidedMonth, n.ReportedMonth)
	}
	// 36,920 tenge is 10 MCI: up to 10.
	if len(n.Appeals) != 1 || n.Appeals[0].Status != "MODIFIED" || n.Appeals[0].Fine != nil ||
		n.Appeals[0].FineBand == nil || n.Appeals[0].FineBand.Label != "up to 10 MCI" ||
		*n.Appeals[0].DecidedMonth != quarter("2024-Q3") || *n.Appeals[0].FiledMonth != quarter("2024-Q3") {
		t.Fatalf("appeals = %+v", n.Appeals)
	}
	kinds := []string{}
	for _, e := range n.Timeline {
		kinds = append(kinds, e.Kind)
		if p := quarter(e.Month); p != e.Month || len(p) != 4 && !(len(p) == 7 && p[4:6] == "-Q") {
			t.Errorf("timeline period %q is not a published period (generalized %v)", e.Month, n.Generalized)
		}
	}
	want := []string{"REPORTED", "CASE_OPENED", "PROSECUTOR_DECISION", "COURT_DECISION", "APPEAL_FILED", "APPEAL_DECIDED"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("timeline kinds = %v, want %v", kinds, want)
	}
	if n.Timeline[0].Label != "Материал выявлен" {
		t.Fatalf("label(lang: RU) = %q", n.Timeline[0].Label)
	}
	if !n.FirstRelease.Synthetic || n.FirstRelease.Version != 1 {
		t.Fatalf("firstRelease = %+v", n.FirstRelease)
	}

	// node(id) returns what case(reference) does.
	var byRef struct {
		Case struct{ ID, Reference string }
	}
	f.data(t, `query($r: String!) { case(reference: $r) { id reference } }`, map[string]any{"r": n.Reference}, &byRef)
	var byNode struct {
		Node struct{ Reference string }
	}
	f.data(t, `query($id: ID!) { node(id: $id) { ... on Case { reference } } }`, map[string]any{"id": byRef.Case.ID}, &byNode)
	if byNode.Node.Reference != n.Reference {
		t.Fatalf("node(id) gave %q, want %q", byNode.Node.Reference, n.Reference)
	}
	var missing struct{ Case *struct{ Reference string } }
	f.data(t, `{ case(reference: "KZ-2024-NOPE00") { reference } }`, nil, &missing)
	if missing.Case != nil {
		t.Fatal("unknown reference should give null")
	}
	// A case the view leaves out is answered as one that does not exist, by reference and
	// by node id.
	left := 0
	for _, c := range f.cases {
		if !c.Withheld() {
			continue
		}
		left++
		var byRef struct{ Case *struct{ Reference string } }
		f.data(t, `query($r: String!) { case(reference: $r) { reference } }`, map[string]any{"r": c.Reference}, &byRef)
		var byNode struct{ Node *struct{ Reference string } }
		id := base64.RawURLEncoding.EncodeToString([]byte("Case:" + c.Reference))
		f.data(t, `query($id: ID!) { node(id: $id) { ... on Case { reference } } }`, map[string]any{"id": id}, &byNode)
		if byRef.Case != nil || byNode.Node != nil {
			t.Fatalf("a case left out of the view is answered: %+v, %+v", byRef.Case, byNode.Node)
		}
	}
	if left == 0 {
		t.Fatal("the fixture leaves no case out of the view")
	}
}

// populations checks the populations per year: a region's by year with measure, date and
// source, a Kyrgyz one with its note, and Kazakhstan's total in Query.populations.
func populations(t *testing.T, f *fixture) {
	t.Helper()
	type population struct {
		Code, Measure, AsOf, Source string
		Year                        int
		Value                       float64
		Note                        *string
	}
	var a struct {
		Regions []struct {
			Code        string
			Populations []population
		}
		Populations []population
	}
	f.data(t, `{
	  regions { code populations { code year value measure asOf source note } }
	  populations(jurisdiction: KZ) { code year value measure asOf source note }
	}`, nil, &a)
	if len(a.Regions) != 29 {
		t.Fatalf("%d regions", len(a.Regions))
	}
	for _, r := range a.Regions {
		if len(r.Populations) == 0 {
			t.Errorf("%s has no population", r.Code)
		}
		for _, p := range r.Populations {
			if p.Code != r.Code || p.Value <= 0 || p.Source == "" || (p.Note != nil) != strings.HasPrefix(r.Code, "KG-") {
				t.Errorf("%s: %+v", r.Code, p)
			}
		}
		switch r.Code {
		case "KZ-75":
			if len(r.Populations) != 4 || r.Populations[0].Year != 2022 || r.Populations[3].Year != 2025 ||
				r.Populations[1].Value != 2195288 || r.Populations[1].Measure != "AVERAGE_ANNUAL" || r.Populations[1].AsOf != "2023" {
				t.Errorf("KZ-75: %+v", r.Populations)
			}
		case "KG-C":
			if len(r.Populations) != 1 || r.Populations[0].Year != 2023 || r.Populations[0].Value != 1068702 ||
				r.Populations[0].Measure != "POINT" || r.Populations[0].AsOf != "2023-01-01" {
				t.Errorf("KG-C: %+v", r.Populations)
			}
		}
	}
	// 20 regions and the country, 2022–2025.
	if len(a.Populations) != 84 || !slices.ContainsFunc(a.Populations, func(p population) bool {
		return p.Code == "KZ" && p.Year == 2024 && p.Value == 20158620.5
	}) {
		t.Errorf("populations(KZ): %d figures, %+v", len(a.Populations), a.Populations)
	}
}

func TestReferenceDataAndReleases(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 3)
	var a struct {
		Regions []struct {
			Code, Name string
			Population *int
		}
		Articles        []struct{ Code, Title string }
		Categories      []struct{ Code, Concern, Label string }
		OfficialFigures []struct {
			Metric string
			Value  float64
			Source struct{ Title string }
		}
		CurrentRelease struct {
			ID        string
			Version   int
			Synthetic bool
			RowsAdded int
		}
		Releases struct {
			TotalCount int
			Edges      []struct{ Node struct{ Version int } }
		}
	}
	f.data(t, `{
	  regions(jurisdiction: KZ) { code name(lang: KK) population }
	  articles(jurisdiction: KZ) { code title(lang: RU) }
	  categories { code concern label(lang: EN) }
	  officialFigures(jurisdiction: KZ) { metric value source { title } }
	  currentRelease { id version synthetic rowsAdded }
	  releases(first: 5) { totalCount edges { node { version } } }
	}`, nil, &a)
	if len(a.Regions) != 20 {
		t.Fatalf("KZ has 20 first-level units, got %d", len(a.Regions))
	}
	i := slices.IndexFunc(a.Regions, func(r struct {
		Code, Name string
		Population *int
	}) bool {
		return r.Code == "KZ-75"
	})
	if i < 0 || a.Regions[i].Name != "Алматы" || a.Regions[i].Population == nil || *a.Regions[i].Population != 2347924 {
		t.Fatalf("KZ-75 = %+v", a.Regions[i])
	}
	populations(t, f)
	if !slices.ContainsFunc(a.Articles, func(x struct{ Code, Title string }) bool {
		return x.Code == "CAO 456-2" && x.Title == "Распространение ложной информации"
	}) {
		t.Fatalf("articles = %+v", a.Articles)
	}
	if len(a.Categories) != 10 || a.Categories[5].Code != "FALSE_INFORMATION" || a.Categories[5].Concern != "CORE_EXPRESSION" {
		t.Fatalf("categories = %+v", a.Categories)
	}
	if !slices.ContainsFunc(a.OfficialFigures, func(x struct {
		Metric string
		Value  float64
		Source struct{ Title string }
	}) bool {
		return x.Metric == "unlawful_material_identified" && x.Value == 116354 && x.Source.Title != ""
	}) {
		t.Fatalf("official figures = %+v", a.OfficialFigures)
	}
	if !a.CurrentRelease.Synthetic || a.CurrentRelease.Version != 1 || a.CurrentRelease.RowsAdded != 3 {
		t.Fatalf("currentRelease = %+v", a.CurrentRelease)
	}
	if a.Releases.TotalCount != 1 || len(a.Releases.Edges) != 1 {
		t.Fatalf("releases = %+v", a.Releases)
	}
	var node struct{ Node struct{ Version int } }
	f.data(t, `query($id: ID!) { node(id: $id) { ... on Release { version } } }`, map[string]any{"id": a.CurrentRelease.ID}, &node)
	if node.Node.Version != 1 {
		t.Fatalf("node(release id) = %+v", node)
	}
}

func TestBadInputIsBadUserInput(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 30)
	var first casesAnswer
	f.data(t, casesPage, map[string]any{"first": 2}, &first)
	reportedCursor := *first.Cases.PageInfo.EndCursor
	var rels struct {
		Releases struct{ Edges []struct{ Cursor string } }
	}
	f.data(t, `{ releases { edges { cursor } } }`, nil, &rels)

	tests := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"unknown enum literal", `{ cases(filter: {categories: [MEMES]}) { totalCount } }`, nil},
		{"unknown enum variable", casesPage, map[string]any{"filter": map[string]any{"categories": []string{"MEMES"}}}},
		{"first 0", casesPage, map[string]any{"first": 0}},
		{"first 101", casesPage, map[string]any{"first": 101}},
		{"releases first 101", `{ releases(first: 101) { totalCount } }`, nil},
		{"malformed cursor", casesPage, map[string]any{"after": "not-a-cursor!"}},
		{"cursor of another order", casesPage, map[string]any{"after": reportedCursor, "order": "REPORTED_ASC"}},
		{"cursor of another list", casesPage, map[string]any{"after": rels.Releases.Edges[0].Cursor}},
		{"tampered cursor", casesPage, map[string]any{"after": reportedCursor[:len(reportedCursor)-2] + "AA"}},
		{"malformed date", casesPage, map[string]any{"filter": map[string]any{"reportedFrom": "2024-13-01"}}},
		{"date with time", casesPage, map[string]any{"filter": map[string]any{"decidedTo": "2024-01-01T00:00:00Z"}}},
		{"unknown region", casesPage, map[string]any{"filter": map[string]any{"regions": []string{"KZ-99"}}}},
		{"region of the other jurisdiction", casesPage, map[string]any{"filter": map[string]any{"jurisdiction": "KG", "regions": []string{"KZ-75"}}}},
		{"unknown article", casesPage, map[string]any{"filter": map[string]any{"articles": []string{"CAO 999"}}}},
		{"empty date range", casesPage, map[string]any{"filter": map[string]any{"reportedFrom": "2024-05-01", "reportedTo": "2024-04-01"}}},
		{"bad node id", `{ node(id: "%%%") { id } }`, nil},
		{"unknown field", `{ cases { nope } }`, nil},
		{"syntax error", `{ cases( }`, nil},
		{"@defer", `{ regions { code ... @defer { name } } }`, nil},
		{"@defer in a fragment", `{ regions { ...Named @defer(label: "names") } } fragment Named on Region { name }`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.post(t, tt.query, tt.vars)
			if r.status >= 500 {
				t.Fatalf("status %d", r.status)
			}
			if len(r.Errors) == 0 {
				t.Fatalf("no error; data %s", r.Data)
			}
			for _, e := range r.Errors {
				if e.Extensions["code"] != graph.CodeBadUserInput {
					t.Errorf("code = %v, want BAD_USER_INPUT (message %q)", e.Extensions["code"], e.Message)
				}
				if e.Message == "" || bytes.Contains([]byte(e.Message), []byte("goroutine")) {
					t.Errorf("message %q", e.Message)
				}
			}
		})
	}
}

func TestTooComplex(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 3)
	page := `cases(first: 100) { edges { node { reference timeline { kind month label } appeals { level status fine { amount currency indexUnits } } outcome { decision fine { amount indexUnits } } region { code name population } article { code title } } } }`
	q := "{ "
	for i := range 12 {
		q += fmt.Sprintf("p%d: %s ", i, page)
	}
	q += "}"
	r := f.post(t, q, nil)
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodeTooComplex {
		t.Fatalf("errors = %+v", r.Errors)
	}
}

// TestNoNPlusOne: the SQL statements for a page with appeals, timelines, articles and
// releases do not grow with the page size.
func TestNoNPlusOne(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b.URL, 150)
			count := func(first int) int64 {
				before := f.store.Statements()
				var a casesAnswer
				f.data(t, casesPage, map[string]any{"first": first}, &a)
				if len(a.Cases.Edges) != first {
					t.Fatalf("got %d cases, want %d", len(a.Cases.Edges), first)
				}
				return f.store.Statements() - before
			}
			count(1) // builds the fact table, as the server does before it turns ready
			small, large := count(10), count(100)
			if large != small {
				t.Fatalf("a page of 100 ran %d statements, a page of 10 ran %d", large, small)
			}
			// the release generation (for the list and for the count), the page's rows,
			// appeals, corrections, releases
			if large > 6 {
				t.Fatalf("a page ran %d statements, want at most 6", large)
			}
		})
	}
}

func TestDetectionsMatchAnIndependentCount(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b.URL, 100)
			var a struct {
				Detections struct {
					Total   int
					Buckets []struct {
						Period *string
						Count  int
						Key    []struct{ Dimension, Code, Label string }
					}
				}
			}
			f.data(t, `query($f: DetectionFilter) { detections(filter: $f, groupBy: [REGION, CONCERN], interval: QUARTER) {
				total buckets { period count key { dimension code label(lang: RU) } } } }`,
				map[string]any{"f": map[string]any{"concerns": []string{"HARM", "CORE_EXPRESSION"}, "detectedFrom": "2023-04-01", "platforms": []string{"TELEGRAM"}}}, &a)

			want := map[string]int{}
			total := 0
			for _, d := range f.detections {
				concern := d.Category.Concern()
				if d.Platform != "TELEGRAM" || d.DetectedOn < "2023-04-01" || (concern != model.ConcernHarm && concern != model.ConcernCoreExpression) {
					continue
				}
				region := "NONE"
				if d.RegionCode != nil {
					region = *d.RegionCode
				}
				var month int
				fmt.Sscanf(d.DetectedOn[5:7], "%d", &month)
				want[fmt.Sprintf("%s/%s/%s-Q%d", region, concern, d.DetectedOn[:4], (month+2)/3)]++
				total++
			}
			got := map[string]int{}
			for _, bk := range a.Detections.Buckets {
				if len(bk.Key) != 2 || bk.Key[0].Dimension != "REGION" || bk.Key[1].Dimension != "CONCERN" || bk.Period == nil {
					t.Fatalf("bucket %+v", bk)
				}
				if bk.Key[0].Code == "KZ-75" && bk.Key[0].Label != "Алматы" || bk.Key[0].Code == "NONE" && bk.Key[0].Label != "Регион не указан" {
					t.Fatalf("label %+v", bk.Key[0])
				}
				got[bk.Key[0].Code+"/"+bk.Key[1].Code+"/"+*bk.Period] = bk.Count
			}
			if len(got) != len(want) {
				t.Fatalf("%d buckets, want %d", len(got), len(want))
			}
			for k, n := range want {
				if got[k] != n {
					t.Errorf("%s: %d, want %d", k, got[k], n)
				}
			}
			if a.Detections.Total != total || total == 0 {
				t.Fatalf("total %d, want %d", a.Detections.Total, total)
			}

			for _, q := range []string{
				`{ detections(groupBy: [REGION, CONCERN, ACTION, PLATFORM]) { total } }`,
				`{ detections(groupBy: [REGION, REGION]) { total } }`,
				`{ detections(groupBy: [], filter: {detectedFrom: "2024-02-01", detectedTo: "2024-01-01"}) { total } }`,
				`{ detections(groupBy: [], filter: {regions: ["XX-1"]}) { total } }`,
			} {
				r := f.post(t, q, nil)
				if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodeBadUserInput {
					t.Errorf("%s: %+v", q, r.Errors)
				}
			}
		})
	}
}

// A search is bounded: at most 200 characters and 8 words; past that it is a
// BAD_USER_INPUT error whose message does not repeat the search.
func TestSearchLimits(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 30)
	count := `query($s: String) { cases(first: 1, filter: {search: $s}) { totalCount } }`
	for _, search := range []string{
		strings.Repeat("я", 200),
		"номер паводке о публикация номер паводке о публикация", // 8 words
		"  номер   паводке  ",
	} {
		if r := f.post(t, count, map[string]any{"s": search}); len(r.Errors) > 0 {
			t.Errorf("%q: %+v", search, r.Errors)
		}
	}
	var a struct{ Cases struct{ TotalCount int } }
	f.data(t, count, map[string]any{"s": "номер паводке о публикация номер паводке о публикация"}, &a)
	if a.Cases.TotalCount != 30 {
		t.Fatalf("8 words found %d cases, want all 30", a.Cases.TotalCount)
	}
	for _, search := range []string{
		strings.Repeat("я", 201),
		"номер паводке о публикация номер паводке о публикация ещё", // 9 words
		strings.Repeat("щ ", 9),
	} {
		r := f.post(t, count, map[string]any{"s": search})
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != graph.CodeBadUserInput {
			t.Fatalf("%q: errors %+v", search, r.Errors)
		}
		if msg := r.Errors[0].Message; strings.Contains(msg, strings.Fields(search)[0]) {
			t.Errorf("the message repeats the search: %q", msg)
		}
	}
}

// TestPagesGoOnPastCasesGoneFromTheStore: when the cases of a whole page are gone from the
// store before the list's next release (the engine still lists them), the list and the
// export go on past them rather than ending early.
func TestPagesGoOnPastCasesGoneFromTheStore(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 40)
	f.engine.RowCache = 0 // rows read again at once, not after the seconds they are kept
	before, _ := f.walk(t, nil, "REPORTED_DESC", 5)
	if len(before) != 40 {
		t.Fatalf("%d cases listed, want 40", len(before))
	}
	gone := before[5:10] // the whole second page
	for _, ref := range gone {
		if err := f.store.Exec(context.Background(), "DELETE FROM cases WHERE reference = ?", ref); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := f.walk(t, nil, "REPORTED_DESC", 5)
	want := append(append([]string{}, before[:5]...), before[10:]...)
	if !slices.Equal(after, want) {
		t.Fatalf("after deleting a page, the list has %d cases, want %d:\n%v\n%v", len(after), len(want), after, want)
	}
}

// TestKyrgyzLabels asks for everything the API labels with lang: KY and wants Kyrgyz back:
// every vocabulary term, regions, articles (title, penalties, verification), categories,
// official figures and the funnel's steps. Without lang the answers stay English.
func TestKyrgyzLabels(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 3)
	type term struct{ Code, Label string }
	var a struct {
		Vocabulary []struct {
			Name  string
			Terms []term
		}
		Regions  []struct{ Code, Name string }
		Articles []struct {
			Code, Title, Verification, VerificationEN string
			Label, LabelEN, LabelRU, CodeName         string
			Penalties, PenaltiesEN                    *string
		}
		Populations []struct {
			Code, Source, SourceEN string
			Note, NoteEN           *string
		}
		Categories      []term
		OfficialFigures []struct {
			Metric, Definition, Verified, DefinitionEN string
			Source, SourceEN                           struct{ Title string }
		}
		Funnel struct {
			Steps []struct{ Step, Label string }
		}
	}
	f.data(t, `{
	  vocabulary { name terms { code label(lang: KY) } }
	  regions(jurisdiction: KG) { code name(lang: KY) }
	  articles(jurisdiction: KG) { code title(lang: KY) penalties(lang: KY) verification(lang: KY)
	    penaltiesEN: penalties verificationEN: verification
	    label(lang: KY) labelEN: label labelRU: label(lang: RU) codeName(lang: KY) }
	  populations(jurisdiction: KG) { code source(lang: KY) sourceEN: source note(lang: KY) noteEN: note }
	  categories { code label(lang: KY) }
	  officialFigures(jurisdiction: KG) { metric definition(lang: KY) verified(lang: KY) definitionEN: definition
	    source { title(lang: KY) } sourceEN: source { title } }
	  funnel { steps { step label(lang: KY) } }
	}`, nil, &a)

	if len(a.Vocabulary) != len(model.Vocabularies()) {
		t.Fatalf("%d vocabularies, want %d", len(a.Vocabulary), len(model.Vocabularies()))
	}
	for i, v := range a.Vocabulary {
		want := model.Vocabularies()[i]
		if v.Name != want.Name || len(v.Terms) != len(want.Terms) {
			t.Fatalf("vocabulary %d = %s with %d terms, want %s with %d", i, v.Name, len(v.Terms), want.Name, len(want.Terms))
		}
		for j, got := range v.Terms {
			if w := want.Terms[j].Labels.KY; got.Label != w || got.Label == "" {
				t.Errorf("%s.%s in Kyrgyz = %q, want %q", v.Name, got.Code, got.Label, w)
			}
		}
	}
	labelOf := func(ts []term, code string) string {
		for _, x := range ts {
			if x.Code == code {
				return x.Label
			}
		}
		return ""
	}
	for _, v := range a.Vocabulary {
		if v.Name == "Lang" && labelOf(v.Terms, "KY") != "Кыргызча" {
			t.Errorf("Lang.KY in Kyrgyz = %q", labelOf(v.Terms, "KY"))
		}
	}

	wantRegions := map[string]string{"KG-GB": "Бишкек", "KG-C": "Чүй облусу", "KG-J": "Жалал-Абад облусу", "KG-Y": "Ысык-Көл облусу"}
	if len(a.Regions) != 9 {
		t.Fatalf("KG has 9 first-level units, got %d", len(a.Regions))
	}
	for _, r := range a.Regions {
		if w, ok := wantRegions[r.Code]; ok && r.Name != w {
			t.Errorf("%s in Kyrgyz = %q, want %q", r.Code, r.Name, w)
		}
	}

	found := false
	for _, x := range a.Articles {
		if x.Code != "CoO 107-1" {
			continue
		}
		found = true
		if x.Title != "Тармактагы жалаа жабуу жана кордоо" || x.Penalties == nil ||
			*x.Penalties != "200 ЭК (жеке адамдар), 650 ЭК (уюмдар); 1 ЭК = 100 сом" ||
			!strings.HasPrefix(x.Verification, "экинчи даражадагы булактардагы") ||
			x.Label != "УБЖК 107-1" || x.LabelRU != "КоП 107-1" || x.CodeName != "Кыргыз Республикасынын Укук бузуулар жөнүндө кодекси" {
			t.Errorf("CoO 107-1 in Kyrgyz = %+v", x)
		}
		if x.PenaltiesEN == nil || *x.PenaltiesEN != "200 RP (individuals), 650 RP (organisations); 1 RP = 100 som" ||
			!strings.HasPrefix(x.VerificationEN, "summarised from secondary sources") || x.LabelEN != "CoO 107-1" {
			t.Errorf("CoO 107-1 without lang = %+v, want English", x)
		}
	}
	if !found {
		t.Fatalf("articles = %+v", a.Articles)
	}

	if len(a.Populations) != 9 {
		t.Fatalf("KG populations = %+v", a.Populations)
	}
	for _, p := range a.Populations {
		if !strings.HasPrefix(p.Source, "Кыргыз Республикасынын Улуттук статистика комитети") ||
			!strings.HasPrefix(p.SourceEN, "National Statistical Committee") ||
			p.Note == nil || !strings.HasPrefix(*p.Note, "Экинчи даражадагы маалымат") ||
			p.NoteEN == nil || !strings.HasPrefix(*p.NoteEN, "Secondary figure") {
			t.Errorf("KG population in Kyrgyz = %+v", p)
		}
	}

	if got := labelOf(a.Categories, "FALSE_INFORMATION"); got != "Жалган маалымат" {
		t.Errorf("FALSE_INFORMATION in Kyrgyz = %q", got)
	}
	if len(a.OfficialFigures) == 0 {
		t.Fatal("no official figures for KG")
	}
	for _, x := range a.OfficialFigures {
		if x.Metric == "population" && (!strings.HasPrefix(x.Definition, "Кыргызстандын 2025-жылдын 1-декабрындагы туруктуу калкы") ||
			x.Verified != "болжол менен: 7,395 млн деп жарыяланган" || !strings.HasPrefix(x.DefinitionEN, "Resident population") ||
			!strings.HasPrefix(x.Source.Title, "Кыргыз Республикасынын Улуттук статистика комитети") ||
			!strings.HasPrefix(x.SourceEN.Title, "National Statistical Committee")) {
			t.Errorf("KG population in Kyrgyz = %+v", x)
		}
	}
	if len(a.Funnel.Steps) == 0 {
		t.Fatal("no funnel steps")
	}
	for _, s := range a.Funnel.Steps {
		if w := model.FunnelStepKindVocabulary.Label(s.Step, model.LangKY); s.Label != w || w == s.Step {
			t.Errorf("funnel step %s in Kyrgyz = %q, want %q", s.Step, s.Label, w)
		}
	}
}

// TestSearchPagesKeepNoRows: a page of a list is read from the store once and then kept
// for a few seconds, for every visitor; a search's page is read from the store every
// time, so that no visitor's search makes another's answer faster.
func TestSearchPagesKeepNoRows(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 60)
	const page = `query($f: CaseFilter) { cases(first: 5, filter: $f) { edges { node { reference } } } }`
	statements := func(filter map[string]any) int64 {
		t.Helper()
		before := f.store.Statements()
		var a casesAnswer
		f.data(t, page, map[string]any{"f": filter}, &a)
		if len(a.Cases.Edges) == 0 {
			t.Fatalf("%v: no cases", filter)
		}
		return f.store.Statements() - before
	}
	plain, search := map[string]any{"jurisdiction": "KZ"}, map[string]any{"search": "номер"}
	statements(plain)
	statements(search)
	// Asked again: the plain page needs the release generation only, the search its rows too.
	if p, s := statements(plain), statements(search); s != p+1 {
		t.Fatalf("asked again, the plain page ran %d statements and the search %d; want the search one more (its rows)", p, s)
	}
}

// TestClientGoneMidRequest: a request whose client has gone before its operation runs gets
// nothing written — not a panic answered 500, as a nil answer once made of it.
func TestClientGoneMidRequest(t *testing.T) {
	f := newFixture(t, storetest.SQLiteURL(t), 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ cases(first: 2) { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.api.GraphQL.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("status %d, body %q; want nothing written", rec.Code, rec.Body.String())
	}
}
