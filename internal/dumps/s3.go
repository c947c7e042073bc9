package dumps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps dumps in a bucket of an S3-compatible store: <prefix>release-<N>/<file>. A dump
// is staged in a local directory, its files uploaded, and its manifest last: a release
// without a manifest is not listed, so readers never see half a dump. Two instances that
// publish the same release upload the same bytes; the first manifest wins.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
}

// S3Options say where the bucket is. Credentials come from the environment variables the
// AWS tools read (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
type S3Options struct {
	Endpoint string // host[:port]
	Insecure bool   // plain HTTP, for a store on the same host or in tests
	Bucket   string
	Prefix   string // "" or ending in "/"
	Region   string
	// Creds overrides the environment's credentials (tests).
	Creds *credentials.Credentials
}

// NewS3 connects to the bucket and checks that it exists.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	creds := o.Creds
	if creds == nil {
		creds = credentials.NewEnvAWS()
	}
	client, err := minio.New(o.Endpoint, &minio.Options{Creds: creds, Secure: !o.Insecure, Region: o.Region})
	if err != nil {
		return nil, fmt.Errorf("dumps: S3 endpoint %s: %w", o.Endpoint, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ok, err := client.BucketExists(ctx, o.Bucket)
	if err != nil {
		return nil, fmt.Errorf("dumps: S3 bucket %s: %w", o.Bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("dumps: S3 bucket %s does not exist", o.Bucket)
	}
	if o.Prefix != "" && !strings.HasSuffix(o.Prefix, "/") {
		o.Prefix += "/"
	}
	return &S3{client: client, bucket: o.Bucket, prefix: o.Prefix}, nil
}

func (s *S3) key(release int, name string) string {
	return s.prefix + releaseDir(release) + "/" + name
}

// Stage makes a local directory to write a dump into.
func (s *S3) Stage() (string, error) {
	return os.MkdirTemp("", "casewatch-dump-")
}

// Publish uploads the staged files, then SHA256SUMS and the manifest; a release that has a
// manifest keeps it (ErrExists). staged is removed.
func (s *S3) Publish(staged string, m *Manifest) error {
	defer os.RemoveAll(staged)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if _, err := s.Manifest(m.Release); err == nil {
		return ErrExists
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	for _, f := range m.Files {
		if _, err := s.client.FPutObject(ctx, s.bucket, s.key(m.Release, f.Name), filepath.Join(staged, f.Name),
			minio.PutObjectOptions{ContentType: contentType(f.Name)}); err != nil {
			return fmt.Errorf("dumps: upload %s: %w", f.Name, err)
		}
	}
	doc, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	for _, obj := range []struct {
		name string
		data []byte
	}{{SumsName, Sums(m)}, {ManifestName, append(doc, '\n')}} { // the manifest last
		if _, err := s.client.PutObject(ctx, s.bucket, s.key(m.Release, obj.name), bytes.NewReader(obj.data), int64(len(obj.data)),
			minio.PutObjectOptions{ContentType: contentType(obj.name)}); err != nil {
			return fmt.Errorf("dumps: upload %s: %w", obj.name, err)
		}
	}
	return nil
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".gz"):
		return "application/gzip"
	case strings.HasSuffix(name, ".parquet"):
		return "application/vnd.apache.parquet"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}

// Manifest reads a release's manifest.
func (s *S3) Manifest(release int) (*Manifest, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(release, ManifestName), minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	data, err := io.ReadAll(obj)
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return parseManifest(release, data)
}

// List gives the manifests of every dumped release, newest first.
func (s *S3) List() ([]*Manifest, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out []*Manifest
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + "release-"}) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		dir, _ := strings.CutPrefix(strings.TrimSuffix(obj.Key, "/"), s.prefix)
		n, err := strconv.Atoi(strings.TrimPrefix(dir, "release-"))
		if err != nil {
			continue
		}
		m, err := s.Manifest(n)
		if errors.Is(err, ErrNotFound) {
			continue // being written
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Manifest) int { return b.Release - a.Release })
	return out, nil
}

// Open opens one file of a release's dump: a table, the manifest or SHA256SUMS.
func (s *S3) Open(release int, name string) (io.ReadSeekCloser, error) {
	m, err := s.Manifest(release)
	if err != nil {
		return nil, err
	}
	if !m.lists(name) {
		return nil, ErrNotFound
	}
	return s.client.GetObject(context.Background(), s.bucket, s.key(release, name), minio.GetObjectOptions{})
}
