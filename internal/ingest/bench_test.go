package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/casewatch/casewatch/internal/ingest"
	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// BenchmarkImport imports 20,000 raw rows full of identifiers into an empty database,
// privacy processing included, and reports rows per second. Target (DESIGN §8): 20,000.
func BenchmarkImport(b *testing.B) {
	const rows = 20_000
	data := ingesttest.CSV(b, ingesttest.RawRecords(rand.New(rand.NewPCG(3, 4)), rows, &ingesttest.Planted{}))
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) { benchImport(b, backend, data, rows) })
	}
}

func benchImport(b *testing.B, backend string, data []byte, rows int) {
	ref := reference.MustLoad()
	var total float64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		url := storetest.SQLiteURL(b)
		if backend == "postgres" {
			if url = storetest.PostgresURL(b); url == "" {
				b.Skip("no PostgreSQL")
			}
		}
		st := storetest.Open(b, url)
		im := ingest.NewImporter(st, ref, []byte("bench"), 5)
		b.StartTimer()
		res, err := im.Import(context.Background(), bytes.NewReader(data), ingest.Options{Format: ingest.CSV, Note: fmt.Sprint(i)})
		if err != nil || res.Added != rows {
			b.Fatalf("%+v %v", res, err)
		}
		total += float64(rows)
	}
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
	b.SetBytes(int64(len(data)))
}
