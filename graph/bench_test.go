package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
)

// The benchmarks run against the demo dataset at the size of docs/design.md §8 (1,000,000 cases; set
// CASEWATCH_BENCH_CASES to change it). The dataset is seeded once and kept for later runs:
// SQLite in $CASEWATCH_BENCH_DIR (default the system temp dir), PostgreSQL in the schema
// bench_N of $CASEWATCH_TEST_POSTGRES_URL. Seeding 1,000,000 cases takes a minute or two.
//
//	go test ./graph -run '^$' -bench Cases -benchtime 200x

func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("CASEWATCH_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

func benchBackends(b *testing.B) map[string]string {
	n := benchCases()
	dir := os.Getenv("CASEWATCH_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	out := map[string]string{"sqlite": "sqlite:" + filepath.Join(dir, fmt.Sprintf("casewatch-bench-%d.db", n))}
	if pg := os.Getenv("CASEWATCH_TEST_POSTGRES_URL"); pg != "" {
		schema := fmt.Sprintf("bench_%d", n)
		s, err := store.Open(context.Background(), pg)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if err := s.Exec(context.Background(), "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(pg)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		out["postgres"] = u.String()
	}
	return out
}

// openBenchStore opens the benchmark dataset, seeding it on first use.
func openBenchStore(b *testing.B, databaseURL string) *store.Store {
	ctx := context.Background()
	s, err := store.Open(ctx, databaseURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if gen, err := s.Generation(ctx); err != nil {
		b.Fatal(err)
	} else if gen == 0 {
		b.Logf("seeding %d cases into %s (once)", benchCases(), s.Backend())
		if _, err := demo.Seed(ctx, s, reference.MustRead(), demo.Options{Cases: benchCases()}); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

const benchCaseFields = `reference jurisdiction region { code name } category concern platform article { code }
  liability stage reportedMonth defendant { kind ageBand gender }
  outcome { decision decidedMonth sanction fine { amount currency indexUnits } }
  appeals { level status decidedMonth } timeline { kind month result } summary generalized`

// BenchmarkCasesFirstPage: the first page of cases with three filters, uncached, through
// the whole GraphQL handler. Target (docs/design.md §8): under 30 ms at 1,000,000 cases.
func BenchmarkCasesFirstPage(b *testing.B) {
	queries := []benchQuery{
		{"three-filters/first-20", `{ cases(first: 20, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION, INSULT_OR_LIBEL], platforms: [TELEGRAM]}) { edges { node { ` + benchCaseFields + ` } } pageInfo { hasNextPage endCursor } } }`},
		{"three-filters/first-100", `{ cases(first: 100, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION, INSULT_OR_LIBEL], platforms: [TELEGRAM]}) { edges { node { ` + benchCaseFields + ` } } pageInfo { hasNextPage endCursor } } }`},
		{"three-filters/first-20+totalCount", `{ cases(first: 20, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION, INSULT_OR_LIBEL], platforms: [TELEGRAM]}) { totalCount edges { node { ` + benchCaseFields + ` } } } }`},
		{"region-year-decision/first-20", `{ cases(first: 20, filter: {regions: ["KZ-75"], reportedFrom: "2025-01-01", reportedTo: "2025-12-31", decisions: [LIABLE]}, orderBy: DECIDED_DESC) { edges { node { ` + benchCaseFields + ` } } } }`},
	}
	benchQueriesOnEachBackend(b, queries)
}

// BenchmarkPeerQuestions: the three questions of the peer comparison (.ci/peer/run),
// uncached, through the whole GraphQL handler in process: a first page and the count of
// a filter by jurisdiction and category, and cases and fines by region and year.
func BenchmarkPeerQuestions(b *testing.B) {
	queries := []benchQuery{
		{"first-page", `{ cases(first: 20, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION]}, orderBy: REPORTED_DESC) { edges { node { reference jurisdiction region { code } category platform reportedMonth outcome { decision sanction } } } } }`},
		{"count", `{ cases(first: 1, filter: {jurisdiction: KZ, categories: [FALSE_INFORMATION]}) { totalCount } }`},
		{"region-year", `{ statistics(groupBy: [REGION], interval: YEAR) { buckets { key { code } period count fines { currency count total } } } }`},
	}
	benchQueriesOnEachBackend(b, queries)
}

// benchQueriesOnEachBackend runs the queries through the handler (benchQueries) on each
// backend's benchmark dataset.
func benchQueriesOnEachBackend(b *testing.B, queries []benchQuery) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for name, dbURL := range benchBackends(b) {
		b.Run(name, func(b *testing.B) {
			benchQueries(b, benchHandler(b, openBenchStore(b, dbURL), log), queries)
		})
	}
}

// benchHandler is the GraphQL handler as the server has it, with k = 5 and the fact table
// built, as the server builds it before it turns ready.
func benchHandler(b *testing.B, s *store.Store, log *slog.Logger) http.Handler {
	ref := reference.MustRead()
	engine := stats.NewEngine(s, ref, []byte("test secret"))
	// As in the server, the engine answers the generation the answer cache follows rather
	// than asking SQL for it on every question.
	gen, err := s.Generation(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	engine.Generation = func(context.Context) (int64, error) { return gen, nil }
	if err := engine.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	api, err := graph.New(graph.Options{Store: s, Engine: engine, Reference: ref, Secret: []byte("bench"), Threshold: 5, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	return api.GraphQL
}

type benchQuery struct{ name, query string }

// processCPU is the CPU time the process has used (user and system, every thread, the
// collector's included). Per operation it is what bounds throughput on a small machine,
// and unlike ns/op it holds when other work shares the cores.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// benchQueries runs each query through the handler as one sub-benchmark, failing on any
// error in an answer.
func benchQueries(b *testing.B, h http.Handler, queries []benchQuery) {
	for _, q := range queries {
		body := `{"query":` + strconv.Quote(q.query) + `}`
		b.Run(q.name, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkStatistics: statistics through the whole GraphQL handler, with no response
// cache. Target (docs/design.md §8): grouped by REGION and YEAR under 300 ms at 1,000,000 cases.
// The fact table is built before the clock starts; BenchmarkStatisticsFactTable measures
// that build on its own.
func BenchmarkStatistics(b *testing.B) {
	const figures = `count suppressed liable fined appealed appealsSucceeded
		fines { currency count total mean median p90 min max indexUnits { unit total median } }
		medianDaysToDecision prosecutorRejectionRate expertNoOffenceRate countPer100k`
	queries := []benchQuery{
		{"region-year", `{ statistics(groupBy: [REGION], interval: YEAR) { total { ` + figures + ` } buckets { key { code label } period ` + figures + ` } } }`},
		{"region-year+repeatDefendants", `{ statistics(groupBy: [REGION], interval: YEAR) { total { count repeatDefendants } buckets { key { code } period count repeatDefendants } } }`},
		{"concern-kind-decision/filtered", `{ statistics(groupBy: [CONCERN, DEFENDANT_KIND, DECISION], filter: {jurisdiction: KZ, reportedFrom: "2024-01-01"}) { buckets { key { code } ` + figures + ` } } }`},
		{"funnel", `{ funnel(filter: {concerns: [CORE_EXPRESSION]}) { steps { step count shareOfPrevious } } }`},
	}
	benchQueriesOnEachBackend(b, queries)
}

// BenchmarkStatisticsFactTable: building the statistics' fact table from the store, as a
// server does at start (before it turns ready).
func BenchmarkStatisticsFactTable(b *testing.B) {
	for name, dbURL := range benchBackends(b) {
		b.Run(name, func(b *testing.B) {
			s := openBenchStore(b, dbURL)
			for b.Loop() {
				if err := stats.NewEngine(s, reference.MustRead(), []byte("test secret")).Warm(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// detectionQuestion is one question to the detections query.
type detectionQuestion struct {
	name     string
	filter   model.DetectionFilter
	groupBy  []model.DetectionDimension
	interval *model.Interval
}

// BenchmarkDetections: counting detections by SQL (store.CountDetections, a GROUP BY over
// every detection, as the resolver did before) and from the engine's in-memory table, side
// by side, then the dashboard's question through the whole GraphQL handler. Target: the
// handler under 5 ms on the demo dataset. The detections are ~490,000 rows whatever the
// number of cases.
func BenchmarkDetections(b *testing.B) {
	questions := []detectionQuestion{
		{"category-month", model.DetectionFilter{}, []model.DetectionDimension{model.DetectionDimensionCategory}, ptr(model.IntervalMonth)},
		{"region-concern-quarter/filtered", model.DetectionFilter{Platforms: []model.Platform{model.PlatformTelegram}, DetectedFrom: ptr("2024-01-01")},
			[]model.DetectionDimension{model.DetectionDimensionRegion, model.DetectionDimensionConcern}, ptr(model.IntervalQuarter)},
		{"total", model.DetectionFilter{}, nil, nil},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	for name, dbURL := range benchBackends(b) {
		b.Run(name, func(b *testing.B) {
			s := openBenchStore(b, dbURL)
			h := benchHandler(b, s, log)
			engine := stats.NewEngine(s, reference.MustRead(), []byte("test secret"))
			if err := engine.Warm(ctx); err != nil {
				b.Fatal(err)
			}
			for _, q := range questions {
				want, err := s.CountDetections(ctx, q.filter, q.groupBy, q.interval)
				if err != nil {
					b.Fatal(err)
				}
				if got, err := engine.CountDetections(ctx, q.filter, q.groupBy, q.interval); err != nil || !reflect.DeepEqual(got, want) {
					b.Fatalf("%s: the engine's answer differs from SQL's (%v)", q.name, err)
				}
				for _, path := range []struct {
					name  string
					count func(context.Context, model.DetectionFilter, []model.DetectionDimension, *model.Interval) ([]model.DetectionBucket, error)
				}{{"sql", s.CountDetections}, {"engine", engine.CountDetections}} {
					b.Run(path.name+"/"+q.name, func(b *testing.B) {
						for b.Loop() {
							if _, err := path.count(ctx, q.filter, q.groupBy, q.interval); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
			benchQueries(b, h, []benchQuery{
				{"graphql/category-month", `{ detections(groupBy: [CATEGORY], interval: MONTH) { buckets { count } } }`},
			})
			// What the table costs: reading every detection (a server's start), and
			// catching up with a release that added none (an import of cases), which still
			// scans the detections for the release's.
			gen, err := s.Generation(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, read := range []struct {
				name  string
				after int64
			}{{"table/build", 0}, {"table/catch-up", gen}} {
				b.Run(read.name, func(b *testing.B) {
					for b.Loop() {
						if err := s.EachDetection(ctx, read.after, gen+1, func(*store.DetectionRow) error { return nil }); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkSearch: the cases whose summary holds a word, by the LIKE '%word%' query the
// store ran before and by its substring test now, side by side; then a search through
// the whole GraphQL handler, which the engine answers from its fact table with the ids
// SQL matched.
func BenchmarkSearch(b *testing.B) {
	const word = "паводк"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	for name, dbURL := range benchBackends(b) {
		b.Run(name, func(b *testing.B) {
			s := openBenchStore(b, dbURL)
			h := benchHandler(b, s, log)
			// The query before, on a connection of its own.
			driver, dsn, like := "sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:"), `SELECT id FROM cases WHERE search_text LIKE ? ESCAPE '\'`
			if s.Backend() == store.Postgres {
				driver, dsn, like = "pgx", dbURL, `SELECT id FROM cases WHERE search_text LIKE $1 ESCAPE '\'`
			}
			db, err := sql.Open(driver, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ids := func(rows *sql.Rows, err error) []int64 {
				if err != nil {
					b.Fatal(err)
				}
				defer rows.Close()
				var out []int64
				for rows.Next() {
					var id int64
					if err := rows.Scan(&id); err != nil {
						b.Fatal(err)
					}
					out = append(out, id)
				}
				return out
			}
			before := ids(db.QueryContext(ctx, like, "%"+word+"%"))
			now, err := s.CaseIDsMatchingSearch(ctx, word)
			if err != nil {
				b.Fatal(err)
			}
			slices.Sort(before)
			slices.Sort(now)
			if !slices.Equal(before, now) || len(now) == 0 {
				b.Fatalf("LIKE found %d cases, the substring test %d", len(before), len(now))
			}
			b.Run("sql-like", func(b *testing.B) {
				for b.Loop() {
					ids(db.QueryContext(ctx, like, "%"+word+"%"))
				}
			})
			b.Run("sql-substring", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.CaseIDsMatchingSearch(ctx, word); err != nil {
						b.Fatal(err)
					}
				}
			})
			// Kept: the scan ran for the first request only.
			benchQueries(b, h, []benchQuery{
				{"graphql/totalCount/kept", `{ cases(first: 1, filter: {search: "` + word + `"}) { totalCount } }`},
			})
			// Not kept: one-letter searches, more of them than the engine keeps, in turn,
			// so every request scans (one scan for the page and its totalCount).
			letters := []rune("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
			i := 0
			b.Run("graphql/totalCount/scanned", func(b *testing.B) {
				for b.Loop() {
					query := `{ cases(first: 1, filter: {search: "` + string(letters[i%len(letters)]) + `"}) { totalCount } }`
					i++
					req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconv.Quote(query)+`}`))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
