package zendesktest

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateTicket(t *testing.T) {
	f := newFixture(t)
	g := f.acct.AddGroup("Tier 2")
	b := f.acct.AddBrand(Brand{Name: "Initrode"})
	form := f.acct.AddTicketForm(TicketForm{Name: "Hardware"})
	resp, body := f.send(t, "POST", "/api/v2/tickets.json", `{"ticket":{"subject":"Fax","comment":{"body":"It beeps."},
		"requester":{"name":"Milton","email":"milton@initech.example"},"priority":"urgent","type":"incident",
		"group_id":`+strconv.FormatInt(g.ID, 10)+`,"brand_id":`+strconv.FormatInt(b.ID, 10)+`,
		"ticket_form_id":`+strconv.FormatInt(form.ID, 10)+`,"tags":["Fax Machine"],
		"custom_fields":[{"id":77,"value":"red"},{"id":78,"value":["a","b"]},{"id":79,"value":true}]}}`)
	wantStatus(t, resp, body, http.StatusCreated)
	m := decode(t, body)
	tk := m["ticket"].(map[string]any)
	id := int64(tk["id"].(float64))
	stored, ok := f.acct.Ticket(id)
	if !ok {
		t.Fatal("created ticket not stored")
	}
	milton := f.acct.users[stored.RequesterID]
	if milton == nil || milton.Email != "milton@initech.example" || milton.Role != RoleEndUser {
		t.Fatalf("requester = %+v", milton)
	}
	if tk["description"] != "It beeps." || tk["status"] != "new" || tk["submitter_id"] != float64(f.admin.ID) ||
		tk["group_id"] != float64(g.ID) || tk["brand_id"] != float64(b.ID) || tk["ticket_form_id"] != float64(form.ID) ||
		tk["via"].(map[string]any)["channel"] != "api" {
		t.Errorf("ticket = %v", tk)
	}
	wantFields := []any{map[string]any{"id": 77.0, "value": "red"}, map[string]any{"id": 78.0, "value": []any{"a", "b"}},
		map[string]any{"id": 79.0, "value": true}}
	if diff := cmp.Diff(wantFields, tk["custom_fields"]); diff != "" {
		t.Errorf("custom_fields (-want +got):\n%s", diff)
	}
	if cs := f.acct.Comments(id); len(cs) != 1 || cs[0].Body != "It beeps." || cs[0].AuthorID != f.admin.ID {
		t.Errorf("comments = %+v", cs)
	}
	var created []string
	for _, ev := range m["audit"].(map[string]any)["events"].([]any) {
		e := ev.(map[string]any)
		if e["type"] == "Create" {
			created = append(created, e["field_name"].(string))
		}
	}
	if diff := cmp.Diff([]string{"status", "priority", "type", "subject", "group_id", "requester_id", "tags", "brand_id", "ticket_form_id", "77", "78", "79"}, created); diff != "" {
		t.Errorf("Create events (-want +got):\n%s", diff)
	}

	// An existing requester is found by email, not created again.
	resp, body = f.send(t, "POST", "/api/v2/tickets.json", `{"ticket":{"subject":"again","comment":{"body":"b"},"requester":{"email":"MILTON@initech.example"}}}`)
	wantStatus(t, resp, body, http.StatusCreated)
	if got := decode(t, body)["ticket"].(map[string]any)["requester_id"]; got != float64(stored.RequesterID) {
		t.Errorf("second requester = %v, want %d", got, stored.RequesterID)
	}
}

func TestCreateTicketRejects(t *testing.T) {
	f := newFixture(t)
	before := len(f.acct.Tickets())
	for name, tt := range map[string]struct {
		body, field string
	}{
		"no comment":     {`{"ticket":{"subject":"x"}}`, "description"},
		"closed":         {`{"ticket":{"subject":"x","status":"closed","comment":{"body":"b"}}}`, "base"},
		"bad priority":   {`{"ticket":{"subject":"x","priority":"meh","comment":{"body":"b"}}}`, "priority"},
		"unknown group":  {`{"ticket":{"subject":"x","group_id":5,"comment":{"body":"b"}}}`, "group_id"},
		"unknown brand":  {`{"ticket":{"subject":"x","brand_id":5,"comment":{"body":"b"}}}`, "brand_id"},
		"unknown form":   {`{"ticket":{"subject":"x","ticket_form_id":5,"comment":{"body":"b"}}}`, "ticket_form_id"},
		"bad requester":  {`{"ticket":{"subject":"x","requester_id":5,"comment":{"body":"b"}}}`, "requester_id"},
		"bad email":      {`{"ticket":{"subject":"x","requester":{"email":"nope"},"comment":{"body":"b"}}}`, "requester"},
		"object field":   {`{"ticket":{"subject":"x","custom_fields":[{"id":1,"value":{"a":1}}],"comment":{"body":"b"}}}`, "custom_fields"},
		"end user agent": {`{"ticket":{"subject":"x","assignee_id":` + strconv.FormatInt(f.endUser.ID, 10) + `,"comment":{"body":"b"}}}`, "assignee_id"},
	} {
		resp, body := f.send(t, "POST", "/api/v2/tickets.json", tt.body)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, body)
			continue
		}
		m := decode(t, body)
		if m["error"] != "RecordInvalid" || m["details"].(map[string]any)[tt.field] == nil {
			t.Errorf("%s: body %s, want details.%s", name, body, tt.field)
		}
	}
	if n := len(f.acct.Tickets()); n != before {
		t.Errorf("%d tickets after refusals, want %d", n, before)
	}
}

func TestUpdateTicketFields(t *testing.T) {
	f := newFixture(t)
	g := f.acct.AddGroup("Tier 2")
	tk := f.acct.AddTicket(Ticket{Subject: "x", RequesterID: f.endUser.ID, CustomFields: []CustomField{{ID: 5, Value: "old"}, {ID: 9, Value: "keep"}}})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"
	resp, body := f.send(t, "PUT", path, `{"ticket":{"group_id":`+strconv.FormatInt(g.ID, 10)+`,"custom_fields":[{"id":5,"value":"new"},{"id":6,"value":null}]}}`)
	wantStatus(t, resp, body, http.StatusOK)
	got, _ := f.acct.Ticket(tk.ID)
	if diff := cmp.Diff([]CustomField{{ID: 5, Value: "new"}, {ID: 6}, {ID: 9, Value: "keep"}}, got.CustomFields); diff != "" || got.GroupID != g.ID {
		t.Errorf("custom fields (-want +got):\n%s group %d", diff, got.GroupID)
	}
	var changes []string
	for _, ev := range decode(t, body)["audit"].(map[string]any)["events"].([]any) {
		e := ev.(map[string]any)
		changes = append(changes, e["field_name"].(string)+"="+e["value"].(string))
	}
	if diff := cmp.Diff([]string{"group_id=" + strconv.FormatInt(g.ID, 10), "5=new"}, changes); diff != "" {
		t.Errorf("Change events (-want +got):\n%s", diff)
	}
}
