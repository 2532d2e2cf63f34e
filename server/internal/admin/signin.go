package admin

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// SignInStart is a started Zendesk sign-in. The browser goes to URL and
// keeps Flow (sealed: the state, PKCE verifier and account) in a cookie
// until Expires, so the callback is honoured only in the browser that
// started it, and nothing is kept on the server before sign-in.
type SignInStart struct {
	URL     string
	Flow    string
	Expires time.Time
}

// signInFlow is what the pre-auth cookie carries across the round trip.
type signInFlow struct {
	State     string    `json:"st"`
	Verifier  string    `json:"v"`
	Subdomain string    `json:"sub"`
	Expires   time.Time `json:"exp"`
}

// signInPurpose binds a sealed flow to this use.
const signInPurpose = "admin/zendesk-sign-in-flow"

// errNotThisBrowser refuses a callback that the browser did not start: the
// mark of a login CSRF, or a link opened in another browser.
var errNotThisBrowser = crossview.Errorf(crossview.EFORBIDDEN,
	"This sign-in did not start in this browser, so nobody was signed in. If you did not just sign in to Crossview here, someone may have sent you this link. Start again from the sign-in page.")

// StartSignIn starts the Zendesk OAuth sign-in (authorization code with
// PKCE and state) for the account the admin named.
func (s *Service) StartSignIn(ctx context.Context, subdomain string) (SignInStart, error) {
	subdomain = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(subdomain), ".zendesk.com")))
	if !crossview.ValidSubdomain(subdomain) {
		return SignInStart{}, crossview.Errorf(crossview.EINVALID, "Enter your Zendesk subdomain: the part before .zendesk.com.")
	}
	if s.o.ZendeskOAuth.ClientID == "" {
		return SignInStart{}, crossview.Errorf(crossview.EUNAVAILABLE, "Zendesk sign-in is not configured: set CROSSVIEW_ZENDESK_CLIENT_ID and CROSSVIEW_ZENDESK_CLIENT_SECRET.")
	}
	// The sign-in ends by storing a session: say so now rather than after
	// the round trip through Zendesk.
	if err := s.o.Store.Ping(ctx); err != nil {
		return SignInStart{}, storeDown(err)
	}
	f := signInFlow{State: randomToken(), Verifier: randomToken() + randomToken(), Subdomain: subdomain, Expires: s.o.Now().Add(flowTTL)}
	sealed, err := s.seal.seal(f, signInPurpose)
	if err != nil {
		return SignInStart{}, err
	}
	return SignInStart{URL: s.o.ZD.AuthorizeURL(subdomain, s.o.ZendeskOAuth, s.zendeskRedirect(), f.State, f.Verifier), Flow: sealed, Expires: f.Expires}, nil
}

// openSignInFlow checks the callback against the browser's pre-auth
// cookie. The flow it returns names the account whenever the cookie is
// genuine, even when the callback is refused.
func (s *Service) openSignInFlow(cookie, state string) (signInFlow, error) {
	var f signInFlow
	if cookie == "" || s.seal.open(cookie, signInPurpose, &f) != nil {
		return signInFlow{}, errNotThisBrowser
	}
	if !s.o.Now().Before(f.Expires) {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "This sign-in took more than %d minutes. Start again.", int(flowTTL.Minutes()))
	}
	if state == "" {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "The sign-in came back without its state. Start again.")
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return f, errNotThisBrowser
	}
	return f, nil
}

