package auth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crossview/crossview/server/internal/crossview"
)

// panelAudience keeps panel tokens from being confused with any other JWT
// signed with a key derived from the same secret.
const panelAudience = "crossview-panel"

// PanelTokens issues and checks the short-lived tokens a panel iframe sends
// in a header after its first signed load.
type PanelTokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time

	// verified remembers tokens whose signature already checked out, so a
	// panel that polls does not pay for JSON and HMAC on every request;
	// expiry is still checked every time.
	mu       sync.Mutex
	verified map[string]panelClaims
}

// maxVerified bounds the verified-token memo.
const maxVerified = 10_000

// boundTTL caps a ticket-bound token's life, so an agent who loses access
// to a ticket loses its panel within minutes: the shell binds again with
// its own token, and the binding checks access again.
const boundTTL = 10 * time.Minute

// NewPanelTokens returns an issuer; key must be a dedicated 32-byte secret.
func NewPanelTokens(key []byte, ttl time.Duration, now func() time.Time) *PanelTokens {
	return &PanelTokens{key: key, ttl: ttl, now: now, verified: map[string]panelClaims{}}
}

type panelClaims struct {
	jwt.RegisteredClaims
	Tenant   string `json:"tnt,omitempty"`
	Location string `json:"loc"`
	OrgID    string `json:"org,omitempty"`
	// Record is the Salesforce record resolved at the signed load, so
	// refreshes need neither the rep's token nor another Salesforce call.
	Record *crossview.SalesforceRecord `json:"rec,omitempty"`
	// Ticket is the Zendesk ticket a sidebar token was bound to.
	Ticket int64 `json:"tkt,omitempty"`
}

// Issue returns a token for p, valid for the configured TTL. It may outlive
// the host's own token, which only proves the first load.
func (t *PanelTokens) Issue(p crossview.Principal) (string, error) {
	now := t.now()
	c := panelClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.UserID,
			Audience:  jwt.ClaimStrings{panelAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
		},
		Tenant: p.Tenant, Location: p.Location, OrgID: p.OrgID, Record: p.Record,
	}
	return t.sign(c)
}

// Bind returns a token for the sidebar panel of one ticket, for the
// principal of a shell token (verified, not yet bound), once the caller
// has checked that the agent may see the ticket. It expires with the
// shell token, and within boundTTL.
func (t *PanelTokens) Bind(p crossview.Principal, ticketID int64) (string, error) {
	if p.Location != crossview.LocationZendeskSidebar || p.TicketID != 0 || ticketID <= 0 {
		return "", crossview.Errorf(crossview.EFORBIDDEN, "Only the sidebar's own token can be bound to a ticket; reopen the panel.")
	}
	now := t.now()
	exp := now.Add(min(t.ttl, boundTTL))
	if !p.Expires.IsZero() && p.Expires.Before(exp) {
		exp = p.Expires
	}
	return t.sign(panelClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.UserID,
			Audience:  jwt.ClaimStrings{panelAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Tenant: p.Tenant, Location: p.Location, Ticket: ticketID,
	})
}

func (t *PanelTokens) sign(c panelClaims) (string, error) {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("auth: signing panel token: %w", err)
	}
	return s, nil
}

// Verify checks a panel token and that it was issued for location. A
// sidebar token bound to a ticket says which in Principal.TicketID;
// callers serving one ticket's data must compare it (VerifyTicket).
func (t *PanelTokens) Verify(token, location string) (crossview.Principal, error) {
	if token == "" {
		return crossview.Principal{}, unauthorized("The panel token is missing; reopen the panel.", nil)
	}
	if len(token) > maxJWT {
		return crossview.Principal{}, unauthorized("The panel token is too large.", nil)
	}
	t.mu.Lock()
	c, ok := t.verified[token]
	t.mu.Unlock()
	if ok {
		if !t.now().Before(c.ExpiresAt.Time) {
			return crossview.Principal{}, unauthorized("The panel session expired; reopen the panel.", nil)
		}
		return t.principalFor(c, location)
	}
	c, err := t.parse(token)
	if err != nil {
		return crossview.Principal{}, err
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerified {
		clear(t.verified)
	}
	t.verified[token] = c
	t.mu.Unlock()
	return t.principalFor(c, location)
}

func (t *PanelTokens) parse(token string) (panelClaims, error) {
	var c panelClaims
	_, err := jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithAudience(panelAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	).ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil })
	if errors.Is(err, jwt.ErrTokenExpired) {
		return c, unauthorized("The panel session expired; reopen the panel.", err)
	}
	if err != nil {
		return c, unauthorized("The panel token is not valid.", err)
	}
	return c, nil
}

func (t *PanelTokens) principalFor(c panelClaims, location string) (crossview.Principal, error) {
	if c.Location != location {
		return crossview.Principal{}, unauthorized("The panel token was issued for another place.", nil)
	}
	// Zendesk panels belong to a tenant; Salesforce panels to an org and
	// the record they were opened on.
	switch location {
	case crossview.LocationZendeskSidebar:
		if !crossview.ValidSubdomain(c.Tenant) || c.Ticket < 0 {
			return crossview.Principal{}, unauthorized("The panel token names no Zendesk account.", nil)
		}
	case crossview.LocationSalesforceRecord:
		if !crossview.ValidOrgID(c.OrgID) || c.Record == nil || c.Record.OrgID != c.OrgID || c.Ticket != 0 {
			return crossview.Principal{}, unauthorized("The panel token names no Salesforce record.", nil)
		}
	}
	return crossview.Principal{Tenant: c.Tenant, UserID: c.Subject, Location: c.Location, OrgID: c.OrgID, Record: c.Record, TicketID: c.Ticket, Expires: c.ExpiresAt.Time}, nil
}

// VerifyTicket checks a sidebar token bound to ticketID. The shell's own
// token and a token bound to another ticket are refused with 403: the
// identity is fine, the ticket is not theirs to read.
func (t *PanelTokens) VerifyTicket(token string, ticketID int64) (crossview.Principal, error) {
	p, err := t.Verify(token, crossview.LocationZendeskSidebar)
	if err != nil {
		return p, err
	}
	if p.TicketID == 0 {
		return crossview.Principal{}, crossview.Errorf(crossview.EFORBIDDEN, "The panel token is not bound to a ticket; reload the panel.")
	}
	if p.TicketID != ticketID {
		return crossview.Principal{}, crossview.Errorf(crossview.EFORBIDDEN, "The panel token was issued for another ticket; reload the panel.")
	}
	return p, nil
}
