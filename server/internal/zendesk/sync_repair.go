package zendesk

import (
	"context"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Repair puts the webhook and trigger back as Provision made them: objects
// that still exist are updated in place (keeping their ids), deleted ones
// are made again. A new webhook has a new signing secret; the returned
// SyncHook always carries the current one. If the trigger cannot be
// repaired, a webhook made during this call is deleted again.
func (p *SyncProvisioner) Repair(ctx context.Context, t crossview.Tenant, conn crossview.Connection, h crossview.SyncHook, endpoint string) (crossview.SyncHook, error) {
	sub, cred := t.Subdomain, CredentialsOf(t)
	webhookID, made, err := p.repairWebhook(ctx, sub, cred, h.WebhookID, endpoint)
	if err != nil {
		return h, err
	}
	hook, err := p.finish(ctx, sub, cred, webhookID, func() (int64, error) {
		return p.repairTrigger(ctx, sub, cred, conn, h.TriggerID, webhookID)
	})
	if err != nil {
		if made {
			p.dropWebhook(ctx, sub, cred, webhookID)
		}
		return h, err
	}
	return hook, nil
}

// repairWebhook returns the id of a webhook as Provision makes it, and
// whether it had to be made again.
func (p *SyncProvisioner) repairWebhook(ctx context.Context, sub string, cred Credentials, id, endpoint string) (string, bool, error) {
	wh, found, err := p.findWebhook(ctx, sub, cred, id)
	if err != nil {
		return "", false, err
	}
	want := wantWebhook(endpoint)
	if !found {
		made, err := p.c.createWebhook(ctx, sub, cred, want)
		if err != nil {
			return "", false, syncError("create the webhook", err)
		}
		return made.ID, true, nil
	}
	if wh.Status != want.Status || wh.Endpoint != endpoint || wh.Name != want.Name || !webhookAsMade(wh) {
		if err := p.c.updateWebhook(ctx, sub, cred, id, want); err != nil {
			return "", false, syncError("update the webhook", err)
		}
	}
	return id, false, nil
}

// repairTrigger returns the id of a trigger as Provision makes it,
// notifying webhookID.
func (p *SyncProvisioner) repairTrigger(ctx context.Context, sub string, cred Credentials, conn crossview.Connection, id int64, webhookID string) (int64, error) {
	tr, found, err := p.findTrigger(ctx, sub, cred, id)
	if err != nil {
		return 0, err
	}
	if found && titleOK(tr.Title, conn) {
		want := wantTrigger(conn, webhookID, tr.Title)
		if tr.Active && sameRules(tr, want) {
			return id, nil
		}
		return id, p.c.updateTrigger(ctx, sub, cred, id, want)
	}
	all, err := p.c.triggers(ctx, sub, cred)
	if err != nil {
		return 0, err
	}
	want := wantTrigger(conn, webhookID, titleFor(all, conn, id))
	if found {
		return id, p.c.updateTrigger(ctx, sub, cred, id, want)
	}
	made, err := p.c.createTrigger(ctx, sub, cred, want)
	return made.ID, err
}
