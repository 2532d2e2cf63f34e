package zendesktest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIncrementalTicketEvents(t *testing.T) {
	f := newFixture(t)
	start := f.clk.Now().Truncate(time.Second)
	tk := f.acct.AddTicket(Ticket{Subject: "Printer", Description: "It jams.", RequesterID: f.endUser.ID, Tags: []string{"hw"}})
	f.clk.Add(time.Minute)
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"
	resp, b := f.send(t, "PUT", path, `{"ticket":{"status":"open","tags":["hw","urgent"],"comment":{"body":"On it","public":false}}}`)
	wantStatus(t, resp, b, http.StatusOK)
	f.clk.Add(30 * time.Second)
	// This change is less than a minute old at export time: not exported.
	resp, b = f.send(t, "PUT", path, `{"ticket":{"status":"pending"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	f.clk.Add(40 * time.Second)

	q := "/api/v2/incremental/ticket_events.json?start_time=" + strconv.FormatInt(start.Unix(), 10)
	resp, b = f.get(t, q)
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	evs := m["ticket_events"].([]any)
	if len(evs) != 2 || m["count"] != 2.0 || m["end_of_stream"] != true {
		t.Fatalf("export = %s", b)
	}
	created, changed := evs[0].(map[string]any), evs[1].(map[string]any)
	if created["ticket_id"] != float64(tk.ID) || created["timestamp"] != float64(start.Unix()) || created["event_type"] != "Audit" ||
		created["updater_id"] != float64(f.endUser.ID) || created["via"] != "Web form" {
		t.Errorf("creation event = %v", created)
	}
	if m["end_time"] != changed["timestamp"] || m["next_page"] != f.acct.BaseURL()+"/api/v2/incremental/ticket_events.json?start_time="+strconv.FormatInt(int64(changed["timestamp"].(float64)), 10) {
		t.Errorf("end_time %v next_page %v", m["end_time"], m["next_page"])
	}
	var kinds []string
	for _, c := range changed["child_events"].([]any) {
		ce := c.(map[string]any)
		kinds = append(kinds, ce["event_type"].(string))
		switch ce["event_type"] {
		case "Comment":
			if ce["comment_present"] != true || ce["comment_public"] != false || ce["body"] != nil {
				t.Errorf("comment without sideload = %v", ce)
			}
		case "Change":
			if ce["status"] != nil && (ce["status"] != "open" || ce["previous_value"] != "new") {
				t.Errorf("status change = %v", ce)
			}
			if ce["tags"] != nil && (cmp.Diff([]any{"urgent"}, ce["added_tags"]) != "" || ce["via"] != "Web service") {
				t.Errorf("tags change = %v", ce)
			}
		}
	}
	if diff := cmp.Diff([]string{"Comment", "Change", "Change"}, kinds); diff != "" {
		t.Errorf("child events (-want +got):\n%s", diff)
	}
	var createdFields []string
	for _, c := range created["child_events"].([]any) {
		ce := c.(map[string]any)
		if ce["event_type"] == "Create" && ce["subject"] != nil {
			createdFields = append(createdFields, ce["subject"].(string))
		}
	}
	if diff := cmp.Diff([]string{"Printer"}, createdFields); diff != "" {
		t.Errorf("Create subject (-want +got):\n%s", diff)
	}

	resp, b = f.get(t, q+"&include=comment_events")
	wantStatus(t, resp, b, http.StatusOK)
	m = decode(t, b)
	first := m["ticket_events"].([]any)[0].(map[string]any)["child_events"].([]any)[0].(map[string]any)
	if first["event_type"] != "Comment" || first["type"] != "Comment" || first["body"] != "It jams." || first["public"] != true ||
		first["author_id"] != float64(f.endUser.ID) || first["html_body"] == nil || first["attachments"] == nil {
		t.Errorf("sideloaded comment = %v", first)
	}
	if next := m["next_page"].(string); next[len(next)-len("include=comment_events"):] != "include=comment_events" {
		t.Errorf("next_page %s drops the sideload", next)
	}
}

func TestIncrementalTicketEventsPaging(t *testing.T) {
	f := newFixture(t)
	start := f.clk.Now().Truncate(time.Second)
	// Three tickets in one second, two in the next.
	var made []int64
	for i := range 5 {
		if i == 3 {
			f.clk.Add(time.Second)
		}
		made = append(made, f.acct.AddTicket(Ticket{Subject: "t" + strconv.Itoa(i), RequesterID: f.endUser.ID}).ID)
	}
	f.clk.Add(2 * time.Minute)
	seen := map[float64]bool{}
	var order []int64
	next := f.acct.BaseURL() + "/api/v2/incremental/ticket_events.json?per_page=2&start_time=" + strconv.FormatInt(start.Unix(), 10)
	for i := 0; ; i++ {
		if i > 6 {
			t.Fatal("paging does not end")
		}
		resp, b := request(t, "GET", next, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
		wantStatus(t, resp, b, http.StatusOK)
		m := decode(t, b)
		for _, e := range m["ticket_events"].([]any) {
			ev := e.(map[string]any)
			if !seen[ev["id"].(float64)] { // repeats of the boundary second are expected
				seen[ev["id"].(float64)] = true
				order = append(order, int64(ev["ticket_id"].(float64)))
			}
		}
		if m["end_of_stream"] == true {
			break
		}
		next = m["next_page"].(string)
	}
	if diff := cmp.Diff(made, order); diff != "" {
		t.Errorf("tickets seen (-want +got):\n%s", diff)
	}
}

func TestIncrementalTicketEventsRejects(t *testing.T) {
	f := newFixture(t)
	for name, q := range map[string]string{
		"no start_time": "",
		"too recent":    "start_time=" + strconv.FormatInt(f.clk.Now().Add(-10*time.Second).Unix(), 10),
		"future":        "start_time=" + strconv.FormatInt(f.clk.Now().Add(time.Hour).Unix(), 10),
		"not a number":  "start_time=soon",
		"bad per_page":  "start_time=0&per_page=-1",
	} {
		resp, b := f.get(t, "/api/v2/incremental/ticket_events.json?"+q)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
		}
	}
	resp, b := request(t, "GET", f.acct.BaseURL()+"/api/v2/incremental/ticket_events.json?start_time=0", "",
		"Authorization: "+basicAuth(f.agent.Email, f.token))
	wantStatus(t, resp, b, http.StatusForbidden)
}

func TestIncrementalExportRateLimit(t *testing.T) {
	for _, tt := range []struct {
		name  string
		spec  AccountSpec
		limit int
	}{
		{"standard", AccountSpec{Subdomain: "acme"}, 10},
		{"high volume", AccountSpec{Subdomain: "acme", HighVolumeAPI: true}, 30},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixtureWith(t, tt.spec)
			paths := []string{"/api/v2/incremental/tickets/cursor.json?start_time=0", "/api/v2/incremental/ticket_events.json?start_time=0"}
			for i := range tt.limit {
				resp, b := f.get(t, paths[i%2])
				wantStatus(t, resp, b, http.StatusOK)
			}
			resp, b := f.get(t, paths[0])
			wantStatus(t, resp, b, http.StatusTooManyRequests)
			if resp.Header.Get("Retry-After") != "30" || decode(t, b)["error"] != "APIRateLimitExceeded" {
				t.Errorf("Retry-After %q body %s", resp.Header.Get("Retry-After"), b)
			}
			// Other endpoints are not held back by the export limit.
			resp, b = f.get(t, "/api/v2/users/me.json")
			wantStatus(t, resp, b, http.StatusOK)
			f.clk.Add(30 * time.Second)
			resp, b = f.get(t, paths[1])
			wantStatus(t, resp, b, http.StatusOK)
		})
	}
}

func TestIncrementalExportDeletedAndSideloads(t *testing.T) {
	f := newFixture(t)
	g := f.acct.AddGroup("Tier 2")
	start := f.clk.Now()
	kept := f.acct.AddTicket(Ticket{Subject: "kept", RequesterID: f.endUser.ID, GroupID: g.ID, Status: "solved"})
	gone := f.acct.AddTicket(Ticket{Subject: "gone", RequesterID: f.endUser.ID})
	if _, err := f.acct.UpdateTicket(kept.ID, func(t *Ticket) { t.Status = "closed" }); err != nil {
		t.Fatal(err)
	}
	resp, b := f.send(t, "DELETE", "/api/v2/tickets/"+strconv.FormatInt(gone.ID, 10)+".json", "")
	wantStatus(t, resp, b, http.StatusNoContent)
	resp, b = f.get(t, "/api/v2/tickets/"+strconv.FormatInt(gone.ID, 10)+".json")
	wantStatus(t, resp, b, http.StatusNotFound)
	f.clk.Add(2 * time.Minute)

	q := "/api/v2/incremental/tickets/cursor.json?include=users,groups,metric_sets&start_time=" + strconv.FormatInt(start.Unix(), 10)
	resp, b = f.get(t, q)
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	statuses := map[float64]string{}
	for _, tk := range m["tickets"].([]any) {
		statuses[tk.(map[string]any)["id"].(float64)] = tk.(map[string]any)["status"].(string)
	}
	if diff := cmp.Diff(map[float64]string{float64(kept.ID): "closed", float64(gone.ID): "deleted"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{g.ID}, ids(t, m["groups"])); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{f.endUser.ID}, ids(t, m["users"])); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if sets := m["metric_sets"].([]any); len(sets) != 2 || sets[0].(map[string]any)["ticket_id"] == nil {
		t.Errorf("metric_sets = %v", sets)
	}
	resp, b = f.get(t, q+"&exclude_deleted=true")
	wantStatus(t, resp, b, http.StatusOK)
	if diff := cmp.Diff([]int64{kept.ID}, ids(t, decode(t, b)["tickets"])); diff != "" {
		t.Errorf("exclude_deleted (-want +got):\n%s", diff)
	}
	if err := f.acct.DeleteTicket(gone.ID); err == nil {
		t.Error("deleting a deleted ticket succeeded")
	}
}
