package graph_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// get asks h for path and returns the answer's status, headers and body.
func get(t *testing.T, h http.Handler, path string) (int, http.Header, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

// readCSV parses an RFC 4180 file: CRLF line ends, UTF-8, after a byte-order mark when
// bom says there must be one (and never otherwise).
func readCSV(t *testing.T, body []byte, bom bool) [][]string {
	t.Helper()
	const mark = "\uFEFF"
	if bytes.HasPrefix(body, []byte(mark)) != bom {
		t.Fatalf("byte-order mark: want %v, the file starts %q", bom, body[:min(8, len(body))])
	}
	body = bytes.TrimPrefix(body, []byte(mark))
	if n := bytes.Count(body, []byte("\n")); n == 0 || bytes.Count(body, []byte("\r\n")) != n {
		t.Fatalf("lines do not end in CRLF: %q", body[:min(200, len(body))])
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

type exportedBucket struct {
	Key []struct {
		Dimension string
		Code      string
		Label     string
	}
	Period                     *string
	Count, Liable, Fined       *int
	Appealed, AppealsSucceeded *int
	MedianDaysToDecision       *float64
	CountPer100k               *float64
	Fines                      []struct {
		Currency     string
		Count, Total *int
		Median       *float64
	}
}

// TestStatisticsExport: /export/statistics.csv and .json answer exactly what the
// statistics query answers for the same arguments, withheld figures included (empty, with
// their reason), with headers and labels in the language asked.
func TestStatisticsExport(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newGeneralizedFixture(t, b.URL, 400)
			var want struct {
				Statistics struct{ Buckets []exportedBucket }
			}
			f.data(t, `query($f: CaseFilter) { statistics(filter: $f, groupBy: [REGION, CATEGORY], interval: QUARTER) {
				buckets { key { dimension code label(lang: RU) } period count liable fined appealed appealsSucceeded
					medianDaysToDecision countPer100k fines { currency count total median } } } }`,
				map[string]any{"f": map[string]any{"jurisdiction": "KZ"}}, &want)
			buckets := want.Statistics.Buckets
			if len(buckets) < 3 {
				t.Fatalf("%d buckets: the fixture no longer exercises the export", len(buckets))
			}

			status, h, body := get(t, f.api.ExportStatisticsCSV, "/export/statistics.csv?groupBy=REGION,CATEGORY&interval=QUARTER&jurisdiction=KZ&lang=RU&bom=1")
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			rel, err := f.store.CurrentRelease(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			today := rel.PublishedAt[:10]
			if cd := h.Get("Content-Disposition"); !strings.Contains(cd, `filename="casewatch-statistics-r1-`+today+`-CC-BY-4.0.csv"`) ||
				h.Get("X-Casewatch-Citation") != "casewatch, release 1 of "+today+", CC BY 4.0" {
				t.Errorf("Content-Disposition %q, citation %q", cd, h.Get("X-Casewatch-Citation"))
			}
			if h.Get("X-Casewatch-Release") != "1" || h.Get("X-Casewatch-Licence") != "CC-BY-4.0" || !strings.Contains(h.Get("Link"), `rel="license"`) {
				t.Errorf("release and licence headers: %v", h)
			}
			recs := readCSV(t, body, true)
			header, rows := recs[0], recs[1:]
			col := map[string]int{}
			for i, name := range header {
				code := name[strings.LastIndex(name, "(")+1 : len(name)-1]
				col[code] = i
			}
			for _, want := range []string{"Регион (region)", "Регион, название (region_label)", "Период (period)", "Дела (по дате сообщения) (count)"} {
				if !strings.Contains(strings.Join(header, "|"), want) {
					t.Errorf("header %q has no %q", header, want)
				}
			}
			if len(rows) != len(buckets) {
				t.Fatalf("%d rows, the query %d buckets", len(rows), len(buckets))
			}
			cell := func(row []string, name string) string {
				i, ok := col[name]
				if !ok {
					t.Fatalf("no column %s in %q", name, header)
				}
				return row[i]
			}
			withheld := 0
			for i, bk := range buckets {
				row := rows[i]
				if cell(row, "region") != bk.Key[0].Code || cell(row, "region_label") != bk.Key[0].Label ||
					cell(row, "category") != bk.Key[1].Code || cell(row, "period") != *bk.Period {
					t.Errorf("row %d: %q, want bucket %+v", i, row, bk)
				}
				figures := map[string]*int{"count": bk.Count, "liable": bk.Liable, "fined": bk.Fined, "appealed": bk.Appealed, "appeals_succeeded": bk.AppealsSucceeded}
				for name, v := range figures {
					got := cell(row, name)
					switch {
					case v == nil:
						withheld++
						if got != "" || !strings.Contains(cell(row, "withheld"), name+":below_threshold") {
							t.Errorf("row %d: withheld %s exported as %q (withheld %q)", i, name, got, cell(row, "withheld"))
						}
					case got != strconv.Itoa(*v):
						t.Errorf("row %d: %s %q, the query %d", i, name, got, *v)
					}
				}
				if bk.MedianDaysToDecision == nil && !strings.Contains(cell(row, "withheld"), "median_days_to_decision:too_few_values") {
					t.Errorf("row %d: a withheld median without its reason: %q", i, cell(row, "withheld"))
				}
				if bk.CountPer100k != nil && cell(row, "count_per_100k") != strconv.FormatFloat(*bk.CountPer100k, 'f', -1, 64) {
					t.Errorf("row %d: count_per_100k %q, the query %v", i, cell(row, "count_per_100k"), *bk.CountPer100k)
				}
				for _, fs := range bk.Fines {
					if fs.Count != nil && cell(row, "fines_"+strings.ToLower(fs.Currency)+"_count") != strconv.Itoa(*fs.Count) {
						t.Errorf("row %d: %s fines %q, the query %d", i, fs.Currency, cell(row, "fines_kzt_count"), *fs.Count)
					}
				}
			}
			if withheld == 0 {
				t.Error("no withheld figure: the fixture no longer exercises how they are exported")
			}

			// The same question as JSON: the same rows, nulls where withheld.
			status, _, body = get(t, f.api.ExportStatisticsJSON, "/export/statistics.json?groupBy=REGION,CATEGORY&interval=QUARTER&jurisdiction=KZ")
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, body)
			}
			var doc struct {
				Release   struct{ Version int }
				Licence   string
				Citation  string
				Perturbed bool
				Rows      []map[string]any
			}
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Release.Version != 1 || doc.Licence != "CC-BY-4.0" || !strings.Contains(doc.Citation, "release 1") || !doc.Perturbed || len(doc.Rows) != len(buckets) {
				t.Fatalf("json: release %d, licence %q, citation %q, perturbed %v, %d rows", doc.Release.Version, doc.Licence, doc.Citation, doc.Perturbed, len(doc.Rows))
			}
			for i, bk := range buckets {
				got, reasons := doc.Rows[i]["count"], doc.Rows[i]["withheld"].(map[string]any)
				if bk.Count == nil && (got != nil || reasons["count"] != "below_threshold") || bk.Count != nil && got != float64(*bk.Count) {
					t.Errorf("json row %d: count %v (withheld %v), the query %v", i, got, reasons, bk.Count)
				}
				if _, ok := doc.Rows[i]["region_label"]; ok {
					t.Errorf("json row %d has labels without lang=", i)
				}
			}

			// No grouping: the total per period, as groupBy: [] answers; a search may hold commas.
			var totals struct {
				Statistics struct {
					Buckets []struct {
						Period string
						Count  *int
					}
				}
			}
			f.data(t, `{ statistics(filter: {search: "номер 1, о"}, groupBy: [], interval: YEAR) { buckets { period count } } }`, nil, &totals)
			_, _, body = get(t, f.api.ExportStatisticsCSV, "/export/statistics.csv?interval=YEAR&search="+url.QueryEscape("номер 1, о"))
			recs = readCSV(t, body, false)
			if len(recs)-1 != len(totals.Statistics.Buckets) || recs[0][0] != "period" || recs[0][1] != "count" {
				t.Fatalf("no grouping: %q, the query %+v", recs, totals)
			}
			for i, bk := range totals.Statistics.Buckets {
				if recs[i+1][0] != bk.Period || bk.Count != nil && recs[i+1][1] != strconv.Itoa(*bk.Count) {
					t.Errorf("no grouping, row %d: %q, the query %+v", i, recs[i+1], bk)
				}
			}

			// Without lang=, the header is the codes alone.
			_, _, body = get(t, f.api.ExportStatisticsCSV, "/export/statistics.csv?groupBy=JURISDICTION")
			recs = readCSV(t, body, false)
			if got := strings.Join(recs[0][:3], ","); got != "jurisdiction,count,liable" {
				t.Errorf("header without lang: %q", recs[0])
			}
		})
	}
}

