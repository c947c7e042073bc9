package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// The statistics tests load random cases of every shape (both countries, every outcome,
// appeals that help or hurt the defendant, repeat defendants) and compare every figure of
// the answers with a computation over the same raw rows written in plain Go, the slow and
// obvious way (statistics_oracle_test.go). The fixture is in statistics_fixture_test.go,
// the attack on withheld cells in statistics_attack_test.go.

// ---------------------------------------------------------------- the tests

// statQuestion is a statistics question and the filter it asks for, written twice: as
// GraphQL variables and as a plain Go predicate over raw cases.
type statQuestion struct {
	name     string
	groupBy  []string
	interval string
	filter   map[string]any
	keep     func(*rawCase) bool
}

var statQuestions = []statQuestion{
	{"region by year", []string{"REGION"}, "YEAR", nil, nil},
	{"jurisdiction and concern", []string{"JURISDICTION", "CONCERN"}, "", nil, nil},
	{"no grouping", nil, "", nil, nil},
	{"kind, decision and appeal by quarter, filtered", []string{"DEFENDANT_KIND", "DECISION", "APPEAL_STATUS"}, "QUARTER",
		map[string]any{"concerns": []string{"CORE_EXPRESSION", "CONTESTED"}, "reportedFrom": "2023-03-15"},
		func(c *rawCase) bool {
			return (c.Concern == model.ConcernCoreExpression || c.Concern == model.ConcernContested) && c.ReportedOn >= "2023-03-01"
		}},
	{"article by month in KZ, decided in 2024", []string{"ARTICLE"}, "MONTH",
		map[string]any{"jurisdiction": "KZ", "decidedFrom": "2024-01-01", "decidedTo": "2024-12-31"},
		func(c *rawCase) bool {
			return c.Jurisdiction == model.JurisdictionKZ && c.CourtOn != nil && inMonthRange(*c.CourtOn, ptr("2024-01-01"), ptr("2024-12-31"))
		}},
	{"stage, sanction, platform for some regions", []string{"STAGE", "SANCTION", "PLATFORM"}, "",
		map[string]any{"regions": []string{"KZ-75", "KZ-71", "KG-GB"}},
		func(c *rawCase) bool {
			return c.RegionCode != nil && slices.Contains([]string{"KZ-75", "KZ-71", "KG-GB"}, *c.RegionCode)
		}},
	{"liability and category by year", []string{"LIABILITY", "CATEGORY"}, "YEAR", nil, nil},
}

// check asks q with threshold k and compares the whole answer with the raw cases.
func (f *statsFixture) check(t *testing.T, q statQuestion, k int) {
	t.Helper()
	keep := q.keep
	if keep == nil {
		keep = func(*rawCase) bool { return true }
	}
	a := f.statistics(t, q.filter, q.groupBy, q.interval, &k)
	want, wantTotal := f.expected(q.groupBy, q.interval, keep)
	if a.Statistics.SuppressionThreshold != k || !a.Statistics.Perturbed {
		t.Fatalf("suppressionThreshold %d perturbed %v, want %d true", a.Statistics.SuppressionThreshold, a.Statistics.Perturbed, k)
	}
	f.checkBucket(t, "total", k, a.Statistics.Total, wantTotal, denominator{})
	seen := map[string]bool{}
	for _, got := range a.Statistics.Buckets {
		var parts []string
		for i, kv := range got.Key {
			if kv.Dimension != q.groupBy[i] {
				t.Fatalf("key %d is %s, want %s", i, kv.Dimension, q.groupBy[i])
			}
			if kv.Label == "" {
				t.Errorf("no label for %s %s", kv.Dimension, kv.Code)
			}
			parts = append(parts, kv.Code)
		}
		parts = append(parts, deref(got.Period))
		key := strings.Join(parts, "|")
		if seen[key] {
			t.Fatalf("bucket %s twice", key)
		}
		seen[key] = true
		w := want[key]
		if w == nil {
			// A bucket of the domain without cases: every figure is withheld, as a small one.
			w = newFigures()
		}
		f.checkBucket(t, key, k, got, w, f.population(got.Key, got.Period))
	}
	// A bucket with cases may be left out only when none of its figures is published:
	// checked as an answered bucket with every figure null.
	for key, w := range want {
		if seen[key] {
			continue
		}
		absent := statBucket{Suppressed: true}
		for cur := range w.fines {
			absent.Fines = append(absent.Fines, fineStats{Currency: cur})
		}
		slices.SortFunc(absent.Fines, func(a, b fineStats) int { return strings.Compare(a.Currency, b.Currency) })
		f.checkBucket(t, key+" (left out)", k, absent, w, denominator{})
	}
}

