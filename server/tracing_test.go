package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace receiver in the test process.
type otlpReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	posts int
	raw   []byte
	spans []*tracepb.ResourceSpans
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	rc := &otlpReceiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req coltrace.ExportTraceServiceRequest
		if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
			t.Errorf("receiver: %s %s (%d bytes)", r.Method, r.URL.Path, len(body))
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.posts++
		rc.raw = append(rc.raw, body...)
		rc.spans = append(rc.spans, req.ResourceSpans...)
		rc.mu.Unlock()
		out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// TestTracesReachTheCollector: with OTEL_EXPORTER_OTLP_ENDPOINT set, each request's span
// reaches an OTLP receiver, named by method and handler and carrying the request id and
// the operation, and without the reader's address, browser or what they searched for.
func TestTracesReachTheCollector(t *testing.T) {
	rc := newOTLPReceiver(t)
	env := smallDatabase(t)
	env["OTEL_EXPORTER_OTLP_ENDPOINT"] = rc.URL
	env["OTEL_SERVICE_NAME"] = "casewatch-test"
	s, logs := startLogged(t, env)
	search := `query FindCases($q: String) { cases(filter: {search: $q}) { totalCount } }`
	a := ask(t, s.url, query(search, map[string]any{"q": secretName}), nil,
		map[string]string{"User-Agent": "ReaderBrowser/7.1", "X-Forwarded-For": "203.0.113.77",
			"Traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	id := a.header.Get("X-Request-Id")
	// Stopping sends the spans still buffered.
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.posts == 0 {
		t.Fatalf("no spans arrived\n%s", logs)
	}
	for _, leak := range []string{"Zhanibekova", "ReaderBrowser", "203.0.113.77"} {
		if strings.Contains(string(rc.raw), leak) {
			t.Errorf("the exported spans hold %q", leak)
		}
	}
	var found *tracepb.Span
	var service string
	for _, rs := range rc.spans {
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.Key == "service.name" {
				service = kv.Value.GetStringValue()
			}
		}
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				for _, kv := range sp.Attributes {
					if kv.Key == "casewatch.request_id" && kv.Value.GetStringValue() == id {
						found = sp
					}
				}
			}
		}
	}
	if service != "casewatch-test" {
		t.Errorf("service.name %q", service)
	}
	if found == nil {
		t.Fatalf("no span with request id %s", id)
	}
	attrs := map[string]string{}
	for _, kv := range found.Attributes {
		attrs[kv.Key] = kv.Value.GetStringValue()
	}
	if found.Name != "POST graphql" || attrs["graphql.operation.name"] != "FindCases" ||
		attrs["url.path"] != "/graphql" || attrs["casewatch.cache"] != "BYPASS" { // a search is never shared
		t.Errorf("span %q %v", found.Name, attrs)
	}
	for _, k := range []string{"client.address", "network.peer.address", "user_agent.original"} {
		if _, ok := attrs[k]; ok {
			t.Errorf("span has %s", k)
		}
	}
	// A public endpoint: the caller's trace is linked to, not continued.
	if strings.HasPrefix(string(found.TraceId), "\x0a\xf7\x65\x19") {
		t.Error("the span joined the trace the client sent")
	}
}

// TestNoTracesUnlessConfigured: OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none
// keep spans in, even with an endpoint set; without any OTEL_* variable tracing is off;
// settings casewatch cannot honour are refused.
func TestNoTracesUnlessConfigured(t *testing.T) {
	rc := newOTLPReceiver(t)
	for _, off := range []map[string]string{
		{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": rc.URL},
		{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": rc.URL + "/v1/traces"},
	} {
		env := smallDatabase(t)
		for k, v := range off {
			env[k] = v
		}
		s, _ := startLogged(t, env)
		if a := ask(t, s.url, query(`{ cases { totalCount } }`, nil), nil, nil); a.status != 200 {
			t.Fatal(a.status)
		}
		if err := s.stop(); err != nil {
			t.Fatal(err)
		}
	}
	rc.mu.Lock()
	posts := rc.posts
	rc.mu.Unlock()
	if posts != 0 {
		t.Fatalf("%d exports while tracing was off", posts)
	}
	getenv := func(env map[string]string) func(string) string { return func(k string) string { return env[k] } }
	if tr, err := setupTracing(context.Background(), getenv(map[string]string{"DATABASE_URL": "x"}), nil); tr != nil || err != nil {
		t.Fatalf("without OTEL_* variables: %v, %v", tr, err)
	}
	for _, bad := range []map[string]string{
		{"OTEL_TRACES_EXPORTER": "zipkin"},
		{"OTEL_EXPORTER_OTLP_ENDPOINT": rc.URL, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
	} {
		_, err := setupTracing(context.Background(), getenv(bad), nil)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%v: %v, want a usage error", bad, err)
		}
	}
}
