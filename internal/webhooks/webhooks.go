// Package webhooks tells subscribers of each new release: an editor registers a URL (with
// an optional case filter); when a release is published, every active subscriber gets one
// JSON event (Event), signed with HMAC-SHA256 under its own secret with a timestamp against
// replay (Sign, Verify).
//
// Events go through a durable outbox in the SQL store: when an instance sees a new release
// it inserts one delivery per subscriber and release, which the store's unique key makes
// happen once however many instances see it (Enqueue). A worker on every instance claims
// due deliveries under a lease taken by a conditional UPDATE, so no two instances send one
// event, POSTs each with a time limit and no redirects, records every attempt (status,
// duration, a short error; never the answer's body), and retries failures with
// exponential backoff and jitter for a day (Policy). A subscriber that keeps failing is
// paused until an editor resumes it. docs/design.md §18 and the README's "Webhooks".
package webhooks

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
)

// Options configure a Service.
type Options struct {
	Store *store.Store
	// Count, when set, counts the cases of the current release's case view matching a
	// filter (stats.Engine.CountCases), for Event.MatchingCases.
	Count func(ctx context.Context, f model.CaseFilter) (int, error)
	// Policy is DefaultPolicy when zero.
	Policy Policy
	// AllowLoopback accepts http:// URLs to this machine and delivers to loopback
	// addresses: for tests and local development only.
	AllowLoopback bool
	Log           *slog.Logger
	// Metrics, when set, count events and attempts.
	Metrics *Metrics
}

// Service registers subscribers and delivers their events.
type Service struct {
	o      Options
	p      Policy
	client *http.Client
	wake   chan struct{}
	// now is the clock, replaced in tests.
	now func() time.Time
}

// New returns a Service.
func New(o Options) *Service {
	p := o.Policy
	if p == (Policy{}) {
		p = DefaultPolicy
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics(nil)
	}
	return &Service{o: o, p: p, client: newClient(p.Timeout, o.AllowLoopback), wake: make(chan struct{}, 1), now: time.Now}
}

// Policy returns the retry policy in force.
func (s *Service) Policy() Policy { return s.p }

// ErrNotFound is returned for a subscriber id that does not exist.
var ErrNotFound = store.ErrNotFound

// Create registers a subscriber and returns it with its secret, which is shown this once.
// It gets events from the next release on.
func (s *Service) Create(ctx context.Context, rawURL string, f model.CaseFilter, createdBy string) (_ *store.Webhook, secret string, err error) {
	u, err := CheckURL(rawURL, s.o.AllowLoopback)
	if err != nil {
		return nil, "", err
	}
	if f.Search != nil {
		return nil, "", inputErr("a webhook's filter may not search the summaries (filter.search); filter by category, region and the other fields")
	}
	gen, err := s.o.Store.Generation(ctx)
	if err != nil {
		return nil, "", err
	}
	secret = "whsec_" + randomID(32)
	w := store.Webhook{ID: "wh_" + randomID(10), URL: u.String(), Filter: EncodeFilter(f), Secret: secret,
		CreatedBy: createdBy, CreatedAt: s.now().UnixMilli(), LastRelease: gen}
	if err := s.o.Store.CreateWebhook(ctx, w); err != nil {
		return nil, "", err
	}
	return &w, secret, nil
}

// List returns every subscriber, oldest first.
func (s *Service) List(ctx context.Context) ([]store.Webhook, error) { return s.o.Store.Webhooks(ctx) }

// Get returns one subscriber.
func (s *Service) Get(ctx context.Context, id string) (*store.Webhook, error) {
	return s.o.Store.Webhook(ctx, id)
}

// Pause stops deliveries to a subscriber until it is resumed.
func (s *Service) Pause(ctx context.Context, id string) error {
	return s.o.Store.PauseWebhook(ctx, id, s.now())
}

// Resume makes a paused subscriber active again (see store.ResumeWebhook) and wakes the
// worker.
func (s *Service) Resume(ctx context.Context, id string) error {
	if err := s.o.Store.ResumeWebhook(ctx, id, s.now(), s.p.RetryFor); err != nil {
		return err
	}
	s.Trigger()
	return nil
}

// Delete removes a subscriber with its outbox and log.
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.o.Store.DeleteWebhook(ctx, id)
}

