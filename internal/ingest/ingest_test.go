package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
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
	return &env{url: url, store: st, im: ingest.NewImporter(st, reference.MustRead(), []byte("test secret"), 3)}
}

// listCases lists cases as the API does: the statistics engine's fact table picks the
// page, the store reads its rows.
func (e *env) listCases(t *testing.T, f model.CaseFilter, o model.CaseOrder, first int) []model.Case {
	t.Helper()
	ctx := context.Background()
	keys, _, err := stats.NewEngine(e.store, reference.MustRead(), []byte("test secret")).ListCases(ctx, f, o, first, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := e.store.CasesByID(ctx, model.CaseKeyIDs(keys))
	if err != nil {
		t.Fatal(err)
	}
	return cases
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
			cases := e.listCases(t, model.CaseFilter{}, model.CaseOrderReportedDesc, 100)
			if len(cases) != 40 {
				t.Fatalf("%d cases", len(cases))
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

const minimalHeader = "source_id,jurisdiction,region,reported_on,platform,content_category,court_decision,court_on,sanction,fine_amount\n"

func TestRejectedInputChangesNothing(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			e := newEnv(t, b.URL)
			ctx := context.Background()
			if _, err := e.importCSV(t, []byte(minimalHeader+"S-1,kz,KZ-75,2024-01-10,telegram,false_information,,,,\n"), ingest.Options{}); err != nil {
				t.Fatal(err)
			}
			huge := strings.Repeat("я", 5<<20) // 10 MB of text in one field
			tests := []struct {
				name, data string
				format     ingest.Format
				want       string // in the first issue's "line N, column C: message"
			}{
				{"broken quoting", minimalHeader + "S-2,kz,KZ-75,2024-01-10,\"telegram,false_information,,,,\n", ingest.CSV, "line 2, column"},
				{"non-UTF-8", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,,,,\xff\xfe\n", ingest.CSV, "line 2, column 55: fine_amount is not valid UTF-8"},
				{"missing required column", "source_id,jurisdiction,reported_on,platform\nS-2,kz,2024-01-10,telegram\n", ingest.CSV, "missing required column(s): content_category"},
				{"unknown column", "source_id,jurisdiction,reported_on,platform,content_category,defendant_inn\n", ingest.CSV, `unknown column "defendant_inn"`},
				{"unknown code", minimalHeader + "S-2,kz,KZ-75,2024-01-10,myspace,false_information,,,,\n", ingest.CSV, "line 2, column 25: platform"},
				{"court before report", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,liable,2023-12-01,warning,\n", ingest.CSV, "court_on (2023-12-01) is before reported_on"},
				{"negative fine", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,liable,2024-02-01,fine,-100\n", ingest.CSV, "fine_amount: -100 is negative"},
				{"region created later", minimalHeader + "S-2,kz,Abai Region,2021-05-10,telegram,false_information,,,,\n", ingest.CSV, "KZ-10 was created in 2022"},
				{"10 MB field", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,,,,\"" + huge + "\"\n", ingest.CSV, "line 2, column 1: line longer than"},
				{"same row twice", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,,,,\nS-2,kz,KZ-75,2024-01-11,telegram,false_information,,,,\n", ingest.CSV, "line 3, column 1: this source_id and jurisdiction already appeared on line 2"},
				{"same row in another chunk", minimalHeader + "S-2,kz,KZ-75,2024-01-10,telegram,false_information,,,,\n" + manyRows(2100) + "S-2,kz,KZ-75,2024-01-11,telegram,false_information,,,,\n", ingest.CSV, "line 2103, column 1: this source_id and jurisdiction already appeared earlier in this file"},
				{"date out of range", minimalHeader + "S-2,kz,KZ-75,1899-01-10,telegram,false_information,,,,\n", ingest.CSV, "line 2, column 14: reported_on is outside 1991-01-01 to 2099-12-31"},
				{"unchanged row again in another chunk", minimalHeader + "S-1,kz,KZ-75,2024-01-10,telegram,false_information,,,,\n" + manyRows(2100) + "S-1,kz,KZ-75,2024-01-11,telegram,false_information,,,,\n", ingest.CSV, "line 2103, column 1: this source_id and jurisdiction already appeared on line 2 of this file"},
				// The rejected import's temporary table went with its transaction.
				{"the same again", minimalHeader + "S-1,kz,KZ-75,2024-01-10,telegram,false_information,,,,\n" + manyRows(2100) + "S-1,kz,KZ-75,2024-01-11,telegram,false_information,,,,\n", ingest.CSV, "line 2103, column 1: this source_id and jurisdiction already appeared on line 2 of this file"},
				{"column twice", "source_id,jurisdiction,reported_on,platform,content_category,defendant_name,defendant_name\nS-2,kz,2024-01-10,telegram,other,A,B\n", ingest.CSV, `line 1, column 77: column "defendant_name" appears twice (also at column 62)`},
				{"key twice in JSON", `{"source_id": "S-2", "jurisdiction": "kz", "reported_on": "2024-01-10", "platform": "telegram", "content_category": "other", "appeal_status": "pending", "appeal": {"status": "upheld"}}` + "\n", ingest.NDJSON, "line 1, column"},
				{"bad JSON", `{"source_id": "S-2", "jurisdiction": "kz",` + "\n", ingest.NDJSON, "line 1, column"},
				{"empty", "", ingest.CSV, "the file is empty"},
				{"bad birth date is not repeated", "source_id,jurisdiction,reported_on,platform,content_category,defendant_birth_date\nS-2,kz,2024-01-10,telegram,other,1990-13-45\n", ingest.CSV, "line 2, column 34: defendant_birth_date is not a date; write YYYY-MM-DD"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					before, _ := e.store.Generation(ctx)
					res, err := e.im.Import(ctx, strings.NewReader(tt.data), ingest.Options{Format: tt.format})
					var rejected *ingest.RejectedError
					if !errors.As(err, &rejected) {
						t.Fatalf("result %+v, error %v", res, err)
					}
					if got := rejected.Issues[0].String(); !strings.Contains(got, tt.want) {
						t.Fatalf("first issue %q, want %q (all: %v)", got, tt.want, rejected.Issues)
					}
					for _, is := range rejected.Issues {
						if strings.Contains(is.Message, "1990-13-45") || strings.Contains(is.Message, "myspace") || strings.Contains(is.Message, "1899") {
							t.Fatalf("an issue repeats the rejected value: %q", is.Message)
						}
					}
					after, _ := e.store.Generation(ctx)
					n, _ := e.store.CountCases(ctx, model.CaseFilter{})
					if after != before || n != 1 {
						t.Fatalf("a rejected import changed the data: generation %d→%d, %d cases", before, after, n)
					}
				})
			}
		})
	}
}

// An import whose context ends halfway through the file (a client gone, a shutdown) writes
// nothing, although the rows read so far were all good.
func TestImportCancelledHalfwayChangesNothing(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			e := newEnv(t, b.URL)
			data := ingesttest.CSV(t, ingesttest.RawRecords(rand.New(rand.NewPCG(5, 6)), 3000, &ingesttest.Planted{}))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			in := &cancelAfter{r: bytes.NewReader(data), n: len(data) / 2, cancel: cancel}
			res, err := e.im.Import(ctx, in, ingest.Options{Format: ingest.CSV})
			if err == nil {
				t.Fatalf("a cancelled import succeeded: %+v", res)
			}
			gen, _ := e.store.Generation(context.Background())
			n, _ := e.store.CountCases(context.Background(), model.CaseFilter{})
			if gen != 0 || n != 0 {
				t.Fatalf("a cancelled import wrote: generation %d, %d cases", gen, n)
			}
		})
	}
}

