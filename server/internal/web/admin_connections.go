package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

func (s *server) handleAdminConnections(c echo.Context, sess admin.Session) error {
	conns, err := s.o.Admin.Connections(c.Request().Context(), sess)
	if err != nil {
		return err
	}
	v := views.AdminConnections{AdminShell: s.shell(sess, "connections", c.QueryParam("done"))}
	for _, conn := range conns {
		v.Connections = append(v.Connections, connRowView(conn, s.o.Now()))
	}
	return render(c, http.StatusOK, views.AdminConnectionsPage(v))
}

func (s *server) handleAdminNewConnection(c echo.Context, sess admin.Session) error {
	return render(c, http.StatusOK, views.AdminNewConnectionPage(s.newConnectionView(sess, "", "")))
}

// newConnectionView is the add-connection form, naming the Zendesk account
// and the admin the org will be connected to and by.
func (s *server) newConnectionView(sess admin.Session, env, errMsg string) views.AdminNewConnection {
	return views.AdminNewConnection{AdminShell: s.shell(sess, "connections", ""), Error: errMsg, Environment: env,
		ZendeskHost: address(s.o.ZendeskBaseURL(sess.Subdomain)), AdminEmail: sess.Email}
}

func (s *server) handleAdminStartConnect(c echo.Context, sess admin.Session) error {
	env := crossview.Environment(c.Request().PostFormValue("environment"))
	u, err := s.o.Admin.StartConnect(c.Request().Context(), sess, env, c.Request().PostFormValue("terms") == "1")
	if err != nil {
		return render(c, statusOf(crossview.ErrorCode(err)), views.AdminNewConnectionPage(s.newConnectionView(sess, string(env), crossview.ErrorMessage(err))))
	}
	return c.Redirect(http.StatusSeeOther, u)
}

