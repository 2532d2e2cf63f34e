package auth

import (
	"errors"
	"fmt"
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
}

// NewPanelTokens returns an issuer; key must be a dedicated 32-byte secret.
func NewPanelTokens(key []byte, ttl time.Duration, now func() time.Time) *PanelTokens {
	return &PanelTokens{key: key, ttl: ttl, now: now}
}

type panelClaims struct {
	jwt.RegisteredClaims
	Tenant   string `json:"tnt"`
	Location string `json:"loc"`
	OrgID    string `json:"org,omitempty"`
}

// Issue returns a token for p, valid for the configured TTL (never longer
// than p.Expires allows if that is later than the TTL — the host's own token
// only proves the first load).
func (t *PanelTokens) Issue(p crossview.Principal) (string, error) {
	now := t.now()
	c := panelClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.UserID,
			Audience:  jwt.ClaimStrings{panelAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
		},
		Tenant: p.Tenant, Location: p.Location, OrgID: p.OrgID,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("auth: signing panel token: %w", err)
	}
	return s, nil
}

// Verify checks a panel token and that it was issued for location.
func (t *PanelTokens) Verify(token, location string) (crossview.Principal, error) {
	if token == "" {
		return crossview.Principal{}, unauthorized("The panel token is missing; reopen the panel.", nil)
	}
	if len(token) > maxJWT {
		return crossview.Principal{}, unauthorized("The panel token is too large.", nil)
	}
	var c panelClaims
	_, err := jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithAudience(panelAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	).ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil })
	if errors.Is(err, jwt.ErrTokenExpired) {
		return crossview.Principal{}, unauthorized("The panel session expired; reopen the panel.", err)
	}
	if err != nil {
		return crossview.Principal{}, unauthorized("The panel token is not valid.", err)
	}
	if c.Location != location || !crossview.ValidSubdomain(c.Tenant) {
		return crossview.Principal{}, unauthorized("The panel token was issued for another place.", nil)
	}
	return crossview.Principal{Tenant: c.Tenant, UserID: c.Subject, Location: c.Location, OrgID: c.OrgID, Expires: c.ExpiresAt.Time}, nil
}
