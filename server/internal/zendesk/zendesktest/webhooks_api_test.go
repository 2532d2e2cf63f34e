package zendesktest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const hookBody = `{"webhook":{"name":"Crossview","endpoint":"https://crossview.example/zendesk/webhook/acme",
	"http_method":"POST","request_format":"json","status":"active","subscriptions":["conditional_ticket_events"],
	"authentication":{"type":"bearer_token","add_position":"header","data":{"token":"tok-123"}}}}`

func TestWebhookCRUD(t *testing.T) {
	f := newFixture(t)
	resp, b := f.send(t, "POST", "/api/v2/webhooks", hookBody)
	wantStatus(t, resp, b, http.StatusCreated)
	wh := decode(t, b)["webhook"].(map[string]any)
	id := wh["id"].(string)
	if len(id) != 26 || strings.ToUpper(id) != id {
		t.Errorf("id %q is not a ULID", id)
	}
	want := map[string]any{"id": id, "name": "Crossview", "endpoint": "https://crossview.example/zendesk/webhook/acme",
		"http_method": "POST", "request_format": "json", "status": "active", "subscriptions": []any{"conditional_ticket_events"},
		"authentication": map[string]any{"type": "bearer_token", "add_position": "header"},
		"created_at":     "2026-03-02T10:00:30Z", "updated_at": "2026-03-02T10:00:30Z",
		"created_by": "10000001", "updated_by": "10000001"}
	if diff := cmp.Diff(want, wh); diff != "" {
		t.Errorf("created webhook (-want +got):\n%s", diff)
	}
	if strings.Contains(string(b), "tok-123") {
		t.Error("the answer shows the bearer token")
	}
	resp, b = f.get(t, "/api/v2/webhooks/"+id)
	wantStatus(t, resp, b, http.StatusOK)
	if diff := cmp.Diff(want, decode(t, b)["webhook"]); diff != "" {
		t.Errorf("shown webhook (-want +got):\n%s", diff)
	}

	// The signing secret, and its reset.
	resp, b = f.get(t, "/api/v2/webhooks/"+id+"/signing_secret")
	wantStatus(t, resp, b, http.StatusOK)
	sec := decode(t, b)["signing_secret"].(map[string]any)
	if sec["algorithm"] != "SHA256" || sec["secret"] != f.acct.Webhooks()[0].Secret || len(sec["secret"].(string)) < 32 {
		t.Errorf("signing secret = %v", sec)
	}
	resp, b = f.send(t, "POST", "/api/v2/webhooks/"+id+"/signing_secret", "")
	wantStatus(t, resp, b, http.StatusCreated)
	if reset := decode(t, b)["signing_secret"].(map[string]any)["secret"]; reset == sec["secret"] || reset != f.acct.Webhooks()[0].Secret {
		t.Errorf("reset secret = %v (old %v)", reset, sec["secret"])
	}

	// PATCH changes only what it names; PUT needs every mandatory field.
	f.clk.Add(time.Minute)
	resp, b = request(t, "PATCH", f.acct.BaseURL()+"/api/v2/webhooks/"+id, `{"webhook":{"status":"inactive"}}`,
		"Authorization: "+basicAuth(f.admin.Email, f.token), "Content-Type: application/merge-patch+json")
	wantStatus(t, resp, b, http.StatusNoContent)
	if w := f.acct.Webhooks()[0]; w.Status != "inactive" || w.Name != "Crossview" || w.UpdatedAt.Equal(w.CreatedAt) {
		t.Errorf("after PATCH: %+v", w)
	}
	resp, b = f.send(t, "PUT", "/api/v2/webhooks/"+id, `{"webhook":{"name":"Renamed"}}`)
	wantStatus(t, resp, b, http.StatusBadRequest)
	resp, b = f.send(t, "PUT", "/api/v2/webhooks/"+id, strings.Replace(hookBody, `"name":"Crossview"`, `"name":"Renamed"`, 1))
	wantStatus(t, resp, b, http.StatusNoContent)
	if w := f.acct.Webhooks()[0]; w.Name != "Renamed" || w.Status != "active" {
		t.Errorf("after PUT: %+v", w)
	}

	resp, b = f.send(t, "DELETE", "/api/v2/webhooks/"+id, "")
	wantStatus(t, resp, b, http.StatusNoContent)
	for _, m := range []string{"GET", "DELETE"} {
		resp, b = f.send(t, m, "/api/v2/webhooks/"+id, "")
		wantStatus(t, resp, b, http.StatusNotFound)
		if e := decode(t, b)["errors"].([]any)[0].(map[string]any); e["code"] != "NotFound" {
			t.Errorf("%s 404 body = %s", m, b)
		}
	}
}

