package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/dumps"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestReleaseDataOut: after each import through the API, on SQLite and PostgreSQL, a dump of
// the new release with a manifest that matches its files appears at /dumps/ (and in
// Release.dump), the feed lists the release, and the statistics export answers for it.
func TestReleaseDataOut(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			env := map[string]string{"DATABASE_URL": b.URL, "CASEWATCH_SECRET": "data out", "DEMO": "false"}
			out, _, err := runCmd(t, env, "token", "create", "--role", "editor", "--name", "desk")
			token := strings.TrimSpace(out)
			if err != nil {
				t.Fatal(err)
			}
			s := start(t, env)
			var index struct{ Releases []dumps.Manifest }
			waitDump := func(release int) dumps.Manifest {
				t.Helper()
				for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
					if err := json.Unmarshal([]byte(get(t, s.url+"/dumps/index.json")), &index); err != nil {
						t.Fatal(err)
					}
					if len(index.Releases) > 0 && index.Releases[0].Release == release {
						return index.Releases[0]
					}
					if time.Now().After(deadline) {
						t.Fatalf("no dump of release %d within a minute: %+v", release, index)
					}
				}
			}
			file := importHeader + goodRows + alikeRows("B", 6, goodRow("A-2"))
			// A first import, then a correction: two releases.
			for i, content := range []string{file, strings.ReplaceAll(file, "not_liable,2024-04-16", "liable,2024-04-16")} {
				release := i + 1
				uploadCSV(t, s.url, token, content)
				m := waitDump(release)
				if len(m.Files) != 4 || m.Licence != "CC-BY-4.0" {
					t.Fatalf("manifest of release %d: %+v", release, m)
				}
				sums := get(t, s.url+"/dumps/release-"+strconv.Itoa(release)+"/SHA256SUMS")
				for _, f := range m.Files {
					data := get(t, s.url+"/dumps/release-"+strconv.Itoa(release)+"/"+f.Name)
					sum := sha256.Sum256([]byte(data))
					if int64(len(data)) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 || !strings.Contains(sums, f.SHA256+"  "+f.Name+"\n") {
						t.Errorf("release %d: %s is %d bytes, sha256 %x; manifest %+v", release, f.Name, len(data), sum, f)
					}
					if f.Name == "cases.csv.gz" {
						zr, err := gzip.NewReader(strings.NewReader(data))
						if err != nil {
							t.Fatal(err)
						}
						plain, _ := io.ReadAll(zr)
						if rows := strings.Count(string(plain), "\n") - 1; rows != f.Rows || rows < 6 {
							t.Errorf("release %d: cases.csv.gz has %d rows, the manifest says %d", release, rows, f.Rows)
						}
						for _, secret := range []string{"Жумабаев", "900101300017", "A-1", "2024-03-05"} {
							if strings.Contains(string(plain), secret) {
								t.Errorf("release %d: the dump holds %q", release, secret)
							}
						}
					}
				}
				if _, body := s.graphql(t, `{ currentRelease { version dump { sumsPath files { path } } } }`); !strings.Contains(string(body), `"sumsPath":"/dumps/release-`+strconv.Itoa(release)+`/SHA256SUMS"`) {
					t.Errorf("release %d: Release.dump: %s", release, body)
				}
				if feed := get(t, s.url+"/feed.atom"); strings.Count(feed, "<entry>") != release || !strings.Contains(feed, "<title>Release "+strconv.Itoa(release)+"</title>") {
					t.Errorf("feed after release %d:\n%s", release, feed)
				}
			}
			if csv := get(t, s.url+"/export/statistics.csv?groupBy=JURISDICTION&decisions=LIABLE"); !strings.HasPrefix(csv, "jurisdiction,count,") {
				t.Errorf("statistics export: %q", csv)
			}
		})
	}
}