// TestExportsRefuseBadInput: a mistake in an export's query string is a 400 that says
// which parameter and what it takes, and never repeats the value.
func TestExportsRefuseBadInput(t *testing.T) {
	f := newFixture(t, "sqlite:"+t.TempDir()+"/bad.db", 40)
	for path, want := range map[string]string{
		"/export/statistics.csv?groupBy=REGOIN":                        "groupBy",
		"/export/statistics.csv?groupBy=REGION,REGION":                 "listed twice",
		"/export/statistics.json?groupBy=REGION&interval=WEEK":         "interval",
		"/export/statistics.csv?groupBy=REGION&lang=DE":                "lang",
		"/export/statistics.csv?groupBy=REGION&bom=yes":                "bom",
		"/export/statistics.csv?groupBy=REGION&suppressionThreshold=2": "suppressionThreshold",
		"/export/statistics.csv?groupBy=REGION&Zhanibekova=1":          "unknown parameter",
		"/export/cases.csv?lang=Ivanov":                                "lang",
		"/export/cases.csv?bom=2":                                      "bom",
	} {
		h := f.api.ExportStatisticsCSV
		switch {
		case strings.HasPrefix(path, "/export/statistics.json"):
			h = f.api.ExportStatisticsJSON
		case strings.HasPrefix(path, "/export/cases"):
			h = f.api.ExportCSV
		}
		status, _, body := get(t, h, path)
		if status != http.StatusBadRequest || !strings.Contains(string(body), want) ||
			strings.Contains(string(body), "Zhanibekova") || strings.Contains(string(body), "Ivanov") || strings.Contains(string(body), "REGOIN") {
			t.Errorf("%s: %d %q, want 400 naming %q", path, status, body, want)
		}
	}
}

