package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// SignInURL starts the Zendesk OAuth sign-in (authorization code with
// PKCE and state) for the account the admin named.
func (s *Service) SignInURL(ctx context.Context, subdomain string) (string, error) {
	subdomain = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(subdomain), ".zendesk.com")))
	if !crossview.ValidSubdomain(subdomain) {
		return "", crossview.Errorf(crossview.EINVALID, "Enter your Zendesk subdomain: the part before .zendesk.com.")
	}
	if s.o.ZendeskOAuth.ClientID == "" {
		return "", crossview.Errorf(crossview.EUNAVAILABLE, "Zendesk sign-in is not configured: set CROSSVIEW_ZENDESK_CLIENT_ID and CROSSVIEW_ZENDESK_CLIENT_SECRET.")
	}
	state, verifier := randomToken(), randomToken()+randomToken()
	if err := s.put(ctx, "{_}:flow:"+state, flow{Kind: "zendesk", Subdomain: subdomain, Verifier: verifier}, flowTTL); err != nil {
		return "", err
	}
	return s.o.ZD.AuthorizeURL(subdomain, s.o.ZendeskOAuth, s.zendeskRedirect(), state, verifier), nil
}

// FinishSignIn completes the sign-in: it trades the code, and lets in only
// users whose Zendesk role is admin. The account becomes a tenant if it is
// new, with the admin's grant as its API credential.
func (s *Service) FinishSignIn(ctx context.Context, state, code, errCode, errDesc string) (Session, error) {
	f, err := s.takeFlow(ctx, state, "zendesk")
	if err != nil {
		return Session{}, err
	}
	if errCode != "" {
		return Session{}, crossview.Errorf(crossview.EFORBIDDEN, "Zendesk did not sign you in (%s). %s", errCode, errDesc)
	}
	tok, err := s.o.ZD.Exchange(ctx, f.Subdomain, s.o.ZendeskOAuth, code, f.Verifier, s.zendeskRedirect())
	if err != nil {
		return Session{}, crossview.Wrap(crossview.EFORBIDDEN, "Zendesk refused the sign-in code. Start again.", err)
	}
	me, err := s.o.ZD.Me(ctx, f.Subdomain, zendesk.Credentials{OAuthToken: tok.AccessToken})
	if err != nil {
		return Session{}, zendesk.UserError(err)
	}
	if me.Role != "admin" {
		return Session{}, crossview.Errorf(crossview.EFORBIDDEN, "Only Zendesk admins can manage Crossview. %s is signed in to %s as %s.", me.Email, f.Subdomain, orDefault(me.Role, "a user without a role"))
	}
	if err := s.ensureTenant(ctx, f.Subdomain, tok.AccessToken, me); err != nil {
		return Session{}, err
	}
	sess := Session{ID: randomToken(), Subdomain: f.Subdomain, UserID: me.ID, Email: me.Email, Name: me.Name,
		CSRF: randomToken(), Expires: s.o.Now().Add(s.o.SessionTTL)}
	if err := s.put(ctx, "{_}:session:"+sess.ID, sess, s.o.SessionTTL); err != nil {
		return Session{}, err
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), "admin.sign_in", nil, "")
	return sess, nil
}

// ensureTenant registers a new account, giving it the admin's grant as its
// Zendesk API credential (as the official integration does); an account
// that has no credential yet gets it too.
func (s *Service) ensureTenant(ctx context.Context, sub, accessToken string, me zendesk.User) error {
	t, err := s.o.Store.Tenant(ctx, sub)
	switch {
	case errors.Is(err, crossview.ErrNotFound):
		t = crossview.Tenant{Subdomain: sub, OAuthToken: accessToken, CreatedAt: s.o.Now()}
	case err != nil:
		return err
	case t.OAuthToken != "" || t.APIToken != "":
		return nil
	default:
		t.OAuthToken = accessToken
	}
	if err := s.o.Store.PutTenant(ctx, t); err != nil {
		return err
	}
	s.audit(ctx, sub, me.Email, "account.credential", nil, fmt.Sprintf("%s's Zendesk sign-in became Crossview's API credential", me.Email))
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
