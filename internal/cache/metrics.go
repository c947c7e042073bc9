package cache

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the cache's figures on /metrics: per cache (responses, documents) and tier
// (local, redis).
type Metrics struct {
	hits, misses, errors    *prometheus.CounterVec
	readBytes, writtenBytes *prometheus.CounterVec
	storedBytes             *prometheus.GaugeVec
	latency                 *prometheus.HistogramVec
	breakerOpen             prometheus.Gauge
	breakerChanges          *prometheus.CounterVec
	generation              prometheus.Gauge
}

// NewMetrics registers the cache's metrics with reg; nil keeps them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	labels := []string{"cache", "tier"}
	m := &Metrics{
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_hits_total", Help: "Lookups answered by a cache tier.",
		}, labels),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_misses_total", Help: "Lookups a cache tier could not answer.",
		}, labels),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_errors_total", Help: "Cache tier operations that failed or timed out.",
		}, labels),
		readBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_read_bytes_total", Help: "Bytes answered from a cache tier.",
		}, labels),
		writtenBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_written_bytes_total", Help: "Bytes stored into a cache tier.",
		}, labels),
		storedBytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "casewatch_cache_stored_bytes", Help: "Bytes held by the in-process tier, keys and bookkeeping included.",
		}, labels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "casewatch_cache_operation_duration_seconds", Help: "Latency of cache tier operations.",
			Buckets: prometheus.ExponentialBuckets(0.00001, 4, 10),
		}, []string{"tier", "op"}),
		breakerOpen: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "casewatch_cache_redis_breaker_open", Help: "1 while the circuit breaker keeps requests away from Redis.",
		}),
		breakerChanges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_cache_redis_breaker_transitions_total", Help: "Circuit breaker state changes, by the state entered.",
		}, []string{"state"}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "casewatch_cache_generation", Help: "The release generation cached answers are keyed by.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.hits, m.misses, m.errors, m.readBytes, m.writtenBytes, m.storedBytes,
			m.latency, m.breakerOpen, m.breakerChanges, m.generation)
	}
	return m
}

// tierMetrics are one cache's counters for one tier, resolved once so the hot path does
// no label lookups.
type tierMetrics struct {
	hits, misses, errors    prometheus.Counter
	readBytes, writtenBytes prometheus.Counter
	storedBytes             prometheus.Gauge
	get, set                prometheus.Observer
}

func (m *Metrics) tier(cache, tier string) *tierMetrics {
	return &tierMetrics{
		hits:         m.hits.WithLabelValues(cache, tier),
		misses:       m.misses.WithLabelValues(cache, tier),
		errors:       m.errors.WithLabelValues(cache, tier),
		readBytes:    m.readBytes.WithLabelValues(cache, tier),
		writtenBytes: m.writtenBytes.WithLabelValues(cache, tier),
		storedBytes:  m.storedBytes.WithLabelValues(cache, tier),
		get:          m.latency.WithLabelValues(tier, "get"),
		set:          m.latency.WithLabelValues(tier, "set"),
	}
}
