package zendesktest

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIncrementalExport(t *testing.T) {
	f := newFixture(t)
	start := f.clk.Now()
	a := f.acct.AddTicket(Ticket{Subject: "a", RequesterID: f.endUser.ID})
	f.clk.Add(time.Minute)
	b := f.acct.AddTicket(Ticket{Subject: "b", RequesterID: f.endUser.ID})
	f.clk.Add(time.Minute)
	c := f.acct.AddTicket(Ticket{Subject: "c", RequesterID: f.endUser.ID})
	// c changed less than a minute ago: not exported yet.
	f.clk.Add(30 * time.Second)

	st := strconv.FormatInt(start.Unix(), 10)
	resp, body := f.get(t, "/api/v2/incremental/tickets/cursor.json?per_page=1&start_time="+st)
	wantStatus(t, resp, body, http.StatusOK)
	m := decode(t, body)
	if diff := cmp.Diff([]int64{a.ID}, ids(t, m["tickets"])); diff != "" {
		t.Errorf("first page (-want +got):\n%s", diff)
	}
	if m["end_of_stream"] != false || m["before_cursor"] != nil {
		t.Errorf("end_of_stream=%v before_cursor=%v", m["end_of_stream"], m["before_cursor"])
	}
	gen := m["tickets"].([]any)[0].(map[string]any)["generated_timestamp"]
	if gen != float64(start.Unix()) {
		t.Errorf("generated_timestamp = %v, want %d", gen, start.Unix())
	}
	after := m["after_url"].(string)
	resp, body = request(t, "GET", after, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
	wantStatus(t, resp, body, http.StatusOK)
	m = decode(t, body)
	if diff := cmp.Diff([]int64{b.ID}, ids(t, m["tickets"])); diff != "" || m["end_of_stream"] != true {
		t.Errorf("second page: %s end_of_stream=%v", diff, m["end_of_stream"])
	}

	// Caught up: polling later returns what changed since, each once.
	f.clk.Add(2 * time.Minute)
	if _, err := f.acct.UpdateTicket(a.ID, func(t *Ticket) { t.Status = "open" }); err != nil {
		t.Fatal(err)
	}
	f.clk.Add(time.Minute)
	resp, body = request(t, "GET", m["after_url"].(string), "", "Authorization: "+basicAuth(f.admin.Email, f.token))
	wantStatus(t, resp, body, http.StatusOK)
	m = decode(t, body)
	if diff := cmp.Diff([]int64{c.ID, a.ID}, ids(t, m["tickets"])); diff != "" {
		t.Errorf("after polling (-want +got):\n%s", diff)
	}
	resp, body = request(t, "GET", m["after_url"].(string), "", "Authorization: "+basicAuth(f.admin.Email, f.token))
	wantStatus(t, resp, body, http.StatusOK)
	if m2 := decode(t, body); len(ids(t, m2["tickets"])) != 0 || m2["after_cursor"] != m["after_cursor"] || m2["end_of_stream"] != true {
		t.Errorf("empty poll = %v, want no tickets and the same cursor", m2)
	}
}

func TestIncrementalExportRejects(t *testing.T) {
	f := newFixture(t)
	recent := strconv.FormatInt(f.clk.Now().Add(-30*time.Second).Unix(), 10)
	for name, q := range map[string]string{
		"too recent":    "start_time=" + recent,
		"not a number":  "start_time=yesterday",
		"nothing":       "",
		"bad cursor":    "cursor=abc",
		"list cursor":   "cursor=" + url.QueryEscape(encodeCursor(cursor{Scope: "requested:1", Sort: "id"})),
		"bad page size": "start_time=0&per_page=0",
	} {
		resp, b := f.get(t, "/api/v2/incremental/tickets/cursor.json?"+q)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d body %s, want 400", name, resp.StatusCode, b)
		}
	}
}