// TestCaseExportLabels: with lang= and bom=1 the case export is a spreadsheet a reader of
// Kazakh opens as it is: a byte-order mark, headers in Kazakh with the codes, and each
// coded column's label beside it; without them it stays the codes-only file it was.
func TestCaseExportLabels(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newGeneralizedFixture(t, b.URL, 120)
			status, h, body := get(t, f.api.ExportCSV, "/export/cases.csv?jurisdiction=KZ&lang=KK&bom=1")
			if status != http.StatusOK || !regexp.MustCompile(`casewatch-cases-r1-\d{4}-\d\d-\d\d-CC-BY-4\.0\.csv`).MatchString(h.Get("Content-Disposition")) {
				t.Fatalf("status %d, %v: %s", status, h, body)
			}
			recs := readCSV(t, body, true)
			header := recs[0]
			idx := map[string]int{}
			for i, name := range header {
				idx[name] = i
			}
			region, label := idx["Өңір (region)"], idx["Өңір, атауы (region_label)"]
			if region == 0 || label != region+1 {
				t.Fatalf("header %q: no Kazakh region column with its label beside it", header)
			}
			named := 0
			for _, row := range recs[1:] {
				if row[region] == "" {
					continue
				}
				reg := f.ref.Region(row[region])
				if reg == nil || row[label] != reg.Names.In(model.LangKK) {
					t.Errorf("region %q labelled %q", row[region], row[label])
				}
				named++
			}
			cat := idx["Санат, атауы (category_label)"]
			if named == 0 || cat == 0 || recs[1][cat] != model.ContentCategoryVocabulary.Label(recs[1][cat-1], model.LangKK) {
				t.Errorf("%d rows with a named region; category label column %d", named, cat)
			}

			_, _, body = get(t, f.api.ExportCSV, "/export/cases.csv?jurisdiction=KZ")
			plain := readCSV(t, body, false)
			if got := strings.Join(plain[0], ","); !strings.HasPrefix(got, "reference,jurisdiction,region,category,") || strings.Contains(got, "_label") {
				t.Errorf("header without lang: %s", got)
			}
			if len(plain) != len(recs) {
				t.Errorf("%d rows without lang, %d with", len(plain), len(recs))
			}
		})
	}
}
