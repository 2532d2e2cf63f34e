package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Identity is the answer of the OAuth identity URL: who granted a token.
type Identity struct {
	ID          string            `json:"id"`
	UserID      string            `json:"user_id"`
	OrgID       string            `json:"organization_id"`
	Username    string            `json:"username"`
	DisplayName string            `json:"display_name"`
	Email       string            `json:"email"`
	UserType    string            `json:"user_type"`
	Active      bool              `json:"active"`
	URLs        map[string]string `json:"urls"`
}

// Identity reads the identity URL (the token answer's "id") with tok.
func (c *Client) Identity(ctx context.Context, env crossview.Environment, tok crossview.Token, idURL string) (Identity, error) {
	u, err := url.Parse(idURL)
	if err != nil || !strings.HasPrefix(u.Path, "/id/") {
		return Identity{}, fmt.Errorf("salesforce: unexpected identity URL %q", idURL)
	}
	// Only ask hosts we trust with the token: the login host or the org's own.
	if !sameOrigin(idURL, c.loginURL(env)) && !sameOrigin(idURL, tok.InstanceURL) {
		return Identity{}, fmt.Errorf("salesforce: identity URL host %q is neither the login host nor the instance", u.Host)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, idURL, nil)
	if err != nil {
		return Identity{}, fmt.Errorf("salesforce: building identity request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.observe("", outcomeOf(ctx, err), start)
		return Identity{}, fmt.Errorf("salesforce: identity: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Identity{}, fmt.Errorf("salesforce: reading identity: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Identity{}, parseAPIError(resp.StatusCode, b)
	}
	var id Identity
	if err := json.Unmarshal(b, &id); err != nil {
		return Identity{}, fmt.Errorf("salesforce: decoding identity: %w", err)
	}
	c.observe(id.OrgID, "200", start)
	return id, nil
}

// Connect turns a refresh token into a grant and the identity behind it, as
// the operator CLI does when a connection is made without a browser.
func (c *Client) Connect(ctx context.Context, env crossview.Environment, refreshToken string) (crossview.Token, Identity, error) {
	ot, err := c.refreshRaw(ctx, env, "", refreshToken)
	if err != nil {
		return crossview.Token{}, Identity{}, err
	}
	tok := c.fromOAuth(ot)
	if tok.RefreshToken == "" {
		tok.RefreshToken = refreshToken
	}
	idURL, _ := ot.Extra("id").(string)
	id, err := c.Identity(ctx, env, tok, idURL)
	if err != nil {
		return crossview.Token{}, Identity{}, err
	}
	return tok, id, nil
}

// Revoke revokes a token at Salesforce; revoking a refresh token revokes
// the access tokens issued from it.
func (c *Client) Revoke(ctx context.Context, env crossview.Environment, token string) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	// RFC 7009 clients authenticate; Salesforce accepts the credentials.
	form := url.Values{"token": {token}, "client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.loginURL(env)+"/services/oauth2/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("salesforce: building revoke request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("salesforce: revoke: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return parseOAuthError(resp.StatusCode, b)
	}
	return nil
}

func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ub.Host != "" && strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}

// OrganizationName reads the org's name (one API call).
func (c *Client) OrganizationName(ctx context.Context, conn crossview.Connection) (string, error) {
	r, err := c.Query(ctx, conn, "SELECT Name FROM Organization LIMIT 1")
	if err != nil {
		return "", err
	}
	if len(r.Records) == 0 {
		return "", nil
	}
	var org struct{ Name string }
	if err := json.Unmarshal(r.Records[0], &org); err != nil {
		return "", fmt.Errorf("salesforce: decoding organization: %w", err)
	}
	return org.Name, nil
}
