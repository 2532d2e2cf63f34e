package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

// AdminService is what the admin pages do.
type AdminService interface {
	SignInURL(ctx context.Context, subdomain string) (string, error)
	FinishSignIn(ctx context.Context, state, code, errCode, errDesc string) (admin.Session, error)
	Session(ctx context.Context, id string) (admin.Session, error)
	SignOut(ctx context.Context, sess admin.Session) error
	Connections(ctx context.Context, sess admin.Session) ([]crossview.Connection, error)
	Details(ctx context.Context, sess admin.Session, id string) (admin.Details, error)
	Connection(ctx context.Context, sess admin.Session, id string) (crossview.Connection, error)
	StartConnect(ctx context.Context, sess admin.Session, env crossview.Environment, termsAccepted bool) (string, error)
	FinishConnect(ctx context.Context, sess admin.Session, state, code, errCode, errDesc string) (crossview.Connection, error)
	Rename(ctx context.Context, tenant, actor, id, name string) (crossview.Connection, error)
	SetFeature(ctx context.Context, tenant, actor, id string, f crossview.Feature, on bool) (crossview.Connection, error)
	UpdateSidebar(ctx context.Context, tenant, actor, id string, set crossview.SidebarSettings) (crossview.Connection, error)
	UpdateTicketView(ctx context.Context, tenant, actor, id string, set crossview.TicketViewSettings) (crossview.Connection, error)
	Disconnect(ctx context.Context, tenant, actor, id string) (crossview.Connection, error)
	CheckNow(ctx context.Context, sess admin.Session, id string) (crossview.Connection, error)
	Audit(ctx context.Context, sess admin.Session, limit int) ([]crossview.AuditEntry, error)
	Account(ctx context.Context, sess admin.Session) (crossview.Tenant, error)
	UpdateAccount(ctx context.Context, sess admin.Session, appID, installationID int64, webhookSecret string) (crossview.Tenant, error)
}

// adminCookie carries the admin session id. Admin pages are top-level
// pages, so a first-party cookie is right here (unlike the iframes).
const adminCookie = "cv_admin"

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
	// Secure whenever Crossview is served over https; the plain-http
	// sandbox on localhost could not keep a Secure cookie.
	c.SetCookie(&http.Cookie{ //nolint:gosec // Secure follows the public URL's scheme, see above
		Name: adminCookie, Value: id, Path: "/admin", Expires: expires,
		HttpOnly: true, Secure: strings.HasPrefix(s.o.PublicURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
}

func (s *server) handleAdminSignIn(c echo.Context) error {
	noStore(c)
	c.Response().Header().Set("Content-Security-Policy", s.adminCSP())
	return render(c, http.StatusOK, views.AdminSignInPage(adminSignInView(c.QueryParam("subdomain"), signInError(c.QueryParam("error")))))
}

func (s *server) handleAdminSignInStart(c echo.Context) error {
	u, err := s.o.Admin.SignInURL(c.Request().Context(), c.QueryParam("subdomain"))
	if err != nil {
		noStore(c)
		c.Response().Header().Set("Content-Security-Policy", s.adminCSP())
		return render(c, statusOf(crossview.ErrorCode(err)), views.AdminSignInPage(adminSignInView(c.QueryParam("subdomain"), crossview.ErrorMessage(err))))
	}
	return c.Redirect(http.StatusSeeOther, u)
}

func (s *server) handleAdminZendeskCallback(c echo.Context) error {
	q := c.QueryParams()
	sess, err := s.o.Admin.FinishSignIn(c.Request().Context(), q.Get("state"), q.Get("code"), q.Get("error"), q.Get("error_description"))
	if err != nil {
		noStore(c)
		c.Response().Header().Set("Content-Security-Policy", s.adminCSP())
		return render(c, statusOf(crossview.ErrorCode(err)), views.AdminSignInPage(adminSignInView("", crossview.ErrorMessage(err))))
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
