package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/demo"
	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// BenchmarkImport imports 20,000 raw rows full of identifiers into an empty database,
// privacy processing included, and reports rows per second. Target (docs/design.md §8): 20,000.
func BenchmarkImport(b *testing.B) {
	const rows = 20_000
	data := ingesttest.CSV(b, ingesttest.RawRecords(rand.New(rand.NewPCG(3, 4)), rows, &ingesttest.Planted{}))
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) { benchImport(b, backend, data, rows) })
	}
}

// BenchmarkReimport imports 20,000 rows, then (timed) the same rows again: unchanged (no
// release; every row looked up and compared, and noted to catch later copies) and with
// every excerpt changed (20,000 corrections, each rewriting its case and recording the
// change).
func BenchmarkReimport(b *testing.B) {
	const rows = 20_000
	records := ingesttest.RawRecords(rand.New(rand.NewPCG(3, 4)), rows, &ingesttest.Planted{})
	data := ingesttest.CSV(b, records)
	excerpt := slices.Index(ingesttest.Header, "content_excerpt")
	for _, r := range records {
		r[excerpt] += " (уточнено)"
	}
	changed := ingesttest.CSV(b, records)
	for _, again := range []struct {
		name string
		data []byte
		ok   func(*ingest.Result) bool
	}{
		{"unchanged", data, func(r *ingest.Result) bool { return r.Unchanged == rows && r.Release == nil }},
		{"changed", changed, func(r *ingest.Result) bool { return r.Updated == rows }},
	} {
		for _, backend := range []string{"sqlite", "postgres"} {
			b.Run(again.name+"/"+backend, func(b *testing.B) {
				ref := reference.MustRead()
				var total float64
				for b.Loop() {
					b.StopTimer()
					im := ingest.NewImporter(emptyStore(b, backend), ref, []byte("bench"), 5)
					if _, err := im.Import(context.Background(), bytes.NewReader(data), ingest.Options{Format: ingest.CSV}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					res, err := im.Import(context.Background(), bytes.NewReader(again.data), ingest.Options{Format: ingest.CSV})
					if err != nil || !again.ok(res) {
						b.Fatalf("%+v %v", res, err)
					}
					total += float64(rows)
				}
				b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// emptyStore opens a new, empty store on the backend ("sqlite" or "postgres").
func emptyStore(b *testing.B, backend string) *store.Store {
	url := storetest.SQLiteURL(b)
	if backend == "postgres" {
		if url = storetest.PostgresURL(b); url == "" {
			b.Skip("no PostgreSQL")
		}
	}
	return storetest.Open(b, url)
}

func benchImport(b *testing.B, backend string, data []byte, rows int) {
	ref := reference.MustRead()
	var total float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st := emptyStore(b, backend)
		im := ingest.NewImporter(st, ref, []byte("bench"), 5)
		b.StartTimer()
		res, err := im.Import(context.Background(), bytes.NewReader(data), ingest.Options{Format: ingest.CSV, Note: fmt.Sprint(i)})
		if err != nil || res.Added != rows {
			b.Fatalf("%+v %v", res, err)
		}
		total += float64(rows)
	}
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	b.SetBytes(int64(len(data)))
}

// BenchmarkImportIntoLargeDataset imports the same 20,000 rows into a copy of the demo
// dataset at the size of docs/design.md §8 (1,000,000 cases, generalised as `seed` leaves it; set
// CASEWATCH_BENCH_CASES to change it). Unlike an empty database, every row's keys go into
// unique indexes of a million entries, and generalisation reads every case of each
// jurisdiction-year the rows touch (all of them here: the rows span every year).
//
// The dataset is seeded once and kept: SQLite in $CASEWATCH_BENCH_DIR (default the system
// temp dir), copied for each run; PostgreSQL as the database casewatch_import_bench_N next
// to $CASEWATCH_TEST_POSTGRES_URL's, copied for each run with CREATE DATABASE … TEMPLATE.
//
//	go test ./internal/ingest -run '^$' -bench ImportIntoLargeDataset -benchtime 3x -timeout 30m
func BenchmarkImportIntoLargeDataset(b *testing.B) {
	const rows = 20_000
	cases := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("CASEWATCH_BENCH_CASES")); err == nil && n > 0 {
		cases = n
	}
	data := ingesttest.CSV(b, ingesttest.RawRecords(rand.New(rand.NewPCG(3, 4)), rows, &ingesttest.Planted{}))
	b.Run("sqlite", func(b *testing.B) {
		dir := os.Getenv("CASEWATCH_BENCH_DIR")
		if dir == "" {
			dir = os.TempDir()
		}
		master := filepath.Join(dir, fmt.Sprintf("casewatch-import-bench-%d.db", cases))
		if _, err := os.Stat(master); err != nil {
			seedLargeDataset(b, "sqlite:"+master+".partial", cases)
			if err := os.Rename(master+".partial", master); err != nil {
				b.Fatal(err)
			}
		}
		benchImportInto(b, data, rows, func() string {
			copyPath := filepath.Join(b.TempDir(), "copy.db")
			copyFile(b, master, copyPath)
			return "sqlite:" + copyPath
		})
	})
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv("CASEWATCH_TEST_POSTGRES_URL")
		if base == "" {
			b.Skip("CASEWATCH_TEST_POSTGRES_URL not set")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			b.Fatal(err)
		}
		defer admin.Close()
		master := fmt.Sprintf("casewatch_import_bench_%d", cases)
		databaseURL := func(name string) string {
			u, err := url.Parse(base)
			if err != nil {
				b.Fatal(err)
			}
			u.Path = "/" + name
			return u.String()
		}
		var exists bool
		if err := admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", master).Scan(&exists); err != nil {
			b.Fatal(err)
		}
		if !exists {
			// Seeded under another name and renamed at the end, so an interrupted seed is
			// not taken for a dataset.
			partial := master + "_partial"
			mustExec(b, admin, "DROP DATABASE IF EXISTS "+partial)
			mustExec(b, admin, "CREATE DATABASE "+partial)
			seedLargeDataset(b, databaseURL(partial), cases)
			mustExec(b, admin, "ALTER DATABASE "+partial+" RENAME TO "+master)
		}
		const copyName = "casewatch_import_bench_copy"
		defer mustExec(b, admin, "DROP DATABASE IF EXISTS "+copyName)
		benchImportInto(b, data, rows, func() string {
			mustExec(b, admin, "DROP DATABASE IF EXISTS "+copyName+" WITH (FORCE)")
			mustExec(b, admin, "CREATE DATABASE "+copyName+" TEMPLATE "+master)
			return databaseURL(copyName)
		})
	})
}

// benchImportInto imports data into a fresh copy of a dataset (made by fresh, untimed)
// on each run. It also reports, untimed, how long a running server's statistics fact
// table then takes to catch up with the new release.
func benchImportInto(b *testing.B, data []byte, rows int, fresh func() string) {
	ctx := context.Background()
	ref := reference.MustRead()
	var total float64
	var refresh time.Duration
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, fresh())
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		engine := stats.NewEngine(st, ref, []byte("test secret"))
		if err := engine.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		im := ingest.NewImporter(st, ref, []byte("bench"), 5)
		b.StartTimer()
		res, err := im.Import(ctx, bytes.NewReader(data), ingest.Options{Format: ingest.CSV})
		b.StopTimer()
		if err != nil || res.Added != rows {
			b.Fatalf("%+v %v", res, err)
		}
		start := time.Now()
		if err := engine.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		refresh += time.Since(start)
		st.Close()
		b.StartTimer()
		total += float64(rows)
	}
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(refresh.Milliseconds())/float64(b.N), "ms-fact-table-catch-up")
}

func seedLargeDataset(b *testing.B, databaseURL string, cases int) {
	b.Logf("seeding %d cases into %s (once)", cases, databaseURL)
	st, err := store.Open(context.Background(), databaseURL)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Seed(context.Background(), st, reference.MustRead(), demo.Options{Cases: cases, Generalize: privacy.Generalizer(5, reference.MustRead().FineBand)}); err != nil {
		b.Fatal(err)
	}
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

func mustExec(b *testing.B, db *sql.DB, statement string) {
	if _, err := db.Exec(statement); err != nil {
		b.Fatalf("%s: %v", statement, err)
	}
}
