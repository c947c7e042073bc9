package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

func newWebhook(t *testing.T, s *store.Store, id string) {
	t.Helper()
	if err := s.CreateWebhook(context.Background(), store.Webhook{ID: id, URL: "https://example.org/" + id, Filter: "{}",
		Secret: "s", CreatedBy: "newsroom", CreatedAt: time.Now().UnixMilli()}); err != nil {
		t.Fatal(err)
	}
}

// Two instances enqueueing the same release at the same time store one event per
// subscriber; enqueueing again changes nothing.
func TestWebhookEnqueueOnce(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			a := storetest.Open(t, b.URL)
			other := storetest.Open(t, b.URL) // a second instance: its own pool and lock
			newWebhook(t, a, "wh_a")
			newWebhook(t, a, "wh_b")
			now := time.Now()
			var wg sync.WaitGroup
			var mu sync.Mutex
			inserted := 0
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st := []*store.Store{a, other}[i%2]
					for _, sub := range []string{"wh_a", "wh_b"} {
						ok, err := st.EnqueueDelivery(ctx, store.NewDelivery{ID: fmt.Sprintf("evt_%s_%d", sub, i),
							SubscriberID: sub, ReleaseID: 1, Payload: "{}"}, now, 24*time.Hour)
						if err != nil {
							t.Error(err)
							return
						}
						if ok {
							mu.Lock()
							inserted++
							mu.Unlock()
						}
					}
				}()
			}
			wg.Wait()
			if inserted != 2 {
				t.Fatalf("%d inserts reported, want 2", inserted)
			}
			for _, sub := range []string{"wh_a", "wh_b"} {
				ds, err := a.WebhookDeliveries(ctx, sub, 10)
				if err != nil || len(ds) != 1 || ds[0].Status != store.DeliveryPending || ds[0].ReleaseID != 1 {
					t.Fatalf("deliveries of %s: %+v %v", sub, ds, err)
				}
				w, err := a.Webhook(ctx, sub)
				if err != nil || w.LastRelease != 1 {
					t.Fatalf("webhook %s: %+v %v", sub, w, err)
				}
			}
		})
	}
}

