package web

import (
	"net/http"
	"net/url"
	"strconv"

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
		ForceRefresh: c.QueryParam("refresh") == "1",
	}))
}

// handleSidebarGet explains the page to whoever opens it directly.
func (s *server) handleSidebarGet(echo.Context) error {
	return crossview.Errorf(crossview.EUNAUTHORIZED, "This page is opened by Zendesk in the ticket sidebar, with a signed token. Install the Crossview app in Zendesk to use it.")
}

// handleSidebarPanel renders the CRM data for the ticket the shell names.
// The requester is resolved by the server from Zendesk; nothing the
// browser says about the customer is trusted.
func (s *server) handleSidebarPanel(c echo.Context) error {
	p, err := s.o.PanelTokens.Verify(c.Request().Header.Get(panelTokenHeader), crossview.LocationZendeskSidebar)
	if err != nil {
		return err
	}
	noStore(c)
	ticketID, err := strconv.ParseInt(c.QueryParam("ticket_id"), 10, 64)
	if err != nil || ticketID <= 0 {
		return crossview.Errorf(crossview.EINVALID, "The ticket id must be a positive number.")
	}
	panel, err := s.o.Sidebar.Build(c.Request().Context(), p, ticketID, c.QueryParam("refresh") == "1")
	if err != nil {
		return err
	}
	now := s.o.Now()
	key := sidebarFingerprint(panel, now)
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

// withQuery appends query parameters to a path.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
