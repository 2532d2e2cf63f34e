package zendesktest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRateLimitWindow(t *testing.T) {
	f := newFixtureWith(t, AccountSpec{Subdomain: "acme", RateLimit: 3})
	// The clock starts at 10:00:30, half way through a minute.
	for i, want := range []string{"2", "1", "0"} {
		resp, b := f.get(t, "/api/v2/users/me.json")
		wantStatus(t, resp, b, http.StatusOK)
		if got := resp.Header.Get("X-Rate-Limit"); got != "3" {
			t.Errorf("request %d: X-Rate-Limit = %q, want 3", i, got)
		}
		if got := resp.Header.Get("X-Rate-Limit-Remaining"); got != want {
			t.Errorf("request %d: X-Rate-Limit-Remaining = %q, want %s", i, got, want)
		}
		if got := resp.Header.Get("X-Zendesk-API-Version"); got != "v2" {
			t.Errorf("X-Zendesk-API-Version = %q", got)
		}
	}
	resp, b := f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After = %q, want 30 (seconds to the next minute)", got)
	}
	if got, want := string(b), `{"error":"APIRateLimitExceeded","description":"Number of allowed API requests per minute exceeded"}`; got != want {
		t.Errorf("429 body = %s, want %s", got, want)
	}
	// The public key is not rate-limited.
	resp, b = request(t, "GET", f.acct.BaseURL()+"/api/v2/apps/"+strconv.FormatInt(f.acct.AppID(), 10)+"/public_key.pem", "")
	wantStatus(t, resp, b, http.StatusOK)

	f.clk.Add(29 * time.Second)
	resp, b = f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	f.clk.Add(time.Second)
	resp, b = f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusOK)
	if got := resp.Header.Get("X-Rate-Limit-Remaining"); got != "2" {
		t.Errorf("new window: X-Rate-Limit-Remaining = %q, want 2", got)
	}
}

func TestRateLimitFor(t *testing.T) {
	f := newFixture(t)
	f.acct.RateLimitFor(90 * time.Second)
	resp, b := f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "90" {
		t.Errorf("Retry-After = %q, want 90", got)
	}
	if got := resp.Header.Get("X-Rate-Limit-Remaining"); got != "0" {
		t.Errorf("X-Rate-Limit-Remaining = %q, want 0", got)
	}
	f.clk.Add(89500 * time.Millisecond)
	resp, b = f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusTooManyRequests)
	if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After rounds up: got %q, want 1", got)
	}
	f.clk.Add(time.Second)
	resp, b = f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusOK)
}

func TestSetFailure(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		status   int
		wantType string
		wantBody string
	}{
		{500, "application/json", `{"error":"InternalServerError"`},
		{502, "text/plain", "Bad Gateway"},
		{503, "text/plain", "Service Unavailable"},
		{504, "text/plain", "Gateway Timeout"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			f.acct.SetFailure(tt.status)
			resp, b := f.get(t, "/api/v2/users/me.json")
			wantStatus(t, resp, b, tt.status)
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.wantType)
			}
			if !strings.HasPrefix(string(b), tt.wantBody) {
				t.Errorf("body = %q, want prefix %q", b, tt.wantBody)
			}
		})
	}
	f.acct.SetFailure(0)
	resp, b := f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusOK)
}

func TestSetLatency(t *testing.T) {
	f := newFixture(t)
	f.acct.SetLatency(150 * time.Millisecond)
	start := time.Now()
	resp, b := f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusOK)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answered in %v, want at least the 150ms latency", d)
	}
}

func TestStatsCountByRoute(t *testing.T) {
	f := newFixture(t)
	f.acct.AddTicket(Ticket{Subject: "a", RequesterID: f.endUser.ID})
	f.get(t, "/api/v2/tickets/1.json")
	f.get(t, "/api/v2/tickets/1") // the .json suffix is optional
	f.get(t, "/api/v2/users/me.json")
	f.get(t, "/api/v2/nothing")
	request(t, "GET", f.acct.BaseURL()+"/api/v2/apps/4242/public_key", "")
	st := f.acct.Stats()
	if st.Requests != 5 {
		t.Errorf("Requests = %d, want 5", st.Requests)
	}
	for key, want := range map[string]int{
		"GET /api/v2/tickets/{id}.json":            2,
		"GET /api/v2/users/me.json":                1,
		"GET (unknown)":                            1,
		"GET /api/v2/apps/{app_id}/public_key":     1,
		"GET /api/v2/apps/{app_id}/public_key.pem": 0,
	} {
		if got := st.ByEndpoint[key]; got != want {
			t.Errorf("ByEndpoint[%q] = %d, want %d", key, got, want)
		}
	}
}

func TestCallCounters(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "x", Description: "d", RequesterID: f.endUser.ID})
	id := strconv.FormatInt(tk.ID, 10)
	for range 3 {
		f.get(t, "/api/v2/tickets/"+id+".json")
	}
	f.get(t, "/api/v2/tickets/"+id+"/comments.json")
	f.get(t, "/api/v2/tickets/show_many.json?ids="+id)
	if got := f.acct.Calls("GET /api/v2/tickets/{id}.json"); got != 3 {
		t.Errorf("show calls = %d, want 3", got)
	}
	if got := f.acct.Calls("GET /api/v2/tickets/{id}/comments.json"); got != 1 {
		t.Errorf("comment calls = %d, want 1", got)
	}
	f.acct.ResetStats()
	if st := f.acct.Stats(); st.Requests != 0 || len(st.ByEndpoint) != 0 {
		t.Errorf("after reset: %+v", st)
	}
	resp, b := f.get(t, "/api/v2/tickets/show_many.json?ids="+id+",999&include=users")
	wantStatus(t, resp, b, http.StatusOK)
	if m := decode(t, b); len(ids(t, m["tickets"])) != 1 || m["users"] == nil {
		t.Errorf("show_many = %s", b)
	}
	if got := f.acct.Calls("GET /api/v2/tickets/show_many.json"); got != 1 {
		t.Errorf("show_many calls = %d, want 1", got)
	}
}
