package zendesktest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hookedAccount is a fixture with a conditional webhook (bearer auth) at
// a receiver and the sync trigger pointing at it.
func hookedAccount(t *testing.T) (*fixture, *receiver, Webhook) {
	t.Helper()
	f := newFixture(t)
	rc, endpoint := startReceiver(t)
	wh := f.acct.AddWebhook(Webhook{Name: "crossview", Endpoint: endpoint, Subscriptions: []string{conditionalTicketEvents},
		Authentication: &WebhookAuth{Type: "bearer_token", AddPosition: "header", Data: map[string]string{"token": "tok"}}})
	resp, b := f.send(t, "POST", "/api/v2/triggers.json", syncTrigger(wh.ID))
	wantStatus(t, resp, b, http.StatusCreated)
	return f, rc, wh
}

func TestTriggerDeliversSignedWebhook(t *testing.T) {
	f, rc, wh := hookedAccount(t)
	resp, b := f.send(t, "POST", "/api/v2/tickets.json", `{"ticket":{"subject":"Say \"hi\"","comment":{"body":"b"}}}`)
	wantStatus(t, resp, b, http.StatusCreated)
	id := int64(decode(t, b)["ticket"].(map[string]any)["id"].(float64))
	f.clk.Add(time.Minute)
	resp, b = f.send(t, "PUT", "/api/v2/tickets/"+strconv.FormatInt(id, 10)+".json", `{"ticket":{"status":"open"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	f.clk.Add(time.Minute)
	if _, err := f.acct.AddComment(id, Comment{Body: "from the agent UI", Public: true, AuthorID: f.agent.ID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three deliveries", func() bool { return len(rc.requests()) == 3 })

	var bodies []map[string]any
	for _, r := range rc.requests() {
		h := r.header
		ts := h.Get("X-Zendesk-Webhook-Signature-Timestamp")
		if got := h.Get("X-Zendesk-Webhook-Signature"); got != SignWebhook(wh.Secret, ts, r.body) {
			t.Errorf("signature %q does not verify", got)
		}
		if h.Get("Content-Type") != "application/json" || h.Get("Authorization") != "Bearer tok" ||
			h.Get("X-Zendesk-Webhook-Id") != wh.ID || h.Get("User-Agent") != "Zendesk Webhook" {
			t.Errorf("headers = %v", h)
		}
		var m map[string]any
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatalf("body %s is not JSON: %v", r.body, err)
		}
		bodies = append(bodies, m)
	}
	sid := strconv.FormatInt(id, 10)
	want := []map[string]any{
		{"ticket_id": sid, "status": "New", "updated_at": "2026-03-02T10:00:30Z", "subject": `Say "hi"`},
		{"ticket_id": sid, "status": "Open", "updated_at": "2026-03-02T10:01:30Z", "subject": `Say "hi"`},
		{"ticket_id": sid, "status": "Open", "updated_at": "2026-03-02T10:02:30Z", "subject": `Say "hi"`},
	}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
	for _, d := range f.acct.Deliveries() {
		if d.TriggerID == 0 || d.TicketID != id || d.EventType != "" {
			t.Errorf("delivery = %+v", d)
		}
	}
}

func TestTriggerDoesNotFire(t *testing.T) {
	f, rc, wh := hookedAccount(t)
	tr := f.acct.Triggers()[0]
	path := "/api/v2/triggers/" + strconv.FormatInt(tr.ID, 10) + ".json"
	tk := f.acct.AddTicket(Ticket{Subject: "one", RequesterID: f.endUser.ID})
	waitFor(t, "the first delivery", func() bool { return len(rc.requests()) == 1 })

	// An inactive trigger, then an inactive webhook, send nothing.
	resp, b := f.send(t, "PUT", path, `{"trigger":{"active":false}}`)
	wantStatus(t, resp, b, http.StatusOK)
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "open" }); err != nil {
		t.Fatal(err)
	}
	resp, b = f.send(t, "PUT", path, `{"trigger":{"active":true}}`)
	wantStatus(t, resp, b, http.StatusOK)
	resp, b = request(t, "PATCH", f.acct.BaseURL()+"/api/v2/webhooks/"+wh.ID, `{"webhook":{"status":"inactive"}}`,
		"Authorization: "+basicAuth(f.admin.Email, f.token), "Content-Type: application/json")
	wantStatus(t, resp, b, http.StatusNoContent)
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "pending" }); err != nil {
		t.Fatal(err)
	}
	// A deleted webhook neither.
	resp, b = f.send(t, "DELETE", "/api/v2/webhooks/"+wh.ID, "")
	wantStatus(t, resp, b, http.StatusNoContent)
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "hold" }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests, want only the first", n)
	}
}

func TestTriggersFireInPositionOrder(t *testing.T) {
	f := newFixture(t)
	rc, endpoint := startReceiver(t)
	wh := f.acct.AddWebhook(Webhook{Endpoint: endpoint, Subscriptions: []string{conditionalTicketEvents}})
	// A webhook subscribed to events is not invoked by triggers, nor is a
	// conditional one sent events.
	events, eventEndpoint := startReceiver(t)
	f.acct.AddWebhook(Webhook{Endpoint: eventEndpoint, Subscriptions: []string{"zen:event-type:ticket.status_changed"}})
	for _, tt := range []struct {
		title string
		pos   int64
		cond  Condition
	}{
		{"third", 30, Condition{"status", "value", "solved"}},
		{"first", 10, Condition{"status", "changed", nil}},
		{"second", 20, Condition{"status", "less_than", "closed"}},
		{"never", 5, Condition{"priority", "is", "urgent"}},
	} {
		if _, err := f.acct.AddTrigger(Trigger{Title: tt.title, Active: true, Position: tt.pos,
			Conditions: Conditions{All: []Condition{tt.cond}},
			Actions:    []Action{{Field: "notification_webhook", Value: []any{wh.ID, `{"by":"` + tt.title + `"}`}}}}); err != nil {
			t.Fatal(err)
		}
	}
	tk := f.acct.AddTicket(Ticket{Subject: "x", RequesterID: f.endUser.ID})
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "solved" }); err != nil {
		t.Fatal(err)
	}
	// Creation: first (status is set), second. The update: first, second, third.
	waitFor(t, "five deliveries", func() bool { return len(rc.requests()) == 5 })
	var got []string
	for _, r := range rc.requests() {
		got = append(got, string(r.body))
	}
	want := []string{`{"by":"first"}`, `{"by":"second"}`, `{"by":"first"}`, `{"by":"second"}`, `{"by":"third"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
	waitFor(t, "the status event", func() bool { return len(events.requests()) == 1 })
}

func TestTriggerConditions(t *testing.T) {
	agent := &User{ID: 7, Role: RoleAgent}
	old := Ticket{ID: 1, Status: "new", Priority: "low", GroupID: 9, Tags: []string{"vip"}, Via: Via{Channel: "web"}}
	next := Ticket{ID: 1, Status: "open", Priority: "high", Type: "incident", GroupID: 0, AssigneeID: 7,
		OrganizationID: 3, BrandID: 4, TicketFormID: 5, Tags: []string{"vip", "billing"}, Via: Via{Channel: "web"},
		CustomFields: []CustomField{{ID: 55, Value: "gold"}}}
	update := change{old: &old, next: next, actor: agent, channel: "api", comment: &Comment{Public: false}}
	create := change{next: next, actor: agent, channel: "api"}
	for _, tt := range []struct {
		ch   change
		c    Condition
		want bool
	}{
		{update, Condition{"update_type", "is", "Change"}, true},
		{update, Condition{"update_type", "is", "Create"}, false},
		{create, Condition{"update_type", "is", "Create"}, true},
		{update, Condition{"status", "is", "open"}, true},
		{update, Condition{"status", "is_not", "open"}, false},
		{update, Condition{"status", "less_than", "solved"}, true},
		{update, Condition{"status", "greater_than", "new"}, true},
		{update, Condition{"status", "changed", nil}, true},
		{update, Condition{"status", "value", "open"}, true},
		{update, Condition{"status", "value", "pending"}, false},
		{update, Condition{"status", "not_value", "open"}, false},
		{update, Condition{"status", "value_previous", "new"}, true},
		{update, Condition{"status", "not_value_previous", "new"}, false},
		{update, Condition{"priority", "greater_than", "normal"}, true},
		{update, Condition{"type", "is", "incident"}, true},
		{update, Condition{"type", "not_changed", nil}, false},
		{update, Condition{"group_id", "is", ""}, true},
		{update, Condition{"group_id", "value_previous", "9"}, true},
		{update, Condition{"assignee_id", "is", "current_user"}, true},
		{update, Condition{"organization_id", "is", float64(3)}, true},
		{update, Condition{"brand_id", "is", "4"}, true},
		{update, Condition{"brand_id", "is_not", "4"}, false},
		{update, Condition{"ticket_form_id", "is", "5"}, true},
		{update, Condition{"current_tags", "includes", "billing shipping"}, true},
		{update, Condition{"current_tags", "not_includes", "shipping"}, true},
		{update, Condition{"current_tags", "not_includes", "vip"}, false},
		{update, Condition{"via_id", "is", "0"}, true},
		{update, Condition{"current_via_id", "is", "5"}, true},
		{update, Condition{"comment_is_public", "is", "false"}, true},
		{update, Condition{"comment_is_public", "is", "true"}, false},
		{update, Condition{"role", "is", "agent"}, true},
		{update, Condition{"custom_fields_55", "is", "gold"}, true},
		{update, Condition{"custom_fields_55", "changed", nil}, true},
		{update, Condition{"custom_fields_56", "not_present", nil}, true},
	} {
		if msg := checkCondition(tt.c); msg != "" {
			t.Errorf("%+v: %s", tt.c, msg)
			continue
		}
		if got := tt.ch.holds(tt.c); got != tt.want {
			t.Errorf("%+v on %s: %v, want %v", tt.c, map[bool]string{true: "create", false: "update"}[tt.ch.old == nil], got, tt.want)
		}
	}
	anyOf := &trigger{Trigger: Trigger{Conditions: Conditions{
		All: []Condition{{"status", "is", "open"}},
		Any: []Condition{{"priority", "is", "urgent"}, {"type", "is", "incident"}}}}}
	if !anyOf.matches(update) {
		t.Error("all + any did not match")
	}
	anyOf.Conditions.Any = []Condition{{"priority", "is", "urgent"}}
	if anyOf.matches(update) {
		t.Error("all + failing any matched")
	}
}

func TestPlaceholders(t *testing.T) {
	f := newFixture(t)
	g := f.acct.AddGroup("Tier 2")
	tk := f.acct.AddTicket(Ticket{Subject: "Fix\nit", Description: "first", RequesterID: f.endUser.ID,
		AssigneeID: f.agent.ID, GroupID: g.ID, Tags: []string{"a", "b"}, CustomFields: []CustomField{{ID: 9, Value: "x<y"}}})
	if _, err := f.acct.AddComment(tk.ID, Comment{Body: "internal", AuthorID: f.agent.ID}); err != nil {
		t.Fatal(err)
	}
	f.acct.mu.Lock()
	values := f.acct.placeholderValues(change{next: f.acct.tickets[tk.ID].t, actor: &f.admin})
	f.acct.mu.Unlock()
	body := `{"id":"{{ticket.id}}","s":"{{ticket.title}}","req":"{{ticket.requester.email}}","org":"{{ticket.organization.external_id}}",` +
		`"group":"{{ ticket.group.name }}","tags":"{{ticket.tags}}","p":"{{ticket.priority}}","cf":"{{ticket.ticket_field_9}}",` +
		`"latest":"{{ticket.latest_comment.value}}","public":"{{ticket.latest_public_comment.value}}","me":"{{current_user.id}}",` +
		`"link":"{{ticket.link}}","nope":"{{ticket.nothing}}","liquid":"{% if x %}"}`
	got := renderPlaceholders(body, values, "json")
	var m map[string]string
	if err := json.Unmarshal([]byte(got), &m); err != nil {
		t.Fatalf("rendered %s: %v", got, err)
	}
	want := map[string]string{"id": strconv.FormatInt(tk.ID, 10), "s": "Fix\nit", "req": "Peter@Initech.example", "org": "001AAA",
		"group": "Tier 2", "tags": "a b", "p": "-", "cf": "x<y", "latest": "internal", "public": "first",
		"me": strconv.FormatInt(f.admin.ID, 10), "link": f.acct.BaseURL() + "/agent/tickets/" + strconv.FormatInt(tk.ID, 10),
		"nope": "", "liquid": "{% if x %}"}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("rendered (-want +got):\n%s", diff)
	}
	if got := renderPlaceholders("a={{ticket.title}}", values, "form_encoded"); got != "a=Fix%0Ait" {
		t.Errorf("form encoded = %q", got)
	}
}
