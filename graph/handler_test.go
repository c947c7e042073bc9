package graph_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/casewatch/casewatch/graph"
	"github.com/casewatch/casewatch/internal/reference"
	"github.com/casewatch/casewatch/internal/stats"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// TestNewChecksItsOptions: a missing piece is reported by New, at start, with its name,
// rather than by the first request that needs it.
func TestNewChecksItsOptions(t *testing.T) {
	st := storetest.Open(t, storetest.SQLiteURL(t))
	ref := reference.MustRead()
	complete := graph.Options{Store: st, Engine: stats.NewEngine(st, ref, []byte("test secret")), Reference: ref, Secret: []byte("s"),
		Threshold: 3, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := graph.New(complete); err != nil {
		t.Fatalf("complete options: %v", err)
	}
	for _, tc := range []struct {
		want   string
		change func(o *graph.Options)
	}{
		{"Store", func(o *graph.Options) { o.Store = nil }},
		{"Engine", func(o *graph.Options) { o.Engine = nil }},
		{"Reference", func(o *graph.Options) { o.Reference = nil }},
		{"Secret", func(o *graph.Options) { o.Secret = nil }},
		{"Log", func(o *graph.Options) { o.Log = nil }},
		{"Imports.Importer", func(o *graph.Options) { o.Imports = &graph.Imports{Audit: st} }},
		{"threshold 2", func(o *graph.Options) { o.Threshold = 2 }},
	} {
		o := complete
		tc.change(&o)
		if _, err := graph.New(o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("without %s: error %v", tc.want, err)
		}
	}
}