// Deliveries returns up to first deliveries of a subscriber, newest first, with their
// attempts; ErrNotFound when there is no such subscriber.
func (s *Service) Deliveries(ctx context.Context, id string, first int) ([]store.WebhookDelivery, error) {
	if _, err := s.o.Store.Webhook(ctx, id); err != nil {
		return nil, err
	}
	return s.o.Store.WebhookDeliveries(ctx, id, first)
}

// Trigger wakes the worker without waiting: a release appeared, or a subscriber resumed.
func (s *Service) Trigger() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Enqueue puts an event into the outbox for every active subscriber and every release
// newer than its last one. Instances may run it at the same time: each event is stored once.
func (s *Service) Enqueue(ctx context.Context) error {
	subs, err := s.o.Store.Webhooks(ctx)
	if err != nil {
		return err
	}
	gen, err := s.o.Store.Generation(ctx)
	if err != nil {
		return err
	}
	releases := map[int64]*model.Release{}
	for _, w := range subs {
		if w.PausedAt != nil {
			continue
		}
		for r := w.LastRelease + 1; r <= gen; r++ {
			rel := releases[r]
			if rel == nil {
				if rel, err = s.o.Store.Release(ctx, r); errors.Is(err, store.ErrNotFound) {
					continue
				} else if err != nil {
					return err
				}
				releases[r] = rel
			}
			payload, id, err := s.event(ctx, &w, rel, gen)
			if err != nil {
				return err
			}
			inserted, err := s.o.Store.EnqueueDelivery(ctx, store.NewDelivery{ID: id, SubscriberID: w.ID, ReleaseID: r, Payload: payload}, s.now(), s.p.RetryFor)
			if err != nil {
				return err
			}
			if inserted {
				s.o.Metrics.enqueued.Inc()
				s.o.Log.Info("webhook event enqueued", "webhook", w.ID, "release", r, "event", id)
			}
		}
	}
	return nil
}

// event builds the JSON of the event announcing rel to w.
func (s *Service) event(ctx context.Context, w *store.Webhook, rel *model.Release, gen int64) (payload, id string, err error) {
	now := s.now()
	id = "evt_" + randomID(16)
	e := Event{ID: id, Type: EventReleasePublished, CreatedAt: now.UTC().Format(time.RFC3339), Webhook: w.ID,
		Release: EventRelease{Version: rel.ID, PublishedAt: rel.PublishedAt, Synthetic: rel.Synthetic,
			RowsAdded: rel.RowsAdded, RowsUpdated: rel.RowsUpdated, RowsUnchanged: rel.RowsUnchanged},
		Filter: json.RawMessage(w.Filter)}
	if s.o.Count != nil && rel.ID == gen {
		f, ferr := DecodeFilter(w.Filter)
		if ferr == nil {
			n, cerr := s.o.Count(ctx, f)
			// Counted on the release announced only if no newer one landed meanwhile.
			if after, gerr := s.o.Store.Generation(ctx); cerr == nil && gerr == nil && after == rel.ID {
				e.MatchingCases = &n
			}
		}
	}
	b, err := json.Marshal(e)
	return string(b), id, err
}

// Run enqueues and delivers until ctx ends: at once, whenever Trigger is called, and
// every poll interval (deliveries whose retry has come, releases another instance saw).
func (s *Service) Run(ctx context.Context) {
	poll := min(max(s.p.Backoff/4, 20*time.Millisecond), 5*time.Second)
	lastEnqueue := time.Time{}
	for {
		woken := false
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
			woken = true
		case <-time.After(poll):
		}
		if woken || time.Since(lastEnqueue) > 30*time.Second {
			if err := s.Enqueue(ctx); err != nil && ctx.Err() == nil {
				s.o.Log.Warn("webhooks: enqueueing events", "err", err)
			}
			lastEnqueue = time.Now()
		}
		for {
			n, err := s.DeliverDue(ctx)
			if err != nil && ctx.Err() == nil {
				s.o.Log.Warn("webhooks: delivering", "err", err)
			}
			if n < claimBatch || err != nil || ctx.Err() != nil {
				break
			}
		}
	}
}

// claimBatch is how many deliveries a worker claims, and sends at once, per pass.
const claimBatch = 8

