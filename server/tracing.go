package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/casewatch/casewatch/web"
)

// tracing is OpenTelemetry tracing of HTTP requests: off (a nil *tracing) unless the
// standard variables ask for it.
type tracing struct {
	provider *sdktrace.TracerProvider
}

// setupTracing reads the standard OTEL_* variables. Tracing is on when
// OTEL_TRACES_EXPORTER=otlp, or when it is unset and OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT names a collector; OTEL_SDK_DISABLED=true and
// OTEL_TRACES_EXPORTER=none turn it off. Spans go to the collector over OTLP/HTTP
// (http/protobuf). The exporter reads its other OTEL_EXPORTER_OTLP_* settings (headers,
// timeout, TLS) and the SDK its OTEL_TRACES_SAMPLER* and OTEL_RESOURCE_ATTRIBUTES from the
// process environment.
func setupTracing(ctx context.Context, getenv func(string) string, log *slog.Logger) (*tracing, error) {
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		return nil, nil
	}
	endpoint := getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if endpoint == "" {
		if base := getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); base != "" {
			endpoint = strings.TrimRight(base, "/") + "/v1/traces"
		}
	}
	switch exp := strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")); exp {
	case "":
		if endpoint == "" {
			return nil, nil
		}
	case "none":
		return nil, nil
	case "otlp":
	default:
		return nil, usageError{fmt.Errorf("OTEL_TRACES_EXPORTER=%q: casewatch exports traces with otlp (or none)", exp)}
	}
	proto := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if proto == "" {
		proto = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	if proto != "" && proto != "http/protobuf" {
		return nil, usageError{fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%q: casewatch sends traces as http/protobuf", proto)}
	}
	var opts []otlptracehttp.Option
	if endpoint != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(endpoint))
	}
	exporter, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry exporter: %w", err)
	}
	service := getenv("OTEL_SERVICE_NAME")
	if service == "" {
		service = "casewatch"
	}
	res, err := resource.Merge(resource.Default(),
		resource.NewSchemaless(attribute.String("service.name", service)))
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(privateExporter{exporter}),
		sdktrace.WithResource(res),
	)
	log.Info("OpenTelemetry tracing on", "exporter", "otlp", "protocol", "http/protobuf")
	return &tracing{provider: tp}, nil
}

// handler traces every request through next. Requests come from the public: a trace
// context they send is linked to, never continued, so a client cannot choose to be
// sampled or join someone else's trace.
func (t *tracing) handler(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return otelhttp.NewHandler(next, "casewatch",
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
		otelhttp.WithPublicEndpointFn(func(*http.Request) bool { return true }),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
	)
}

// shutdown sends the spans still buffered.
func (t *tracing) shutdown(log *slog.Logger) {
	if t == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.provider.Shutdown(ctx); err != nil {
		log.Warn("OpenTelemetry: sending the last spans", "err", err)
	}
}

// annotateSpan names the request's span by method and handler and adds what the access log
// says of it: the request id, the operation (bounded as in the metrics) and the cache
// result. A no-op without tracing.
func annotateSpan(ctx context.Context, method, handler, operation, cache, id string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if handler != "" {
		span.SetName(method + " " + handler)
	}
	span.SetAttributes(
		attribute.String("casewatch.request_id", id),
		attribute.String("casewatch.cache", cache),
		attribute.String("graphql.operation.name", operation),
	)
}

// privateAttributes are span attributes never exported: who a reader is (address, port,
// browser) and anything of what they asked beyond the path.
var privateAttributes = map[attribute.Key]bool{
	"client.address":       true,
	"client.port":          true,
	"network.peer.address": true,
	"network.peer.port":    true,
	"user_agent.original":  true,
	"url.query":            true,
	"url.full":             true,
	"http.url":             true,
	"http.target":          true,
	"http.client_ip":       true,
	"net.sock.peer.addr":   true,
	"net.sock.peer.port":   true,
	"http.user_agent":      true,
}

// privateExporter drops privateAttributes from spans before they leave the process.
type privateExporter struct{ sdktrace.SpanExporter }

func (e privateExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	out := make([]sdktrace.ReadOnlySpan, len(spans))
	for i, s := range spans {
		kept := make([]attribute.KeyValue, 0, len(s.Attributes()))
		for _, a := range s.Attributes() {
			switch {
			case privateAttributes[a.Key], strings.HasPrefix(string(a.Key), "http.request.header."):
			case a.Key == "url.path" && !knownPaths[a.Value.AsString()] && !web.Has(a.Value.AsString()):
				// Any other path is text a reader typed.
				kept = append(kept, attribute.String("url.path", "other"))
			default:
				kept = append(kept, a)
			}
		}
		out[i] = privateSpan{ReadOnlySpan: s, attributes: kept}
	}
	return e.SpanExporter.ExportSpans(ctx, out)
}

// privateSpan is a span with only the attributes that may leave the process.
type privateSpan struct {
	sdktrace.ReadOnlySpan
	attributes []attribute.KeyValue
}

func (s privateSpan) Attributes() []attribute.KeyValue { return s.attributes }

// knownPaths are the endpoints a span may name; the portal's files (web.Has) may be named
// too.
var knownPaths = map[string]bool{
	"/graphql": true, "/export/cases.csv": true, "/export/cases.ndjson": true, "/healthz": true,
	"/readyz": true, "/metrics": true, "/": true, "/explorer": true,
}
