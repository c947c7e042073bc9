package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestAnswersAreCompressed: the portal's files, GraphQL answers and exports come gzipped to
// a client that accepts it, and byte for byte the same once unpacked; a client that does
// not gets them plain.
func TestAnswersAreCompressed(t *testing.T) {
	s := start(t, map[string]string{"DATABASE_URL": storetest.SQLiteURL(t), "DEMO_CASES": "600", "CASEWATCH_SECRET": "s3cret"})
	fetch := func(method, path, body, encoding string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		// Set by hand, so the client does not unpack the answer itself.
		req.Header.Set("Accept-Encoding", encoding)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return resp, b
	}
	query := `{"query":"{ statistics(groupBy: [REGION]) { buckets { key { code } count liable } } }"}`
	for _, c := range []struct{ name, method, path, body string }{
		{"script", "GET", "/js/views/statistics.js", ""},
		{"texts", "GET", "/i18n/ru.json", ""},
		{"page", "GET", "/", ""},
		{"graphql", "POST", "/graphql", query},
		// Asked again: answered from the cache, gzipped once and kept.
		{"graphql from the cache", "POST", "/graphql", query},
		{"graphql by GET", "GET", "/graphql?query=" + url.QueryEscape(`{ statistics(groupBy: [REGION]) { buckets { key { code } count } } }`), ""},
		{"export", "GET", "/export/cases.csv", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			plainResp, plain := fetch(c.method, c.path, c.body, "identity")
			if strings.HasPrefix(c.name, "graphql from") && plainResp.Header.Get("X-Cache") != "HIT" {
				t.Fatalf("X-Cache %q, want HIT", plainResp.Header.Get("X-Cache"))
			}
			if ce := plainResp.Header.Get("Content-Encoding"); ce != "" {
				t.Fatalf("Content-Encoding %q without gzip accepted", ce)
			}
			resp, packed := fetch(c.method, c.path, c.body, "gzip")
			if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Fatalf("Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Values("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(packed))
			if err != nil {
				t.Fatal(err)
			}
			unpacked, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(unpacked, plain) {
				t.Fatalf("unpacked answer (%d bytes) differs from the plain one (%d bytes)", len(unpacked), len(plain))
			}
			if len(packed) >= len(plain) {
				t.Errorf("%d bytes gzipped, %d plain", len(packed), len(plain))
			}
			t.Logf("%s: %d bytes, %d gzipped", c.path, len(plain), len(packed))
			// Revalidating the compressed answer with its ETag still gives 304.
			if etag := resp.Header.Get("ETag"); etag != "" {
				if !strings.HasSuffix(etag, `-gzip"`) || etag == plainResp.Header.Get("ETag") {
					t.Errorf("compressed ETag %s, plain %s", etag, plainResp.Header.Get("ETag"))
				}
				req, _ := http.NewRequest(c.method, s.url+c.path, strings.NewReader(c.body))
				req.Header.Set("Accept-Encoding", "gzip")
				req.Header.Set("If-None-Match", etag)
				again, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				again.Body.Close()
				if again.StatusCode != http.StatusNotModified {
					t.Errorf("revalidated with %s: %d, want 304", etag, again.StatusCode)
				}
			}
		})
	}
}
