package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

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

// TestDumpsInS3: with DUMPS_S3_BUCKET the server keeps its dumps in an S3-compatible store
// (here one on loopback) and serves them from there at /dumps/ as from a directory.
func TestDumpsInS3(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("releases"); err != nil {
		t.Fatal(err)
	}
	store := httptest.NewServer(gofakes3.New(backend).Server())
	defer store.Close()
	s := start(t, map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "DEMO_CASES": "400",
		"DUMPS_S3_BUCKET": "releases", "DUMPS_S3_ENDPOINT": strings.TrimPrefix(store.URL, "http://"), "DUMPS_S3_INSECURE": "true",
		"DUMPS_S3_PREFIX": "casewatch/", "AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"})
	var index struct{ Releases []dumps.Manifest }
	for deadline := time.Now().Add(time.Minute); len(index.Releases) == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no dump of the demo release within a minute")
		}
		if err := json.Unmarshal([]byte(get(t, s.url+"/dumps/index.json")), &index); err != nil {
			t.Fatal(err)
		}
	}
	m := index.Releases[0]
	for _, f := range m.Files {
		data := get(t, s.url+"/dumps/release-1/"+f.Name)
		sum := sha256.Sum256([]byte(data))
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s served from S3 does not match its manifest", f.Name)
		}
		obj, err := backend.GetObject("releases", "casewatch/release-1/"+f.Name, nil)
		if err != nil {
			t.Fatalf("%s is not in the bucket: %v", f.Name, err)
		}
		obj.Contents.Close()
	}
	if _, err := backend.GetObject("releases", "casewatch/release-1/manifest.json", nil); err != nil {
		t.Fatalf("no manifest in the bucket: %v", err)
	}
}
