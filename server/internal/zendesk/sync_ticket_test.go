package zendesk_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// catalog is a customer with everything a ticket can name.
type catalog struct {
	org       zendesktest.Organization
	requester zendesktest.User
	agent     zendesktest.User
	group     zendesktest.Group
	brand     zendesktest.Brand
	form      zendesktest.TicketForm
}

func seedCatalog(e *syncEmu) catalog {
	org := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "SF-001A"})
	return catalog{
		org:       org,
		requester: e.acct.AddUser(zendesktest.User{Name: "Peter Gibbons", Email: "peter@initech.example", OrganizationID: org.ID}),
		agent:     e.acct.AddUser(zendesktest.User{Name: "Samir Nagheenanajar", Email: "samir@acme.test", Role: zendesktest.RoleAgent}),
		group:     e.acct.AddGroup("Tier 2"),
		brand:     e.acct.AddBrand(zendesktest.Brand{Name: "Initrode Support"}),
		form:      e.acct.AddTicketForm(zendesktest.TicketForm{Name: "Hardware"}),
	}
}

func (c catalog) ticket(subject string) zendesktest.Ticket {
	return zendesktest.Ticket{
		Subject: subject, Description: "It jams on every TPS report.", Status: "open", Priority: "high", Type: "incident",
		RequesterID: c.requester.ID, AssigneeID: c.agent.ID, GroupID: c.group.ID, BrandID: c.brand.ID, TicketFormID: c.form.ID,
		Tags: []string{"printer", "tps"},
		CustomFields: []zendesktest.CustomField{
			{ID: 501, Value: "hw_printer"}, {ID: 502, Value: true}, {ID: 503, Value: []string{"floor_2", "room_b"}},
			{ID: 504, Value: nil},
		},
	}
}

func TestSyncTicketNamesEverythingInOneCall(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	c := seedCatalog(e)
	created := e.clock.Now()
	tk := e.acct.AddTicket(c.ticket("PC Load Letter"))
	e.clock.Advance(90 * time.Minute)
	solved := e.clock.Now()
	if _, err := e.acct.UpdateTicket(tk.ID, func(t *zendesktest.Ticket) { t.Status = "solved" }); err != nil {
		t.Fatal(err)
	}

	e.acct.ResetStats()
	got, err := e.source.Ticket(ctx, e.tenant, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := crossview.SyncTicket{
		Tenant: "acme", ID: tk.ID, URL: e.acct.BaseURL() + "/agent/tickets/" + strconv.FormatInt(tk.ID, 10),
		Subject: "PC Load Letter", Description: "It jams on every TPS report.", Status: "solved", Priority: "high", Type: "incident",
		Requester:    crossview.TicketPerson{ID: c.requester.ID, Name: "Peter Gibbons", Email: "peter@initech.example"},
		Assignee:     crossview.TicketPerson{ID: c.agent.ID, Name: "Samir Nagheenanajar", Email: "samir@acme.test"},
		Organization: crossview.TicketOrganization{ID: c.org.ID, Name: "Initech", ExternalID: "SF-001A"},
		GroupName:    "Tier 2", BrandName: "Initrode Support", FormName: "Hardware",
		Tags:         []string{"printer", "tps"},
		CustomFields: map[int64]any{501: "hw_printer", 502: true, 503: []string{"floor_2", "room_b"}, 504: nil},
		CreatedAt:    created, UpdatedAt: solved, SolvedAt: solved,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("ticket mismatch (-want +got):\n%s", d)
	}
	if n := e.acct.Stats().Requests; n != 1 {
		t.Fatalf("reading the ticket took %d calls, want 1: %v", n, e.acct.Stats().ByEndpoint)
	}

	// Reopened, it is no longer solved.
	if _, err := e.acct.UpdateTicket(tk.ID, func(t *zendesktest.Ticket) { t.Status = "open" }); err != nil {
		t.Fatal(err)
	}
	got, err = e.source.Ticket(ctx, e.tenant, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "open" || !got.SolvedAt.IsZero() {
		t.Fatalf("reopened ticket: status %q, solved at %v; want open and no solved time", got.Status, got.SolvedAt)
	}
}

func TestSyncTicketDeletedIsNotFound(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	tk := e.acct.AddTicket(seedCatalog(e).ticket("Gone soon"))
	if err := e.acct.DeleteTicket(tk.ID); err != nil {
		t.Fatal(err)
	}
	_, err := e.source.Ticket(context.Background(), e.tenant, tk.ID)
	if !zendesk.IsNotFound(err) {
		t.Fatalf("deleted ticket: err = %v, want a not-found error", err)
	}
	if crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("deleted ticket: code %q, want %q", crossview.ErrorCode(err), crossview.ENOTFOUND)
	}
}

func TestSyncTicketWithNothingSet(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	req := e.acct.AddUser(zendesktest.User{Name: "Milton Waddams", Email: "milton@initech.example"})
	tk := e.acct.AddTicket(zendesktest.Ticket{Subject: "My stapler", RequesterID: req.ID})
	e.acct.ResetStats()
	got, err := e.source.Ticket(context.Background(), e.tenant, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Assignee != (crossview.TicketPerson{}) || got.Organization != (crossview.TicketOrganization{}) ||
		got.GroupName != "" || got.BrandName != "" || got.FormName != "" || got.Priority != "" || got.Type != "" {
		t.Fatalf("unset fields came back set: %+v", got)
	}
	if got.Requester.Name != "Milton Waddams" {
		t.Fatalf("requester = %+v", got.Requester)
	}
	if n := e.acct.Stats().Requests; n != 1 {
		t.Fatalf("took %d calls, want 1: %v", n, e.acct.Stats().ByEndpoint)
	}
}