// cancelAfter reads from r and calls cancel once n bytes have been read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

func TestCorrectionsDryRunAndNDJSON(t *testing.T) {
	e := newEnv(t, storetest.SQLiteURL(t))
	ctx := context.Background()
	// S-1 with two cases alike (k = 3), so that the case view lists them; S-2, a case of its
	// own, it leaves out.
	first := minimalHeader + "S-1,kz,KZ-75,2024-01-10,telegram,false_information,,,,\nS-2,kg,Бишкек,2024-01-11,tiktok,insult_or_libel,,,,\n" +
		"S-1b,kz,KZ-75,2024-01-10,telegram,false_information,,,,\nS-1c,kz,KZ-75,2024-01-10,telegram,false_information,,,,\n"
	if _, err := e.importCSV(t, []byte(first), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	// The same records as NDJSON, S-1 and its like decided since: three corrections.
	var ndjson strings.Builder
	for _, id := range []string{"S-1", "S-1b", "S-1c"} {
		fmt.Fprintf(&ndjson, `{"source_id": %q, "jurisdiction": "KZ", "region": "Алматы", "reported_on": "2024-01-10", "platform": "telegram", "content_category": "false_information", "court_decision": "liable", "court_on": "2024-03-01", "sanction": "fine", "fine_amount": 73840, "appeal": {"filed_on": "2024-03-05", "filed_by": "defendant", "status": "pending"}}`+"\n", id)
	}
	ndjson.WriteString(`{"source_id": " s-2 ", "jurisdiction": "kg", "region": "KG-GB", "reported_on": "2024-01-11", "platform": "tiktok", "content_category": "insult_or_libel"}` + "\n")
	dry, err := e.im.Import(ctx, strings.NewReader(ndjson.String()), ingest.Options{Format: ingest.NDJSON, DryRun: true})
	if err != nil || dry.Release != nil || dry.Updated != 3 || dry.Unchanged != 1 {
		t.Fatalf("dry run %+v %v", dry, err)
	}
	if g, _ := e.store.Generation(ctx); g != 1 {
		t.Fatalf("a dry run wrote a release")
	}
	res, err := e.im.Import(ctx, strings.NewReader(ndjson.String()), ingest.Options{Format: ingest.NDJSON, Note: "decisions"})
	if err != nil || res.Release == nil || res.Release.ID != 2 || res.Updated != 3 || res.Unchanged != 1 || res.Added != 0 {
		t.Fatalf("import %+v %v", res, err)
	}
	cases := e.listCases(t, model.CaseFilter{Stages: []model.CaseStage{model.CaseStageAppeal}}, model.CaseOrderReportedDesc, 10)
	if len(cases) != 3 {
		t.Fatalf("%d updated cases listed, want 3", len(cases))
	}
	for _, c := range cases {
		if *c.FineAmount != 73840 || c.FirstReleaseID != 1 {
			t.Fatalf("updated case %+v", c)
		}
		corr, err := e.store.CorrectionsByCase(ctx, []int64{c.ID})
		if err != nil || len(corr[c.ID]) != 1 || corr[c.ID][0].ReleaseID != 2 ||
			!strings.Contains(corr[c.ID][0].Fields, "court_decision") || !strings.Contains(corr[c.ID][0].Fields, "appeals") {
			t.Fatalf("corrections %+v %v", corr, err)
		}
	}
}

// A summary in which the row's own phone number survives redaction is not published.
func TestSummaryKeepingTheRowsNumberIsDropped(t *testing.T) {
	e := newEnv(t, storetest.SQLiteURL(t))
	data := "source_id,jurisdiction,reported_on,platform,content_category,content_excerpt,defendant_phone,court_decision,court_on\n" +
		"S-1,kz,2024-01-10,telegram,other,\"Объявление о продаже, звонить семь ноль один: 123 45 67, спросить хозяина дома\",+7 701 123 45 67,liable,2024-03-01\n" +
		"S-2,kz,2024-01-10,telegram,other,\"Объявление о продаже автомобиля в городе, спросить хозяина\",+7 701 123 45 67,liable,2024-03-01\n" +
		// A third case alike (k = 3), so that the case view lists them.
		"S-3,kz,2024-01-10,telegram,other,,,liable,2024-03-01\n"
	if _, err := e.importCSV(t, []byte(data), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	cases := e.listCases(t, model.CaseFilter{}, model.CaseOrderReportedAsc, 10)
	if len(cases) != 3 {
		t.Fatalf("%d cases", len(cases))
	}
	clean := false
	for _, c := range cases {
		if c.Summary != nil && strings.Contains(digitsOf(*c.Summary), "1234567") {
			t.Fatalf("summary %q keeps the phone number", *c.Summary)
		}
		clean = clean || c.Summary != nil && strings.Contains(*c.Summary, "автомобиля")
	}
	if !clean {
		t.Fatal("a clean summary was dropped")
	}
}

// A summary is published only for a case a court held liable at first instance: a case
// closed before court, still pending, or ending without liability keeps its category, no
// text, and no search finds it by the words of its content.
func TestSummaryOnlyForCasesHeldLiable(t *testing.T) {
	e := newEnv(t, storetest.SQLiteURL(t))
	data := "source_id,jurisdiction,reported_on,platform,content_category,content_excerpt,prosecutor_decision,prosecutor_on,court_decision,court_on\n"
	// Each outcome three times (k = 3), so that the case view lists them.
	for i, outcome := range []string{",,liable,2024-03-01", ",,,", "rejected,2024-02-01,,", ",,not_liable,2024-03-01", ",,pending,"} {
		for n := range 3 {
			data += fmt.Sprintf("S-%d-%d,kz,2024-01-10,telegram,other,Публикация о паводке в области,%s\n", i+1, n, outcome)
		}
	}
	if _, err := e.importCSV(t, []byte(data), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	cases := e.listCases(t, model.CaseFilter{}, model.CaseOrderReportedAsc, 100)
	if len(cases) != 15 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		liable := c.CourtDecision != nil && *c.CourtDecision == model.DecisionLiable
		if liable != (c.Summary != nil) {
			t.Errorf("decision %v: summary %v", c.CourtDecision, c.Summary)
		}
	}
	search := "паводке"
	found := e.listCases(t, model.CaseFilter{Search: &search}, model.CaseOrderReportedAsc, 100)
	for _, c := range found {
		if c.CourtDecision == nil || *c.CourtDecision != model.DecisionLiable {
			t.Fatalf("the search found a case not held liable (%v)", c.CourtDecision)
		}
	}
	if len(found) != 3 {
		t.Fatalf("the search found %d cases, want only the three held liable", len(found))
	}
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// manyRows makes n distinct valid rows of the minimal header.
func manyRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "M-%d,kz,KZ-75,2024-01-10,telegram,other,,,,\n", i)
	}
	return b.String()
}
