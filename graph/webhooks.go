package graph

import (
	"context"
	"errors"
	"time"

	"github.com/casewatch/casewatch/internal/model"
	"github.com/casewatch/casewatch/internal/store"
	"github.com/casewatch/casewatch/internal/webhooks"
)

// Webhooks registers subscribers to release events and reads their delivery log
// (*webhooks.Service).
type Webhooks interface {
	Create(ctx context.Context, url string, f model.CaseFilter, createdBy string) (*store.Webhook, string, error)
	List(ctx context.Context) ([]store.Webhook, error)
	Get(ctx context.Context, id string) (*store.Webhook, error)
	Pause(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
	Delete(ctx context.Context, id string) error
	Deliveries(ctx context.Context, id string, first int) ([]store.WebhookDelivery, error)
}

// Auditor is what the webhook mutations record themselves in (*store.Store).
var _ Auditor = (*store.Store)(nil)

// WebhookCreated is a new webhook with its secret, shown once.
type WebhookCreated struct {
	Webhook *store.Webhook
	Secret  string
}

// webhookService returns the service for an editor, or the error to answer.
func (r *Resolver) webhookService(ctx context.Context) (Webhooks, Caller, error) {
	caller, err := requireEditor(ctx)
	if err != nil {
		return nil, caller, err
	}
	if r.webhooks == nil {
		return nil, caller, &clientError{code: CodeForbidden, msg: "webhooks are off on this server"}
	}
	return r.webhooks, caller, nil
}

// webhookError turns what the service returned into the answer's error.
func webhookError(err error) error {
	var in *webhooks.InputError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &in):
		return badInput("%s", in.Msg)
	case errors.Is(err, store.ErrNotFound):
		return badInput("there is no webhook with that id (see Query.webhooks)")
	}
	return internal(err)
}

// auditWebhook records a webhook mutation: who, what and which webhook (never its secret).
func (r *Resolver) auditWebhook(ctx context.Context, caller Caller, action, id string) error {
	if r.audit == nil {
		return nil
	}
	if err := r.audit.Audit(ctx, store.AuditEntry{TokenName: caller.Name, Action: action, Detail: "webhook " + id}); err != nil {
		return internal(err)
	}
	return nil
}

// webhookMutation runs a pause, resume or delete on the webhook id and returns it as it
// is after (nil after a delete).
func (r *Resolver) webhookMutation(ctx context.Context, action, id string, do func(Webhooks, context.Context, string) error) (*store.Webhook, error) {
	svc, caller, err := r.webhookService(ctx)
	if err != nil {
		return nil, err
	}
	if err := do(svc, ctx, id); err != nil {
		return nil, webhookError(err)
	}
	if err := r.auditWebhook(ctx, caller, action, id); err != nil {
		return nil, err
	}
	if action == "deleteWebhook" {
		return nil, nil
	}
	w, err := svc.Get(ctx, id)
	return w, webhookError(err)
}

// millisTime writes Unix milliseconds as the Time scalar.
func millisTime(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

func optMillisTime(ms *int64) *string {
	if ms == nil {
		return nil
	}
	s := millisTime(*ms)
	return &s
}
