package cache

import "github.com/prometheus/client_golang/prometheus"

// Accessors for the tests in package cache_test.

func (m *Metrics) StoredBytes(cache, tier string) prometheus.Gauge {
	return m.storedBytes.WithLabelValues(cache, tier)
}

func (m *Metrics) Errors(cache, tier string) prometheus.Counter {
	return m.errors.WithLabelValues(cache, tier)
}

func (m *Metrics) BreakerOpen() prometheus.Gauge { return m.breakerOpen }