func TestStatisticsMatchAnIndependentComputation(t *testing.T) {
	const serverK = 3
	withheldCells, perturbedCells = 0, 0
	perCapitaOfTheYear, perCapitaOfAnotherYear = 0, 0
	perCapitaOutcomes, perCapitaOutcomesWithoutCount = 0, 0
	for _, seed := range []uint64{42, 7} {
		for _, b := range storetest.Backends(t) {
			t.Run(fmt.Sprintf("%s seed %d", b.Name, seed), func(t *testing.T) {
				f := newStatsFixture(t, b.URL, 1200, seed, serverK)
				for _, q := range statQuestions {
					for _, k := range []int{serverK, 5, 11} {
						t.Run(fmt.Sprintf("%s k=%d", q.name, k), func(t *testing.T) { f.check(t, q, k) })
					}
				}
			})
		}
	}
	if withheldCells == 0 || perturbedCells == 0 {
		t.Errorf("the questions withheld %d cells and published %d different from the exact count: the test data exercise too little", withheldCells, perturbedCells)
	}
	t.Logf("%d cells withheld, %d published with a perturbation", withheldCells, perturbedCells)
	// Regions by year: Kazakh buckets divide by their own year's population, Kyrgyz ones of
	// 2024 and 2025 by the latest year before.
	if perCapitaOfTheYear == 0 || perCapitaOfAnotherYear == 0 {
		t.Errorf("%d per-capita figures of a period divided by its year's population, %d by another year's: the test data exercise too little", perCapitaOfTheYear, perCapitaOfAnotherYear)
	}
	t.Logf("%d per-capita figures of their own year, %d of another", perCapitaOfTheYear, perCapitaOfAnotherYear)
	if perCapitaOutcomes == 0 {
		t.Error("no liablePer100k or finedPer100k published: the test data exercise too little")
	}
	t.Logf("%d per-capita outcome figures, %d of them in buckets whose count is withheld", perCapitaOutcomes, perCapitaOutcomesWithoutCount)
}

// TestStatisticsFollowAnImport: once an import has committed, the very next answer
// includes its new and changed cases.
func TestStatisticsFollowAnImport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			const k = 3
			f := newStatsFixture(t, b.URL, 800, 5, k)
			q := statQuestions[0]
			f.check(t, q, k) // builds the fact table of the first release

			// Move every tenth case, acquit it if it was liable, and add new cases, as an import would.
			more, _ := randomCases(f.ref, 300, 99)
			recs := make([]*store.CaseRecord, len(more))
			ctx := context.Background()
			_, err := f.st.Import(ctx, store.ImportOptions{
				Release: model.Release{Synthetic: true},
				Reference: func(rec *store.CaseRecord, attempt int) string {
					return fmt.Sprintf("%s-N%d", rec.Case.Reference, attempt)
				},
			}, func(batch *store.ImportBatch) error {
				for i := 0; i < len(f.cases); i += 10 {
					c := &f.cases[i]
					c.RegionCode, c.Jurisdiction = ptr("KZ-79"), model.JurisdictionKZ
					if i%20 == 0 { // now the case of another defendant (or of none)
						c.Pseudonym = f.cases[i+1].Pseudonym
					}
					if c.CourtDecision != nil && *c.CourtDecision == model.DecisionLiable {
						c.CourtDecision, c.Sanction, c.FineAmount = ptr(model.DecisionNotLiable), nil, nil
					}
					if err := batch.Put(ctx, &store.CaseRecord{Case: c.Case, SourceKey: fmt.Sprintf("src-%d", i), Pseudonym: c.Pseudonym, Appeals: c.Appeals}); err != nil {
						return err
					}
				}
				for i := range more {
					if i%3 == 0 { // a defendant already on record
						more[i].Pseudonym = f.cases[i*7%len(f.cases)].Pseudonym
					}
					recs[i] = &store.CaseRecord{Case: more[i].Case, SourceKey: fmt.Sprintf("new-%d", i), Pseudonym: more[i].Pseudonym, Appeals: more[i].Appeals}
					if err := batch.Put(ctx, recs[i]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := range more {
				more[i].Case = recs[i].Case // with the id and reference the import gave it
			}
			f.cases = append(f.cases, more...)
			f.keyPeople()
			for _, q := range statQuestions[:3] {
				t.Run(q.name, func(t *testing.T) { f.check(t, q, k) })
			}
		})
	}
}