// handleAdminSalesforceCallback checks the grant and sends the admin to
// confirm it: nothing is connected yet.
func (s *server) handleAdminSalesforceCallback(c echo.Context, sess admin.Session) error {
	q := c.QueryParams()
	p, err := s.o.Admin.FinishConnect(c.Request().Context(), sess, q.Get("state"), q.Get("code"), q.Get("error"), q.Get("error_description"))
	if err != nil {
		return render(c, statusOf(crossview.ErrorCode(err)), views.AdminNewConnectionPage(s.newConnectionView(sess, "", crossview.ErrorMessage(err))))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/connections/pending/"+url.PathEscape(p.ID))
}

// handleAdminPendingConnection asks which Zendesk account the org joins.
func (s *server) handleAdminPendingConnection(c echo.Context, sess admin.Session) error {
	p, err := s.o.Admin.PendingConnection(c.Request().Context(), sess, c.Param("id"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AdminConfirmConnectionPage(views.AdminConfirmConnection{
		AdminShell: s.shell(sess, "connections", ""), ID: p.ID, Environment: envLabel(p.Environment),
		OrgName: p.OrgName, OrgID: p.OrgID, Username: p.Username,
		ZendeskHost: address(s.o.ZendeskBaseURL(p.Subdomain)), AdminEmail: sess.Email,
	}))
}

func (s *server) handleAdminConfirmConnect(c echo.Context, sess admin.Session) error {
	// A connection that existed before the confirmation was reconnected,
	// and the page then says what its restored settings turned back on.
	before, _ := s.o.Admin.Connections(c.Request().Context(), sess)
	conn, err := s.o.Admin.ConfirmConnect(c.Request().Context(), sess, c.Param("id"))
	if err != nil {
		return err
	}
	done := "connected"
	if slices.ContainsFunc(before, func(b crossview.Connection) bool { return b.ID == conn.ID }) {
		done = "reconnected"
	}
	return c.Redirect(http.StatusSeeOther, "/admin/connections/"+url.PathEscape(conn.ID)+"?done="+done)
}

func (s *server) handleAdminCancelConnect(c echo.Context, sess admin.Session) error {
	if err := s.o.Admin.CancelConnect(c.Request().Context(), sess, c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin?done=cancelled")
}

// address is u without its scheme ("acme.zendesk.com"), as an admin
// knows their Zendesk account's address.
func address(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return strings.TrimSuffix(p.Host+p.Path, "/")
}

func (s *server) handleAdminConnection(c echo.Context, sess admin.Session) error {
	return s.connectionPage(c, sess, c.Param("id"), http.StatusOK, "")
}

// connectionPage renders a connection's page, with errMsg (a refusal, say)
// at the top when set.
func (s *server) connectionPage(c echo.Context, sess admin.Session, id string, status int, errMsg string) error {
	return s.connectionPageWith(c, sess, id, status, errMsg, nil)
}

// connectionPageWith is connectionPage showing a refused data-sync
// settings form as it was posted, with the reason beside it.
func (s *server) connectionPageWith(c echo.Context, sess admin.Session, id string, status int, errMsg string, dsPosted url.Values) error {
	ctx, now := c.Request().Context(), s.o.Now()
	d, err := s.o.Admin.Details(ctx, sess, id)
	if err != nil {
		return err
	}
	done := ""
	if errMsg == "" {
		done = c.QueryParam("done")
	}
	v := detailView(s.shell(sess, "connections", done), d, now)
	v.Error = errMsg
	if done == "reconnected" {
		v.Flash = reconnectFlash(d.Connection)
	}
	var before time.Time
	if n, err := strconv.ParseInt(c.QueryParam("log_before"), 10, 64); err == nil && n > 0 {
		before = time.Unix(0, n)
	}
	ts, err := s.o.Admin.TicketSync(ctx, sess.Subdomain, id, before, syncLogPage)
	if err == nil {
		v.TicketSync = s.ticketSyncView(sess.CSRF, ts, before, now)
		v.Scripts = append(v.Scripts, "/assets/js/admin-sync.js")
	} else if crossview.ErrorCode(err) != crossview.EUNAVAILABLE {
		s.o.Logger.Warn("reading ticket sync for the admin page", "connection", id, "err", err)
	}
	var dsBefore time.Time
	if n, err := strconv.ParseInt(c.QueryParam("ds_log_before"), 10, 64); err == nil && n > 0 {
		dsBefore = time.Unix(0, n)
	}
	ds, err := s.o.Admin.DataSync(ctx, sess.Subdomain, id, dsBefore, syncLogPage)
	if err == nil {
		settingsErr := ""
		if dsPosted != nil {
			settingsErr = errMsg
		}
		v.DataSync = dataSyncView(sess.CSRF, ds, dsBefore, now, dsPosted, settingsErr)
		if v.TicketSync == nil {
			v.Scripts = append(v.Scripts, "/assets/js/admin-sync.js")
		}
	} else if crossview.ErrorCode(err) != crossview.EUNAVAILABLE {
		s.o.Logger.Warn("reading data sync for the admin page", "connection", id, "err", err)
	}
	return render(c, status, views.AdminConnectionPage(v))
}

// handleAdminReconnect starts the Salesforce sign-in again for a
// connection's environment; signing in to the same org restores it.
func (s *server) handleAdminReconnect(c echo.Context, sess admin.Session) error {
	ctx := c.Request().Context()
	conn, err := s.o.Admin.Connection(ctx, sess, c.Param("id"))
	if err != nil {
		return err
	}
	u, err := s.o.Admin.StartConnect(ctx, sess, conn.Environment, c.Request().PostFormValue("terms") == "1")
	if err != nil {
		return s.connectionPage(c, sess, conn.ID, statusOf(crossview.ErrorCode(err)), crossview.ErrorMessage(err))
	}
	return c.Redirect(http.StatusSeeOther, u)
}

// handleAdminChange runs one state-changing action on a connection and
// shows the result; an invalid change re-renders the page with the reason.
func (s *server) handleAdminChange(action string) adminHandler {
	return func(c echo.Context, sess admin.Session) error {
		ctx, id, form := c.Request().Context(), c.Param("id"), c.Request()
		var err error
		switch action {
		case "rename":
			_, err = s.o.Admin.Rename(ctx, sess.Subdomain, sess.Actor(), id, form.PostFormValue("name"))
		case "features":
			var f crossview.Feature
			if f, err = crossview.ParseFeature(form.PostFormValue("feature")); err == nil {
				_, err = s.o.Admin.SetFeature(ctx, sess.Subdomain, sess.Actor(), id, f, form.PostFormValue("on") == "1")
			}
		case "sidebar":
			var set crossview.SidebarSettings
			if set, err = sidebarSettingsFromForm(form.PostForm); err == nil {
				_, err = s.o.Admin.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), id, set)
			}
		case "ticketview":
			_, err = s.o.Admin.UpdateTicketView(ctx, sess.Subdomain, sess.Actor(), id, crossview.TicketViewSettings{
				AccountMatch: crossview.AccountMatch(form.PostFormValue("account_match")), IncludeContactEmails: form.PostFormValue("contact_emails") == "1"})
		case "check":
			_, err = s.o.Admin.CheckNow(ctx, sess, id)
		case "datasync", "datasync/replay":
			err = s.dataSyncChange(c, sess, action)
		default:
			err = s.ticketSyncChange(c, sess, action)
		}
		// Refusals, and a Salesforce that could not check a change, are
		// shown on the page the admin was on; refused data-sync settings
		// stay in the form as typed.
		code := crossview.ErrorCode(err)
		if action == "datasync" && (code == crossview.EINVALID || code == crossview.EUNAVAILABLE) {
			return s.connectionPageWith(c, sess, id, statusOf(code), crossview.ErrorMessage(err), form.PostForm)
		}
		if code == crossview.EINVALID || code == crossview.ECONFLICT || code == crossview.EUNAVAILABLE ||
			(code == crossview.ENOTFOUND && (strings.HasPrefix(action, "ticketsync/") || strings.HasPrefix(action, "datasync/"))) {
			return s.connectionPage(c, sess, id, statusOf(code), crossview.ErrorMessage(err))
		}
		if err != nil {
			return err
		}
		back := "/admin/connections/" + url.PathEscape(id) + "?done=" + url.QueryEscape(action)
		switch feature := form.PostFormValue("feature"); {
		case strings.HasPrefix(action, "ticketsync") || feature == string(crossview.FeatureTicketSync):
			back += "#ticket-sync"
		case strings.HasPrefix(action, "datasync") || feature == string(crossview.FeatureAccountSync) || feature == string(crossview.FeatureContactSync):
			back += "#data-sync"
		}
		return c.Redirect(http.StatusSeeOther, back)
	}
}

func (s *server) handleAdminDisconnectConfirm(c echo.Context, sess admin.Session) error {
	conn, err := s.o.Admin.Connection(c.Request().Context(), sess, c.Param("id"))
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AdminDisconnectPage(views.AdminDisconnect{AdminShell: s.shell(sess, "connections", ""),
		ID: conn.ID, Name: conn.Name, OrgID: conn.OrgID}))
}

