package crossview

import "testing"

// TestMaySee walks Zendesk's ticket-access rules: admins and unrestricted
// agents see everything; restricted agents see their groups', their
// organizations' or their own tickets; end-users, chat-only, suspended and
// deleted users see nothing in the sidebar.
func TestMaySee(t *testing.T) {
	const me = 7
	inGroup := TicketScope{ID: 1, GroupID: 10, OrganizationID: 20, AssigneeID: 99, RequesterID: 50}
	otherGroup := TicketScope{ID: 2, GroupID: 11, OrganizationID: 21, AssigneeID: 99, RequesterID: 50}
	assignedToMe := TicketScope{ID: 3, GroupID: 11, OrganizationID: 21, AssigneeID: me, RequesterID: 50}
	requestedByMe := TicketScope{ID: 4, GroupID: 11, OrganizationID: 21, RequesterID: me}
	agent := func(r string) AgentAccess {
		return AgentAccess{UserID: me, Role: RoleAgent, Active: true, Restriction: r, Restricted: r != "", GroupIDs: []int64{10}, OrganizationIDs: []int64{20}}
	}
	cases := []struct {
		name string
		who  AgentAccess
		yes  []TicketScope
		no   []TicketScope
	}{
		{"admin", AgentAccess{UserID: me, Role: RoleAdmin, Active: true}, []TicketScope{inGroup, otherGroup}, nil},
		{"unrestricted agent", agent(""), []TicketScope{inGroup, otherGroup}, nil},
		{"groups", agent(RestrictGroups), []TicketScope{inGroup, assignedToMe}, []TicketScope{otherGroup, requestedByMe}},
		{"organization", agent(RestrictOrganization), []TicketScope{inGroup, assignedToMe}, []TicketScope{otherGroup}},
		{"assigned", agent(RestrictAssigned), []TicketScope{assignedToMe}, []TicketScope{inGroup, otherGroup, requestedByMe}},
		{"requested", agent(RestrictRequested), []TicketScope{requestedByMe, assignedToMe}, []TicketScope{inGroup, otherGroup}},
		{"unknown restriction", agent("brand"), []TicketScope{assignedToMe}, []TicketScope{inGroup}},
		{"restricted, restriction unread", AgentAccess{UserID: me, Role: RoleAgent, Active: true, Restricted: true}, []TicketScope{assignedToMe}, []TicketScope{inGroup}},
		{"end-user", AgentAccess{UserID: me, Role: RoleEndUser, Active: true, Restriction: RestrictRequested}, nil, []TicketScope{requestedByMe, inGroup}},
		{"chat-only agent", AgentAccess{UserID: me, Role: RoleAgent, Active: true, ChatOnly: true}, nil, []TicketScope{inGroup}},
		{"suspended admin", AgentAccess{UserID: me, Role: RoleAdmin, Active: true, Suspended: true}, nil, []TicketScope{inGroup}},
		{"deleted agent", AgentAccess{UserID: me, Role: RoleAgent}, nil, []TicketScope{inGroup}},
	}
	for _, c := range cases {
		for _, tk := range c.yes {
			if err := c.who.MaySee(tk); err != nil {
				t.Errorf("%s may not see ticket %d: %v", c.name, tk.ID, err)
			}
		}
		for _, tk := range c.no {
			err := c.who.MaySee(tk)
			if ErrorCode(err) != EFORBIDDEN || ErrorMessage(err) == "" {
				t.Errorf("%s sees ticket %d (%v)", c.name, tk.ID, err)
			}
		}
	}
}
