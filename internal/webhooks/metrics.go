package webhooks

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the webhooks' figures on /metrics.
type Metrics struct {
	enqueued prometheus.Counter
	attempts *prometheus.CounterVec
	duration prometheus.Histogram
	paused   prometheus.Counter
}

// NewMetrics registers the webhooks' metrics with reg; nil keeps them unregistered.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		enqueued: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casewatch_webhook_events_enqueued_total", Help: "Webhook events this instance put into the outbox.",
		}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casewatch_webhook_attempts_total", Help: "Webhook delivery attempts made by this instance, by outcome.",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "casewatch_webhook_attempt_duration_seconds", Help: "How long webhook delivery attempts took.",
			Buckets: prometheus.ExponentialBuckets(0.01, 3, 8),
		}),
		paused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casewatch_webhooks_paused_total", Help: "Webhooks paused by this instance because they kept failing.",
		}),
	}
	for _, o := range []string{"delivered", "failed", "given_up"} {
		m.attempts.WithLabelValues(o)
	}
	if reg != nil {
		reg.MustRegister(m.enqueued, m.attempts, m.duration, m.paused)
	}
	return m
}