// lease is how long a claimed delivery stays with its worker: well past an attempt's time
// limit, so that a lease never runs out during an attempt.
func (s *Service) lease() time.Duration { return 2*s.p.Timeout + time.Minute }

// DeliverDue claims the deliveries that are due and attempts each once, concurrently. It
// returns how many it claimed.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	owner := randomID(12)
	claimed, err := s.o.Store.ClaimDeliveries(ctx, owner, s.now(), s.lease(), claimBatch)
	var wg sync.WaitGroup
	errs := make([]error, len(claimed))
	for i := range claimed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.attempt(ctx, &claimed[i])
		}()
	}
	wg.Wait()
	return len(claimed), errors.Join(append(errs, err)...)
}

// maxErrorText bounds the error text kept of an attempt.
const maxErrorText = 200

// attempt POSTs one claimed event and records the outcome.
func (s *Service) attempt(ctx context.Context, d *store.ClaimedDelivery) error {
	// An attempt under way is finished and recorded even when the server shuts down (the
	// client's timeout bounds it): cut short, it would hold its lease for minutes and the
	// receiver might have the event already.
	ctx = context.WithoutCancel(ctx)
	start := s.now()
	code, errText := s.post(ctx, d, start)
	a := store.Attempt{At: start, Duration: s.now().Sub(start), StatusCode: code, Error: truncate(errText, maxErrorText),
		Delivered: errText == ""}
	if !a.Delivered {
		a.NextAttemptAt = s.p.NextAttempt(s.now(), d.Attempts+1, time.UnixMilli(d.ExpiresAt))
	}
	paused, err := s.o.Store.FinishDelivery(ctx, d, a, store.PausePolicy{After: s.p.PauseAfter, Span: s.p.RetryFor})
	if errors.Is(err, store.ErrLeaseLost) {
		s.o.Log.Warn("webhooks: an attempt outlived its lease", "event", d.ID)
		return nil
	}
	if err != nil {
		return err
	}
	s.o.Metrics.duration.Observe(a.Duration.Seconds())
	outcome := "failed"
	switch {
	case a.Delivered:
		outcome = "delivered"
	case a.NextAttemptAt.IsZero():
		outcome = "given_up"
	}
	s.o.Metrics.attempts.WithLabelValues(outcome).Inc()
	switch {
	case a.Delivered:
		s.o.Log.Info("webhook event delivered", "webhook", d.SubscriberID, "event", d.ID, "status", code)
	case a.NextAttemptAt.IsZero():
		s.o.Log.Warn("webhook event given up", "webhook", d.SubscriberID, "event", d.ID, "attempts", d.Attempts+1)
	default:
		s.o.Log.Info("webhook attempt failed", "webhook", d.SubscriberID, "event", d.ID, "status", code, "err", a.Error, "retry", a.NextAttemptAt.Sub(start).Round(time.Millisecond))
	}
	if paused {
		s.o.Metrics.paused.Inc()
		s.o.Log.Warn("webhook paused: it keeps failing", "webhook", d.SubscriberID)
	}
	return nil
}

// post sends the event and returns the answer's status (0 for none) and, when it failed,
// why.
func (s *Service) post(ctx context.Context, d *store.ClaimedDelivery, at time.Time) (status int, errText string) {
	// The URL was checked at registration; checked again, should the rules have tightened.
	if _, err := CheckURL(d.URL, s.o.AllowLoopback); err != nil {
		return 0, err.Error()
	}
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "the request could not be made"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "casewatch-webhooks/1")
	req.Header.Set("Idempotency-Key", d.ID)
	req.Header.Set("Casewatch-Event", EventReleasePublished)
	req.Header.Set("Casewatch-Delivery", d.ID)
	req.Header.Set(SignatureHeader, Sign(d.Secret, at, body))
	resp, err := s.client.Do(req)
	if err != nil {
		// Not the URL, which url.Error repeats: its query may hold a receiver's key.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, err.Error()
	}
	// The body is drained a little, for the connection's reuse, and never kept.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, ""
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, fmt.Sprintf("HTTP %d: redirects are not followed; register the final URL", resp.StatusCode)
	default:
		return resp.StatusCode, fmt.Sprintf("HTTP %d", resp.StatusCode)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// randomID returns n random bytes in lower-case base 32.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return lowerBase32.EncodeToString(b)
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