// FinishSignIn completes the sign-in started in this browser (flowCookie):
// it trades the code, and lets in only users whose Zendesk role is admin.
// The account becomes a tenant if it is new, with the admin's grant as its
// API credential. Every refusal for a known account is audited there.
func (s *Service) FinishSignIn(ctx context.Context, flowCookie, state, code, errCode, errDesc string) (Session, error) {
	f, err := s.openSignInFlow(flowCookie, state)
	if err != nil {
		s.refuseSignIn(ctx, f.Subdomain, "", signInRefusal(err))
		return Session{}, err
	}
	if errCode != "" {
		s.refuseSignIn(ctx, f.Subdomain, "", fmt.Sprintf("Zendesk did not sign the admin in: %s (%s)", errCode, clip(errDesc, 200)))
		return Session{}, crossview.Errorf(crossview.EFORBIDDEN, "Zendesk did not sign you in (%s). %s", errCode, errDesc)
	}
	tok, err := s.o.ZD.Exchange(ctx, f.Subdomain, s.o.ZendeskOAuth, code, f.Verifier, s.zendeskRedirect())
	if err != nil {
		s.refuseSignIn(ctx, f.Subdomain, "", "Zendesk refused the sign-in code")
		return Session{}, crossview.Wrap(crossview.EFORBIDDEN, "Zendesk refused the sign-in code. Start again.", err)
	}
	me, err := s.o.ZD.Me(ctx, f.Subdomain, zendesk.Credentials{OAuthToken: tok.AccessToken})
	if err != nil {
		return Session{}, zendesk.UserError(err)
	}
	if me.Role != "admin" {
		role := orDefault(me.Role, "(none)")
		s.refuseSignIn(ctx, f.Subdomain, me.Email, fmt.Sprintf("%s has the Zendesk role %s, not admin", me.Email, role))
		return Session{}, crossview.Errorf(crossview.EFORBIDDEN, "Only Zendesk admins can manage Crossview. %s is signed in to %s as %s.", me.Email, f.Subdomain, orDefault(me.Role, "a user without a role"))
	}
	if err := s.ensureTenant(ctx, f.Subdomain, tok.AccessToken, me); err != nil {
		return Session{}, storeDown(err)
	}
	now := s.o.Now()
	sess := Session{ID: randomToken(), Subdomain: f.Subdomain, UserID: me.ID, Email: me.Email, Name: me.Name,
		CSRF: randomToken(), Expires: now.Add(s.o.SessionTTL)}
	if err := s.o.Store.PutAdminSession(ctx, sess.stored(now)); err != nil {
		return Session{}, storeDown(err)
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), "admin.sign_in", nil, "")
	return sess, nil
}

// signInRefusal words a refused callback for the audit log.
func signInRefusal(err error) string {
	if errors.Is(err, errNotThisBrowser) {
		return "refused a sign-in callback that did not start in this browser (a link from elsewhere?); nobody was signed in"
	}
	return crossview.ErrorMessage(err)
}

// refuseSignIn audits a refused sign-in in the account's log when the
// account is known and registered; an account nobody has signed in to
// yet has no log, and a refusal must not create one.
func (s *Service) refuseSignIn(ctx context.Context, tenant, actor, detail string) {
	if tenant == "" {
		s.o.Logger.Info("sign-in refused", "detail", detail)
		return
	}
	e := crossview.AuditEntry{At: s.o.Now(), Actor: orDefault(actor, "(not signed in)"), Action: "admin.sign_in_refused", Detail: detail}
	err := s.o.Store.AppendAudit(ctx, tenant, e)
	switch {
	case errors.Is(err, crossview.ErrNotFound):
		s.o.Logger.Info("sign-in refused for an unregistered account", "tenant", tenant, "detail", detail)
	case err != nil:
		s.o.Logger.Error("writing the audit log", "tenant", tenant, "action", e.Action, "err", err)
	}
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

// storeDown words a failure to reach the store (Redis or the data file)
// for an admin: the service is unavailable for a moment, not broken.
func storeDown(err error) error {
	if crossview.ErrorCode(err) != crossview.EINTERNAL {
		return err
	}
	return crossview.Wrap(crossview.EUNAVAILABLE, "Crossview cannot reach its data store right now. Try again in a minute.", err)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clip shortens s to at most n bytes, for text another system sent.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
