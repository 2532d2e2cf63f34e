package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestOpenSidebarFollowsZendesk: an open sidebar fetches its panel again
// by itself. While nothing changes that costs Salesforce nothing (a
// re-fetch is not a forced refresh); when the ticket's requester changes
// in Zendesk (its webhook drops the cached ticket) the open sidebar shows
// the new requester's CRM data without a reload.
func TestOpenSidebarFollowsZendesk(t *testing.T) {
	base, sb := startTestSandbox(t, "CROSSVIEW_SIDEBAR_POLL", "1s")
	ticketSyncOff(t, sb) // the syncs' own Salesforce calls are not the panel's
	ctx := browsertest.New(t, 1280, 2000)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo?ticket=1")); err != nil {
		t.Fatal(err)
	}
	waitSections(t, ctx, `s.length === 2 && s[0].text.includes("Siobhan")`)
	before := salesforceCalls(sb)
	time.Sleep(3 * time.Second) // a few re-fetches
	for key, n := range salesforceCalls(sb) {
		if d := n - before[key]; d != 0 {
			t.Errorf("org %s: the open sidebar's re-fetches cost %d Salesforce calls, want 0", key, d)
		}
	}
	ticket, raj := sb.world.TicketSeeds[0].Ticket, sb.world.TicketSeeds[1].Requester
	if _, err := sb.world.Account.UpdateTicket(ticket.ID, func(tk *zendesktest.Ticket) { tk.RequesterID = raj.ID }); err != nil {
		t.Fatal(err)
	}
	secs := waitSections(t, ctx, `s.length === 2 && s[0].text.includes("Raj Patel")`)
	if len(secs) != 2 {
		t.Fatalf("sections after the requester changed: %+v", secs)
	}
}
