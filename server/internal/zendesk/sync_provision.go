package zendesk

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// cleanupTimeout bounds undoing a half-made provisioning, which runs even
// when the caller's context has ended.
const cleanupTimeout = 10 * time.Second

// SyncProvisioner creates and looks after the webhook and trigger that
// tell Crossview a ticket changed, one pair per connection. It needs an
// admin's credential (the Webhooks and Triggers APIs are for admins).
type SyncProvisioner struct{ c *Client }

// NewSyncProvisioner returns ticket sync's provisioner over c.
func NewSyncProvisioner(c *Client) *SyncProvisioner { return &SyncProvisioner{c: c} }

// Provision creates the webhook (POST JSON to endpoint, connected to
// triggers), reads its signing secret, and creates the trigger "(Crossview)
// Sync tickets to Salesforce" (tickets created or updated, plus the
// connection's conditions) that notifies it. If the trigger cannot be
// made the webhook is deleted again: nothing is left half made. A pair an
// earlier, interrupted Provision made for this connection is taken over
// (and repaired) rather than doubled.
func (p *SyncProvisioner) Provision(ctx context.Context, t crossview.Tenant, conn crossview.Connection, endpoint string) (crossview.SyncHook, error) {
	sub, cred := t.Subdomain, CredentialsOf(t)
	triggers, err := p.c.triggers(ctx, sub, cred)
	if err != nil {
		return crossview.SyncHook{}, syncError("read the triggers", err)
	}
	if tr, webhookID, ok := ownTrigger(triggers, conn.ID); ok {
		return p.Repair(ctx, t, conn, crossview.SyncHook{WebhookID: webhookID, TriggerID: tr.ID}, endpoint)
	}
	wh, err := p.webhookFor(ctx, sub, cred, endpoint)
	if err != nil {
		return crossview.SyncHook{}, err
	}
	hook, err := p.finish(ctx, sub, cred, wh.ID, func() (int64, error) {
		tr, err := p.c.createTrigger(ctx, sub, cred, wantTrigger(conn, wh.ID, titleFor(triggers, conn, 0)))
		return tr.ID, err
	})
	if err != nil {
		p.dropWebhook(ctx, sub, cred, wh.ID)
		return crossview.SyncHook{}, err
	}
	return hook, nil
}

// webhookFor creates the webhook, or takes over one an interrupted
// Provision left without a trigger (same name and endpoint).
func (p *SyncProvisioner) webhookFor(ctx context.Context, sub string, cred Credentials, endpoint string) (webhookWire, error) {
	existing, err := p.c.webhooksNamed(ctx, sub, cred, SyncHookTitle)
	if err != nil {
		return webhookWire{}, syncError("read the webhooks", err)
	}
	want := wantWebhook(endpoint)
	for _, w := range existing {
		if w.Name == SyncHookTitle && w.Endpoint == endpoint {
			if err := p.c.updateWebhook(ctx, sub, cred, w.ID, want); err != nil {
				return webhookWire{}, syncError("update the webhook", err)
			}
			return w, nil
		}
	}
	w, err := p.c.createWebhook(ctx, sub, cred, want)
	if err != nil {
		return webhookWire{}, syncError("create the webhook", err)
	}
	return w, nil
}

// finish reads the webhook's secret and then makes or mends the trigger.
func (p *SyncProvisioner) finish(ctx context.Context, sub string, cred Credentials, webhookID string, trigger func() (int64, error)) (crossview.SyncHook, error) {
	secret, err := p.c.webhookSecret(ctx, sub, cred, webhookID)
	if err != nil {
		return crossview.SyncHook{}, syncError("read the webhook's signing secret", err)
	}
	id, err := trigger()
	if err != nil {
		return crossview.SyncHook{}, syncError("set up the trigger", err)
	}
	return crossview.SyncHook{WebhookID: webhookID, TriggerID: id, Secret: secret}, nil
}

// dropWebhook deletes a webhook that must not outlive a failed step, even
// when ctx has ended.
func (p *SyncProvisioner) dropWebhook(ctx context.Context, sub string, cred Credentials, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = p.c.deleteWebhook(ctx, sub, cred, id)
}

// Remove deletes the trigger, then the webhook (Zendesk may refuse to
// delete a webhook a trigger still uses). Ones already gone are no error.
func (p *SyncProvisioner) Remove(ctx context.Context, t crossview.Tenant, h crossview.SyncHook) error {
	sub, cred := t.Subdomain, CredentialsOf(t)
	if h.TriggerID != 0 {
		if err := p.c.deleteTrigger(ctx, sub, cred, h.TriggerID); err != nil && !IsNotFound(err) {
			return syncError("delete the trigger", err)
		}
	}
	if h.WebhookID != "" {
		if err := p.c.deleteWebhook(ctx, sub, cred, h.WebhookID); err != nil && !IsNotFound(err) {
			return syncError("delete the webhook", err)
		}
	}
	return nil
}

// syncError words a provisioning failure for the admin who turned sync
// on, keeping the *APIError inside.
func syncError(what string, err error) error {
	var ae *APIError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return crossview.Wrap(crossview.EUNAVAILABLE, "Zendesk did not let Crossview "+what+": ticket sync needs the Zendesk credential of an admin.", err)
	case errors.As(err, &ae) && (ae.Status == http.StatusBadRequest || ae.Status == http.StatusUnprocessableEntity):
		return crossview.Wrap(crossview.EINVALID, "Zendesk refused to let Crossview "+what+": "+ae.Description, err)
	}
	return UserError(err)
}
