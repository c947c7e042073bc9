package dumps_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/casewatch/casewatch/internal/dumps"
)

// store is what both keepers of dumps offer.
type store interface {
	Stage() (string, error)
	Publish(staged string, m *dumps.Manifest) error
	Manifest(release int) (*dumps.Manifest, error)
	List() ([]*dumps.Manifest, error)
	Open(release int, name string) (io.ReadSeekCloser, error)
}

// s3Store is an S3 keeper talking to an S3-compatible server on loopback (gofakes3: no
// other S3 server can be had on a test machine), through the same client as in production.
func s3Store(t *testing.T, backend *s3mem.Backend) *dumps.S3 {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	s, err := dumps.NewS3(context.Background(), dumps.S3Options{Endpoint: strings.TrimPrefix(srv.URL, "http://"), Insecure: true,
		Bucket: "casewatch", Prefix: "dumps", Region: "us-east-1", Creds: credentials.NewStaticV4("id", "secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStores: a directory and an S3 bucket keep dumps alike: a published dump is listed
// with its manifest and files, a second publication of the same release is refused and
// changes nothing, a name the manifest does not list is not found, and a dump whose
// manifest is not yet written is not listed.
func TestStores(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("casewatch"); err != nil {
		t.Fatal(err)
	}
	dir, err := dumps.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dumps.NewS3(context.Background(), dumps.S3Options{Endpoint: strings.TrimPrefix(httptest.NewServer(gofakes3.New(s3mem.New()).Server()).URL, "http://"),
		Insecure: true, Bucket: "none", Creds: credentials.NewStaticV4("id", "secret", "")}); err == nil {
		t.Error("a missing bucket was accepted")
	}
	for name, st := range map[string]store{"dir": dir, "s3": s3Store(t, backend)} {
		t.Run(name, func(t *testing.T) {
			publish := func(release int, content string) error {
				t.Helper()
				staged, err := st.Stage()
				if err != nil {
					t.Fatal(err)
				}
				w, err := dumps.NewWriter(staged, "cases", []dumps.Column{{Name: "reference", Kind: dumps.String}, {Name: "n", Kind: dumps.Int}})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Write([]any{content, 7}); err != nil {
					t.Fatal(err)
				}
				files, err := w.Close()
				if err != nil {
					t.Fatal(err)
				}
				return st.Publish(staged, &dumps.Manifest{Release: release, PublishedAt: "2026-12-07T10:00:00Z", Licence: "CC-BY-4.0", Files: files})
			}
			if err := publish(1, "first"); err != nil {
				t.Fatal(err)
			}
			if err := publish(2, "second"); err != nil {
				t.Fatal(err)
			}
			m1, err := st.Manifest(1)
			if err != nil {
				t.Fatal(err)
			}
			if err := publish(1, "again"); !errors.Is(err, dumps.ErrExists) {
				t.Errorf("a second dump of release 1: %v", err)
			}
			if again, _ := st.Manifest(1); again.Files[0] != m1.Files[0] {
				t.Errorf("release 1 changed: %+v, was %+v", again.Files[0], m1.Files[0])
			}
			list, err := st.List()
			if err != nil || len(list) != 2 || list[0].Release != 2 || list[1].Release != 1 {
				t.Fatalf("list: %+v %v", list, err)
			}
			f, err := st.Open(1, "SHA256SUMS")
			if err != nil {
				t.Fatal(err)
			}
			sums, _ := io.ReadAll(f)
			f.Close()
			if string(sums) != m1.Files[0].SHA256+"  cases.csv.gz\n"+m1.Files[1].SHA256+"  cases.parquet\n" {
				t.Errorf("SHA256SUMS: %q", sums)
			}
			for _, name := range []string{"../release-2/manifest.json", "cases.csv", "secret.txt"} {
				if _, err := st.Open(1, name); !errors.Is(err, dumps.ErrNotFound) {
					t.Errorf("open %s: %v", name, err)
				}
			}
			if _, err := st.Manifest(3); !errors.Is(err, dumps.ErrNotFound) {
				t.Errorf("release 3: %v", err)
			}
		})
	}
	// Files without a manifest (an upload cut off, or one under way) are not a dump.
	if _, err := backend.PutObject("casewatch", "dumps/release-5/cases.csv.gz", nil, strings.NewReader("x"), 1, nil); err != nil {
		t.Fatal(err)
	}
	list, err := s3Store(t, backend).List()
	if err != nil || len(list) != 2 {
		t.Errorf("with a half-written release 5: %d releases listed, %v", len(list), err)
	}
}
