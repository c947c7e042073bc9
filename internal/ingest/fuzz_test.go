package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/internal/privacy"
	"github.com/casewatch/casewatch/internal/reference"
)

// fuzzRows runs the parser and the checks over arbitrary input: they must never panic,
// every problem must point at a line and column, and no accepted record may keep the
// defendant's name.
func fuzzRows(t *testing.T, rows rowReader) {
	cv := &converter{ref: reference.MustRead(), keys: privacy.NewKeys([]byte("fuzz"))}
	for range 10_000 {
		row, err := rows.next()
		if err == io.EOF {
			return
		}
		var issue *Issue
		if errors.As(err, &issue) {
			if issue.Line < 1 || issue.Column < 1 || issue.Message == "" {
				t.Fatalf("issue without a place: %+v", issue)
			}
			return
		}
		if err != nil {
			t.Fatalf("error that is not an issue: %v", err)
		}
		c := cv.convert(row)
		rec, issues := c.rec, c.issues
		for _, is := range issues {
			if is.Line < 1 || is.Column < 1 {
				t.Fatalf("issue without a place: %+v", is)
			}
		}
		name := strings.TrimSpace(row.get("defendant_name").value)
		if rec != nil && rec.Case.Summary != nil && len([]rune(name)) >= 4 && !strings.ContainsAny(name, "[]") &&
			strings.Contains(strings.ToLower(*rec.Case.Summary), strings.ToLower(name)) {
			t.Fatalf("summary %q keeps the defendant's name %q", *rec.Case.Summary, name)
		}
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("source_id,jurisdiction,reported_on,platform,content_category\nS-1,kz,2024-01-01,telegram,other\n"))
	f.Add([]byte("source_id,jurisdiction,reported_on,platform,content_category,content_excerpt,defendant_name\nS-1,kz,2024-01-01,telegram,other,\"Автор Иванов Иван, тел +7 701 111 22 33\",Иванов Иван\n"))
	f.Add([]byte("source_id,jurisdiction\n\"unterminated,kz\n"))
	f.Add([]byte("\ufeffsource_id,jurisdiction,reported_on,platform,content_category,court_decision,court_on\nS,kz,2024-02-30,x,y,liable,2023-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, newCSVRows(bytes.NewReader(data)))
	})
}

func FuzzParseNDJSON(f *testing.F) {
	f.Add([]byte(`{"source_id":"S-1","jurisdiction":"kz","reported_on":"2024-01-01","platform":"telegram","content_category":"other","appeal":{"status":"pending"}}` + "\n"))
	f.Add([]byte(`{"source_id": 5, "appeal": [1]}` + "\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, newNDJSONRows(bytes.NewReader(data)))
	})
}
