package graph_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// atomDoc is what RFC 4287 requires of a feed and its entries, read back.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	IDs     []string `xml:"id"`
	Titles  []string `xml:"title"`
	Updated []string `xml:"updated"`
	Authors []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		IDs     []string `xml:"id"`
		Titles  []string `xml:"title"`
		Updated []string `xml:"updated"`
		Summary string   `xml:"summary"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// TestFeed: /feed.atom lists every release, newest first, as valid Atom (the elements RFC
// 4287 §4.1 requires, once each, with RFC 3339 dates), says what each release changed in
// the language asked, and keeps each entry's id whatever the language or host.
func TestFeed(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newFixture(t, b.URL, 60)
			// A second release: an import of five new cases.
			im := ingest.NewImporter(f.store, f.ref, []byte("test secret"), 5)
			var planted ingesttest.Planted
			data := ingesttest.CSV(t, ingesttest.RawRecords(rand.New(rand.NewPCG(3, 3)), 5, &planted))
			if _, err := im.Import(context.Background(), bytes.NewReader(data), ingest.Options{Format: ingest.FormatOf("x.csv"), Note: "Пять новых дел"}); err != nil {
				t.Fatal(err)
			}

			read := func(path, host string) (atomDoc, string) {
				t.Helper()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Host = host
				rec := httptest.NewRecorder()
				f.api.Feed.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
					t.Fatalf("%s: %d %s: %s", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
				var doc atomDoc
				if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
					t.Fatalf("%s: not XML: %v", path, err)
				}
				return doc, rec.Body.String()
			}
			rfc3339 := func(s string) bool { _, err := time.Parse(time.RFC3339, s); return err == nil }
			iri := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

			en, _ := read("/feed.atom", "one.example")
			if len(en.IDs) != 1 || len(en.Titles) != 1 || len(en.Updated) != 1 || !rfc3339(en.Updated[0]) || len(en.Authors) != 1 || en.Authors[0].Name == "" {
				t.Errorf("feed elements: ids %q titles %q updated %q authors %v", en.IDs, en.Titles, en.Updated, en.Authors)
			}
			self := false
			for _, l := range en.Links {
				self = self || l.Rel == "self" && l.Href == "http://one.example/feed.atom"
			}
			if !self || en.Lang != "en" {
				t.Errorf("links %+v, lang %q", en.Links, en.Lang)
			}
			if len(en.Entries) != 2 {
				t.Fatalf("%d entries, want one per release (2)", len(en.Entries))
			}
			for i, e := range en.Entries {
				if len(e.IDs) != 1 || !iri.MatchString(e.IDs[0]) || len(e.Titles) != 1 || len(e.Updated) != 1 || !rfc3339(e.Updated[0]) || e.Summary == "" {
					t.Errorf("entry %d: %+v", i, e)
				}
			}
			newest, first := en.Entries[0], en.Entries[1]
			if newest.Titles[0] != "Release 2" || !strings.Contains(newest.Summary, "Cases added: 5; corrected: 0; unchanged: 0.") ||
				!strings.Contains(newest.Summary, "Note: Пять новых дел. ") || !strings.Contains(newest.Summary, "CC BY 4.0") {
				t.Errorf("newest entry: %q %q", newest.Titles, newest.Summary)
			}
			if first.Titles[0] != "Release 1" || !strings.Contains(first.Summary, "Cases added: 60;") || !strings.Contains(first.Summary, "Synthetic") {
				t.Errorf("first entry: %q %q", first.Titles, first.Summary)
			}
			if en.Updated[0] != newest.Updated[0] {
				t.Errorf("feed updated %s, newest entry %s", en.Updated[0], newest.Updated[0])
			}

			kk, raw := read("/feed.atom?lang=KK", "two.example")
			if kk.Lang != "kk" || kk.Entries[0].Titles[0] != "2-шығарылым" || !strings.Contains(kk.Entries[0].Summary, "Жаңа істер: 5") {
				t.Errorf("Kazakh feed: lang %q, %q %q", kk.Lang, kk.Entries[0].Titles, kk.Entries[0].Summary)
			}
			for i := range en.Entries {
				if kk.Entries[i].IDs[0] != en.Entries[i].IDs[0] {
					t.Errorf("entry %d: id %s in Kazakh from another host, %s in English", i, kk.Entries[i].IDs[0], en.Entries[i].IDs[0])
				}
			}
			if kk.IDs[0] != en.IDs[0] {
				t.Errorf("feed id differs by language or host: %s, %s", kk.IDs[0], en.IDs[0])
			}
			for _, v := range planted.Values {
				if strings.Contains(raw, v) {
					t.Errorf("the feed holds an identifier of the import: %q", v)
				}
			}

			for _, path := range []string{"/feed.atom?lang=DE", "/feed.atom?Zhanibekova=1"} {
				rec := httptest.NewRecorder()
				f.api.Feed.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "Zhanibekova") {
					t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}

// TestDecidedCasesFeed: /feed.atom with CaseFilter fields lists the newest decided cases
// that match, as the case list orders them by decision, each once with a stable id, in the
// case view only (no summary, no month), and a link to its page; the feed's id is the
// filter's.
func TestDecidedCasesFeed(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := newGeneralizedFixture(t, b.URL, 300)
			var want struct {
				Cases struct {
					Edges []struct {
						Node struct {
							Reference string
							Outcome   *struct{ Decision string }
						}
					}
				}
			}
			f.data(t, `{ cases(filter: {jurisdiction: KZ}, orderBy: DECIDED_DESC, first: 50) { edges { node { reference outcome { decision } } } } }`, nil, &want)
			var refs []string
			for _, e := range want.Cases.Edges {
				if e.Node.Outcome != nil {
					refs = append(refs, e.Node.Reference)
				}
			}
			if len(refs) < 20 {
				t.Fatalf("%d decided cases: the fixture no longer exercises the feed", len(refs))
			}
			read := func(path string) (atomDoc, string) {
				t.Helper()
				rec := httptest.NewRecorder()
				f.api.Feed.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
				}
				var doc atomDoc
				if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				return doc, rec.Body.String()
			}
			ru, raw := read("/feed.atom?jurisdiction=KZ&lang=RU")
			if len(ru.Entries) != len(refs) || ru.Lang != "ru" || ru.Titles[0] != "casewatch: новые решения по делам" {
				t.Fatalf("%d entries (want %d), lang %q, title %q", len(ru.Entries), len(refs), ru.Lang, ru.Titles)
			}
			for i, e := range ru.Entries {
				if len(e.Links) != 1 || e.Links[0].Href != "http://example.com/#/case/"+refs[i]+"?lang=ru" || len(e.IDs) != 1 || len(e.Updated) != 1 {
					t.Errorf("entry %d: %+v, want the case %s", i, e, refs[i])
				}
				if !strings.Contains(e.Summary, "Регион") && !strings.Contains(e.Summary, "Статья") && !strings.Contains(e.Summary, "Наказание") {
					t.Errorf("entry %d says nothing of the case: %q", i, e.Summary)
				}
			}
			if strings.Contains(raw, "Публикация номер") || regexp.MustCompile(`\b2024-0[1-9]\b`).MatchString(raw) {
				t.Error("the feed publishes a summary or a month the case view withholds")
			}
			// The same filter in English: the same ids; another filter: another feed id.
			en, _ := read("/feed.atom?jurisdiction=KZ")
			for i := range en.Entries {
				if en.Entries[i].IDs[0] != ru.Entries[i].IDs[0] {
					t.Errorf("entry %d: id %s in English, %s in Russian", i, en.Entries[i].IDs[0], ru.Entries[i].IDs[0])
				}
			}
			kg, _ := read("/feed.atom?jurisdiction=KG")
			if kg.IDs[0] == en.IDs[0] || en.IDs[0] == "" {
				t.Errorf("the feeds of two filters share the id %s", en.IDs[0])
			}
			rec := httptest.NewRecorder()
			f.api.Feed.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/feed.atom?search=Zhanibekova", nil))
			if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "Zhanibekova") {
				t.Errorf("a search in a feed: %d %s", rec.Code, rec.Body)
			}
			rec = httptest.NewRecorder()
			f.api.Feed.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/feed.atom?categories=INSULT_OR_LIBLE", nil))
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "categories") {
				t.Errorf("a misspelt filter: %d %s", rec.Code, rec.Body)
			}
		})
	}
}
