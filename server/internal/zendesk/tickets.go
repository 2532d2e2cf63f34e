package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// RequestedTickets lists the tickets a user requested, newest update
// first, following cursor pagination until max tickets (at most 1,000) or
// the end. max < 1 lists nothing. Archived tickets are not included, as
// Zendesk leaves them out of this endpoint.
func (c *Client) RequestedTickets(ctx context.Context, sub string, cred Credentials, userID int64, max int) ([]Ticket, error) {
	return c.listTickets(ctx, sub, cred, fmt.Sprintf("/api/v2/users/%d/tickets/requested.json", userID), max)
}

// OrganizationTickets lists an organization's tickets, newest update
// first, the same way as RequestedTickets.
func (c *Client) OrganizationTickets(ctx context.Context, sub string, cred Credentials, orgID int64, max int) ([]Ticket, error) {
	return c.listTickets(ctx, sub, cred, fmt.Sprintf("/api/v2/organizations/%d/tickets.json", orgID), max)
}

// UpdateTicket changes fields of a ticket (status, priority, tags,
// comment, ...) and returns the ticket as Zendesk stored it. A value
// Zendesk refuses comes back as a 422 *APIError whose Description holds
// the reason per field.
func (c *Client) UpdateTicket(ctx context.Context, sub string, cred Credentials, id int64, fields map[string]any) (Ticket, error) {
	if len(fields) == 0 {
		return Ticket{}, errors.New("zendesk: updating a ticket: no fields to change")
	}
	var r struct {
		Ticket Ticket `json:"ticket"`
	}
	body := map[string]any{"ticket": fields}
	if err := c.do(ctx, sub, &cred, http.MethodPut, fmt.Sprintf("/api/v2/tickets/%d.json", id), body, &r); err != nil {
		return Ticket{}, err
	}
	return r.Ticket, nil
}
