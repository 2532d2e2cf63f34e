package zendesktest

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTicketRestrictions: users carry ticket_restriction and
// restricted_agent as Zendesk sends them, with its defaults, and refuse
// restrictions the role cannot have.
func TestTicketRestrictions(t *testing.T) {
	f := newFixture(t)
	user := func(id int64) map[string]any {
		resp, b := f.get(t, "/api/v2/users/"+strconv.FormatInt(id, 10)+".json")
		wantStatus(t, resp, b, http.StatusOK)
		return decode(t, b)["user"].(map[string]any)
	}
	for _, c := range []struct {
		who        User
		restrict   any
		restricted bool
	}{{f.admin, nil, false}, {f.agent, nil, false}, {f.endUser, "requested", false}} {
		u := user(c.who.ID)
		if u["ticket_restriction"] != c.restrict || u["restricted_agent"] != c.restricted {
			t.Errorf("%s: ticket_restriction %v, restricted_agent %v; want %v, %v", c.who.Role, u["ticket_restriction"], u["restricted_agent"], c.restrict, c.restricted)
		}
	}
	if err := f.acct.SetTicketRestriction(f.agent.ID, "groups"); err != nil {
		t.Fatal(err)
	}
	if u := user(f.agent.ID); u["ticket_restriction"] != "groups" || u["restricted_agent"] != true {
		t.Errorf("restricted agent: %v", u)
	}
	for who, r := range map[int64]string{f.admin.ID: "groups", f.agent.ID: "brand", f.endUser.ID: "assigned"} {
		if err := f.acct.SetTicketRestriction(who, r); err == nil {
			t.Errorf("user %d accepted restriction %q", who, r)
		}
	}
}

// TestMembershipLists: a user's group and organization memberships, the
// default organization first, paginated like every offset list.
func TestMembershipLists(t *testing.T) {
	f := newFixture(t)
	support, billing := f.acct.AddGroup("Support"), f.acct.AddGroup("Billing")
	f.acct.AddGroupMembership(f.agent.ID, support.ID)
	f.acct.AddGroupMembership(f.agent.ID, billing.ID)
	f.acct.AddGroupMembership(f.admin.ID, billing.ID)
	other := f.acct.AddOrganization(Organization{Name: "Other Org"})
	f.acct.AddOrganizationMembership(f.endUser.ID, other.ID)

	groups := func(path string) ([]float64, map[string]any) {
		resp, b := f.get(t, path)
		wantStatus(t, resp, b, http.StatusOK)
		body := decode(t, b)
		var ids []float64
		for _, m := range body["group_memberships"].([]any) {
			gm := m.(map[string]any)
			if gm["user_id"] != float64(f.agent.ID) {
				t.Errorf("membership of another user: %v", gm)
			}
			ids = append(ids, gm["group_id"].(float64))
		}
		return ids, body
	}
	ids, body := groups("/api/v2/users/" + strconv.FormatInt(f.agent.ID, 10) + "/group_memberships.json")
	if diff := cmp.Diff([]float64{float64(support.ID), float64(billing.ID)}, ids); diff != "" || body["count"] != float64(2) || body["next_page"] != nil {
		t.Errorf("group memberships (-want +got):\n%s\n%v", diff, body)
	}
	ids, body = groups("/api/v2/users/" + strconv.FormatInt(f.agent.ID, 10) + "/group_memberships.json?per_page=1")
	if len(ids) != 1 || body["next_page"] == nil {
		t.Errorf("page 1 of 2: %v", body)
	}

	resp, b := f.get(t, "/api/v2/users/"+strconv.FormatInt(f.endUser.ID, 10)+"/organization_memberships.json")
	wantStatus(t, resp, b, http.StatusOK)
	list := decode(t, b)["organization_memberships"].([]any)
	if len(list) != 2 {
		t.Fatalf("organization memberships: %v", list)
	}
	first, second := list[0].(map[string]any), list[1].(map[string]any)
	if first["organization_id"] != float64(f.org.ID) || first["default"] != true || second["organization_id"] != float64(other.ID) || second["default"] != nil || second["organization_name"] != "Other Org" {
		t.Errorf("organization memberships: %v", list)
	}

	for _, path := range []string{"/api/v2/users/1/group_memberships.json", "/api/v2/users/1/organization_memberships.json"} {
		resp, b := f.get(t, path)
		wantStatus(t, resp, b, http.StatusNotFound)
	}
}