func TestWebhookValidation(t *testing.T) {
	f := newFixture(t)
	eventHook := `{"webhook":{"name":"E","endpoint":"https://x.example","http_method":"POST","request_format":"json","status":"active","subscriptions":["zen:event-type:ticket.created"]}}`
	for name, tt := range map[string]struct{ body, pointer string }{
		"no name":        {strings.Replace(hookBody, `"name":"Crossview",`, "", 1), "/webhook/name"},
		"blank name":     {strings.Replace(hookBody, `"name":"Crossview"`, `"name":"  "`, 1), "/webhook/name"},
		"no endpoint":    {strings.Replace(hookBody, `"endpoint":"https://crossview.example/zendesk/webhook/acme",`, "", 1), "/webhook/endpoint"},
		"bad endpoint":   {strings.Replace(hookBody, `https://crossview.example`, `ftp://x`, 1), "/webhook/endpoint"},
		"bad method":     {strings.Replace(hookBody, `"POST"`, `"HEAD"`, 1), "/webhook/http_method"},
		"bad format":     {strings.Replace(hookBody, `"json"`, `"yaml"`, 1), "/webhook/request_format"},
		"bad status":     {strings.Replace(hookBody, `"active"`, `"on"`, 1), "/webhook/status"},
		"bad subscr":     {strings.Replace(hookBody, `"conditional_ticket_events"`, `"everything"`, 1), "/webhook/subscriptions"},
		"mixed subscr":   {strings.Replace(hookBody, `"conditional_ticket_events"`, `"conditional_ticket_events","zen:event-type:ticket.created"`, 1), "/webhook/subscriptions"},
		"events via PUT": {strings.Replace(eventHook, `"POST"`, `"PUT"`, 1), "/webhook/subscriptions"},
		"bad auth type":  {strings.Replace(hookBody, `"bearer_token"`, `"oauth"`, 1), "/webhook/authentication"},
		"auth no token":  {strings.Replace(hookBody, `"token":"tok-123"`, `"tok":"x"`, 1), "/webhook/authentication"},
	} {
		resp, b := f.send(t, "POST", "/api/v2/webhooks", tt.body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
			continue
		}
		e := decode(t, b)["errors"].([]any)[0].(map[string]any)
		if e["code"] != "InvalidInput" || e["source"].(map[string]any)["pointer"] != tt.pointer || e["detail"] == "" {
			t.Errorf("%s: error %v, want pointer %s", name, e, tt.pointer)
		}
	}
	if n := len(f.acct.Webhooks()); n != 0 {
		t.Errorf("%d webhooks after refusals", n)
	}
	resp, b := f.send(t, "POST", "/api/v2/webhooks", eventHook)
	wantStatus(t, resp, b, http.StatusCreated)
	id := decode(t, b)["webhook"].(map[string]any)["id"].(string)
	// A webhook's connection method cannot change.
	resp, b = f.send(t, "PUT", "/api/v2/webhooks/"+id, strings.Replace(eventHook, `"zen:event-type:ticket.created"`, `"conditional_ticket_events"`, 1))
	wantStatus(t, resp, b, http.StatusBadRequest)
	// Webhooks are for admins; agents are refused.
	resp, b = request(t, "GET", f.acct.BaseURL()+"/api/v2/webhooks", "", "Authorization: "+basicAuth(f.agent.Email, f.token))
	wantStatus(t, resp, b, http.StatusForbidden)
}

func TestListWebhooks(t *testing.T) {
	f := newFixture(t)
	var made []string
	for _, name := range []string{"delta", "Alpha", "charlie", "bravo", "echo"} {
		status := "active"
		if name == "charlie" {
			status = "inactive"
		}
		w := f.acct.AddWebhook(Webhook{Name: name, Endpoint: "https://x.example/" + name, Status: status,
			Subscriptions: []string{conditionalTicketEvents}})
		made = append(made, w.Name) // all in one millisecond: ids still sort oldest first
	}
	collect := func(query string) []string {
		t.Helper()
		next := f.acct.BaseURL() + "/api/v2/webhooks?" + query
		var got []string
		for i := 0; next != ""; i++ {
			if i > 6 {
				t.Fatal("pagination does not end")
			}
			resp, b := request(t, "GET", next, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
			wantStatus(t, resp, b, http.StatusOK)
			m := decode(t, b)
			for _, w := range m["webhooks"].([]any) {
				got = append(got, w.(map[string]any)["name"].(string))
			}
			next = ""
			if m["meta"].(map[string]any)["has_more"] == true {
				next = m["links"].(map[string]any)["next"].(string)
			}
		}
		return got
	}
	if diff := cmp.Diff(made, collect("page[size]=2")); diff != "" {
		t.Errorf("default order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Alpha", "bravo", "charlie", "delta", "echo"}, collect("page[size]=2&sort=name")); diff != "" {
		t.Errorf("by name (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"echo", "delta", "bravo", "Alpha"}, collect("page[size]=3&sort=-name&filter[status]=active")); diff != "" {
		t.Errorf("active, by name descending (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"charlie"}, collect("filter[name_contains]="+url.QueryEscape("ARL"))); diff != "" {
		t.Errorf("name filter (-want +got):\n%s", diff)
	}
	resp, b := f.get(t, "/api/v2/webhooks?sort=endpoint")
	wantStatus(t, resp, b, http.StatusBadRequest)
	resp, b = f.get(t, "/api/v2/webhooks?page[size]=101")
	wantStatus(t, resp, b, http.StatusBadRequest)
}