func TestFunnelMatchesAnIndependentCount(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			const k = 3
			f := newStatsFixture(t, b.URL, 1500, 9, k)
			for _, q := range []struct {
				name       string
				filter     map[string]any
				keep       func(*rawCase) bool
				keepDet    func(*model.Detection) bool
				detections bool
			}{
				{"everything", nil, func(*rawCase) bool { return true }, func(*model.Detection) bool { return true }, true},
				{"core expression in Almaty from 2024", map[string]any{"concerns": []string{"CORE_EXPRESSION"}, "regions": []string{"KZ-75"}, "reportedFrom": "2024-01-01"},
					func(c *rawCase) bool {
						return c.Concern == model.ConcernCoreExpression && c.RegionCode != nil && *c.RegionCode == "KZ-75" && c.ReportedOn >= "2024-01-01"
					},
					func(d *model.Detection) bool {
						return d.Category.Concern() == model.ConcernCoreExpression && d.RegionCode != nil && *d.RegionCode == "KZ-75" && d.DetectedOn >= "2024-01-01"
					}, true},
				{"journalists (no detections)", map[string]any{"defendantKinds": []string{"JOURNALIST"}},
					func(c *rawCase) bool {
						return c.DefendantKind != nil && *c.DefendantKind == model.DefendantKindJournalist
					}, nil, false},
			} {
				t.Run(q.name, func(t *testing.T) {
					var a struct {
						Funnel struct {
							SuppressionThreshold int
							Steps                []struct {
								Step, Label           string
								Count                 *int
								Suppressed, Available bool
								Perturbed             bool
								ShareOfPrevious       *float64
							}
						}
					}
					fx := &fixture{url: f.url}
					fx.data(t, `query($f: CaseFilter) { funnel(filter: $f) { suppressionThreshold
						steps { step label(lang: KK) count suppressed available perturbed shareOfPrevious } } }`, map[string]any{"f": q.filter}, &a)

					want := make([]int, 2) // detections, exact
					for i := range f.dets {
						d := &f.dets[i]
						if q.keepDet != nil && q.keepDet(d) {
							want[0]++
							if d.Action == model.DetectionActionReferredToPolice {
								want[1]++
							}
						}
					}
					// The case steps, each a part of the one before, counted by hand with the
					// record keys of their cases.
					cells := make([]privacy.Cell, 11)
					for i := range f.cases {
						c := &f.cases[i]
						if !q.keep(c) || c.ExpertConclusion == nil {
							continue
						}
						key := f.recordKey([]byte(c.Reference))
						cells[2].Add(key)
						if *c.ExpertConclusion != model.ExpertConclusionAdministrativeOffense && *c.ExpertConclusion != model.ExpertConclusionCriminalOffense {
							continue
						}
						cells[3].Add(key)
						if c.CaseOpenedOn == nil {
							continue
						}
						cells[4].Add(key)
						if c.ProsecutorDecision == nil || *c.ProsecutorDecision != model.ProsecutorDecisionApproved {
							continue
						}
						cells[5].Add(key)
						if c.CourtDecision == nil || *c.CourtDecision == model.DecisionPending {
							continue
						}
						cells[6].Add(key)
						if *c.CourtDecision != model.DecisionLiable {
							continue
						}
						cells[7].Add(key)
						if c.Sanction == nil || *c.Sanction != model.SanctionFine {
							continue
						}
						cells[8].Add(key)
						if len(c.Appeals) == 0 {
							continue
						}
						cells[9].Add(key)
						if helped(c) {
							cells[10].Add(key)
						}
					}
					names := []string{"DETECTED", "REFERRED", "EXPERT_REVIEWED", "OFFENCE_FOUND", "CASE_OPENED", "APPROVED", "DECIDED", "LIABLE", "FINED", "APPEALED", "OVERTURNED_OR_MODIFIED"}
					steps := a.Funnel.Steps
					if len(steps) != len(names) {
						t.Fatalf("%d steps, want %d", len(steps), len(names))
					}
					lastPublished, ceiling := -1, -1
					for i, st := range steps {
						if st.Step != names[i] || st.Label == "" {
							t.Fatalf("step %d is %s %q, want %s with a label", i, st.Step, st.Label, names[i])
						}
						if i < 2 {
							if st.Available != q.detections || (st.Count == nil) == q.detections {
								t.Errorf("%s: available %v count %v, want available %v", st.Step, st.Available, st.Count, q.detections)
							}
							if st.Count != nil && *st.Count != want[i] || st.Perturbed {
								t.Errorf("%s = %v (perturbed %v), want %d exactly", st.Step, show(st.Count), st.Perturbed, want[i])
							}
							continue
						}
						// Perturbed as a statistics count, never above the step before.
						wantN := cells[i].Perturbed()
						if ceiling >= 0 {
							wantN = min(wantN, ceiling)
						}
						ceiling = wantN
						if !st.Perturbed {
							t.Errorf("%s: not marked perturbed", st.Step)
						}
						if st.Count == nil {
							if !st.Suppressed || wantN >= k {
								t.Errorf("%s: withheld (suppressed %v), want %d (exactly %d)", st.Step, st.Suppressed, wantN, cells[i].N)
							}
							continue
						}
						n := *st.Count
						if n != wantN || n < k {
							t.Errorf("%s = %d, want %d (exactly %d, k %d)", st.Step, n, wantN, cells[i].N, k)
						}
						if lastPublished >= 0 {
							prev := *steps[lastPublished].Count
							if n > prev {
								t.Errorf("%s = %d is more than %s = %d: the funnel does not add up", st.Step, n, steps[lastPublished].Step, prev)
							}
							if lastPublished == i-1 && prev > 0 && (st.ShareOfPrevious == nil || !near(*st.ShareOfPrevious, float64(n)/float64(prev))) {
								t.Errorf("%s: shareOfPrevious %v, want %v", st.Step, st.ShareOfPrevious, float64(n)/float64(prev))
							}
						}
						lastPublished = i
					}
					if cells[2].N >= 50 && lastPublished < 8 {
						t.Errorf("too much withheld for %d cases: last published step %d", cells[2].N, lastPublished)
					}
				})
			}
		})
	}
}

