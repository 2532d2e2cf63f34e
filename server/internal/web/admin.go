package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/views"
)

// AdminService is what the admin pages do.
type AdminService interface {
	StartSignIn(ctx context.Context, subdomain string) (admin.SignInStart, error)
	FinishSignIn(ctx context.Context, flow, state, code, errCode, errDesc string) (admin.Session, error)
	Session(ctx context.Context, id string) (admin.Session, error)
	SignOut(ctx context.Context, sess admin.Session) error
	Connections(ctx context.Context, sess admin.Session) ([]crossview.Connection, error)
	Details(ctx context.Context, sess admin.Session, id string) (admin.Details, error)
	Connection(ctx context.Context, sess admin.Session, id string) (crossview.Connection, error)
	StartConnect(ctx context.Context, sess admin.Session, env crossview.Environment, termsAccepted bool) (string, error)
	FinishConnect(ctx context.Context, sess admin.Session, state, code, errCode, errDesc string) (admin.PendingConnection, error)
	PendingConnection(ctx context.Context, sess admin.Session, id string) (admin.PendingConnection, error)
	ConfirmConnect(ctx context.Context, sess admin.Session, id string) (crossview.Connection, error)
	CancelConnect(ctx context.Context, sess admin.Session, id string) error
	Rename(ctx context.Context, tenant, actor, id, name string) (crossview.Connection, error)
	SetFeature(ctx context.Context, tenant, actor, id string, f crossview.Feature, on bool) (crossview.Connection, error)
	UpdateSidebar(ctx context.Context, tenant, actor, id string, set crossview.SidebarSettings) (crossview.Connection, error)
	UpdateTicketView(ctx context.Context, tenant, actor, id string, set crossview.TicketViewSettings) (crossview.Connection, error)
	Disconnect(ctx context.Context, tenant, actor, id string) (crossview.Connection, error)
	CheckNow(ctx context.Context, sess admin.Session, id string) (crossview.Connection, error)
	Audit(ctx context.Context, sess admin.Session, limit int) ([]crossview.AuditEntry, error)
	Account(ctx context.Context, sess admin.Session) (crossview.Tenant, error)
	UpdateAccount(ctx context.Context, sess admin.Session, appID, installationID int64, webhookSecret string) (crossview.Tenant, error)

	// Ticket sync (turned on and off through SetFeature).
	TicketSync(ctx context.Context, tenant, id string, before time.Time, limit int) (admin.TicketSyncDetails, error)
	UpdateTicketSync(ctx context.Context, tenant, actor, id string, set crossview.TicketSyncSettings) (crossview.Connection, error)
	RepairTicketSync(ctx context.Context, tenant, actor, id string) (crossview.Connection, error)
	ReplayTicket(ctx context.Context, tenant, actor, id string, ticketID int64) error
	ReplayAllTickets(ctx context.Context, tenant, actor, id string) (int, error)
	StartTicketBackfill(ctx context.Context, tenant, actor, id string, days int) (ticketsync.Progress, error)
	BackfillProgress(ctx context.Context, tenant, id string) (ticketsync.Progress, bool, error)

	// Data sync (account and contact sync turned on and off through
	// SetFeature).
	DataSync(ctx context.Context, tenant, id string, before time.Time, limit int) (admin.DataSyncDetails, error)
	DataSyncStatus(ctx context.Context, tenant, id string) (datasync.Status, error)
	UpdateDataSync(ctx context.Context, tenant, actor, id string, set crossview.DataSyncSettings) (crossview.Connection, error)
	ReplayRecords(ctx context.Context, tenant, actor, id, recordID string) (int, error)
}

// adminCookie carries the admin session id. Admin pages are top-level
// pages, so a first-party cookie is right here (unlike the iframes).
const adminCookie = "cv_admin"

// signInCookie is the pre-auth cookie: the sealed sign-in flow, sent only
// to the Zendesk callback, which honours a sign-in only in the browser
// that started it (no login CSRF). Lax, because the callback is a
// top-level navigation from Zendesk.
const (
	signInCookie     = "cv_signin"
	signInCookiePath = "/admin/oauth/zendesk"
)

// adminHandler is an admin page handler that knows who is signed in.
type adminHandler func(c echo.Context, sess admin.Session) error

