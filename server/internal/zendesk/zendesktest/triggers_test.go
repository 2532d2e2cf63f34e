package zendesktest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// syncTrigger is the trigger ticket sync provisions, pointed at a webhook.
func syncTrigger(webhookID string) string {
	body, _ := json.Marshal(`{"ticket_id":"{{ticket.id}}","status":"{{ticket.status}}","updated_at":"{{ticket.updated_at_with_timestamp}}","subject":"{{ticket.title}}"}`)
	return `{"trigger":{"title":"(Crossview) Sync tickets to Salesforce","conditions":{"all":[],"any":[
		{"field":"update_type","operator":"is","value":"Create"},{"field":"update_type","operator":"is","value":"Change"}]},
		"actions":[{"field":"notification_webhook","value":["` + webhookID + `",` + string(body) + `]}]}}`
}

func TestTriggerCRUD(t *testing.T) {
	f := newFixture(t)
	wh := f.acct.AddWebhook(Webhook{Endpoint: "https://x.example", Subscriptions: []string{conditionalTicketEvents}})
	resp, b := f.send(t, "POST", "/api/v2/triggers.json", syncTrigger(wh.ID))
	wantStatus(t, resp, b, http.StatusCreated)
	tr := decode(t, b)["trigger"].(map[string]any)
	id := strconv.FormatInt(int64(tr["id"].(float64)), 10)
	if tr["title"] != "(Crossview) Sync tickets to Salesforce" || tr["active"] != true || tr["raw_title"] != tr["title"] ||
		tr["url"] != f.acct.BaseURL()+"/api/v2/triggers/"+id+".json" || tr["position"] != 1.0 || tr["description"] != nil {
		t.Errorf("created trigger = %v", tr)
	}
	if all := tr["conditions"].(map[string]any)["all"]; all == nil || len(all.([]any)) != 0 {
		t.Errorf("conditions.all = %v, want []", all)
	}

	resp, b = f.get(t, "/api/v2/triggers/"+id+".json")
	wantStatus(t, resp, b, http.StatusOK)
	if diff := cmp.Diff(tr, decode(t, b)["trigger"]); diff != "" {
		t.Errorf("shown trigger (-want +got):\n%s", diff)
	}

	f.clk.Add(time.Minute)
	resp, b = f.send(t, "PUT", "/api/v2/triggers/"+id+".json", `{"trigger":{"active":false,"title":"Renamed"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	up := decode(t, b)["trigger"].(map[string]any)
	if up["active"] != false || up["title"] != "Renamed" || up["updated_at"] == tr["updated_at"] ||
		len(up["actions"].([]any)) != 1 || up["created_at"] != tr["created_at"] {
		t.Errorf("updated trigger = %v", up)
	}

	// Sending conditions alone clears the actions, as Zendesk documents:
	// the trigger is then refused for having none.
	resp, b = f.send(t, "PUT", "/api/v2/triggers/"+id+".json", `{"trigger":{"conditions":{"all":[{"field":"status","operator":"is","value":"open"}]}}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	if !strings.Contains(string(b), "Actions: cannot be blank") {
		t.Errorf("conditions-only update = %s", b)
	}

	if _, err := f.acct.AddTrigger(Trigger{Title: "Other", Active: true, Conditions: Conditions{All: []Condition{{"status", "is", "open"}}},
		Actions: []Action{{Field: "status", Value: "pending"}}}); err != nil {
		t.Fatal(err)
	}
	resp, b = f.get(t, "/api/v2/triggers.json")
	wantStatus(t, resp, b, http.StatusOK)
	if m := decode(t, b); m["count"] != 2.0 {
		t.Errorf("list = %v", m)
	}
	resp, b = f.get(t, "/api/v2/triggers/active.json")
	wantStatus(t, resp, b, http.StatusOK)
	if m := decode(t, b); m["count"] != 1.0 || m["triggers"].([]any)[0].(map[string]any)["title"] != "Other" {
		t.Errorf("active list = %v", m)
	}
	resp, b = f.get(t, "/api/v2/triggers.json?active=false")
	wantStatus(t, resp, b, http.StatusOK)
	if m := decode(t, b); m["count"] != 1.0 || m["triggers"].([]any)[0].(map[string]any)["title"] != "Renamed" {
		t.Errorf("inactive list = %v", m)
	}

	resp, b = f.send(t, "DELETE", "/api/v2/triggers/"+id+".json", "")
	wantStatus(t, resp, b, http.StatusNoContent)
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		resp, b = f.send(t, m, "/api/v2/triggers/"+id+".json", `{"trigger":{"title":"x"}}`)
		wantStatus(t, resp, b, http.StatusNotFound)
	}
	// Agents may read triggers but not write them.
	agent := "Authorization: " + basicAuth(f.agent.Email, f.token)
	resp, b = request(t, "GET", f.acct.BaseURL()+"/api/v2/triggers.json", "", agent)
	wantStatus(t, resp, b, http.StatusOK)
	resp, b = request(t, "POST", f.acct.BaseURL()+"/api/v2/triggers.json", syncTrigger(wh.ID), agent, "Content-Type: application/json")
	wantStatus(t, resp, b, http.StatusForbidden)
}

func TestTriggerValidation(t *testing.T) {
	f := newFixture(t)
	conditional := f.acct.AddWebhook(Webhook{Endpoint: "https://x.example", Subscriptions: []string{conditionalTicketEvents}})
	events := f.acct.AddWebhook(Webhook{Endpoint: "https://y.example", Subscriptions: []string{"zen:event-type:ticket.created"}})
	good := syncTrigger(conditional.ID)
	for name, tt := range map[string]struct{ body, key, text string }{
		"no title":        {strings.Replace(good, `"title":"(Crossview) Sync tickets to Salesforce",`, "", 1), "title", "Title: cannot be blank"},
		"no conditions":   {strings.Replace(good, `"conditions":{"all":[],"any":[`, `"x":{"all":[],"any":[`, 1), "conditions", "Conditions: cannot be blank"},
		"no actions":      {`{"trigger":{"title":"t","conditions":{"all":[{"field":"status","operator":"is","value":"open"}]}}}`, "actions", "Actions: cannot be blank"},
		"unknown field":   {strings.Replace(good, `"field":"update_type","operator":"is","value":"Create"`, `"field":"mood","operator":"is","value":"happy"`, 1), "base", "mood"},
		"bad operator":    {strings.Replace(good, `"operator":"is","value":"Create"`, `"operator":"less_than","value":"Create"`, 1), "base", "less_than"},
		"bad value":       {strings.Replace(good, `"value":"Create"`, `"value":"Delete"`, 1), "base", "Delete"},
		"bad status":      {strings.Replace(good, `"field":"update_type","operator":"is","value":"Create"`, `"field":"status","operator":"is","value":"done"`, 1), "base", "done"},
		"unknown action":  {strings.Replace(good, `"field":"notification_webhook"`, `"field":"launch_rocket"`, 1), "base", "launch_rocket"},
		"unknown webhook": {syncTrigger("01NOSUCHWEBHOOK0000000000"), "base", "does not exist"},
		"event webhook":   {syncTrigger(events.ID), "base", "cannot be used in triggers"},
		"short value":     {strings.Replace(good, `["`+conditional.ID+`",`, `["`+conditional.ID+`"],"x":[`, 1), "base", "needs a webhook id and a body"},
		"invalid json":    {strings.Replace(good, `{\"ticket_id\"`, `{ticket_id`, 1), "base", "not valid JSON"},
	} {
		resp, b := f.send(t, "POST", "/api/v2/triggers.json", tt.body)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
			continue
		}
		m := decode(t, b)
		details, _ := m["details"].(map[string]any)
		if m["error"] != "RecordInvalid" || m["description"] != "Record validation errors" || details[tt.key] == nil ||
			!strings.Contains(string(b), tt.text) {
			t.Errorf("%s: body %s, want details.%s with %q", name, b, tt.key, tt.text)
		}
	}
	if n := len(f.acct.Triggers()); n != 0 {
		t.Errorf("%d triggers after refusals", n)
	}
	resp, b := f.send(t, "POST", "/api/v2/triggers.json", `{"trigger":{}}`)
	wantStatus(t, resp, b, http.StatusBadRequest)
}
