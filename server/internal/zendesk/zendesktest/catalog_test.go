package zendesktest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGroupsBrandsAndForms(t *testing.T) {
	f := newFixture(t)
	g := f.acct.AddGroup("Tier 2")
	b := f.acct.AddBrand(Brand{Name: "Initrode", Default: true})
	form := f.acct.AddTicketForm(TicketForm{Name: "Hardware"})
	other := f.acct.AddTicketForm(TicketForm{Name: "Billing", DisplayName: "Money"})

	resp, body := f.get(t, "/api/v2/groups/"+strconv.FormatInt(g.ID, 10)+".json")
	wantStatus(t, resp, body, http.StatusOK)
	if m := decode(t, body)["group"].(map[string]any); m["name"] != "Tier 2" || m["deleted"] != false || m["id"] != float64(g.ID) {
		t.Errorf("group = %v", m)
	}
	resp, body = f.get(t, "/api/v2/brands/"+strconv.FormatInt(b.ID, 10)+".json")
	wantStatus(t, resp, body, http.StatusOK)
	if m := decode(t, body)["brand"].(map[string]any); m["name"] != "Initrode" || m["default"] != true || m["active"] != true {
		t.Errorf("brand = %v", m)
	}
	resp, body = f.get(t, "/api/v2/ticket_forms/"+strconv.FormatInt(form.ID, 10)+".json")
	wantStatus(t, resp, body, http.StatusOK)
	if m := decode(t, body)["ticket_form"].(map[string]any); m["name"] != "Hardware" || m["display_name"] != "Hardware" {
		t.Errorf("ticket form = %v", m)
	}
	resp, body = f.get(t, "/api/v2/ticket_forms/show_many.json?ids="+strconv.FormatInt(other.ID, 10)+",1,"+strconv.FormatInt(form.ID, 10))
	wantStatus(t, resp, body, http.StatusOK)
	if diff := cmp.Diff([]int64{form.ID, other.ID}, ids(t, decode(t, body)["ticket_forms"])); diff != "" {
		t.Errorf("show_many (-want +got):\n%s", diff)
	}
	resp, body = f.get(t, "/api/v2/groups.json")
	wantStatus(t, resp, body, http.StatusOK)
	if m := decode(t, body); m["count"] != 1.0 {
		t.Errorf("groups = %v", m)
	}

	for _, path := range []string{"/api/v2/groups/1.json", "/api/v2/brands/1.json", "/api/v2/ticket_forms/1.json"} {
		resp, body := f.get(t, path)
		wantStatus(t, resp, body, http.StatusNotFound)
	}
	resp, body = f.get(t, "/api/v2/ticket_forms/show_many.json")
	wantStatus(t, resp, body, http.StatusBadRequest)
	// End users may not read groups.
	endTok := f.acct.IssueOAuthToken(f.endUser.ID)
	resp, body = request(t, "GET", f.acct.BaseURL()+"/api/v2/groups/"+strconv.FormatInt(g.ID, 10)+".json", "", "Authorization: Bearer "+endTok)
	wantStatus(t, resp, body, http.StatusForbidden)
}

func TestTicketMetricsSolvedAt(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "x", Description: "help", RequesterID: f.endUser.ID})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + "/metrics.json"
	resp, body := f.get(t, path)
	wantStatus(t, resp, body, http.StatusOK)
	if m := decode(t, body)["ticket_metric"].(map[string]any); m["solved_at"] != nil || m["ticket_id"] != float64(tk.ID) {
		t.Errorf("metric before solving = %v", m)
	}
	f.clk.Add(90 * time.Minute)
	resp, body = f.send(t, "PUT", "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+".json",
		`{"ticket":{"status":"solved","assignee_id":`+strconv.FormatInt(f.agent.ID, 10)+`,"comment":{"body":"Fixed."}}}`)
	wantStatus(t, resp, body, http.StatusOK)
	solved := stamp(f.clk.Now())
	f.clk.Add(time.Hour)
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "open" }); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(t, path)
	m := decode(t, body)["ticket_metric"].(map[string]any)
	if m["solved_at"] != solved || m["reopens"] != 1.0 || m["replies"] != 1.0 || m["assigned_at"] != solved {
		t.Errorf("metric = %v", m)
	}
	if frt := m["full_resolution_time_in_minutes"].(map[string]any); frt["calendar"] != 90.0 {
		t.Errorf("full resolution = %v", frt)
	}
	resp, body = f.get(t, "/api/v2/tickets/999/metrics.json")
	wantStatus(t, resp, body, http.StatusNotFound)
}
