package zendesk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestSearchTicketsLagsBehindDirectLists(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	e.acct.SetSearchIndexLag(5 * time.Minute)
	u := e.acct.AddUser(zendesktest.User{Name: "Ann", Email: "ann@example.com"})
	old := e.acct.AddTicket(zendesktest.Ticket{Subject: "Old", RequesterID: u.ID, UpdatedAt: emuNow().Add(-time.Hour)})
	fresh := e.acct.AddTicket(zendesktest.Ticket{Subject: "Fresh", RequesterID: u.ID})
	ctx := context.Background()

	found, err := e.client.SearchTickets(ctx, "acme", e.cred, "requester:ann@example.com", 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{old.ID}, ticketIDs(found)); diff != "" {
		t.Errorf("search sees (-want +got):\n%s", diff)
	}
	listed, err := e.client.RequestedTickets(ctx, "acme", e.cred, u.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{fresh.ID, old.ID}, ticketIDs(listed)); diff != "" {
		t.Errorf("the direct list sees (-want +got):\n%s", diff)
	}
}

func TestSearchTicketsPagesUntilMax(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	c := seedCustomer(e, 250)
	// A user matching the query must not come back as a ticket.
	e.acct.AddUser(zendesktest.User{Name: "Ticket Master", Email: "ticket@example.com"})
	for _, tt := range []struct{ max, wantN, wantCalls int }{
		{max: 150, wantN: 150, wantCalls: 2},
		{max: 1000, wantN: 250, wantCalls: 3},
		{max: 20, wantN: 20, wantCalls: 1},
	} {
		before := e.calls("GET /api/v2/search.json")
		got, err := e.client.SearchTickets(context.Background(), "acme", e.cred, "requester:"+c.user.Email+" ticket", tt.max)
		if err != nil {
			t.Fatalf("max %d: %v", tt.max, err)
		}
		if diff := cmp.Diff(c.newestFirst[:tt.wantN], ticketIDs(got)); diff != "" {
			t.Errorf("max %d: ticket ids (-want +got):\n%s", tt.max, diff)
		}
		if n := e.calls("GET /api/v2/search.json") - before; n != tt.wantCalls {
			t.Errorf("max %d: %d calls, want %d", tt.max, n, tt.wantCalls)
		}
	}
	if got, err := e.client.SearchTickets(context.Background(), "acme", e.cred, "master", 10); err != nil || len(got) != 0 {
		t.Errorf("a query only a user matches = %v, %v; want no tickets", ticketIDs(got), err)
	}
}

func TestUpdateTicket(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	u := e.acct.AddUser(zendesktest.User{Name: "Ann", Email: "ann@example.com"})
	tk := e.acct.AddTicket(zendesktest.Ticket{Subject: "Printer on fire", RequesterID: u.ID})
	ctx := context.Background()

	got, err := e.client.UpdateTicket(ctx, "acme", e.cred, tk.ID, map[string]any{"status": "pending", "priority": "high"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tk.ID || got.Status != "pending" || got.Priority != "high" {
		t.Errorf("answer = %+v, want the ticket pending and high", got)
	}
	if stored, _ := e.acct.Ticket(tk.ID); stored.Status != "pending" {
		t.Errorf("Zendesk holds status %q, want pending", stored.Status)
	}

	_, err = e.client.UpdateTicket(ctx, "acme", e.cred, tk.ID, map[string]any{"status": "bogus"})
	var ae *zendesk.APIError
	if !errors.As(err, &ae) || ae.Status != 422 || ae.Code != "RecordInvalid" ||
		!strings.Contains(ae.Description, "Status: bogus is not valid") {
		t.Fatalf("invalid status: err = %#v, want a 422 RecordInvalid naming the status", err)
	}
	if stored, _ := e.acct.Ticket(tk.ID); stored.Status != "pending" {
		t.Errorf("a refused update changed status to %q", stored.Status)
	}

	if _, err := e.client.UpdateTicket(ctx, "acme", e.cred, 999999, map[string]any{"status": "open"}); !zendesk.IsNotFound(err) {
		t.Errorf("unknown ticket: err = %v, want a typed 404", err)
	}
	before := e.acct.Stats().Requests
	if _, err := e.client.UpdateTicket(ctx, "acme", e.cred, tk.ID, nil); err == nil {
		t.Error("an update with no fields succeeded")
	}
	if e.acct.Stats().Requests != before {
		t.Error("an update with no fields reached Zendesk")
	}
}
