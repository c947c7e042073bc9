package webhooks

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/store/storetest"
)

// Two services on one database (two instances) enqueue and deliver the events of a
// release at the same time: the receiver gets each event once, signed.
func TestWorkersDeliverOnce(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			var mu sync.Mutex
			got := map[string]int{}
			var secrets sync.Map
			rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				hook := strings.TrimPrefix(r.URL.Path, "/")
				secret, _ := secrets.Load(hook)
				if err := Verify(secret.(string), r.Header.Get(SignatureHeader), body, time.Now(), DefaultTolerance); err != nil {
					t.Errorf("%s: %v", hook, err)
				}
				mu.Lock()
				got[r.Header.Get("Idempotency-Key")]++
				mu.Unlock()
			}))
			defer rcv.Close()
			stores := []*store.Store{storetest.Open(t, b.URL), storetest.Open(t, b.URL)}
			svcs := make([]*Service, 2)
			for i, st := range stores {
				svcs[i] = New(Options{Store: st, AllowLoopback: true, Policy: PolicyWithBackoff(10 * time.Millisecond)})
			}
			const hooks = 5
			for i := range hooks {
				// The path is set once the id is known: register, then point the URL at it.
				w, secret, err := svcs[i%2].Create(ctx, rcv.URL+"/pending", model.CaseFilter{}, "newsroom")
				if err != nil {
					t.Fatal(err)
				}
				secrets.Store(w.ID, secret)
				if err := stores[0].Exec(ctx, "UPDATE webhook_subscribers SET url = ? WHERE id = ?", rcv.URL+"/"+w.ID, w.ID); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := stores[0].Load(ctx, model.Release{Synthetic: true}, func(*store.Batch) error { return nil }); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for _, s := range svcs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 3 {
						if err := s.Enqueue(ctx); err != nil {
							t.Error(err)
						}
						if _, err := s.DeliverDue(ctx); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			if len(got) != hooks {
				t.Fatalf("%d events received, want %d", len(got), hooks)
			}
			for id, n := range got {
				if n != 1 {
					t.Fatalf("event %s received %d times", id, n)
				}
			}
		})
	}
}

// A redirect is not followed and counts as a failure; an address that is not public is
// refused when dialled, whatever name led to it.
func TestNoRedirectsNoPrivateAddresses(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the redirect was followed")
	}))
	defer target.Close()
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	defer redirect.Close()
	s := New(Options{AllowLoopback: true})
	code, errText := s.post(context.Background(), &store.ClaimedDelivery{URL: redirect.URL, Secret: "s",
		WebhookDelivery: store.WebhookDelivery{ID: "evt_1", Payload: "{}"}}, time.Now())
	if code != http.StatusFound || !strings.Contains(errText, "redirects are not followed") {
		t.Fatalf("redirect: %d %q", code, errText)
	}
	strict := newClient(time.Second, false)
	if _, err := strict.Get(target.URL); err == nil || !strings.Contains(err.Error(), "not public") {
		t.Fatalf("dialling loopback without leave: %v", err)
	}
}
