package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

type env struct {
	url   string
	store *store.Store
	im    *ingest.Importer
}

func newEnv(t *testing.T, url string) *env {
	st := storetest.Open(t, url)
	return &env{url: url, store: st, im: ingest.NewImporter(st, reference.MustLoad(), []byte("test secret"), 3)}
}

func (e *env) importCSV(t *testing.T, data []byte, opts ingest.Options) (*ingest.Result, error) {
	t.Helper()
	opts.Format = ingest.CSV
	return e.im.Import(context.Background(), bytes.NewReader(data), opts)
}

// everything returns every text the database holds: the SQLite file's bytes, or every row
// of every table of the PostgreSQL schema as text.
func (e *env) everything(t *testing.T) string {
	t.Helper()
	if path, ok := strings.CutPrefix(e.url, "sqlite:"); ok {
		var all []byte
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(path + suffix)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	}
	db, err := sql.Open("pgx", e.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, table := range []string{"cases", "appeals", "releases", "articles", "detections", "corrections", "tokens", "audit_log"} {
		rows, err := db.Query("SELECT t::text FROM " + table + " t")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			b.WriteString(s + "\n")
		}
		rows.Close()
	}
	return b.String()
}

func TestImportLeavesNoIdentifierAndReimportIsANoOp(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			e := newEnv(t, b.URL)
			p := &ingesttest.Planted{}
			rng := rand.New(rand.NewPCG(1, 2))
			data := ingesttest.CSV(t, ingesttest.RawRecords(rng, 40, p))

			res, err := e.importCSV(t, data, ingest.Options{Note: "first"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Release == nil || res.Added != 40 || res.Updated != 0 || res.Unchanged != 0 {
				t.Fatalf("result %+v", res)
			}
			db := e.everything(t)
			for _, v := range p.Values {
				if strings.Contains(db, v) {
					t.Errorf("the database holds %q", v)
				}
				for _, part := range strings.Fields(v) {
					if len([]rune(part)) >= 5 && strings.Contains(db, part) && !strings.Contains(part, "г.") {
						t.Errorf("the database holds %q (of %q)", part, v)
					}
				}
			}
			cases, _, err := e.store.ListCases(context.Background(), model.CaseFilter{}, store.ReportedDesc, 100, nil)
			if err != nil || len(cases) != 40 {
				t.Fatalf("%d cases, %v", len(cases), err)
			}
			for _, c := range cases {
				if c.AgeBand == nil || c.RegionCode == nil || *c.RegionCode != "KZ-75" || c.Stage != model.CaseStageClosed && c.Stage != model.CaseStageAppeal {
					t.Fatalf("case %+v", c)
				}
				if c.Summary != nil && !strings.Contains(*c.Summary, "[PHONE]") {
					t.Fatalf("summary %q", *c.Summary)
				}
			}

			again, err := e.importCSV(t, data, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if again.Release != nil || again.Unchanged != 40 || again.Added+again.Updated != 0 {
				t.Fatalf("re-import %+v", again)
			}
			gen, _ := e.store.Generation(context.Background())
			if gen != 1 {
				t.Fatalf("generation %d after an unchanged re-import", gen)
			}
		})
	}
}