// Workers claiming at the same time, on one instance or two, never get the same
// delivery; a lease that ran out lets another take it, and the first can then no longer
// record its attempt.
func TestWebhookLease(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			a := storetest.Open(t, b.URL)
			other := storetest.Open(t, b.URL)
			newWebhook(t, a, "wh_a")
			now := time.Now()
			const n = 30
			for r := range n {
				if _, err := a.EnqueueDelivery(ctx, store.NewDelivery{ID: fmt.Sprintf("evt_%02d", r), SubscriberID: "wh_a",
					ReleaseID: int64(r + 1), Payload: "{}"}, now, 24*time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			got := map[string]int{}
			for w := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st := []*store.Store{a, other}[w%2]
					for {
						ds, err := st.ClaimDeliveries(ctx, fmt.Sprintf("worker-%d", w), now.Add(time.Millisecond), time.Minute, 4)
						if err != nil {
							t.Error(err)
							return
						}
						if len(ds) == 0 {
							return
						}
						mu.Lock()
						for _, d := range ds {
							got[d.ID]++
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(got) != n {
				t.Fatalf("%d deliveries claimed, want %d", len(got), n)
			}
			for id, c := range got {
				if c != 1 {
					t.Fatalf("%s claimed %d times", id, c)
				}
			}
			// A live lease keeps others off; once it ran out another worker takes it.
			later := now.Add(30 * time.Second)
			if ds, err := a.ClaimDeliveries(ctx, "late", later, time.Minute, 100); err != nil || len(ds) != 0 {
				t.Fatalf("claimed under live leases: %d %v", len(ds), err)
			}
			expired := now.Add(2 * time.Minute)
			ds, err := a.ClaimDeliveries(ctx, "late", expired, time.Minute, 1)
			if err != nil || len(ds) != 1 {
				t.Fatalf("after the leases ran out: %d %v", len(ds), err)
			}
			stale := ds[0]
			stale.Owner = "worker-0"
			if _, err := a.FinishDelivery(ctx, &stale, store.Attempt{At: expired, Delivered: true}, store.PausePolicy{After: 3, Span: time.Hour}); !errors.Is(err, store.ErrLeaseLost) {
				t.Fatalf("finishing with a lost lease: %v", err)
			}
			if _, err := a.FinishDelivery(ctx, &ds[0], store.Attempt{At: expired, StatusCode: 204, Delivered: true}, store.PausePolicy{After: 3, Span: time.Hour}); err != nil {
				t.Fatal(err)
			}
			log, err := a.WebhookDeliveries(ctx, "wh_a", 100)
			if err != nil {
				t.Fatal(err)
			}
			delivered := 0
			for _, d := range log {
				if d.Status == store.DeliveryDelivered {
					delivered++
					if d.ID != ds[0].ID || len(d.Log) != 1 || *d.Log[0].StatusCode != 204 || d.Attempts != 1 {
						t.Fatalf("delivered: %+v", d)
					}
				}
			}
			if delivered != 1 {
				t.Fatalf("%d delivered", delivered)
			}
		})
	}
}

// Failed attempts count per subscriber; the threshold pauses it, a paused subscriber's
// deliveries are not claimed, and resuming makes them due again.
func TestWebhookPauseAndResume(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, b.URL)
			newWebhook(t, s, "wh_a")
			now := time.Now()
			if _, err := s.EnqueueDelivery(ctx, store.NewDelivery{ID: "evt_1", SubscriberID: "wh_a", ReleaseID: 1, Payload: "{}"}, now, time.Hour); err != nil {
				t.Fatal(err)
			}
			policy := store.PausePolicy{After: 3, Span: time.Hour}
			for i := range 3 {
				at := now.Add(time.Duration(i) * time.Second)
				ds, err := s.ClaimDeliveries(ctx, "w", at, time.Minute, 1)
				if err != nil || len(ds) != 1 {
					t.Fatalf("attempt %d: %d %v", i+1, len(ds), err)
				}
				paused, err := s.FinishDelivery(ctx, &ds[0], store.Attempt{At: at, StatusCode: 500, Error: "HTTP 500", NextAttemptAt: at.Add(time.Millisecond)}, policy)
				if err != nil || paused != (i == 2) {
					t.Fatalf("attempt %d: paused %v, %v", i+1, paused, err)
				}
			}
			w, _ := s.Webhook(ctx, "wh_a")
			if w.PausedAt == nil || *w.PausedReason != store.PausedFailing || w.ConsecutiveFailures != 3 {
				t.Fatalf("webhook after 3 failures: %+v", w)
			}
			if ds, err := s.ClaimDeliveries(ctx, "w", now.Add(time.Hour/2), time.Minute, 1); err != nil || len(ds) != 0 {
				t.Fatalf("a paused webhook's delivery was claimed: %d %v", len(ds), err)
			}
			if err := s.ResumeWebhook(ctx, "wh_a", now.Add(time.Hour/2), time.Hour); err != nil {
				t.Fatal(err)
			}
			w, _ = s.Webhook(ctx, "wh_a")
			if w.PausedAt != nil || w.ConsecutiveFailures != 0 {
				t.Fatalf("resumed webhook: %+v", w)
			}
			ds, err := s.ClaimDeliveries(ctx, "w", now.Add(time.Hour/2), time.Minute, 1)
			if err != nil || len(ds) != 1 || ds[0].Attempts != 3 || ds[0].ExpiresAt != now.Add(time.Hour/2+time.Hour).UnixMilli() {
				t.Fatalf("after resuming: %+v %v", ds, err)
			}
			// Given up: no next attempt.
			if _, err := s.FinishDelivery(ctx, &ds[0], store.Attempt{At: now, Error: "connection refused"}, policy); err != nil {
				t.Fatal(err)
			}
			log, _ := s.WebhookDeliveries(ctx, "wh_a", 10)
			if len(log) != 1 || log[0].Status != store.DeliveryFailed || len(log[0].Log) != 4 || log[0].Log[3].StatusCode != nil {
				t.Fatalf("log: %+v", log)
			}
			if err := s.PauseWebhook(ctx, "nope", now); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("pausing an unknown webhook: %v", err)
			}
			if err := s.DeleteWebhook(ctx, "wh_a"); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteWebhook(ctx, "wh_a"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("deleting twice: %v", err)
			}
			if log, _ := s.WebhookDeliveries(ctx, "wh_a", 10); len(log) != 0 {
				t.Fatalf("deliveries left after delete: %+v", log)
			}
		})
	}
}
