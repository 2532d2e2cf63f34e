package zendesktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSearch(t *testing.T) {
	f := newFixture(t)
	photo := f.acct.AddOrganization(Organization{Name: "MD Photo"})
	jane := f.acct.AddUser(User{Name: "Jane Doe", Email: "jane@mdphoto.example", OrganizationID: photo.ID})
	t1 := f.acct.AddTicket(Ticket{Subject: "Printer on fire", RequesterID: f.endUser.ID, Status: "open", Tags: []string{"hardware"}})
	f.clk.Add(time.Minute)
	t2 := f.acct.AddTicket(Ticket{Subject: "Printer jammed", RequesterID: f.endUser.ID, Status: "solved", Priority: "high"})
	f.clk.Add(time.Minute)
	t3 := f.acct.AddTicket(Ticket{Subject: "Camera broken", RequesterID: jane.ID, Status: "pending"})

	tests := []struct {
		query string
		want  []int64 // newest update first
	}{
		{"type:ticket status<solved requester:peter@initech.example", []int64{t1.ID}},
		{"type:ticket requester:" + strconv.FormatInt(f.endUser.ID, 10), []int64{t2.ID, t1.ID}},
		{"type:ticket status:open", []int64{t1.ID}},
		{"type:ticket status>=pending", []int64{t3.ID, t2.ID}},
		{`type:ticket organization:"MD Photo"`, []int64{t3.ID}},
		{"type:ticket organization:" + strconv.FormatInt(f.org.ID, 10), []int64{t2.ID, t1.ID}},
		{"type:ticket printer", []int64{t2.ID, t1.ID}},
		{`type:ticket "on fire"`, []int64{t1.ID}},
		{"type:ticket tags:hardware", []int64{t1.ID}},
		{"type:ticket priority>=high", []int64{t2.ID}},
		{"type:ticket created>2026-03-02", []int64{}},
		{"type:ticket created:2026-03-02", []int64{t3.ID, t2.ID, t1.ID}},
		{"type:ticket frobnicate:yes", []int64{}},
		{`type:user "Jane Doe"`, []int64{jane.ID}},
		{"type:organization photo", []int64{photo.ID}},
	}
	for _, tt := range tests {
		resp, b := f.get(t, "/api/v2/search.json?query="+url.QueryEscape(tt.query))
		wantStatus(t, resp, b, http.StatusOK)
		m := decode(t, b)
		if diff := cmp.Diff(tt.want, ids(t, m["results"])); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.query, diff)
		}
		if m["count"] != float64(len(tt.want)) {
			t.Errorf("%s: count = %v", tt.query, m["count"])
		}
	}

	_, b := f.get(t, "/api/v2/search.json?query="+url.QueryEscape("camera"))
	results := decode(t, b)["results"].([]any)
	if len(results) != 1 || results[0].(map[string]any)["result_type"] != "ticket" {
		t.Errorf("results = %v, want one result_type ticket", results)
	}
	resp, b := f.get(t, "/api/v2/search.json?query=type:ticket&per_page=2&page=1&sort_by=created_at&sort_order=asc")
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	if diff := cmp.Diff([]int64{t1.ID, t2.ID}, ids(t, m["results"])); diff != "" || m["next_page"] == nil || m["count"] != 3.0 {
		t.Errorf("first page: %s next=%v count=%v", diff, m["next_page"], m["count"])
	}
	resp, b = f.get(t, "/api/v2/search.json?query=type:ticket&per_page=100&page=11")
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	resp, b = f.get(t, "/api/v2/search.json")
	wantStatus(t, resp, b, http.StatusBadRequest)
}

func TestSearchIndexLag(t *testing.T) {
	f := newFixture(t)
	f.acct.SetSearchIndexLag(2 * time.Minute)
	tk := f.acct.AddTicket(Ticket{Subject: "Laser printer", RequesterID: f.endUser.ID, Status: "open"})
	search := func(q string) []int64 {
		t.Helper()
		_, b := f.get(t, "/api/v2/search.json?query="+url.QueryEscape(q))
		return ids(t, decode(t, b)["results"])
	}
	if got := search("type:ticket laser"); len(got) != 0 {
		t.Errorf("a brand-new ticket is already indexed: %v", got)
	}
	f.clk.Add(2 * time.Minute)
	if diff := cmp.Diff([]int64{tk.ID}, search("type:ticket laser")); diff != "" {
		t.Errorf("after the lag (-want +got):\n%s", diff)
	}
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "solved" }); err != nil {
		t.Fatal(err)
	}
	// The index still has the old status; the API has the new one.
	if diff := cmp.Diff([]int64{tk.ID}, search("type:ticket status:open")); diff != "" {
		t.Errorf("status change visible too early (-want +got):\n%s", diff)
	}
	f.clk.Add(2 * time.Minute)
	if got := search("type:ticket status:open"); len(got) != 0 {
		t.Errorf("old status still indexed after the lag: %v", got)
	}
	if diff := cmp.Diff([]int64{tk.ID}, search("type:ticket status:solved")); diff != "" {
		t.Errorf("new status (-want +got):\n%s", diff)
	}
}

// requester: knows a user by id, name and every email identity; an
// unquoted value's * is a wildcard, a quoted value is exact.
func TestSearchRequesterForms(t *testing.T) {
	f := newFixture(t)
	carol := f.acct.AddUser(User{Name: "Carol", Email: "carol@x.example", OtherEmails: []string{"c.work@x.example"}})
	namesake := f.acct.AddUser(User{Name: "c.work@x.example", Email: "mallory@evil.example"})
	tc := f.acct.AddTicket(Ticket{Subject: "carol's", RequesterID: carol.ID})
	tn := f.acct.AddTicket(Ticket{Subject: "namesake's", RequesterID: namesake.ID})
	tp := f.acct.AddTicket(Ticket{Subject: "peter's", RequesterID: f.endUser.ID})
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{`type:ticket requester:carol@x.example`, []int64{tc.ID}},
		{`type:ticket requester:"C.Work@x.example"`, []int64{tn.ID, tc.ID}},
		{`type:ticket requester:Carol`, []int64{tc.ID}},
		{`type:ticket requester:*@x.example`, []int64{tn.ID, tc.ID}},
		{`type:ticket requester:"*@x.example"`, []int64{}},
		{`type:ticket requester:p*`, []int64{tp.ID}},
		{`type:ticket requester:*`, []int64{tp.ID, tn.ID, tc.ID}},
	} {
		_, b := f.get(t, "/api/v2/search.json?sort_by=created_at&query="+url.QueryEscape(tt.query))
		if diff := cmp.Diff(tt.want, ids(t, decode(t, b)["results"])); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.query, diff)
		}
	}
	resp, b := f.get(t, "/api/v2/users/"+strconv.FormatInt(carol.ID, 10)+"/identities.json")
	wantStatus(t, resp, b, http.StatusOK)
	var got struct {
		Identities []struct {
			Type, Value string
			Primary     bool
		}
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Identities) != 2 || got.Identities[0].Value != "carol@x.example" || !got.Identities[0].Primary ||
		got.Identities[1].Value != "c.work@x.example" || got.Identities[1].Primary || got.Identities[1].Type != "email" {
		t.Errorf("identities = %+v", got.Identities)
	}
	resp, b = f.get(t, "/api/v2/users/999999/identities.json")
	wantStatus(t, resp, b, http.StatusNotFound)
}
