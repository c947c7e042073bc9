package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/casewatch/casewatch/internal/derrors"
)

// Webhook is a subscriber to release events (internal/webhooks). Times are Unix
// milliseconds.
type Webhook struct {
	ID        string `db:"id"`
	URL       string `db:"url"`
	Filter    string `db:"filter"` // JSON of the case filter, "{}" for none
	Secret    string `db:"secret"`
	CreatedBy string `db:"created_by"`
	CreatedAt int64  `db:"created_at"`
	// LastRelease is the newest release an event was enqueued for, or that was current when
	// the subscriber was registered or resumed.
	LastRelease int64 `db:"last_release"`
	// PausedAt is nil for an active subscriber.
	PausedAt            *int64  `db:"paused_at"`
	PausedReason        *string `db:"paused_reason"`
	ConsecutiveFailures int     `db:"consecutive_failures"`
	FailingSince        *int64  `db:"failing_since"`
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Pause reasons.
const (
	PausedByEditor = "editor"
	PausedFailing  = "failing"
)

// WebhookDelivery is one event for one subscriber, in the outbox until delivered or given
// up. Its ID is the event's id and idempotency key.
type WebhookDelivery struct {
	ID            string  `db:"id"`
	SubscriberID  string  `db:"subscriber_id"`
	ReleaseID     int64   `db:"release_id"`
	Payload       string  `db:"payload"`
	Status        string  `db:"status"`
	CreatedAt     int64   `db:"created_at"`
	ExpiresAt     int64   `db:"expires_at"`
	Attempts      int     `db:"attempts"`
	NextAttemptAt int64   `db:"next_attempt_at"`
	LeasedUntil   *int64  `db:"leased_until"`
	LeaseOwner    *string `db:"lease_owner"`
	LastStatus    *int    `db:"last_status"`
	LastError     *string `db:"last_error"`
	DeliveredAt   *int64  `db:"delivered_at"`
	// Log is the delivery's attempts, oldest first; only WebhookDeliveries fills it.
	Log []WebhookAttempt `db:"-"`
}

// WebhookAttempt is one try at delivering an event: never the receiver's answer body.
type WebhookAttempt struct {
	DeliveryID string  `db:"delivery_id"`
	Attempt    int     `db:"attempt"`
	At         int64   `db:"at"`
	DurationMS int64   `db:"duration_ms"`
	StatusCode *int    `db:"status_code"`
	Error      *string `db:"error"`
}

// ClaimedDelivery is a delivery a worker holds the lease of, with where it goes.
type ClaimedDelivery struct {
	WebhookDelivery
	URL    string `db:"url"`
	Secret string `db:"secret"`
	// Owner is the lease's token: FinishDelivery needs it.
	Owner string `db:"-"`
}

const webhookColumns = "id, url, filter, secret, created_by, created_at, last_release, paused_at, paused_reason, consecutive_failures, failing_since"

const deliveryColumns = "id, subscriber_id, release_id, payload, status, created_at, expires_at, attempts, next_attempt_at, leased_until, lease_owner, last_status, last_error, delivered_at"

func millis(t time.Time) int64 { return t.UnixMilli() }

// inTx runs fn in a short transaction on the pool, committed when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(r *runner) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(&runner{q: tx, statements: &s.statements}); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateWebhook stores a new subscriber; its LastRelease says from which release on it
// gets events (the current one at registration: none for what was already published).
func (s *Store) CreateWebhook(ctx context.Context, w Webhook) (err error) {
	defer derrors.Wrap(&err, "store.CreateWebhook")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err = s.pool.exec(ctx, "INSERT INTO webhook_subscribers ("+webhookColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		w.ID, w.URL, w.Filter, w.Secret, w.CreatedBy, w.CreatedAt, w.LastRelease, w.PausedAt, w.PausedReason,
		w.ConsecutiveFailures, w.FailingSince)
	return err
}

// Webhooks lists the subscribers, oldest first.
func (s *Store) Webhooks(ctx context.Context) (_ []Webhook, err error) {
	defer derrors.Wrap(&err, "store.Webhooks")
	out := []Webhook{}
	err = s.pool.selectx(ctx, &out, "SELECT "+webhookColumns+" FROM webhook_subscribers ORDER BY created_at, id")
	return out, err
}

// Webhook returns one subscriber, ErrNotFound when there is none with that id.
func (s *Store) Webhook(ctx context.Context, id string) (_ *Webhook, err error) {
	defer derrors.Wrap(&err, "store.Webhook")
	var w Webhook
	if err := s.pool.getx(ctx, &w, "SELECT "+webhookColumns+" FROM webhook_subscribers WHERE id = ?", id); err != nil {
		return nil, err
	}
	return &w, nil
}

// PauseWebhook pauses a subscriber (no attempts until it is resumed); ErrNotFound when
// there is none. Pausing a paused subscriber changes nothing.
func (s *Store) PauseWebhook(ctx context.Context, id string, now time.Time) (err error) {
	defer derrors.Wrap(&err, "store.PauseWebhook")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if _, err := s.pool.exec(ctx, "UPDATE webhook_subscribers SET paused_at = ?, paused_reason = ? WHERE id = ? AND paused_at IS NULL",
		millis(now), PausedByEditor, id); err != nil {
		return err
	}
	return s.webhookExists(ctx, id)
}

// ResumeWebhook makes a paused subscriber active again: its failures are forgotten, the
// events still pending are tried again now with a fresh day to succeed, and it gets events
// from the next release on (none for releases published while it was paused).
func (s *Store) ResumeWebhook(ctx context.Context, id string, now time.Time, retryFor time.Duration) (err error) {
	defer derrors.Wrap(&err, "store.ResumeWebhook")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.inTx(ctx, func(r *runner) error {
		res, err := r.exec(ctx, `UPDATE webhook_subscribers SET paused_at = NULL, paused_reason = NULL,
			consecutive_failures = 0, failing_since = NULL,
			last_release = (SELECT COALESCE(MAX(id), 0) FROM releases)
			WHERE id = ? AND paused_at IS NOT NULL`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return s.webhookExistsOn(ctx, r, id)
		}
		_, err = r.exec(ctx, `UPDATE webhook_deliveries SET next_attempt_at = ?, expires_at = ?
			WHERE subscriber_id = ? AND status = ?`, millis(now), millis(now.Add(retryFor)), id, DeliveryPending)
		return err
	})
}

// DeleteWebhook removes a subscriber with its outbox and delivery log.
func (s *Store) DeleteWebhook(ctx context.Context, id string) (err error) {
	defer derrors.Wrap(&err, "store.DeleteWebhook")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.inTx(ctx, func(r *runner) error {
		if _, err := r.exec(ctx, "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE subscriber_id = ?)", id); err != nil {
			return err
		}
		if _, err := r.exec(ctx, "DELETE FROM webhook_deliveries WHERE subscriber_id = ?", id); err != nil {
			return err
		}
		res, err := r.exec(ctx, "DELETE FROM webhook_subscribers WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("webhook %q: %w", id, ErrNotFound)
		}
		return nil
	})
}

func (s *Store) webhookExists(ctx context.Context, id string) error {
	return s.webhookExistsOn(ctx, &s.pool, id)
}

func (s *Store) webhookExistsOn(ctx context.Context, r *runner, id string) error {
	var n int
	if err := r.getx(ctx, &n, "SELECT COUNT(*) FROM webhook_subscribers WHERE id = ?", id); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("webhook %q: %w", id, ErrNotFound)
	}
	return nil
}

