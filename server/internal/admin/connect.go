package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// StartConnect begins connecting a Salesforce org: the admin chose the
// environment and accepted the terms; the answer is Salesforce's sign-in
// URL (web-server flow with PKCE and state) on the login or test host.
func (s *Service) StartConnect(ctx context.Context, sess Session, env crossview.Environment, termsAccepted bool) (string, error) {
	if !termsAccepted {
		return "", crossview.Errorf(crossview.EINVALID, "Accept the terms of use to connect an org.")
	}
	if _, err := crossview.ParseEnvironment(string(env)); err != nil {
		return "", err
	}
	state, verifier := randomToken(), randomToken()+randomToken()
	f := flow{Kind: "salesforce", Subdomain: sess.Subdomain, Verifier: verifier, Environment: env, SessionID: sess.ID}
	if err := s.put(ctx, "{_}:flow:"+state, f, flowTTL); err != nil {
		return "", err
	}
	return s.o.SF.AuthorizeURL(env, s.salesforceRedirect(), state, verifier), nil
}

// FinishConnect completes the OAuth round trip in the session that
// started it: it trades the code (with the PKCE verifier), reads who
// signed in, and refuses a user who may not connect (naming what is
// missing). Nothing is saved yet: the grant waits, sealed and bound to the
// session, for the admin to confirm which Zendesk account the org joins
// (ConfirmConnect) or to cancel (CancelConnect).
func (s *Service) FinishConnect(ctx context.Context, sess Session, state, code, errCode, errDesc string) (PendingConnection, error) {
	f, err := s.takeFlow(ctx, sess, state)
	if err != nil {
		return PendingConnection{}, err
	}
	if errCode != "" {
		return PendingConnection{}, crossview.Errorf(crossview.EFORBIDDEN, "%s", salesforceRefusal(errCode, errDesc))
	}
	tok, idURL, err := s.o.SF.Exchange(ctx, f.Environment, code, f.Verifier, s.salesforceRedirect())
	if err != nil {
		return PendingConnection{}, crossview.Wrap(crossview.EFORBIDDEN, "Salesforce refused the sign-in code. Start again.", err)
	}
	id, err := s.o.SF.Identity(ctx, f.Environment, tok, idURL)
	if err != nil {
		return PendingConnection{}, salesforce.UserError(err)
	}
	perms, err := s.o.SF.CheckPermissions(ctx, id.OrgID, tok.InstanceURL, tok.AccessToken, id.UserID)
	if err != nil {
		return PendingConnection{}, salesforce.UserError(err)
	}
	if missing := perms.Missing(); len(missing) > 0 {
		// Do not keep a grant we will not use.
		if rerr := s.o.SF.Revoke(ctx, f.Environment, tok.RefreshToken); rerr != nil {
			s.o.Logger.Warn("revoking a refused grant", "err", rerr)
		}
		s.audit(ctx, sess.Subdomain, sess.Actor(), "connection.refused", nil, fmt.Sprintf("%s may not connect: %s", id.Username, strings.Join(missing, ", ")))
		return PendingConnection{}, crossview.Errorf(crossview.EFORBIDDEN,
			"%s cannot connect this org because the user lacks: %s. Sign in to Salesforce as an administrator who has them (an API-only user cannot connect).",
			orDefault(id.Username, "This Salesforce user"), strings.Join(missing, ", "))
	}
	return s.park(ctx, sess, f.Environment, tok, id)
}

// connectGrant saves a confirmed grant as a connection and checks it.
func (s *Service) connectGrant(ctx context.Context, sess Session, env crossview.Environment, tok crossview.Token, id salesforce.Identity) (crossview.Connection, error) {
	conn, restored, err := s.save(ctx, sess.Subdomain, env, tok, id, sess.Email, sess.UserID)
	if err != nil {
		return crossview.Connection{}, err
	}
	action, detail := "connection.add", fmt.Sprintf("%s org %s (%s) connected as %s", env, conn.OrgID, conn.OrgName, id.Username)
	if restored {
		action, detail = "connection.reconnect", detail+"; settings restored, account, contact and ticket sync left off"
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), action, &conn, detail)
	return s.checkAndSave(ctx, conn), nil
}

