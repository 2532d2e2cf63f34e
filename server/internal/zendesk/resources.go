package zendesk

import (
	"context"
	"fmt"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Ticket is a Zendesk ticket, as the API returns it.
type Ticket struct {
	ID             int64     `json:"id"`
	URL            string    `json:"url"`
	Subject        string    `json:"subject"`
	Description    string    `json:"description"`
	Status         string    `json:"status"`
	Priority       string    `json:"priority"`
	Type           string    `json:"type"`
	RequesterID    int64     `json:"requester_id"`
	SubmitterID    int64     `json:"submitter_id"`
	AssigneeID     int64     `json:"assignee_id"`
	OrganizationID int64     `json:"organization_id"`
	GroupID        int64     `json:"group_id"`
	Tags           []string  `json:"tags"`
	ExternalID     string    `json:"external_id"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// User is a Zendesk user.
type User struct {
	ID             int64     `json:"id"`
	URL            string    `json:"url"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Role           string    `json:"role"`
	OrganizationID int64     `json:"organization_id"`
	ExternalID     string    `json:"external_id"`
	Active         bool      `json:"active"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Organization is a Zendesk organization.
type Organization struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Name        string    `json:"name"`
	ExternalID  string    `json:"external_id"`
	DomainNames []string  `json:"domain_names"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TicketWithUsers returns a ticket and the users it references, in one call
// (the users sideload).
func (c *Client) TicketWithUsers(ctx context.Context, subdomain string, cred Credentials, id int64) (Ticket, []User, error) {
	var r struct {
		Ticket Ticket `json:"ticket"`
		Users  []User `json:"users"`
	}
	if err := c.get(ctx, subdomain, &cred, fmt.Sprintf("/api/v2/tickets/%d.json?include=users", id), &r); err != nil {
		return Ticket{}, nil, err
	}
	return r.Ticket, r.Users, nil
}

// User returns one user.
func (c *Client) User(ctx context.Context, subdomain string, cred Credentials, id int64) (User, error) {
	var r struct {
		User User `json:"user"`
	}
	err := c.get(ctx, subdomain, &cred, fmt.Sprintf("/api/v2/users/%d.json", id), &r)
	return r.User, err
}

// Me returns the user the credential belongs to.
func (c *Client) Me(ctx context.Context, subdomain string, cred Credentials) (User, error) {
	var r struct {
		User User `json:"user"`
	}
	err := c.get(ctx, subdomain, &cred, "/api/v2/users/me.json", &r)
	return r.User, err
}

// AppPublicKey returns the PEM public key that signs the app's JWTs. The
// endpoint is anonymous.
func (c *Client) AppPublicKey(ctx context.Context, subdomain string, appID int64) ([]byte, error) {
	var pem []byte
	if err := c.get(ctx, subdomain, nil, fmt.Sprintf("/api/v2/apps/%d/public_key.pem", appID), &pem); err != nil {
		return nil, err
	}
	return pem, nil
}

// Requester returns who asked for a ticket, read from Zendesk (never from
// the browser), in one call.
func (c *Client) Requester(ctx context.Context, t crossview.Tenant, ticketID int64) (crossview.Requester, error) {
	_, r, err := c.TicketFacts(ctx, t, ticketID)
	return r, err
}
