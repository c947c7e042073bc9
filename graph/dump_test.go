package graph_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/dumps"
	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestDumps: a release's dump holds the case export's rows and the statistics export's, as
// gzipped CSV and Parquet that read back to the same rows; the manifest and SHA256SUMS
// describe the files exactly; a rebuild gives the same bytes; a new release gets its own
// dump and the old one stays; /dumps/ lists and serves them and nothing else.
func TestDumps(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f := newGeneralizedFixture(t, b.URL, 300)
			root := t.TempDir()
			dir, err := dumps.NewDir(root)
			if err != nil {
				t.Fatal(err)
			}
			m, err := f.api.BuildDump(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if m.Release != 1 || m.Licence != "CC-BY-4.0" || !m.Synthetic || len(m.Files) != 4 {
				t.Fatalf("manifest %+v", m)
			}
			read := func(name string) []byte {
				t.Helper()
				data, err := os.ReadFile(filepath.Join(root, "release-1", name))
				if err != nil {
					t.Fatal(err)
				}
				return data
			}
			var sums strings.Builder
			for _, file := range m.Files {
				data := read(file.Name)
				sum := sha256.Sum256(data)
				if int64(len(data)) != file.Bytes || hex.EncodeToString(sum[:]) != file.SHA256 {
					t.Errorf("%s: %d bytes, sha256 %x; the manifest says %d, %s", file.Name, len(data), sum, file.Bytes, file.SHA256)
				}
				sums.WriteString(file.SHA256 + "  " + file.Name + "\n")
			}
			if got := string(read("SHA256SUMS")); got != sums.String() {
				t.Errorf("SHA256SUMS:\n%s\nwant\n%s", got, sums.String())
			}

			// The cases: the export's rows (the case view, its order), in both formats.
			_, _, export := get(t, f.api.ExportCSV, "/export/cases.csv")
			exported := readCSV(t, export, false)
			zr, err := gzip.NewReader(bytes.NewReader(read("cases.csv.gz")))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			dumped := readCSV(t, plain, false)
			if !slices.EqualFunc(dumped, exported, slices.Equal[[]string]) {
				t.Fatalf("cases.csv.gz: %d rows differ from the export's %d", len(dumped), len(exported))
			}
			if n := manifestRows(m, "cases.csv.gz"); n != len(exported)-1 || n < 200 {
				t.Errorf("manifest: %d case rows, the export %d", n, len(exported)-1)
			}
			type caseRow struct {
				Reference    string  `parquet:"reference"`
				Region       *string `parquet:"region,optional"`
				FirstRelease *int64  `parquet:"first_release,optional"`
				Synthetic    *bool   `parquet:"synthetic,optional"`
			}
			rows, err := parquet.Read[caseRow](bytes.NewReader(read("cases.parquet")), int64(len(read("cases.parquet"))))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(exported)-1 {
				t.Fatalf("cases.parquet: %d rows, want %d", len(rows), len(exported)-1)
			}
			col := slices.Index(exported[0], "region")
			for i, r := range rows {
				region := ""
				if r.Region != nil {
					region = *r.Region
				}
				if r.Reference != exported[i+1][0] || region != exported[i+1][col] || r.FirstRelease == nil || *r.FirstRelease != 1 || r.Synthetic == nil || !*r.Synthetic {
					t.Fatalf("parquet row %d: %+v, csv %q", i, r, exported[i+1])
				}
			}

			// The statistics: the export of the same question.
			_, _, stats := get(t, f.api.ExportStatisticsCSV, "/export/statistics.csv?groupBy=JURISDICTION,CATEGORY&interval=YEAR")
			zr, err = gzip.NewReader(bytes.NewReader(read("statistics.csv.gz")))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ = io.ReadAll(zr)
			if want := readCSV(t, stats, false); !slices.EqualFunc(readCSV(t, plain, false), want, slices.Equal[[]string]) {
				t.Errorf("statistics.csv.gz differs from the export of the same question")
			}

			// Built again (elsewhere), the same bytes.
			again, err := dumps.NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			m2, err := f.api.BuildDump(ctx, again)
			if err != nil {
				t.Fatal(err)
			}
			for i := range m.Files {
				if m.Files[i] != m2.Files[i] {
					t.Errorf("rebuilt %s: %+v, first %+v", m.Files[i].Name, m2.Files[i], m.Files[i])
				}
			}

			// A new release: its own dump; the first stays as it was.
			im := ingest.NewImporter(f.store, f.ref, []byte("test secret"), 5)
			var planted ingesttest.Planted
			data := ingesttest.CSV(t, ingesttest.RawRecords(rand.New(rand.NewPCG(5, 5)), 8, &planted))
			if _, err := im.Import(ctx, bytes.NewReader(data), ingest.Options{Format: ingest.FormatOf("x.csv")}); err != nil {
				t.Fatal(err)
			}
			if err := f.engine.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			m3, err := f.api.BuildDump(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if m3.Release != 2 || manifestRows(m3, "cases.parquet") <= manifestRows(m, "cases.parquet") {
				t.Errorf("release 2: %+v", m3)
			}
			if first, err := dir.Manifest(1); err != nil || first.Files[0] != m.Files[0] {
				t.Errorf("release 1's dump after release 2: %+v, %v", first, err)
			}
			for _, name := range []string{"cases.csv.gz", "cases.parquet", "statistics.csv.gz"} {
				for _, root := range []string{root} {
					raw, _ := os.ReadFile(filepath.Join(root, "release-2", name))
					if name == "cases.csv.gz" {
						zr, _ := gzip.NewReader(bytes.NewReader(raw))
						raw, _ = io.ReadAll(zr)
					}
					for _, v := range planted.Values {
						if bytes.Contains(raw, []byte(v)) {
							t.Errorf("release-2/%s holds an identifier of the import: %q", name, v)
						}
					}
				}
			}

			// The API names each release's dump.
			api, err := graph.New(graph.Options{Store: f.store, Engine: f.engine, Reference: f.ref, Secret: []byte("test secret"),
				Threshold: privacy.MinThreshold, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Dumps: dir})
			if err != nil {
				t.Fatal(err)
			}
			post := func(h http.Handler, body string) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec
			}
			rec := post(api.GraphQL, `{"query":"{ releases { edges { node { version dump { manifestPath sumsPath licence citation files { name table format rows bytes sha256 path } } } } } }"}`)
			var rels struct {
				Data struct {
					Releases struct {
						Edges []struct {
							Node struct {
								Version int
								Dump    *struct {
									ManifestPath, SumsPath, Licence, Citation string
									Files                                     []struct {
										Name, Table, Format, Sha256, Path string
										Rows, Bytes                       int
									}
								}
							}
						}
					}
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &rels); err != nil || len(rels.Data.Releases.Edges) != 2 {
				t.Fatalf("releases: %s", rec.Body)
			}
			for _, e := range rels.Data.Releases.Edges {
				d, want := e.Node.Dump, map[int]*dumps.Manifest{1: m, 2: m3}[e.Node.Version]
				if d == nil || d.ManifestPath != fmt.Sprintf("/dumps/release-%d/manifest.json", e.Node.Version) || d.Licence != "CC-BY-4.0" || len(d.Files) != len(want.Files) {
					t.Fatalf("release %d: dump %+v", e.Node.Version, d)
				}
				for i, file := range d.Files {
					w := want.Files[i]
					if file.Name != w.Name || file.Sha256 != w.SHA256 || file.Rows != w.Rows || int64(file.Bytes) != w.Bytes ||
						file.Path != fmt.Sprintf("/dumps/release-%d/%s", e.Node.Version, w.Name) {
						t.Errorf("release %d: file %+v, manifest %+v", e.Node.Version, file, w)
					}
				}
			}
			// A server without dumps says so: null.
			rec = post(f.api.GraphQL, `{"query":"{ currentRelease { dump { sumsPath } } }"}`)
			if got := rec.Body.String(); got != `{"data":{"currentRelease":{"dump":null}}}` {
				t.Errorf("without dumps: %s", got)
			}

			// Served: the list, the index, a file with its checksum as ETag, and nothing else.
			h := graph.DumpsHandler(dir)
			status, _, page := get(t, h, "/dumps/")
			if status != 200 || !bytes.Contains(page, []byte(`href="release-2/cases.parquet"`)) || !bytes.Contains(page, []byte(`href="release-1/SHA256SUMS"`)) {
				t.Errorf("/dumps/: %d %s", status, page)
			}
			status, _, index := get(t, h, "/dumps/index.json")
			var list struct{ Releases []dumps.Manifest }
			if err := json.Unmarshal(index, &list); status != 200 || err != nil || len(list.Releases) != 2 || list.Releases[0].Release != 2 {
				t.Errorf("/dumps/index.json: %d %s", status, index)
			}
			status, hdr, body := get(t, h, "/dumps/release-1/cases.parquet")
			if status != 200 || hdr.Get("ETag") != `"`+m.Files[1].SHA256+`"` || !bytes.Equal(body, read("cases.parquet")) {
				t.Errorf("release-1/cases.parquet: %d %v", status, hdr)
			}
			for _, path := range []string{"/dumps/release-3/manifest.json", "/dumps/release-1/../../etc/passwd", "/dumps/release-1/.staging",
				"/dumps/release-x/SHA256SUMS", "/dumps/release-1/cases.csv"} {
				if status, _, _ := get(t, h, path); status != http.StatusNotFound {
					t.Errorf("%s: %d, want 404", path, status)
				}
			}
		})
	}
}

func manifestRows(m *dumps.Manifest, name string) int {
	for _, f := range m.Files {
		if f.Name == name {
			return f.Rows
		}
	}
	return -1
}

// TestDumpsOfAnotherDatabase: a dumps directory that holds a release of the same number
// from another database is not taken for ours.
func TestDumpsOfAnotherDatabase(t *testing.T) {
	root := t.TempDir()
	dir, err := dumps.NewDir(root)
	if err != nil {
		t.Fatal(err)
	}
	a := newFixture(t, "sqlite:"+filepath.Join(t.TempDir(), "a.db"), 30)
	if _, err := a.api.BuildDump(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	b := newFixture(t, "sqlite:"+filepath.Join(t.TempDir(), "b.db"), 31)
	if _, err := b.api.BuildDump(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "another database") {
		t.Fatalf("the dump of another database's release 1 was taken: %v", err)
	}
}