// NewDelivery is an event to enqueue for a subscriber.
type NewDelivery struct {
	ID           string
	SubscriberID string
	ReleaseID    int64
	Payload      string
}

// EnqueueDelivery puts an event into the outbox unless the subscriber already has one for
// that release, and moves the subscriber's LastRelease up to it. It reports whether this
// call inserted it: of several instances enqueueing the same release, one does.
func (s *Store) EnqueueDelivery(ctx context.Context, d NewDelivery, now time.Time, retryFor time.Duration) (inserted bool, err error) {
	defer derrors.Wrap(&err, "store.EnqueueDelivery")
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err = s.inTx(ctx, func(r *runner) error {
		res, err := r.exec(ctx, `INSERT INTO webhook_deliveries (id, subscriber_id, release_id, payload, status, created_at,
			expires_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
			ON CONFLICT (subscriber_id, release_id) DO NOTHING`,
			d.ID, d.SubscriberID, d.ReleaseID, d.Payload, DeliveryPending, millis(now), millis(now.Add(retryFor)), millis(now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		inserted = n == 1
		_, err = r.exec(ctx, "UPDATE webhook_subscribers SET last_release = ? WHERE id = ? AND last_release < ?",
			d.ReleaseID, d.SubscriberID, d.ReleaseID)
		return err
	})
	return inserted, err
}

// ClaimDeliveries leases up to limit deliveries that are due (pending, their next attempt
// come, no live lease, their subscriber active) to owner until now+lease. The lease is
// taken by a conditional UPDATE, so of several workers claiming at once, on one instance
// or many, exactly one gets each delivery.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) (_ []ClaimedDelivery, err error) {
	defer derrors.Wrap(&err, "store.ClaimDeliveries")
	var ids []string
	if err := s.pool.selectx(ctx, &ids, fmt.Sprintf(`SELECT d.id FROM webhook_deliveries d
		JOIN webhook_subscribers s ON s.id = d.subscriber_id
		WHERE d.status = ? AND d.next_attempt_at <= ? AND (d.leased_until IS NULL OR d.leased_until < ?)
		AND s.paused_at IS NULL ORDER BY d.next_attempt_at, d.id LIMIT %d`, limit),
		DeliveryPending, millis(now), millis(now)); err != nil {
		return nil, err
	}
	var out []ClaimedDelivery
	for _, id := range ids {
		claimed, err := s.claim(ctx, id, owner, now, lease)
		if err != nil {
			return out, err
		}
		if !claimed {
			continue
		}
		var d ClaimedDelivery
		if err := s.pool.getx(ctx, &d, `SELECT d.id, d.subscriber_id, d.release_id, d.payload, d.status, d.created_at,
			d.expires_at, d.attempts, d.next_attempt_at, d.leased_until, d.lease_owner, d.last_status, d.last_error,
			d.delivered_at, s.url, s.secret
			FROM webhook_deliveries d JOIN webhook_subscribers s ON s.id = d.subscriber_id WHERE d.id = ?`, id); err != nil {
			if err == ErrNotFound { // deleted meanwhile
				continue
			}
			return out, err
		}
		d.Owner = owner
		out = append(out, d)
	}
	return out, nil
}

func (s *Store) claim(ctx context.Context, id, owner string, now time.Time, lease time.Duration) (bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	res, err := s.pool.exec(ctx, `UPDATE webhook_deliveries SET leased_until = ?, lease_owner = ?
		WHERE id = ? AND status = ? AND (leased_until IS NULL OR leased_until < ?)`,
		millis(now.Add(lease)), owner, id, DeliveryPending, millis(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Attempt is the outcome of one try at a claimed delivery.
type Attempt struct {
	At         time.Time
	Duration   time.Duration
	StatusCode int // 0: no answer
	Error      string
	Delivered  bool
	// NextAttemptAt is when to try again after a failure; zero gives the event up.
	NextAttemptAt time.Time
}

// PausePolicy says when a failing subscriber is paused: after so many failed attempts in a
// row, or failures for so long.
type PausePolicy struct {
	After int
	Span  time.Duration
}

// ErrLeaseLost is returned by FinishDelivery when the worker's lease ran out and another
// took the delivery (or it was deleted): its attempt is not recorded.
var ErrLeaseLost = fmt.Errorf("webhook delivery lease lost")

// FinishDelivery records an attempt on a delivery claimed by d.Owner, releases the lease,
// and counts the subscriber's failures, pausing it under policy. It reports whether this
// attempt paused the subscriber.
func (s *Store) FinishDelivery(ctx context.Context, d *ClaimedDelivery, a Attempt, policy PausePolicy) (paused bool, err error) {
	defer derrors.Wrap(&err, "store.FinishDelivery(%s)", d.ID)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	at := millis(a.At)
	var status *int
	if a.StatusCode != 0 {
		status = &a.StatusCode
	}
	var errText *string
	if a.Error != "" {
		errText = &a.Error
	}
	err = s.inTx(ctx, func(r *runner) error {
		var attempts int
		if err := r.getx(ctx, &attempts, "SELECT attempts FROM webhook_deliveries WHERE id = ? AND lease_owner = ? AND status = ?",
			d.ID, d.Owner, DeliveryPending); err != nil {
			if err == ErrNotFound {
				return ErrLeaseLost
			}
			return err
		}
		next, state := at, DeliveryPending
		var deliveredAt *int64
		switch {
		case a.Delivered:
			state, deliveredAt = DeliveryDelivered, &at
		case a.NextAttemptAt.IsZero():
			state = DeliveryFailed
		default:
			next = millis(a.NextAttemptAt)
		}
		res, err := r.exec(ctx, `UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?,
			leased_until = NULL, lease_owner = NULL, last_status = ?, last_error = ?, delivered_at = ?
			WHERE id = ? AND lease_owner = ?`, attempts+1, state, next, status, errText, deliveredAt, d.ID, d.Owner)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrLeaseLost
		}
		if _, err := r.exec(ctx, `INSERT INTO webhook_attempts (delivery_id, attempt, at, duration_ms, status_code, error)
			VALUES (?, ?, ?, ?, ?, ?)`, d.ID, attempts+1, at, a.Duration.Milliseconds(), status, errText); err != nil {
			return err
		}
		if a.Delivered {
			_, err := r.exec(ctx, "UPDATE webhook_subscribers SET consecutive_failures = 0, failing_since = NULL WHERE id = ?", d.SubscriberID)
			return err
		}
		if _, err := r.exec(ctx, `UPDATE webhook_subscribers SET consecutive_failures = consecutive_failures + 1,
			failing_since = COALESCE(failing_since, ?) WHERE id = ?`, at, d.SubscriberID); err != nil {
			return err
		}
		res, err = r.exec(ctx, `UPDATE webhook_subscribers SET paused_at = ?, paused_reason = ?
			WHERE id = ? AND paused_at IS NULL AND (consecutive_failures >= ? OR failing_since <= ?)`,
			at, PausedFailing, d.SubscriberID, policy.After, at-policy.Span.Milliseconds())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		paused = n == 1
		return nil
	})
	return paused, err
}

// WebhookDeliveries returns up to first deliveries of a subscriber, newest first, each
// with its attempts.
func (s *Store) WebhookDeliveries(ctx context.Context, subscriberID string, first int) (_ []WebhookDelivery, err error) {
	defer derrors.Wrap(&err, "store.WebhookDeliveries")
	out := []WebhookDelivery{}
	if err := s.pool.selectx(ctx, &out, fmt.Sprintf("SELECT "+deliveryColumns+
		" FROM webhook_deliveries WHERE subscriber_id = ? ORDER BY created_at DESC, release_id DESC LIMIT %d", first), subscriberID); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	byID := make(map[string]*WebhookDelivery, len(out))
	for i := range out {
		ids[i] = out[i].ID
		byID[out[i].ID] = &out[i]
	}
	q, args, err := sqlx.In("SELECT delivery_id, attempt, at, duration_ms, status_code, error FROM webhook_attempts WHERE delivery_id IN (?) ORDER BY delivery_id, attempt", ids)
	if err != nil {
		return nil, err
	}
	var attempts []WebhookAttempt
	if err := s.pool.selectx(ctx, &attempts, q, args...); err != nil {
		return nil, err
	}
	for _, a := range attempts {
		if d := byID[a.DeliveryID]; d != nil {
			d.Log = append(d.Log, a)
		}
	}
	return out, nil
}
