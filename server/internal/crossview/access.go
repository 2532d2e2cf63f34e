package crossview

import "slices"

// Zendesk ticket restrictions (a user's ticket_restriction); "" is none.
const (
	RestrictOrganization = "organization"
	RestrictGroups       = "groups"
	RestrictAssigned     = "assigned"
	RestrictRequested    = "requested"
)

// Zendesk roles.
const (
	RoleEndUser = "end-user"
	RoleAgent   = "agent"
	RoleAdmin   = "admin"
)

// AgentAccess is what Zendesk decides a user's ticket access by: the
// role, the ticket restriction (set on the user, or by the user's custom
// role on Enterprise plans), and the groups and organizations the user
// belongs to. Only the memberships the restriction needs are read.
type AgentAccess struct {
	UserID      int64  `json:"id"`
	Role        string `json:"role"`
	Active      bool   `json:"active"`
	Suspended   bool   `json:"suspended,omitempty"`
	ChatOnly    bool   `json:"chat_only,omitempty"`
	Restriction string `json:"restriction,omitempty"`
	// Restricted is Zendesk's restricted_agent: an agent without access
	// to every ticket.
	Restricted      bool    `json:"restricted,omitempty"`
	CustomRoleID    int64   `json:"custom_role,omitempty"`
	GroupIDs        []int64 `json:"groups,omitempty"`
	OrganizationIDs []int64 `json:"orgs,omitempty"`
}

// TicketScope is what of a ticket decides who may see it.
type TicketScope struct {
	ID             int64 `json:"id"`
	GroupID        int64 `json:"group,omitempty"`
	OrganizationID int64 `json:"org,omitempty"`
	AssigneeID     int64 `json:"assignee,omitempty"`
	RequesterID    int64 `json:"requester,omitempty"`
}

// MaySeeTickets refuses users who see no ticket in the agent interface:
// end-users (whose own tickets are in the help center, not the sidebar),
// chat-only agents, and suspended or deleted users.
func (a AgentAccess) MaySeeTickets() error {
	switch {
	case !a.Active || a.Suspended:
		return Errorf(EFORBIDDEN, "Your Zendesk user is suspended or deleted, so Crossview shows you nothing.")
	case a.Role != RoleAgent && a.Role != RoleAdmin:
		return Errorf(EFORBIDDEN, "Only Zendesk agents and admins see Crossview's sidebar.")
	case a.ChatOnly:
		return Errorf(EFORBIDDEN, "Chat-only agents do not see Zendesk Support tickets, so Crossview shows them nothing.")
	}
	return nil
}

// MaySee decides as Zendesk does whether the user may see the ticket:
// admins and unrestricted agents see every ticket; an agent restricted to
// groups sees tickets of the groups they belong to, to organizations the
// tickets of their organizations, to assigned tickets those assigned to
// them; and any restricted agent sees the tickets assigned to them. A
// restriction Crossview does not know refuses, rather than guess.
func (a AgentAccess) MaySee(t TicketScope) error {
	if err := a.MaySeeTickets(); err != nil {
		return err
	}
	if a.Role == RoleAdmin || (a.Restriction == "" && !a.Restricted) {
		return nil
	}
	if t.AssigneeID != 0 && t.AssigneeID == a.UserID {
		return nil
	}
	allowed := false
	switch a.Restriction {
	case RestrictGroups:
		allowed = t.GroupID != 0 && slices.Contains(a.GroupIDs, t.GroupID)
	case RestrictOrganization:
		allowed = t.OrganizationID != 0 && slices.Contains(a.OrganizationIDs, t.OrganizationID)
	case RestrictRequested:
		allowed = t.RequesterID == a.UserID
	}
	if !allowed {
		return Errorf(EFORBIDDEN, "Your Zendesk access does not include this ticket (%s), so Crossview shows nothing for it.", restrictionWords(a.Restriction))
	}
	return nil
}

func restrictionWords(r string) string {
	switch r {
	case RestrictGroups:
		return "tickets in your groups"
	case RestrictOrganization:
		return "tickets in your organizations"
	case RestrictAssigned:
		return "tickets assigned to you"
	case RestrictRequested:
		return "tickets you requested"
	}
	return "a restriction Crossview does not know"
}
