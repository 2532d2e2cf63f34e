package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketview"
	"github.com/crossview/crossview/views"
)

// ticketPollMillis is how often an open ticket panel asks for changes;
// with webhook invalidation a change shows within about this long.
const ticketPollMillis = 2000

// handleCanvas is the Canvas entry: Salesforce POSTs the signed request.
// The record is read with the viewing rep's own token, so the panel shows
// only what the rep may see, then the panel is rendered in full.
func (s *server) handleCanvas(c echo.Context) error {
	cr, err := s.o.Canvas.Verify(c.Request().PostFormValue("signed_request"))
	if err != nil {
		return err
	}
	rec, err := s.o.Records.ResolveRecord(c.Request().Context(), cr.OrgID, cr.InstanceURL, cr.OAuthToken, cr.RecordType, cr.RecordID)
	if err != nil {
		return err
	}
	p := crossview.Principal{OrgID: cr.OrgID, UserID: cr.UserID, Location: crossview.LocationSalesforceRecord, Record: &rec}
	tok, err := s.o.PanelTokens.Issue(p)
	if err != nil {
		return err
	}
	panel, err := s.o.TicketView.Build(c.Request().Context(), p, nil, 1, false)
	if err != nil {
		return err
	}
	noStore(c)
	c.Response().Header().Set("Content-Security-Policy", s.csp(s.salesforceAncestors(cr)))
	return render(c, http.StatusOK, views.TicketPanelPage(views.TicketPage{
		Page:       views.Page{Title: "Zendesk tickets", AssetPrefix: "/assets", BodyClass: "cv-embedded", Scripts: []string{"/assets/js/ticketview.js"}},
		Token:      tok,
		PanelURL:   "/salesforce/panel",
		PollMillis: ticketPollMillis,
		Panel:      ticketPanelView(panel, s.o.Now()),
	}))
}

// handleCanvasGet answers Salesforce's GET: the self-authorize flow sends
// the user here when they have not approved the app yet.
func (s *server) handleCanvasGet(c echo.Context) error {
	if c.QueryParam("_sfdc_canvas_authvalue") == "user_approval_required" {
		c.Response().Header().Set("Content-Security-Policy", s.csp(s.anyTenantAncestors()))
		return render(c, http.StatusOK, views.CanvasApprovalPage(views.Page{Title: "Crossview", AssetPrefix: "/assets", BodyClass: "cv-embedded"}))
	}
	return crossview.Errorf(crossview.EUNAUTHORIZED, "This page is opened by Salesforce as a Canvas app, with a signed request. Add the Crossview Ticket View component to a record page.")
}

// handleTicketPanel re-renders the panel: polls (answered 304 when nothing
// changed), filter changes (saved as the rep's choice), pages, refreshes.
func (s *server) handleTicketPanel(c echo.Context) error {
	p, err := s.o.PanelTokens.Verify(c.Request().Header.Get(panelTokenHeader), crossview.LocationSalesforceRecord)
	if err != nil {
		return err
	}
	noStore(c)
	q := c.QueryParams()
	var filter *ticketview.Filter
	if q.Get("f") == "1" {
		filter = &ticketview.Filter{Statuses: q["status"], Priorities: q["priority"], Types: q["type"], Accounts: q["account"]}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	panel, err := s.o.TicketView.Build(c.Request().Context(), p, filter, page, q.Get("refresh") == "1")
	if err != nil {
		return err
	}
	// Render once per version of what the panel shows; the ETag names
	// that content, so an unchanged poll costs a lookup and a 304. A build
	// reused from the service's short memo reuses its rendering too.
	etag, html, ok := s.builds.get(panel.Version)
	if !ok || panel.Version == "" {
		now := s.o.Now()
		key := ticketFingerprint(panel, now)
		if html, ok = s.panels.get(key); !ok {
			if html, err = renderBytes(c.Request().Context(), views.TicketPanelFragment(ticketPanelView(panel, now))); err != nil {
				return err
			}
			s.panels.put(key, html)
		}
		etag = etagOf(key)
		s.builds.put(panel.Version, etag, html)
	}
	c.Response().Header().Set("ETag", etag)
	if match := c.Request().Header.Get("If-None-Match"); match == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.HTMLBlob(http.StatusOK, html)
}

// salesforceAncestors allows the org's own Salesforce origins to frame the
// panel: its instance, the origin Canvas reported, and the Lightning domain
// that goes with a My Domain host.
func (s *server) salesforceAncestors(cr auth.CanvasRequest) []string {
	var out []string
	add := func(o string) {
		if o != "" && !contains(out, o) {
			out = append(out, o)
		}
	}
	for _, raw := range []string{cr.InstanceURL, cr.TargetOrigin} {
		o := origin(raw)
		add(o)
		if u, err := url.Parse(o); err == nil && u.Scheme == "https" {
			if name, ok := strings.CutSuffix(u.Host, ".my.salesforce.com"); ok {
				add("https://" + name + ".lightning.force.com")
			}
		}
	}
	return append(out, s.o.ExtraFrameAncestors...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
