package zendesktest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestShowTicketShape(t *testing.T) {
	f := newFixture(t)
	created := time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
	tk := f.acct.AddTicket(Ticket{Subject: "Printer on fire", Description: "It is very colorful.",
		RequesterID: f.endUser.ID, AssigneeID: f.agent.ID, Tags: []string{"printer"}, CreatedAt: created})
	resp, b := f.get(t, "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+".json")
	wantStatus(t, resp, b, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var want map[string]any
	err := json.Unmarshal([]byte(`{"ticket":{
		"id":1,"url":"`+f.acct.BaseURL()+`/api/v2/tickets/1.json","subject":"Printer on fire",
		"raw_subject":"Printer on fire","description":"It is very colorful.","status":"new",
		"priority":null,"type":null,"requester_id":`+strconv.FormatInt(f.endUser.ID, 10)+`,
		"submitter_id":`+strconv.FormatInt(f.endUser.ID, 10)+`,"assignee_id":`+strconv.FormatInt(f.agent.ID, 10)+`,
		"organization_id":`+strconv.FormatInt(f.org.ID, 10)+`,"group_id":null,"tags":["printer"],
		"external_id":null,"via":{"channel":"web"},"brand_id":null,"ticket_form_id":null,
		"custom_fields":[],"fields":[],"is_public":true,
		"created_at":"2026-02-01T09:30:00Z","updated_at":"2026-02-01T09:30:00Z"}}`), &want)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, decode(t, b)); diff != "" {
		t.Errorf("ticket JSON mismatch (-want +got):\n%s", diff)
	}

	resp, b = f.get(t, "/api/v2/tickets/999.json")
	wantStatus(t, resp, b, http.StatusNotFound)
	if got := string(b); got != `{"error":"RecordNotFound","description":"Not found"}` {
		t.Errorf("404 body = %s", got)
	}
	resp, b = f.get(t, "/api/v2/tickets/abc.json")
	wantStatus(t, resp, b, http.StatusNotFound)
}

func TestShowTicketSideloads(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "x", RequesterID: f.endUser.ID, AssigneeID: f.agent.ID})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"

	_, b := f.get(t, path)
	if m := decode(t, b); m["users"] != nil || m["organizations"] != nil {
		t.Errorf("sideloads without include: %v", m)
	}
	_, b = f.get(t, path+"?include=users,organizations")
	m := decode(t, b)
	if diff := cmp.Diff([]int64{f.agent.ID, f.endUser.ID}, ids(t, m["users"])); diff != "" {
		t.Errorf("sideloaded users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{f.org.ID}, ids(t, m["organizations"])); diff != "" {
		t.Errorf("sideloaded organizations (-want +got):\n%s", diff)
	}
	u := m["users"].([]any)[1].(map[string]any)
	if u["email"] != f.endUser.Email || u["role"] != "end-user" || u["external_id"] != "003PETER" {
		t.Errorf("sideloaded user = %v", u)
	}
}

func TestUpdateTicket(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "Printer", RequesterID: f.endUser.ID})
	f.clk.Add(time.Minute)
	resp, b := f.send(t, "PUT", "/api/v2/tickets/1.json",
		`{"ticket":{"status":"open","priority":"high","type":"incident","assignee_id":`+strconv.FormatInt(f.agent.ID, 10)+
			`,"subject":"Printer on fire","tags":["Hot Stuff","printer"],"id":99,"comment":{"body":"On it","public":false}}}`)
	wantStatus(t, resp, b, http.StatusOK)
	got := decode(t, b)["ticket"].(map[string]any)
	for k, want := range map[string]any{"id": 1.0, "status": "open", "priority": "high", "type": "incident",
		"subject": "Printer on fire", "assignee_id": float64(f.agent.ID), "updated_at": "2026-03-02T10:01:30Z",
		"created_at": "2026-03-02T10:00:30Z"} {
		if got[k] != want {
			t.Errorf("ticket.%s = %v, want %v", k, got[k], want)
		}
	}
	if diff := cmp.Diff([]any{"hot_stuff", "printer"}, got["tags"]); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if audit := decode(t, b)["audit"].(map[string]any); audit["ticket_id"] != 1.0 {
		t.Errorf("audit = %v", audit)
	}
	stored, _ := f.acct.Ticket(tk.ID)
	if stored.Status != "open" || stored.Priority != "high" {
		t.Errorf("stored ticket not updated: %+v", stored)
	}
	// Priority can be cleared with null.
	resp, b = f.send(t, "PUT", "/api/v2/tickets/1", `{"ticket":{"priority":null}}`)
	wantStatus(t, resp, b, http.StatusOK)
	if p := decode(t, b)["ticket"].(map[string]any)["priority"]; p != nil {
		t.Errorf("priority = %v after null, want null", p)
	}
}

