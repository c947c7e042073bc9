package ingest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

var header = []string{"source_id", "jurisdiction", "region", "reported_on", "platform", "content_category",
	"content_excerpt", "expert_conclusion", "expert_on", "article", "case_opened_on", "prosecutor_decision",
	"prosecutor_on", "court_decision", "court_on", "sanction", "fine_amount", "fine_index_units",
	"defendant_kind", "defendant_gender", "defendant_name", "defendant_iin", "defendant_birth_date",
	"defendant_phone", "defendant_address", "appeal_filed_on", "appeal_filed_by", "appeal_status",
	"appeal_decided_on", "appeal_fine_amount", "cassation_filed_on", "cassation_filed_by",
	"cassation_status", "cassation_decided_on", "cassation_fine_amount"}

// validIIN makes a valid, made-up IIN: birth date, century digit, serial, checksum.
func validIIN(rng *rand.Rand) string {
	for {
		s := fmt.Sprintf("%02d%02d%02d%d%04d", rng.IntN(100), 1+rng.IntN(12), 1+rng.IntN(28), 3+rng.IntN(4), rng.IntN(10000))
		w1 := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
		w2 := []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
		sum := func(w []int) int {
			t := 0
			for i, c := range s {
				t += int(c-'0') * w[i]
			}
			return t % 11
		}
		d := sum(w1)
		if d == 10 {
			d = sum(w2)
		}
		if d != 10 {
			return s + fmt.Sprint(d)
		}
	}
}

// planted are identifiers a test writes into raw records; none may come out anywhere.
type planted struct{ values []string }

func (p *planted) add(v string) string { p.values = append(p.values, v); return v }

var (
	surnames = []string{"Жумабаев", "Сейткали", "Иванова", "Нурланов", "Ахметова", "Кенжебеков"}
	given    = []string{"Асхат", "Айгерим", "Дмитрий", "Гульнара", "Ерлан", "Мадина"}
)

// rawRecords makes n raw records full of identifiers, in every free field.
func rawRecords(rng *rand.Rand, n int, p *planted) [][]string {
	var rows [][]string
	for i := range n {
		surname, name := surnames[rng.IntN(len(surnames))], given[rng.IntN(len(given))]
		full := p.add(surname+" "+name) + " " + name[:2] + "ович"
		iin := p.add(validIIN(rng))
		phone := p.add(fmt.Sprintf("+7 701 %03d %02d %02d", rng.IntN(1000), rng.IntN(100), rng.IntN(100)))
		email := p.add(fmt.Sprintf("user%d@example.kz", 1000+i))
		handle := p.add(fmt.Sprintf("@blogger_%d", 1000+i))
		link := p.add(fmt.Sprintf("https://t.me/channel%d/%d", 1000+i, 500+i))
		excerpt := fmt.Sprintf("Пост %s в Telegram о паводке: автор %s, тел. %s, ИИН %s, почта %s, ссылка %s. Гражданину %sу вынесено предупреждение.",
			handle, full, phone, iin, email, link, surname)
		row := map[string]string{
			"source_id": p.add(fmt.Sprintf("MVD-%06d-%d", 100000+i, 2024)), "jurisdiction": "kz", "region": "Алматы",
			"reported_on": "2024-03-05", "platform": "telegram", "content_category": "false_information",
			"content_excerpt": excerpt, "expert_conclusion": "administrative_offense", "expert_on": "2024-03-20",
			"article": "CAO 456-2", "case_opened_on": "2024-03-25", "prosecutor_decision": "approved", "prosecutor_on": "2024-04-01",
			"court_decision": "liable", "court_on": "2024-04-15", "sanction": "fine", "fine_amount": "73840",
			"defendant_kind": "blogger", "defendant_gender": "female", "defendant_name": full, "defendant_iin": iin,
			"defendant_birth_date": p.add(fmt.Sprintf("19%02d-%02d-%02d", 70+rng.IntN(25), 1+rng.IntN(12), 10+rng.IntN(18))),
			"defendant_phone":      phone, "defendant_address": p.add(fmt.Sprintf("г. Алматы, ул. Абая %d, кв. %d", 10+i, 100+i)),
		}
		if i%3 == 0 {
			row["appeal_filed_on"], row["appeal_filed_by"], row["appeal_status"], row["appeal_decided_on"], row["appeal_fine_amount"] =
				"2024-04-20", "defendant", "modified", "2024-05-20", "36920"
		}
		rec := make([]string, len(header))
		for j, h := range header {
			rec[j] = row[h]
		}
		rows = append(rows, rec)
	}
	return rows
}

func csvOf(t testing.TB, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.WriteAll(rows)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

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
			p := &planted{}
			rng := rand.New(rand.NewPCG(1, 2))
			data := csvOf(t, rawRecords(rng, 40, p))

			res, err := e.importCSV(t, data, ingest.Options{Note: "first"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Release == nil || res.Added != 40 || res.Updated != 0 || res.Unchanged != 0 {
				t.Fatalf("result %+v", res)
			}
			db := e.everything(t)
			for _, v := range p.values {
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
