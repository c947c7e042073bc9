package ingest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/casewatch/casewatch/internal/ingest/ingesttest"
	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
)

// BenchmarkConvert parses and checks rows and applies the privacy rules, without a store.
func BenchmarkConvert(b *testing.B) {
	data := ingesttest.CSV(b, ingesttest.RawRecords(rand.New(rand.NewPCG(3, 4)), 20_000, &ingesttest.Planted{}))
	cv := &converter{ref: reference.MustRead(), keys: privacy.NewKeys([]byte("bench"))}
	for b.Loop() {
		rows := newCSVRows(bytes.NewReader(data))
		for {
			row, err := rows.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if c := cv.convert(row); c.rec == nil {
				b.Fatal(c.issues)
			}
		}
	}
	b.ReportMetric(20_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