// requireAdmin loads the session; pages without one go to sign-in, and
// every state-changing request must carry the session's CSRF token.
func (s *server) requireAdmin(h adminHandler) echo.HandlerFunc {
	return func(c echo.Context) error {
		noStore(c)
		c.Response().Header().Set("Content-Security-Policy", s.adminCSP())
		var id string
		if ck, err := c.Cookie(adminCookie); err == nil {
			id = ck.Value
		}
		sess, err := s.o.Admin.Session(c.Request().Context(), id)
		if admin.IsNoSession(err) {
			if c.Request().Method == http.MethodGet {
				return c.Redirect(http.StatusSeeOther, "/admin/signin")
			}
			return err
		}
		if err != nil {
			return err
		}
		if c.Request().Method != http.MethodGet {
			if err := sess.CheckCSRF(c.Request().PostFormValue("csrf")); err != nil {
				return err
			}
		}
		return h(c, sess)
	}
}

// adminCSP lets admin forms lead to the Zendesk and Salesforce sign-in
// pages (form-action covers the redirects that follow a form).
func (s *server) adminCSP() string {
	targets := []string{"'self'", origin(s.o.ZendeskBaseURL("*"))}
	targets = append(targets, s.o.SalesforceLoginOrigins...)
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action " + strings.Join(targets, " ")
}

func (s *server) setSessionCookie(c echo.Context, id string, expires time.Time) {
	s.setCookie(c, adminCookie, "/admin", id, expires)
}

// setCookie sets an admin cookie: HttpOnly, Lax, and Secure whenever
// Crossview is served over https (the plain-http sandbox on localhost
// could not keep a Secure cookie).
func (s *server) setCookie(c echo.Context, name, path, value string, expires time.Time) {
	ck := &http.Cookie{ //nolint:gosec // Secure follows the public URL's scheme, see above
		Name: name, Value: value, Path: path, Expires: expires,
		HttpOnly: true, Secure: strings.HasPrefix(s.o.PublicURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
	if !expires.After(s.o.Now()) {
		ck.MaxAge = -1
	}
	c.SetCookie(ck)
}

func (s *server) handleAdminSignIn(c echo.Context) error {
	return s.signInPage(c, http.StatusOK, c.QueryParam("subdomain"), signInError(c.QueryParam("error")))
}

// signInPage shows the sign-in form, with a reason when there is one.
func (s *server) signInPage(c echo.Context, status int, subdomain, msg string) error {
	noStore(c)
	c.Response().Header().Set("Content-Security-Policy", s.adminCSP())
	return render(c, status, views.AdminSignInPage(adminSignInView(subdomain, msg)))
}

// allowSignIn takes one of the client's sign-in attempts, or answers 429.
func (s *server) allowSignIn(c echo.Context, subdomain string) (bool, error) {
	ok, wait := s.signIns.allow(s.clientIP(c.Request()))
	if ok {
		return true, nil
	}
	retryAfter(c.Response().Header(), wait)
	return false, s.signInPage(c, http.StatusTooManyRequests, subdomain, "Too many sign-in attempts from your network. Wait a minute, then try again.")
}

func (s *server) handleAdminSignInStart(c echo.Context) error {
	sub := c.QueryParam("subdomain")
	if ok, err := s.allowSignIn(c, sub); !ok {
		return err
	}
	start, err := s.o.Admin.StartSignIn(c.Request().Context(), sub)
	if err != nil {
		return s.signInPage(c, statusOf(crossview.ErrorCode(err)), sub, crossview.ErrorMessage(err))
	}
	s.setCookie(c, signInCookie, signInCookiePath, start.Flow, start.Expires)
	return c.Redirect(http.StatusSeeOther, start.URL)
}

func (s *server) handleAdminZendeskCallback(c echo.Context) error {
	if ok, err := s.allowSignIn(c, ""); !ok {
		return err
	}
	var flow string
	if ck, err := c.Cookie(signInCookie); err == nil {
		flow = ck.Value
	}
	// The flow is spent whatever the outcome: a sign-in is started afresh.
	s.setCookie(c, signInCookie, signInCookiePath, "", time.Unix(1, 0))
	q := c.QueryParams()
	sess, err := s.o.Admin.FinishSignIn(c.Request().Context(), flow, q.Get("state"), q.Get("code"), q.Get("error"), q.Get("error_description"))
	if err != nil {
		return s.signInPage(c, statusOf(crossview.ErrorCode(err)), "", crossview.ErrorMessage(err))
	}
	s.setSessionCookie(c, sess.ID, sess.Expires)
	return c.Redirect(http.StatusSeeOther, "/admin")
}

func (s *server) handleAdminSignOut(c echo.Context, sess admin.Session) error {
	if err := s.o.Admin.SignOut(c.Request().Context(), sess); err != nil {
		return err
	}
	s.setSessionCookie(c, "", time.Unix(1, 0))
	return c.Redirect(http.StatusSeeOther, "/admin/signin")
}

// signInError words the reasons a sign-in page is shown again.
func signInError(code string) string {
	if code == "expired" {
		return "Your session ended. Sign in again."
	}
	return ""
}
