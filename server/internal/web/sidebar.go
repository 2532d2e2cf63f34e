package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

// panelTokenHeader carries the panel token: iframes cannot rely on cookies.
const panelTokenHeader = "X-Crossview-Token" //nolint:gosec // a header name, not a credential

// handleSidebarEntry is the ZAF signed-URL location: Zendesk POSTs the JWT
// in the form field "token". It answers a shell page that loads the ZAF SDK
// and fetches the panel with a short-lived token of our own.
func (s *server) handleSidebarEntry(c echo.Context) error {
	p, err := s.o.ZAF.Verify(c.Request().Context(), c.Request().PostFormValue("token"))
	if err != nil {
		return err
	}
	tok, err := s.o.PanelTokens.Issue(p)
	if err != nil {
		return err
	}
	noStore(c)
	c.Response().Header().Set("Content-Security-Policy", s.csp(s.tenantAncestors(p.Tenant)))
	return render(c, http.StatusOK, views.SidebarShellPage(views.SidebarShell{
		Page: views.Page{
			Title: "Crossview", AssetPrefix: "/assets", BodyClass: "cv-embedded",
			Scripts: []string{s.o.ZAFSDKURL, "/assets/js/sidebar.js"},
		},
		Token:        tok,
		PanelURL:     "/zendesk/panel",
		BindURL:      "/zendesk/panel/token",
		PollMillis:   int(cmp.Or(s.o.SidebarPoll, 30*time.Second).Milliseconds()),
		ForceRefresh: c.QueryParam("refresh") == "1",
	}))
}

// handleSidebarGet explains the page to whoever opens it directly.
func (s *server) handleSidebarGet(echo.Context) error {
	return crossview.Errorf(crossview.EUNAUTHORIZED, "This page is opened by Zendesk in the ticket sidebar, with a signed token. Install the Crossview app in Zendesk to use it.")
}

// handleSidebarBind exchanges the shell's own token for one bound to the
// ticket the shell names (the ZAF SDK tells it; Zendesk's JWT does not),
// once Zendesk's rules say the signed-in agent may see that ticket.
func (s *server) handleSidebarBind(c echo.Context) error {
	p, err := s.o.PanelTokens.Verify(c.Request().Header.Get(panelTokenHeader), crossview.LocationZendeskSidebar)
	if err != nil {
		return err
	}
	noStore(c)
	if p.TicketID != 0 {
		return crossview.Errorf(crossview.EFORBIDDEN, "This panel token is already bound to a ticket; reload the panel.")
	}
	ticketID, err := parseTicketID(c.FormValue("ticket_id"))
	if err != nil {
		return err
	}
	if err := s.o.Sidebar.Authorize(c.Request().Context(), p, ticketID); err != nil {
		return err
	}
	tok, err := s.o.PanelTokens.Bind(p, ticketID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"token": tok})
}

// handleSidebarPanel renders the CRM data for the ticket the token was
// bound to. The requester is resolved by the server from Zendesk; nothing
// the browser says about the customer is trusted. The ETag names what the
// panel shows, so the shell's periodic re-fetch of an unchanged panel is
// a 304.
func (s *server) handleSidebarPanel(c echo.Context) error {
	ticketID, err := parseTicketID(c.QueryParam("ticket_id"))
	if err != nil {
		return err
	}
	p, err := s.o.PanelTokens.VerifyTicket(c.Request().Header.Get(panelTokenHeader), ticketID)
	if err != nil {
		return err
	}
	noStore(c)
	panel, err := s.o.Sidebar.Build(c.Request().Context(), p, ticketID, c.QueryParam("refresh") == "1")
	if err != nil {
		return err
	}
	now := s.o.Now()
	key := sidebarFingerprint(panel, now)
	etag := etagOf(key)
	c.Response().Header().Set("ETag", etag)
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	if html, ok := s.panels.get(key); ok {
		return c.HTMLBlob(http.StatusOK, html)
	}
	html, err := renderBytes(c.Request().Context(), views.SidebarPanelFragment(sidebarView(panel, now)))
	if err != nil {
		return err
	}
	s.panels.put(key, html)
	return c.HTMLBlob(http.StatusOK, html)
}

func parseTicketID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, crossview.Errorf(crossview.EINVALID, "The ticket id must be a positive number.")
	}
	return id, nil
}

// withQuery appends query parameters to a path.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
