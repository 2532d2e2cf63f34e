package zendesk

import (
	"context"
	"strconv"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Tickets answers the ticket view's questions about one Zendesk account in
// the shared vocabulary, with errors worded for the rep (UserError).
type Tickets struct{ c *Client }

// TicketsFor returns the ticket view's adapter over c.
func TicketsFor(c *Client) *Tickets { return &Tickets{c: c} }

// FindUserID finds the user with this email.
func (z *Tickets) FindUserID(ctx context.Context, t crossview.Tenant, email string) (int64, bool, error) {
	u, ok, err := z.c.UserByEmail(ctx, t.Subdomain, CredentialsOf(t), email)
	return u.ID, ok, UserError(err)
}

// FindOrganizationID finds an organization by external id, then by name.
func (z *Tickets) FindOrganizationID(ctx context.Context, t crossview.Tenant, externalID, name string) (int64, bool, error) {
	cred := CredentialsOf(t)
	if externalID != "" {
		o, ok, err := z.c.OrganizationByExternalID(ctx, t.Subdomain, cred, externalID)
		if err != nil || ok {
			return o.ID, ok, UserError(err)
		}
	}
	if name == "" {
		return 0, false, nil
	}
	o, ok, err := z.c.OrganizationByName(ctx, t.Subdomain, cred, name)
	return o.ID, ok, UserError(err)
}

// RequestedTickets lists a user's requested tickets.
func (z *Tickets) RequestedTickets(ctx context.Context, t crossview.Tenant, userID int64, max int) ([]crossview.Ticket, error) {
	ts, err := z.c.RequestedTickets(ctx, t.Subdomain, CredentialsOf(t), userID, max)
	return z.domain(t, ts), UserError(err)
}

// OrganizationTickets lists an organization's tickets.
func (z *Tickets) OrganizationTickets(ctx context.Context, t crossview.Tenant, orgID int64, max int) ([]crossview.Ticket, error) {
	ts, err := z.c.OrganizationTickets(ctx, t.Subdomain, CredentialsOf(t), orgID, max)
	return z.domain(t, ts), UserError(err)
}

// UserNames returns the names of users by id.
func (z *Tickets) UserNames(ctx context.Context, t crossview.Tenant, ids []int64) (map[int64]string, error) {
	us, err := z.c.UsersByID(ctx, t.Subdomain, CredentialsOf(t), ids)
	if err != nil {
		return nil, UserError(err)
	}
	names := make(map[int64]string, len(us))
	for _, u := range us {
		names[u.ID] = u.Name
	}
	return names, nil
}

// SearchRequesterTickets is the search fallback for an email no user has
// as primary; its index lags minutes. Only tickets whose requester holds
// exactly this email come back.
func (z *Tickets) SearchRequesterTickets(ctx context.Context, t crossview.Tenant, email string, max int) ([]crossview.Ticket, error) {
	ts, err := z.c.RequesterTicketsBySearch(ctx, t.Subdomain, CredentialsOf(t), email, max)
	return z.domain(t, ts), UserError(err)
}

// Ticket reads one ticket, for webhook bodies that name only the ticket.
func (z *Tickets) Ticket(ctx context.Context, t crossview.Tenant, id int64) (crossview.Ticket, error) {
	tk, _, err := z.c.TicketWithUsers(ctx, t.Subdomain, CredentialsOf(t), id)
	if err != nil {
		return crossview.Ticket{}, UserError(err)
	}
	return z.domain(t, []Ticket{tk})[0], nil
}

func (z *Tickets) domain(t crossview.Tenant, ts []Ticket) []crossview.Ticket {
	out := make([]crossview.Ticket, 0, len(ts))
	base := z.c.BaseURL(t.Subdomain)
	for _, tk := range ts {
		out = append(out, crossview.Ticket{
			Tenant: t.Subdomain, ID: tk.ID, Subject: tk.Subject, Status: tk.Status, Priority: tk.Priority, Type: tk.Type,
			RequesterID: tk.RequesterID, AssigneeID: tk.AssigneeID, OrganizationID: tk.OrganizationID,
			URL:       base + "/agent/tickets/" + strconv.FormatInt(tk.ID, 10),
			CreatedAt: tk.CreatedAt, UpdatedAt: tk.UpdatedAt,
		})
	}
	return out
}
