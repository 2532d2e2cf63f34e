package admin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// PendingConnection is an org an admin signed in to at Salesforce, waiting
// for the admin to confirm which Zendesk account it joins. Nothing is
// connected until then.
type PendingConnection struct {
	ID string `json:"id"`
	// Subdomain is the Zendesk account the org would join.
	Subdomain   string                `json:"subdomain"`
	Environment crossview.Environment `json:"environment"`
	OrgID       string                `json:"org_id"`
	OrgName     string                `json:"org_name"`
	// Username is the Salesforce user who granted access.
	Username string `json:"username"`
}

// pendingGrant is a PendingConnection with what saving it needs. It is
// sealed before it reaches the cache, since it holds the grant.
type pendingGrant struct {
	PendingConnection
	SessionID string              `json:"session_id"`
	Token     crossview.Token     `json:"token"`
	Identity  salesforce.Identity `json:"identity"`
}

// pendingTTL bounds how long a grant waits for the admin's answer. A grant
// left waiting is never used; Salesforce lists it under the user's
// connected apps until it lapses or is revoked there.
const pendingTTL = flowTTL

func pendingKey(id string) string     { return "{_}:pending:" + id }
func pendingPurpose(id string) string { return "admin/pending-connection/" + id }

var errNoPending = crossview.Errorf(crossview.ENOTFOUND,
	"This connection is no longer waiting for an answer: it was confirmed or cancelled, or it waited more than 10 minutes. Start again from Add connection.")

// park keeps a checked grant for the session until the admin answers.
func (s *Service) park(ctx context.Context, sess Session, env crossview.Environment, tok crossview.Token, id salesforce.Identity) (PendingConnection, error) {
	if !crossview.ValidOrgID(id.OrgID) {
		s.revoke(ctx, env, tok)
		return PendingConnection{}, fmt.Errorf("salesforce identity has no valid organization id (%q)", id.OrgID)
	}
	p := pendingGrant{
		PendingConnection: PendingConnection{ID: randomToken(), Subdomain: sess.Subdomain, Environment: env,
			OrgID: id.OrgID, OrgName: s.orgName(ctx, id.OrgID, tok), Username: id.Username},
		SessionID: sess.ID, Token: tok, Identity: id,
	}
	sealed, err := s.seal.seal(p, pendingPurpose(p.ID))
	if err == nil {
		err = s.put(ctx, pendingKey(p.ID), sealed, pendingTTL)
	}
	if err != nil {
		s.revoke(ctx, env, tok)
		return PendingConnection{}, storeDown(err)
	}
	return p.PendingConnection, nil
}

// orgName reads the org's name with the new grant, for the admin to
// recognise the org by; without it the page shows the org id alone.
func (s *Service) orgName(ctx context.Context, orgID string, tok crossview.Token) string {
	var r salesforce.QueryResult
	err := s.o.SF.DoAs(ctx, orgID, tok.InstanceURL, tok.AccessToken, http.MethodGet, s.o.SF.QueryPath("SELECT Name FROM Organization LIMIT 1"), nil, &r)
	var org struct{ Name string }
	if err == nil && len(r.Records) > 0 {
		err = json.Unmarshal(r.Records[0], &org)
	}
	if err != nil {
		s.o.Logger.Warn("reading the org's name", "org", orgID, "err", err)
	}
	return org.Name
}

// pending returns the session's grant waiting under id.
func (s *Service) pending(ctx context.Context, sess Session, id string) (pendingGrant, error) {
	var sealed string
	ok, err := s.get(ctx, pendingKey(id), &sealed)
	if err != nil {
		return pendingGrant{}, storeDown(err)
	}
	var p pendingGrant
	if !ok || s.seal.open(sealed, pendingPurpose(id), &p) != nil ||
		subtle.ConstantTimeCompare([]byte(p.SessionID), []byte(sess.ID)) != 1 || p.Subdomain != sess.Subdomain {
		return pendingGrant{}, errNoPending
	}
	return p, nil
}

// takePending is pending, removing the grant so one answer settles it.
func (s *Service) takePending(ctx context.Context, sess Session, id string) (pendingGrant, error) {
	p, err := s.pending(ctx, sess, id)
	if err != nil {
		return p, err
	}
	if err := s.o.Flows.Delete(ctx, pendingKey(id)); err != nil {
		return pendingGrant{}, storeDown(err)
	}
	return p, nil
}

// PendingConnection returns what the session's admin is asked to confirm.
func (s *Service) PendingConnection(ctx context.Context, sess Session, id string) (PendingConnection, error) {
	p, err := s.pending(ctx, sess, id)
	return p.PendingConnection, err
}

// ConfirmConnect connects the org the admin confirmed.
func (s *Service) ConfirmConnect(ctx context.Context, sess Session, id string) (crossview.Connection, error) {
	p, err := s.takePending(ctx, sess, id)
	if err != nil {
		return crossview.Connection{}, err
	}
	return s.connectGrant(ctx, sess, p.Environment, p.Token, p.Identity)
}

// CancelConnect drops a grant the admin chose not to connect, revoking it
// at Salesforce.
func (s *Service) CancelConnect(ctx context.Context, sess Session, id string) error {
	p, err := s.takePending(ctx, sess, id)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("%s org %s (%s) was not connected; access granted by %s was revoked", p.Environment, p.OrgID, orDefault(p.OrgName, "name unknown"), p.Username)
	if !s.revoke(ctx, p.Environment, p.Token) {
		detail = fmt.Sprintf("%s org %s (%s) was not connected; revoking the access granted by %s failed, so remove it in Salesforce (Connected Apps OAuth Usage)",
			p.Environment, p.OrgID, orDefault(p.OrgName, "name unknown"), p.Username)
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), "connection.cancel", nil, detail)
	return nil
}

// revoke revokes an unused grant (its refresh token, which takes its
// access tokens with it) and reports whether Salesforce confirmed.
func (s *Service) revoke(ctx context.Context, env crossview.Environment, tok crossview.Token) bool {
	t := tok.RefreshToken
	if t == "" {
		t = tok.AccessToken
	}
	if err := s.o.SF.Revoke(ctx, env, t); err != nil {
		s.o.Logger.Warn("revoking an unused grant", "err", err)
		return false
	}
	return true
}