func TestUpdateTicketRejects(t *testing.T) {
	f := newFixture(t)
	f.acct.AddTicket(Ticket{Subject: "open one", RequesterID: f.endUser.ID, Status: "open"})
	f.acct.AddTicket(Ticket{Subject: "closed one", RequesterID: f.endUser.ID, Status: "closed"})
	auth := "Authorization: " + basicAuth(f.admin.Email, f.token)
	tests := []struct {
		name, path, contentType, body string
		want                          int
		wantBody                      string
	}{
		{"bad status", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"status":"xyz"}}`, 422,
			`{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: xyz is not valid"}]}}`},
		{"bad priority", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"priority":"asap"}}`, 422,
			`{"error":"RecordInvalid","description":"Record validation errors","details":{"priority":[{"description":"Priority: asap is not valid"}]}}`},
		{"bad type", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"type":"bug"}}`, 422,
			`{"error":"RecordInvalid","description":"Record validation errors","details":{"type":[{"description":"Type: bug is not valid"}]}}`},
		{"back to new", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"status":"new"}}`, 422, ""},
		{"closed without solving", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"status":"closed"}}`, 422,
			`{"error":"RecordInvalid","description":"Record validation errors","details":{"base":[{"description":"Status: closed is not valid"}]}}`},
		{"assignee is an end-user", "/api/v2/tickets/1.json", "application/json",
			`{"ticket":{"assignee_id":` + strconv.FormatInt(f.endUser.ID, 10) + `}}`, 422, ""},
		{"status of wrong type", "/api/v2/tickets/1.json", "application/json", `{"ticket":{"status":5}}`, 422, ""},
		{"closed ticket", "/api/v2/tickets/2.json", "application/json", `{"ticket":{"subject":"reopen"}}`, 422,
			`{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: closed prevents ticket update"}]}}`},
		{"no content type", "/api/v2/tickets/1.json", "", `{"ticket":{"status":"pending"}}`, 400, ""},
		{"form content type", "/api/v2/tickets/1.json", "application/x-www-form-urlencoded", `ticket[status]=pending`, 400, ""},
		{"not json", "/api/v2/tickets/1.json", "application/json", `{"ticket":`, 400, ""},
		{"no ticket object", "/api/v2/tickets/1.json", "application/json", `{"status":"pending"}`, 400, ""},
		{"missing ticket", "/api/v2/tickets/9.json", "application/json", `{"ticket":{"status":"pending"}}`, 404, ""},
		{"stale safe update", "/api/v2/tickets/1.json", "application/json",
			`{"ticket":{"status":"pending","safe_update":true,"updated_stamp":"2020-01-01T00:00:00Z"}}`, 409, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{auth}
			if tt.contentType != "" {
				headers = append(headers, "Content-Type: "+tt.contentType)
			}
			resp, b := request(t, "PUT", f.acct.BaseURL()+tt.path, tt.body, headers...)
			wantStatus(t, resp, b, tt.want)
			if tt.wantBody != "" && string(b) != tt.wantBody {
				t.Errorf("body = %s\nwant   %s", b, tt.wantBody)
			}
		})
	}
	if tk, _ := f.acct.Ticket(1); tk.Status != "open" || tk.Subject != "open one" {
		t.Errorf("a refused update changed the ticket: %+v", tk)
	}
	// A safe update with the current stamp goes through.
	tk, _ := f.acct.Ticket(1)
	resp, b := f.send(t, "PUT", "/api/v2/tickets/1.json",
		`{"ticket":{"status":"solved","safe_update":true,"updated_stamp":"`+stamp(tk.UpdatedAt)+`"}}`)
	wantStatus(t, resp, b, http.StatusOK)
}

func TestUpdateTicketHelper(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "a", RequesterID: f.endUser.ID})
	f.clk.Add(5 * time.Second)
	got, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "pending"; t.ID = 77 })
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tk.ID || got.Status != "pending" || !got.UpdatedAt.Equal(tk.UpdatedAt.Add(5*time.Second)) {
		t.Errorf("UpdateTicket = %+v", got)
	}
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "bogus" }); err == nil {
		t.Error("UpdateTicket accepted an invalid status")
	}
	if _, err := f.acct.UpdateTicket(404, func(*Ticket) {}); err == nil {
		t.Error("UpdateTicket of a missing ticket succeeded")
	}
}