// salesforceRefusal words an OAuth error Salesforce sent back.
func salesforceRefusal(code, desc string) string {
	switch code {
	case "access_denied":
		return "Salesforce did not let this user connect (" + desc + "). An API-only user cannot complete the sign-in; sign in as an administrator."
	case "redirect_uri_mismatch":
		return "Salesforce refused the callback URL: the connected app's callback URL must be " + "<CROSSVIEW_PUBLIC_URL>/admin/salesforce/callback."
	}
	return "Salesforce refused the sign-in (" + code + "): " + desc
}

// ConnectWithRefreshToken connects an org from a refresh token, as the
// operator CLI and the sandbox do without a browser.
func (s *Service) ConnectWithRefreshToken(ctx context.Context, actor, tenant string, env crossview.Environment, refreshToken string) (crossview.Connection, error) {
	if _, err := s.o.Store.Tenant(ctx, tenant); err != nil {
		return crossview.Connection{}, fmt.Errorf("tenant %q: %w", tenant, err)
	}
	tok, id, err := s.o.SF.Connect(ctx, env, refreshToken)
	if err != nil {
		return crossview.Connection{}, fmt.Errorf("connecting to Salesforce: %w", err)
	}
	conn, restored, err := s.save(ctx, tenant, env, tok, id, actor, 0)
	if err != nil {
		return crossview.Connection{}, err
	}
	action := "connection.add"
	if restored {
		action = "connection.reconnect"
	}
	s.audit(ctx, tenant, actor, action, &conn, fmt.Sprintf("%s org %s connected as %s", env, conn.OrgID, id.Username))
	return conn, nil
}

// save stores a grant as a connection. Reconnecting an org the tenant had
// restores its settings, but account, contact and ticket sync stay off
// until an admin turns them on again.
func (s *Service) save(ctx context.Context, tenant string, env crossview.Environment, tok crossview.Token, id salesforce.Identity, by string, byZendeskID int64) (crossview.Connection, bool, error) {
	if !crossview.ValidOrgID(id.OrgID) {
		return crossview.Connection{}, false, fmt.Errorf("salesforce identity has no valid organization id (%q)", id.OrgID)
	}
	now := s.o.Now()
	conn, err := s.o.Store.ConnectionByOrg(ctx, tenant, id.OrgID)
	restored := err == nil
	switch {
	case errors.Is(err, crossview.ErrNotFound):
		conn = crossview.NewConnection(tenant, env, id.OrgID, tok.InstanceURL, now)
	case err != nil:
		return crossview.Connection{}, false, err
	default:
		conn.Status, conn.Environment, conn.InstanceURL, conn.ConnectedAt = crossview.StatusActive, env, tok.InstanceURL, now
		for _, f := range []crossview.Feature{crossview.FeatureAccountSync, crossview.FeatureContactSync, crossview.FeatureTicketSync} {
			conn.Features[f] = false
		}
		conn.Health = crossview.Health{}
	}
	conn.UserID, conn.Username, conn.ConnectedBy, conn.ConnectedByZendeskID, conn.UpdatedAt = id.UserID, id.Username, by, byZendeskID, now
	if tok.Scope != "" {
		conn.Scopes = tok.Scope
	}
	if err := s.o.Store.PutConnection(ctx, conn); err != nil {
		return crossview.Connection{}, false, err
	}
	if err := s.o.Store.PutToken(ctx, conn.ID, tok); err != nil {
		return crossview.Connection{}, false, err
	}
	s.o.SF.Forget(conn.ID)
	if name, err := s.o.SF.OrganizationName(ctx, conn); err == nil && name != "" {
		conn.OrgName = name
	} else if err != nil {
		s.o.Logger.Warn("reading the org's name", "connection", conn.ID, "err", err)
	}
	if conn.Name == "" {
		conn.Name = orDefault(conn.OrgName, conn.OrgID)
	}
	if err := s.o.Store.PutConnection(ctx, conn); err != nil {
		return crossview.Connection{}, false, err
	}
	return conn, restored, nil
}
