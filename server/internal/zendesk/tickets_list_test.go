package zendesk_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// lister is one of the two cursor-paginated ticket lists.
type lister struct {
	name     string
	endpoint string // as keyed in Stats.ByEndpoint
	list     func(e *emu, c customer, max int) ([]zendesk.Ticket, error)
}

func listers() []lister {
	ctx := context.Background()
	return []lister{
		{"RequestedTickets", "GET /api/v2/users/{id}/tickets/requested.json",
			func(e *emu, c customer, max int) ([]zendesk.Ticket, error) {
				return e.client.RequestedTickets(ctx, "acme", e.cred, c.user.ID, max)
			}},
		{"OrganizationTickets", "GET /api/v2/organizations/{id}/tickets.json",
			func(e *emu, c customer, max int) ([]zendesk.Ticket, error) {
				return e.client.OrganizationTickets(ctx, "acme", e.cred, c.org.ID, max)
			}},
	}
}

func TestTicketListsPageNewestFirst(t *testing.T) {
	for _, l := range listers() {
		t.Run(l.name, func(t *testing.T) {
			e := newEmu(t, zendesktest.AccountSpec{})
			c := seedCustomer(e, 250)
			// Someone else's ticket in another organization must not show.
			other := e.acct.AddUser(zendesktest.User{Name: "Other", Email: "other@example.com"})
			e.acct.AddTicket(zendesktest.Ticket{Subject: "not theirs", RequesterID: other.ID})
			for _, tt := range []struct {
				max       int
				wantN     int
				wantCalls int
			}{
				{max: 1000, wantN: 250, wantCalls: 3}, // 100 + 100 + 50, the last says has_more false
				{max: 250, wantN: 250, wantCalls: 3},
				{max: 200, wantN: 200, wantCalls: 2}, // stops without asking for a third page
				{max: 150, wantN: 150, wantCalls: 2},
				{max: 30, wantN: 30, wantCalls: 1}, // one page of 30, not of 100
				{max: 0, wantN: 0, wantCalls: 0},
			} {
				before := e.calls(l.endpoint)
				got, err := l.list(e, c, tt.max)
				if err != nil {
					t.Fatalf("max %d: %v", tt.max, err)
				}
				if diff := cmp.Diff(c.newestFirst[:tt.wantN], ticketIDs(got)); diff != "" {
					t.Errorf("max %d: ticket ids (-want +got):\n%s", tt.max, diff)
				}
				if n := e.calls(l.endpoint) - before; n != tt.wantCalls {
					t.Errorf("max %d: %d calls, want %d", tt.max, n, tt.wantCalls)
				}
			}
		})
	}
}

func TestTicketListIsCappedAtAThousand(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	c := seedCustomer(e, 1050)
	got, err := e.client.RequestedTickets(context.Background(), "acme", e.cred, c.user.ID, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c.newestFirst[:1000], ticketIDs(got)); diff != "" {
		t.Errorf("ticket ids (-want +got):\n%s", diff)
	}
	if n := e.calls("GET /api/v2/users/{id}/tickets/requested.json"); n != 10 {
		t.Errorf("%d calls, want 10", n)
	}
}

func TestRateLimitOnALaterPageIsAnError(t *testing.T) {
	for _, l := range listers() {
		t.Run(l.name, func(t *testing.T) {
			// One request a minute: the first page is served, the second is not.
			e := newEmu(t, zendesktest.AccountSpec{RateLimit: 1})
			c := seedCustomer(e, 250)
			got, err := l.list(e, c, 1000)
			if !zendesk.IsRateLimited(err) {
				t.Fatalf("err = %v, want a rate-limit error", err)
			}
			if got != nil {
				t.Errorf("got %d tickets with the error; a cut-short list must not pass for the whole", len(got))
			}
			if code := crossview.ErrorCode(zendesk.UserError(err)); code != crossview.ERATELIMITED {
				t.Errorf("UserError code = %q, want %q", code, crossview.ERATELIMITED)
			}
			if n := e.calls(l.endpoint); n != 2 {
				t.Errorf("%d calls, want 2 (page 1, then the refused page 2)", n)
			}
		})
	}
}

func TestUnknownUserListIsNotFound(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	_, err := e.client.RequestedTickets(context.Background(), "acme", e.cred, 424242, 10)
	if !zendesk.IsNotFound(err) {
		t.Fatalf("err = %v, want a typed 404", err)
	}
}
