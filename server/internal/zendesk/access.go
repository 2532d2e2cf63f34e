package zendesk

import (
	"context"
	"fmt"
	"net/url"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxMembershipPages bounds a membership list: 1,000 groups or
// organizations is far past any real agent's.
const maxMembershipPages = 10

// accessUser is the part of a user's JSON that decides ticket access.
type accessUser struct {
	ID                int64   `json:"id"`
	Role              string  `json:"role"`
	Active            bool    `json:"active"`
	Suspended         bool    `json:"suspended"`
	ChatOnly          bool    `json:"chat_only"`
	TicketRestriction *string `json:"ticket_restriction"`
	RestrictedAgent   bool    `json:"restricted_agent"`
	CustomRoleID      *int64  `json:"custom_role_id"`
}

// AgentAccess reads what decides which tickets a user may see: the user
// (role, ticket_restriction, restricted_agent, custom_role_id, which
// Zendesk fills from the custom role's ticket access) and, when the
// restriction needs them, the user's group or organization memberships.
// It reads with the tenant's own credential; a user Zendesk does not know
// is refused.
func (c *Client) AgentAccess(ctx context.Context, t crossview.Tenant, userID int64) (crossview.AgentAccess, error) {
	if userID <= 0 {
		return crossview.AgentAccess{}, crossview.Errorf(crossview.EFORBIDDEN, "The Zendesk token names no user.")
	}
	cred := CredentialsOf(t)
	var r struct {
		User accessUser `json:"user"`
	}
	if err := c.get(ctx, t.Subdomain, &cred, fmt.Sprintf("/api/v2/users/%d.json", userID), &r); err != nil {
		if IsNotFound(err) {
			return crossview.AgentAccess{}, crossview.Wrap(crossview.EFORBIDDEN, "Zendesk does not know your user, so Crossview shows you nothing.", err)
		}
		return crossview.AgentAccess{}, UserError(err)
	}
	u := r.User
	a := crossview.AgentAccess{
		UserID: u.ID, Role: u.Role, Active: u.Active, Suspended: u.Suspended, ChatOnly: u.ChatOnly,
		Restricted: u.RestrictedAgent,
	}
	if u.TicketRestriction != nil {
		a.Restriction = *u.TicketRestriction
	}
	if u.CustomRoleID != nil {
		a.CustomRoleID = *u.CustomRoleID
	}
	if a.MaySeeTickets() != nil || a.Role == crossview.RoleAdmin {
		return a, nil
	}
	var err error
	switch a.Restriction {
	case crossview.RestrictGroups:
		a.GroupIDs, err = c.memberships(ctx, t.Subdomain, cred, fmt.Sprintf("/api/v2/users/%d/group_memberships.json", userID))
	case crossview.RestrictOrganization:
		a.OrganizationIDs, err = c.memberships(ctx, t.Subdomain, cred, fmt.Sprintf("/api/v2/users/%d/organization_memberships.json", userID))
	}
	if err != nil {
		return crossview.AgentAccess{}, UserError(err)
	}
	return a, nil
}

// membershipPage is one offset page of group or organization
// memberships.
type membershipPage struct {
	Groups []struct {
		GroupID int64 `json:"group_id"`
	} `json:"group_memberships"`
	Organizations []struct {
		OrganizationID int64 `json:"organization_id"`
	} `json:"organization_memberships"`
	NextPage *string `json:"next_page"`
}

// ids returns the group or organization ids the page lists.
func (p membershipPage) ids() []int64 {
	var out []int64
	for _, m := range p.Groups {
		out = append(out, m.GroupID)
	}
	for _, m := range p.Organizations {
		out = append(out, m.OrganizationID)
	}
	return out
}

// memberships lists the group or organization ids of every membership at
// apiPath, following offset pages (next_page) that stay inside the
// account.
func (c *Client) memberships(ctx context.Context, sub string, cred Credentials, apiPath string) ([]int64, error) {
	next := apiPath + "?" + url.Values{"per_page": {"100"}}.Encode()
	seen := map[string]bool{}
	var ids []int64
	for page := 1; ; page++ {
		if page > maxMembershipPages {
			return nil, &PaginationError{Reason: fmt.Sprintf("no end after %d pages", maxMembershipPages)}
		}
		var p membershipPage
		if err := c.get(ctx, sub, &cred, next, &p); err != nil {
			return nil, err
		}
		got := p.ids()
		ids = append(ids, got...)
		if p.NextPage == nil || *p.NextPage == "" || len(got) == 0 {
			return ids, nil
		}
		n, err := c.nextPath(sub, *p.NextPage)
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, &PaginationError{Reason: "the server repeated a page"}
		}
		seen[n], next = true, n
	}
}

// TicketFacts reads a ticket with its users sideloaded, in one call: who
// may see it, and who asked for it (read from Zendesk, never from the
// browser).
func (c *Client) TicketFacts(ctx context.Context, t crossview.Tenant, ticketID int64) (crossview.TicketScope, crossview.Requester, error) {
	ticket, users, err := c.TicketWithUsers(ctx, t.Subdomain, CredentialsOf(t), ticketID)
	if err != nil {
		return crossview.TicketScope{}, crossview.Requester{}, UserError(err)
	}
	scope := crossview.TicketScope{
		ID: ticket.ID, GroupID: ticket.GroupID, OrganizationID: ticket.OrganizationID,
		AssigneeID: ticket.AssigneeID, RequesterID: ticket.RequesterID,
	}
	for _, u := range users {
		if u.ID == ticket.RequesterID {
			return scope, crossview.Requester{ZendeskUserID: u.ID, Name: u.Name, Email: u.Email}, nil
		}
	}
	// The sideload should always carry the requester; ask directly if not.
	u, err := c.User(ctx, t.Subdomain, CredentialsOf(t), ticket.RequesterID)
	if err != nil {
		return crossview.TicketScope{}, crossview.Requester{}, UserError(err)
	}
	return scope, crossview.Requester{ZendeskUserID: u.ID, Name: u.Name, Email: u.Email}, nil
}
