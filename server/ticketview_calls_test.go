package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

var canvasTokenAttr = regexp.MustCompile(`data-token="([^"]+)"`)

// openTicketPanel does what Salesforce and the panel do: POST a signed
// Canvas request for a record, then return the panel token.
func openTicketPanel(tb testing.TB, base string, sb *sandboxRun, recordID string) string {
	tb.Helper()
	signed, err := sb.world.SignCanvas(tb.Context(), recordID, "admin")
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.PostForm(base+"/salesforce/canvas", url.Values{"signed_request": {signed}})
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	m := canvasTokenAttr.FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		tb.Fatalf("canvas: %d\n%s", resp.StatusCode, body)
	}
	return string(m[1])
}

func zendeskRequests(sb *sandboxRun) int {
	n := 0
	for _, a := range sb.world.Accounts {
		n += a.Account.Stats().Requests
	}
	return n
}

// TestTicketPanelZendeskCalls counts the Zendesk API calls a panel view
// costs: cold (every lookup), warm (none), and after a webhook (only the
// list it names). docs/performance.md quotes the numbers it logs.
func TestTicketPanelZendeskCalls(t *testing.T) {
	base, sb := startTestSandbox(t)
	ticketSyncOff(t, sb) // its reads of Zendesk are not the panel's
	globex := sb.world.Org("a").Records[0].ID
	before := zendeskRequests(sb)
	tok := openTicketPanel(t, base, sb, globex)
	cold := zendeskRequests(sb) - before

	get := func() string {
		req, _ := http.NewRequest(http.MethodGet, base+"/salesforce/panel?page=1", nil)
		req.Header.Set("X-Crossview-Token", tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	before = zendeskRequests(sb)
	for range 10 {
		if !strings.Contains(get(), "Refund for a duplicate card charge") {
			t.Fatal("the panel lost the billing account's ticket")
		}
	}
	warm := zendeskRequests(sb) - before

	// One ticket changes in Zendesk: its webhook names one requester and
	// one organization; only their lists are fetched again.
	seed := sb.world.TicketSeeds[0]
	before = zendeskRequests(sb)
	if err := sb.world.ChangeTicket(t.Context(), "northwind", seed.Ticket.ID, "pending"); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if d := sb.world.Account.Deliveries(); len(d) > 0 && d[len(d)-1].Status == 200 {
			break
		}
		if i > 200 {
			t.Fatal("the webhook was not delivered")
		}
		waitABit()
	}
	get()
	afterHook := zendeskRequests(sb) - before

	t.Logf("Zendesk calls for the Globex Account page (2 Zendesk accounts, 2 emails, 1 organization each): cold %d, warm %d per view, after a webhook %d", cold, warm, afterHook)
	if warm != 0 {
		t.Errorf("a warm panel view cost %d Zendesk calls, want 0", warm)
	}
	if cold > 16 {
		t.Errorf("a cold panel view cost %d Zendesk calls", cold)
	}
	if afterHook < 1 || afterHook > 3 {
		t.Errorf("after one ticket changed, %d calls; want only the requester's and the organization's lists (and names)", afterHook)
	}
}

func waitABit() { <-time.After(10 * time.Millisecond) }

// ticketSyncOff turns ticket, account and contact sync off on every
// sandbox connection and waits until their last calls have ended: the
// syncs' own Zendesk and Salesforce calls are not the panels'.
func ticketSyncOff(tb testing.TB, sb *sandboxRun) {
	tb.Helper()
	for _, acct := range sb.world.Accounts {
		cs, err := sb.app.store.Connections(tb.Context(), acct.Account.Subdomain())
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range cs {
			for _, f := range []crossview.Feature{crossview.FeatureTicketSync, crossview.FeatureAccountSync, crossview.FeatureContactSync} {
				if c.Active(f) {
					if _, err := sb.app.admin.SetFeature(tb.Context(), c.Tenant, "test", c.ID, f, false); err != nil {
						tb.Fatal(err)
					}
				}
			}
		}
	}
	calls := func() string { return fmt.Sprint(zendeskRequests(sb), salesforceCalls(sb)) }
	for last := ""; ; last = calls() {
		time.Sleep(1200 * time.Millisecond) // a poller notices within a second
		if calls() == last {
			return
		}
	}
}
