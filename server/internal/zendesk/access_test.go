package zendesk_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestAgentAccess reads each kind of user's access facts through the real
// client, reading memberships only when the restriction needs them.
func TestAgentAccess(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	tenant := crossview.Tenant{Subdomain: "acme", APIEmail: e.cred.APIEmail, APIToken: e.cred.APIToken}
	support, billing := e.acct.AddGroup("Support"), e.acct.AddGroup("Billing")
	org := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech"})
	other := e.acct.AddOrganization(zendesktest.Organization{Name: "Hooli"})
	add := func(name, role, restriction string, orgID int64) zendesktest.User {
		return e.acct.AddUser(zendesktest.User{Name: name, Email: name + "@acme.test", Role: role, TicketRestriction: restriction, OrganizationID: orgID})
	}
	grouped := add("grouped", zendesktest.RoleAgent, "groups", 0)
	e.acct.AddGroupMembership(grouped.ID, support.ID)
	e.acct.AddGroupMembership(grouped.ID, billing.ID)
	orgAgent := add("orged", zendesktest.RoleAgent, "organization", org.ID)
	e.acct.AddOrganizationMembership(orgAgent.ID, other.ID)
	admin := add("admin", zendesktest.RoleAdmin, "", 0)
	customer := add("customer", zendesktest.RoleEndUser, "", org.ID)

	for _, c := range []struct {
		user            zendesktest.User
		want            crossview.AgentAccess
		membershipCalls int
	}{
		{grouped, crossview.AgentAccess{Role: "agent", Restriction: "groups", Restricted: true, GroupIDs: []int64{support.ID, billing.ID}}, 1},
		{orgAgent, crossview.AgentAccess{Role: "agent", Restriction: "organization", Restricted: true, OrganizationIDs: []int64{org.ID, other.ID}}, 1},
		{admin, crossview.AgentAccess{Role: "admin"}, 0},
		{customer, crossview.AgentAccess{Role: "end-user", Restriction: "requested"}, 0},
	} {
		before := e.calls("GET /api/v2/users/{user_id}/group_memberships.json") + e.calls("GET /api/v2/users/{user_id}/organization_memberships.json")
		got, err := e.client.AgentAccess(context.Background(), tenant, c.user.ID)
		if err != nil {
			t.Fatalf("%s: %v", c.user.Name, err)
		}
		c.want.UserID, c.want.Active = c.user.ID, true
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.user.Name, diff)
		}
		after := e.calls("GET /api/v2/users/{user_id}/group_memberships.json") + e.calls("GET /api/v2/users/{user_id}/organization_memberships.json")
		if after-before != c.membershipCalls {
			t.Errorf("%s: %d membership calls, want %d", c.user.Name, after-before, c.membershipCalls)
		}
	}
	_, err := e.client.AgentAccess(context.Background(), tenant, 999)
	if crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Errorf("an unknown user: %v, want forbidden", err)
	}
}

// TestTicketFacts: one call gives who may see a ticket and who asked.
func TestTicketFacts(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	tenant := crossview.Tenant{Subdomain: "acme", APIEmail: e.cred.APIEmail, APIToken: e.cred.APIToken}
	c := seedCustomer(e, 1)
	g := e.acct.AddGroup("Support")
	tk, err := e.acct.UpdateTicket(c.newestFirst[0], func(tk *zendesktest.Ticket) { tk.GroupID = g.ID })
	if err != nil {
		t.Fatal(err)
	}
	scope, who, err := e.client.TicketFacts(context.Background(), tenant, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := crossview.TicketScope{ID: tk.ID, GroupID: g.ID, OrganizationID: c.org.ID, RequesterID: c.user.ID}
	if scope != want || who.Email != "peter@initech.example" {
		t.Errorf("scope %+v requester %+v", scope, who)
	}
	if n := e.acct.Stats().Requests; n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
