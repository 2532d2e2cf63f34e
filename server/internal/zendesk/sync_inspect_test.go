package zendesk_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestInspectNamesEachTamperingAndRepairFixesIt(t *testing.T) {
	trigger := func(h crossview.SyncHook) string {
		return "/api/v2/triggers/" + strconv.FormatInt(h.TriggerID, 10) + ".json"
	}
	webhook := func(h crossview.SyncHook) string { return "/api/v2/webhooks/" + h.WebhookID }
	ourAction := func(h crossview.SyncHook, body string) []map[string]any {
		return []map[string]any{{"field": "notification_webhook", "value": []string{h.WebhookID, body}}}
	}
	anyOf := []map[string]any{
		{"field": "update_type", "operator": "is", "value": "Create"},
		{"field": "update_type", "operator": "is", "value": "Change"},
	}
	body := `{"type":"ticket_sync","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","connection":"conn_1"}`
	for _, tt := range []struct {
		name   string
		tamper func(t *testing.T, e *syncEmu, h crossview.SyncHook)
		want   string
		// newWebhook: repairing makes a new webhook (with a new secret).
		newWebhook, newTrigger bool
	}{
		{name: "trigger renamed", want: zendesk.ProblemSyncTriggerRenamed, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPut, trigger(h), map[string]any{"trigger": map[string]any{"title": "Salesforce stuff"}})
		}},
		{name: "trigger deactivated", want: zendesk.ProblemSyncTriggerInactive, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPut, trigger(h), map[string]any{"trigger": map[string]any{"active": false}})
		}},
		{name: "trigger conditions edited", want: zendesk.ProblemSyncTriggerEdited, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPut, trigger(h), map[string]any{"trigger": map[string]any{
				"conditions": map[string]any{"all": []map[string]any{{"field": "status", "operator": "is", "value": "open"}}, "any": anyOf},
				"actions":    ourAction(h, body),
			}})
		}},
		{name: "trigger body edited", want: zendesk.ProblemSyncTriggerEdited, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPut, trigger(h), map[string]any{"trigger": map[string]any{
				"conditions": map[string]any{"all": []map[string]any{{"field": "status", "operator": "less_than", "value": "solved"}}, "any": anyOf},
				"actions":    ourAction(h, `{"ticket":"{{ticket.id}}"}`),
			}})
		}},
		{name: "trigger deleted", want: zendesk.ProblemSyncTriggerDeleted, newTrigger: true, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodDelete, trigger(h), nil)
		}},
		{name: "webhook deactivated", want: zendesk.ProblemSyncWebhookInactive, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPatch, webhook(h), map[string]any{"webhook": map[string]any{"status": "inactive"}})
		}},
		{name: "webhook endpoint changed", want: zendesk.ProblemSyncWebhookEndpointChanged, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPatch, webhook(h), map[string]any{"webhook": map[string]any{"endpoint": "http://127.0.0.1:9/elsewhere"}})
		}},
		{name: "webhook renamed", want: zendesk.ProblemSyncWebhookRenamed, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPatch, webhook(h), map[string]any{"webhook": map[string]any{"name": "Old Salesforce hook"}})
		}},
		{name: "webhook sends form data", want: zendesk.ProblemSyncWebhookEdited, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPatch, webhook(h), map[string]any{"webhook": map[string]any{"request_format": "form_encoded"}})
		}},
		{name: "webhook secret reset", want: zendesk.ProblemSyncWebhookSecretChanged, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodPost, webhook(h)+"/signing_secret", nil)
		}},
		{name: "webhook deleted", want: zendesk.ProblemSyncWebhookDeleted, newWebhook: true, tamper: func(t *testing.T, e *syncEmu, h crossview.SyncHook) {
			e.api(t, http.MethodDelete, webhook(h), nil)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newSyncEmu(t, zendesktest.AccountSpec{})
			c := seedCatalog(e)
			rcv := newReceiver(t)
			conn := syncConn("conn_1", "Production")
			endpoint := rcv.endpoint(conn.ID)
			prov := zendesk.NewSyncProvisioner(e.client)
			hook, err := prov.Provision(ctx, e.tenant, conn, endpoint)
			if err != nil {
				t.Fatal(err)
			}
			tt.tamper(t, e, hook)

			problems, err := prov.Inspect(ctx, e.tenant, conn, hook, endpoint)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || problems[0].Code != tt.want {
				t.Fatalf("Inspect = %+v, want exactly %s", problems, tt.want)
			}
			if p := problems[0]; p.Title == "" || p.Message == "" || p.Fix != "Repair it from the connection's page." || p.Blocking {
				t.Fatalf("problem %+v lacks its words or fix, or blocks the connection", p)
			}

			repaired, err := prov.Repair(ctx, e.tenant, conn, hook, endpoint)
			if err != nil {
				t.Fatal(err)
			}
			if (repaired.WebhookID != hook.WebhookID) != tt.newWebhook || (repaired.TriggerID != hook.TriggerID) != tt.newTrigger {
				t.Fatalf("Repair = %+v from %+v: a new webhook %v, a new trigger %v expected", repaired, hook, tt.newWebhook, tt.newTrigger)
			}
			if len(e.acct.Webhooks()) != 1 || len(e.acct.Triggers()) != 1 {
				t.Fatalf("after Repair: %d webhooks, %d triggers; want one of each", len(e.acct.Webhooks()), len(e.acct.Triggers()))
			}
			if problems, err := prov.Inspect(ctx, e.tenant, conn, repaired, endpoint); err != nil || len(problems) != 0 {
				t.Fatalf("Inspect after Repair = %+v, %v; want nothing wrong", problems, err)
			}
			// And it works again: a change is delivered, signed with the
			// secret Repair returned.
			e.clock.Advance(time.Minute)
			tk := e.acct.AddTicket(c.ticket("After the repair"))
			rcv.expectSigned(t, e, repaired.Secret, conn.ID, tk.ID)
		})
	}
}

func TestInspectOfNothingProvisioned(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	conn := syncConn("conn_1", "Production")
	problems, err := zendesk.NewSyncProvisioner(e.client).Inspect(context.Background(), e.tenant, conn, crossview.SyncHook{}, "https://crossview.example/zendesk/webhook/acme?connection=conn_1")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range problems {
		codes = append(codes, p.Code)
	}
	if len(codes) != 2 || codes[0] != zendesk.ProblemSyncWebhookDeleted || codes[1] != zendesk.ProblemSyncTriggerDeleted {
		t.Fatalf("problems = %v, want the webhook and the trigger missing", codes)
	}
}
