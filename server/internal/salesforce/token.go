package salesforce

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/crossview/crossview/server/internal/crossview"
)

// loginURL returns the OAuth host for an environment.
func (c *Client) loginURL(env crossview.Environment) string {
	if env == crossview.Sandbox {
		return strings.TrimRight(c.cfg.SandboxLoginURL, "/")
	}
	return strings.TrimRight(c.cfg.LoginURL, "/")
}

// OAuthConfig returns the x/oauth2 configuration for an environment.
// Salesforce takes client credentials in the form body, so the auth style is
// fixed rather than auto-detected (which would cost a failed call first).
func (c *Client) OAuthConfig(env crossview.Environment, redirectURL string) *oauth2.Config {
	base := c.loginURL(env)
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		RedirectURL:  redirectURL,
		Scopes:       []string{"api", "refresh_token", "id"},
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/services/oauth2/authorize",
			TokenURL:  base + "/services/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// token returns the connection's current grant, loading it once from the
// store.
func (c *Client) token(ctx context.Context, connID string) (crossview.Token, error) {
	c.mu.Lock()
	t, ok := c.sessions[connID]
	c.mu.Unlock()
	if ok {
		return t, nil
	}
	t, err := c.tokens.Token(ctx, connID)
	if err != nil {
		return crossview.Token{}, fmt.Errorf("salesforce: loading token: %w", err)
	}
	c.mu.Lock()
	c.sessions[connID] = t
	c.mu.Unlock()
	return t, nil
}

// Forget drops the in-memory grant of a connection, e.g. after disconnect.
func (c *Client) Forget(connID string) {
	c.mu.Lock()
	delete(c.sessions, connID)
	c.mu.Unlock()
}

// refreshAfter replaces the access token stale. However many requests saw
// stale expire together, one refresh runs; later callers get its result, and
// a caller whose stale token was already replaced gets the new one without a
// refresh at all.
func (c *Client) refreshAfter(ctx context.Context, conn crossview.Connection, stale string) (crossview.Token, error) {
	ch := c.refresh.DoChan(conn.ID, func() (any, error) {
		// Detached: one caller giving up must not fail the others.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
		defer cancel()
		c.mu.Lock()
		cur, ok := c.sessions[conn.ID]
		c.mu.Unlock()
		if ok && cur.AccessToken != stale {
			return cur, nil
		}
		// Another replica may have refreshed (and rotated) already.
		stored, err := c.tokens.Token(rctx, conn.ID)
		if err != nil {
			return nil, fmt.Errorf("salesforce: loading token: %w", err)
		}
		if stored.AccessToken != stale && stored.AccessToken != "" {
			c.setSession(conn.ID, stored)
			return stored, nil
		}
		fresh, err := c.Refresh(rctx, conn.Environment, conn.OrgID, stored.RefreshToken)
		if err != nil {
			return nil, err
		}
		if fresh.InstanceURL == "" {
			fresh.InstanceURL = stored.InstanceURL
		}
		if err := c.checkInstance(fresh.InstanceURL); err != nil {
			return nil, err
		}
		if err := c.tokens.PutToken(rctx, conn.ID, fresh); err != nil {
			return nil, fmt.Errorf("salesforce: saving refreshed token: %w", err)
		}
		c.setSession(conn.ID, fresh)
		return fresh, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return crossview.Token{}, r.Err
		}
		return r.Val.(crossview.Token), nil
	case <-ctx.Done():
		return crossview.Token{}, ctx.Err()
	}
}

func (c *Client) setSession(connID string, t crossview.Token) {
	c.mu.Lock()
	c.sessions[connID] = t
	c.mu.Unlock()
}

// Refresh trades a refresh token for a new grant. When Salesforce rotates
// refresh tokens the answer carries a new one; otherwise the old one stays.
func (c *Client) Refresh(ctx context.Context, env crossview.Environment, orgID, refreshToken string) (crossview.Token, error) {
	if refreshToken == "" {
		return crossview.Token{}, &OAuthError{Code: "invalid_grant", Description: "no refresh token stored"}
	}
	ot, err := c.refreshRaw(ctx, env, orgID, refreshToken)
	if err != nil {
		return crossview.Token{}, err
	}
	t := c.fromOAuth(ot)
	// A refresh answer may leave instance_url out (the stored one stays);
	// one it names must be Salesforce's.
	if t.InstanceURL != "" {
		if err := c.checkInstance(t.InstanceURL); err != nil {
			return crossview.Token{}, err
		}
	}
	return t, nil
}

func (c *Client) refreshRaw(ctx context.Context, env crossview.Environment, orgID, refreshToken string) (*oauth2.Token, error) {
	start := c.now()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	ot, err := c.OAuthConfig(env, "").TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		c.observe(orgID, "refresh_error", start)
		return nil, oauthErr(err)
	}
	c.observe(orgID, "refresh_ok", start)
	return ot, nil
}

// Exchange trades an authorization code (with its PKCE verifier) for a grant.
func (c *Client) Exchange(ctx context.Context, env crossview.Environment, code, verifier, redirectURL string) (crossview.Token, string, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	ot, err := c.OAuthConfig(env, redirectURL).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return crossview.Token{}, "", oauthErr(err)
	}
	id, _ := ot.Extra("id").(string)
	t := c.fromOAuth(ot)
	if err := c.checkInstance(t.InstanceURL); err != nil {
		return crossview.Token{}, "", err
	}
	return t, id, nil
}

// checkInstance refuses an instance URL off the allowed Salesforce hosts:
// Crossview would send the access token there.
func (c *Client) checkInstance(instanceURL string) error {
	if err := c.cfg.InstanceHosts.Check(instanceURL); err != nil {
		return crossview.Wrap(crossview.EUNAVAILABLE, "Salesforce's token answer names an instance URL Crossview does not send tokens to ("+err.Error()+"), so the token was not used. Check the Salesforce login URL, or add the org's host to CROSSVIEW_SALESFORCE_INSTANCE_HOSTS.", err)
	}
	return nil
}

func (c *Client) fromOAuth(ot *oauth2.Token) crossview.Token {
	t := crossview.Token{AccessToken: ot.AccessToken, RefreshToken: ot.RefreshToken, IssuedAt: c.now()}
	if s, ok := ot.Extra("instance_url").(string); ok {
		t.InstanceURL = s
	}
	if s, ok := ot.Extra("scope").(string); ok {
		t.Scope = s
	}
	// issued_at is epoch milliseconds, as a string.
	if s, ok := ot.Extra("issued_at").(string); ok {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			t.IssuedAt = time.UnixMilli(ms).UTC()
		}
	}
	return t
}

// oauthErr turns x/oauth2's error into an OAuthError so callers can tell a
// revoked grant (invalid_grant) from a transient failure.
func oauthErr(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		if re.ErrorCode != "" {
			return &OAuthError{Status: status, Code: re.ErrorCode, Description: re.ErrorDescription}
		}
		return parseOAuthError(status, re.Body)
	}
	return fmt.Errorf("salesforce oauth: %w", err)
}
