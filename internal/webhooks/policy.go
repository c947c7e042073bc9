package webhooks

import (
	"math/rand/v2"
	"time"
)

// Policy is how deliveries are retried and when a failing subscriber is paused.
type Policy struct {
	// Backoff is the wait before the first retry; each further retry waits twice as
	// long as the one before, up to MaxBackoff, give or take a fifth (jitter, so that
	// receivers coming back are not hit by every retry at once).
	Backoff    time.Duration
	MaxBackoff time.Duration
	// RetryFor is how long after it was made an event is retried, and how long a
	// subscriber may fail without a success before it is paused.
	RetryFor time.Duration
	// PauseAfter failed attempts in a row pause a subscriber.
	PauseAfter int
	// Timeout bounds one attempt, connection and answer included.
	Timeout time.Duration
}

// DefaultPolicy: retries after 30 s, 1, 2, 4 … minutes, then hourly, for a day; a
// subscriber that failed 20 times in a row (about 15 hours of retries) or for a day is
// paused.
var DefaultPolicy = Policy{Backoff: 30 * time.Second, MaxBackoff: time.Hour, RetryFor: 24 * time.Hour,
	PauseAfter: 20, Timeout: 10 * time.Second}

// PolicyWithBackoff is DefaultPolicy with another first retry; the longest wait stays 120
// times the first (an hour for 30 s), so that a short backoff in tests stays short.
func PolicyWithBackoff(backoff time.Duration) Policy {
	p := DefaultPolicy
	p.Backoff, p.MaxBackoff = backoff, min(120*backoff, time.Hour)
	return p
}

// Delay is the wait before the retry that follows the failed attempt number n (1 for the
// first attempt), without jitter.
func (p Policy) Delay(n int) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// jittered is Delay(n) times a random factor between 0.8 and 1.2.
func (p Policy) jittered(n int) time.Duration {
	return time.Duration(float64(p.Delay(n)) * (0.8 + 0.4*rand.Float64()))
}

// NextAttempt is when to retry after the failed attempt n of an event that expires at
// expires; zero when the event is given up.
func (p Policy) NextAttempt(now time.Time, n int, expires time.Time) time.Time {
	next := now.Add(p.jittered(n))
	if next.After(expires) {
		return time.Time{}
	}
	return next
}
