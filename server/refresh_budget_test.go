package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// fetchPanel GETs a panel path with a panel token and returns the body.
func fetchPanel(t *testing.T, base, path, tok string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("X-Crossview-Token", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
	}
	return string(b)
}

func salesforceCalls(sb *sandboxRun) map[string]int {
	n := map[string]int{}
	for _, o := range sb.world.OrgSeeds {
		n[o.Key] = o.Org.Stats().APICalls
	}
	return n
}

// TestSidebarRefreshCooldown: an agent pressing Refresh 50 times in a row
// costs each org one Salesforce call; the other 49 are answered from the
// cache, and the panel says when its data was fetched.
func TestSidebarRefreshCooldown(t *testing.T) {
	base, sb := startTestSandbox(t, "CROSSVIEW_REFRESH_COOLDOWN", "1m")
	ticketSyncOff(t, sb) // its own Zendesk and Salesforce calls are not the panels'
	tok := openSidebar(t, base, sb)
	fetchPanel(t, base, "/zendesk/panel?ticket_id=1", tok)
	before := salesforceCalls(sb)
	var last string
	for range 50 {
		last = fetchPanel(t, base, "/zendesk/panel?ticket_id=1&refresh=1", tok)
	}
	after := salesforceCalls(sb)
	for key, n := range after {
		if d := n - before[key]; d != 1 {
			t.Errorf("org %s: 50 forced refreshes cost %d Salesforce calls, want 1", key, d)
		}
	}
	if !strings.Contains(last, `data-testid="refresh-note"`) || !strings.Contains(last, "fetched") {
		t.Errorf("a refresh within the cooldown does not say why it was not refreshed:\n%s", last)
	}
	if !strings.Contains(last, "Globex GmbH") {
		t.Errorf("a refresh within the cooldown lost the data:\n%s", last)
	}
}

// TestSidebarReserve: an org past 90 % of its daily allowance is not asked
// on a forced refresh; its section says why, and the other org refreshes.
func TestSidebarReserve(t *testing.T) {
	base, sb := startTestSandbox(t)
	ticketSyncOff(t, sb) // its own Zendesk and Salesforce calls are not the panels'
	orgA := sb.world.Org("a")
	orgA.Org.SetAPIUsage(95_000, 100_000)
	tok := openSidebar(t, base, sb)
	fetchPanel(t, base, "/zendesk/panel?ticket_id=1", tok) // learns A's usage
	before := salesforceCalls(sb)
	body := fetchPanel(t, base, "/zendesk/panel?ticket_id=1&refresh=1", tok)
	after := salesforceCalls(sb)
	if d := after["a"] - before["a"]; d != 0 {
		t.Errorf("org A at 95%% of its allowance: a forced refresh cost %d calls, want 0", d)
	}
	if d := after["b"] - before["b"]; d != 1 {
		t.Errorf("org B: a forced refresh cost %d calls, want 1", d)
	}
	if !strings.Contains(body, `data-testid="reserve-note"`) || !strings.Contains(body, "API allowance") {
		t.Errorf("the panel does not say why org A was not refreshed:\n%s", body)
	}
	if !strings.Contains(body, "Globex Corporation") {
		t.Errorf("org A's data is gone:\n%s", body)
	}
}

// TestTicketViewRefreshCooldown: 50 forced refreshes of one record's
// ticket panel by one rep cost the Zendesk calls of one.
func TestTicketViewRefreshCooldown(t *testing.T) {
	base, sb := startTestSandbox(t, "CROSSVIEW_REFRESH_COOLDOWN", "1m")
	ticketSyncOff(t, sb) // its own Zendesk and Salesforce calls are not the panels'
	tok := openTicketPanel(t, base, sb, sb.world.Org("a").Records[0].ID)
	before := zendeskRequests(sb)
	fetchPanel(t, base, "/salesforce/panel?page=1&refresh=1", tok)
	one := zendeskRequests(sb) - before
	var last string
	for range 49 {
		last = fetchPanel(t, base, "/salesforce/panel?page=1&refresh=1", tok)
	}
	all := zendeskRequests(sb) - before
	if one == 0 || all != one {
		t.Errorf("one forced refresh cost %d Zendesk calls, 50 cost %d; want the same", one, all)
	}
	if !strings.Contains(last, `data-testid="refresh-note"`) || !strings.Contains(last, "Refund for a duplicate card charge") {
		t.Errorf("a refresh within the cooldown does not say why, or lost the tickets:\n%s", last)
	}
}

// TestTicketViewReserve: with Zendesk's per-minute allowance nearly used
// (by other clients of the account), a forced refresh costs no call and
// the panel says why.
func TestTicketViewReserve(t *testing.T) {
	base, sb := startTestSandbox(t)
	ticketSyncOff(t, sb) // its own Zendesk and Salesforce calls are not the panels'
	for _, a := range sb.world.Accounts {
		a.Account.SetOtherUsage(650) // of 700 a minute
	}
	tok := openTicketPanel(t, base, sb, sb.world.Org("a").Records[0].ID)
	before := zendeskRequests(sb)
	body := fetchPanel(t, base, "/salesforce/panel?page=1&refresh=1", tok)
	if d := zendeskRequests(sb) - before; d != 0 {
		t.Errorf("a forced refresh near Zendesk's rate limit cost %d calls, want 0", d)
	}
	if !strings.Contains(body, `data-testid="reserve-note"`) || !strings.Contains(body, "rate limit") {
		t.Errorf("the panel does not say why it was not refreshed:\n%s", body)
	}
	if !strings.Contains(body, "Refund for a duplicate card charge") {
		t.Errorf("the tickets are gone:\n%s", body)
	}
}
