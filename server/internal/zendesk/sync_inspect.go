package zendesk

import (
	"context"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Health problem codes Inspect names.
const (
	ProblemSyncTriggerDeleted         = "sync_trigger_deleted"
	ProblemSyncTriggerInactive        = "sync_trigger_inactive"
	ProblemSyncTriggerRenamed         = "sync_trigger_renamed"
	ProblemSyncTriggerEdited          = "sync_trigger_edited"
	ProblemSyncWebhookDeleted         = "sync_webhook_deleted"
	ProblemSyncWebhookInactive        = "sync_webhook_inactive"
	ProblemSyncWebhookEndpointChanged = "sync_webhook_endpoint_changed"
	ProblemSyncWebhookRenamed         = "sync_webhook_renamed"
	ProblemSyncWebhookEdited          = "sync_webhook_edited"
	ProblemSyncWebhookSecretChanged   = "sync_webhook_secret_changed" //nolint:gosec // a problem code, not a credential
)

// repairFix is the fix of every provisioning problem: Repair puts it back.
const repairFix = "Repair it from the connection's page."

// reconciled says what still works while the webhook path is broken.
const reconciled = " Until then, changes reach Salesforce only through the reconciliation every few minutes."

func syncProblem(code, title, message string) crossview.HealthProblem {
	return crossview.HealthProblem{Code: code, Title: title, Message: message + reconciled, Fix: repairFix}
}

// Inspect compares the webhook and trigger in Zendesk with what Provision
// made and names each difference: deleted, deactivated, renamed, edited
// (conditions, actions or body; method, format or subscription), a moved
// endpoint, and a reset signing secret (checked when h.Secret is set).
// None of them is blocking: reconciliation still syncs.
func (p *SyncProvisioner) Inspect(ctx context.Context, t crossview.Tenant, conn crossview.Connection, h crossview.SyncHook, endpoint string) ([]crossview.HealthProblem, error) {
	sub, cred := t.Subdomain, CredentialsOf(t)
	var problems []crossview.HealthProblem
	wh, found, err := p.findWebhook(ctx, sub, cred, h.WebhookID)
	if err != nil {
		return nil, err
	}
	if !found {
		problems = append(problems, syncProblem(ProblemSyncWebhookDeleted, "The ticket sync webhook was deleted",
			"Zendesk no longer has the webhook "+quoted(SyncHookTitle)+", so it cannot tell Crossview that a ticket changed."))
	} else {
		if wh.Status != "active" {
			problems = append(problems, syncProblem(ProblemSyncWebhookInactive, "The ticket sync webhook is inactive",
				"Someone deactivated the webhook "+quoted(wh.Name)+" in Zendesk, so it sends nothing."))
		}
		if wh.Endpoint != endpoint {
			problems = append(problems, syncProblem(ProblemSyncWebhookEndpointChanged, "The ticket sync webhook sends elsewhere",
				"The webhook "+quoted(wh.Name)+" no longer sends to Crossview's address."))
		}
		if wh.Name != SyncHookTitle {
			problems = append(problems, syncProblem(ProblemSyncWebhookRenamed, "The ticket sync webhook was renamed",
				"The webhook "+quoted(SyncHookTitle)+" is now called "+quoted(wh.Name)+" in Zendesk."))
		}
		if !webhookAsMade(wh) {
			problems = append(problems, syncProblem(ProblemSyncWebhookEdited, "The ticket sync webhook was edited",
				"The webhook "+quoted(wh.Name)+" no longer posts JSON when a trigger calls it, as Crossview set it up."))
		}
		if h.Secret != "" {
			secret, err := p.c.webhookSecret(ctx, sub, cred, wh.ID)
			if err != nil {
				return nil, syncError("read the webhook's signing secret", err)
			}
			if secret != h.Secret {
				problems = append(problems, syncProblem(ProblemSyncWebhookSecretChanged, "The ticket sync webhook's secret was reset",
					"Someone reset the signing secret of the webhook "+quoted(wh.Name)+", so Crossview refuses its requests."))
			}
		}
	}
	tp, err := p.inspectTrigger(ctx, sub, cred, conn, h)
	if err != nil {
		return nil, err
	}
	return append(problems, tp...), nil
}

func (p *SyncProvisioner) inspectTrigger(ctx context.Context, sub string, cred Credentials, conn crossview.Connection, h crossview.SyncHook) ([]crossview.HealthProblem, error) {
	tr, found, err := p.findTrigger(ctx, sub, cred, h.TriggerID)
	if err != nil {
		return nil, err
	}
	if !found {
		return []crossview.HealthProblem{syncProblem(ProblemSyncTriggerDeleted, "The ticket sync trigger was deleted",
			"Zendesk no longer has the trigger "+quoted(SyncHookTitle)+", so ticket changes do not reach Crossview at once.")}, nil
	}
	var problems []crossview.HealthProblem
	if !tr.Active {
		problems = append(problems, syncProblem(ProblemSyncTriggerInactive, "The ticket sync trigger is inactive",
			"Someone deactivated the trigger "+quoted(tr.Title)+" in Zendesk, so it no longer fires."))
	}
	if !titleOK(tr.Title, conn) {
		problems = append(problems, syncProblem(ProblemSyncTriggerRenamed, "The ticket sync trigger was renamed",
			"The trigger "+quoted(SyncHookTitle)+" is now called "+quoted(tr.Title)+" in Zendesk."))
	}
	if !sameRules(tr, wantTrigger(conn, h.WebhookID, tr.Title)) {
		problems = append(problems, syncProblem(ProblemSyncTriggerEdited, "The ticket sync trigger was edited",
			"The conditions or actions of the trigger "+quoted(tr.Title)+" differ from the ones Crossview set, so it may skip tickets or send the wrong thing."))
	}
	return problems, nil
}

// findWebhook reads a webhook; found is false when it is gone (or was
// never made).
func (p *SyncProvisioner) findWebhook(ctx context.Context, sub string, cred Credentials, id string) (webhookWire, bool, error) {
	if id == "" {
		return webhookWire{}, false, nil
	}
	wh, err := p.c.webhook(ctx, sub, cred, id)
	switch {
	case IsNotFound(err):
		return webhookWire{}, false, nil
	case err != nil:
		return webhookWire{}, false, syncError("read the webhook", err)
	}
	return wh, true, nil
}

// findTrigger reads a trigger; found is false when it is gone.
func (p *SyncProvisioner) findTrigger(ctx context.Context, sub string, cred Credentials, id int64) (triggerWire, bool, error) {
	if id == 0 {
		return triggerWire{}, false, nil
	}
	tr, err := p.c.trigger(ctx, sub, cred, id)
	switch {
	case IsNotFound(err):
		return triggerWire{}, false, nil
	case err != nil:
		return triggerWire{}, false, syncError("read the trigger", err)
	}
	return tr, true, nil
}

func quoted(s string) string { return "“" + s + "”" }