func TestStatisticsRejectBadInput(t *testing.T) {
	f := newStatsFixture(t, storetest.SQLiteURL(t), 50, 1, 5)
	f.engine.MaxBuckets = 1
	fx := &fixture{url: f.url}
	for _, c := range []struct {
		name, query, want string
	}{
		{"four dimensions", `{ statistics(groupBy: [REGION, CATEGORY, PLATFORM, STAGE]) { total { count } } }`, "at most 3 dimensions"},
		{"a dimension twice", `{ statistics(groupBy: [REGION, REGION]) { total { count } } }`, "REGION is listed twice"},
		{"threshold below the server's", `{ statistics(groupBy: [], suppressionThreshold: 3) { total { count } } }`, "below this server's threshold of 5"},
		{"funnel threshold below", `{ funnel(suppressionThreshold: 2) { steps { count } } }`, "below this server's threshold"},
		{"empty report range", `{ statistics(groupBy: [], filter: {reportedFrom: "2024-05-01", reportedTo: "2024-04-30"}) { total { count } } }`, "the range is empty"},
		{"empty decision range", `{ funnel(filter: {decidedFrom: "2025-01-01", decidedTo: "2024-01-01"}) { steps { count } } }`, "the range is empty"},
		{"unknown region", `{ statistics(groupBy: [], filter: {regions: ["KZ-99"]}) { total { count } } }`, "filter.regions[0]"},
		{"unknown dimension", `{ statistics(groupBy: [COLOUR]) { total { count } } }`, "Dimension"},
		{"unknown interval", `{ statistics(groupBy: [REGION], interval: WEEK) { total { count } } }`, "Interval"},
		{"too many buckets", `{ statistics(groupBy: [JURISDICTION]) { total { count } } }`, "more than 1 buckets: group by fewer dimensions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := fx.errors(t, c.query, nil)
			if len(errs) == 0 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, c.want) {
				t.Fatalf("errors %+v, want BAD_USER_INPUT mentioning %q", errs, c.want)
			}
		})
	}
}