func (s *server) handleAdminDisconnect(c echo.Context, sess admin.Session) error {
	conn, err := s.o.Admin.Disconnect(c.Request().Context(), sess.Subdomain, sess.Actor(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin?done=disconnected&id="+url.QueryEscape(conn.ID))
}

func (s *server) handleAdminAudit(c echo.Context, sess admin.Session) error {
	entries, err := s.o.Admin.Audit(c.Request().Context(), sess, 500)
	if err != nil {
		return err
	}
	v := views.AdminAudit{AdminShell: s.shell(sess, "audit", "")}
	for _, e := range entries {
		v.Entries = append(v.Entries, views.AdminAuditRow{At: e.At,
			Actor: e.Actor, Action: e.Action, Connection: e.ConnectionName, Detail: e.Detail})
	}
	return render(c, http.StatusOK, views.AdminAuditPage(v))
}

func (s *server) handleAdminAccount(c echo.Context, sess admin.Session) error {
	t, err := s.o.Admin.Account(c.Request().Context(), sess)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.AdminAccountPage(s.accountView(sess, t, c.QueryParam("done"), "")))
}

func (s *server) handleAdminAccountSave(c echo.Context, sess admin.Session) error {
	form := c.Request()
	appID, err1 := parseOptionalID(form.PostFormValue("app_id"))
	inst, err2 := parseOptionalID(form.PostFormValue("installation_id"))
	var err error
	if err1 != nil || err2 != nil {
		err = crossview.Errorf(crossview.EINVALID, "App and installation ids are numbers.")
	} else {
		_, err = s.o.Admin.UpdateAccount(c.Request().Context(), sess, appID, inst, strings.TrimSpace(form.PostFormValue("webhook_secret")))
	}
	if crossview.ErrorCode(err) == crossview.EINVALID {
		t, terr := s.o.Admin.Account(c.Request().Context(), sess)
		if terr != nil {
			return terr
		}
		return render(c, http.StatusBadRequest, views.AdminAccountPage(s.accountView(sess, t, "", crossview.ErrorMessage(err))))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/account?done=account")
}

func parseOptionalID(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	return strconv.ParseInt(s, 10, 64)
}
