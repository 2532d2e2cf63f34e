package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

// Demo is the sandbox's emulated world, as /demo shows it.
type Demo interface {
	// Tickets lists the seeded Zendesk tickets.
	Tickets() []DemoTicket
	// SidebarToken signs a sidebar JWT exactly as Zendesk would.
	SidebarToken(ctx context.Context) (string, error)
	// Orgs lists the emulated Salesforce orgs.
	Orgs() []DemoOrg
	// SetOrgFailing makes an emulated org answer 503 (or recover).
	SetOrgFailing(key string, failing bool) error
}

// DemoTicket is a seeded ticket.
type DemoTicket struct {
	ID                                   int64
	Subject, Description, Status         string
	RequesterName, RequesterEmail, Notes string
}

// DemoOrg is an emulated Salesforce org.
type DemoOrg struct {
	Key, Name string
	Failing   bool
}

// demoAppGUID names the app instance in the emulated ZAF handshake.
const demoAppGUID = "crossview-demo-app"

// handleDemo renders the sandbox page that frames the real sidebar as
// Zendesk would: it POSTs a signed token into the iframe and plays the ZAF
// parent frame for the SDK (assets/js/demo.js).
func (s *server) handleDemo(c echo.Context) error {
	tickets := s.o.Demo.Tickets()
	if len(tickets) == 0 {
		return crossview.Errorf(crossview.ENOTFOUND, "The sandbox has no tickets.")
	}
	current := tickets[0]
	if id, err := strconv.ParseInt(c.QueryParam("ticket"), 10, 64); err == nil {
		for _, t := range tickets {
			if t.ID == id {
				current = t
			}
		}
	}
	token, err := s.o.Demo.SidebarToken(c.Request().Context())
	if err != nil {
		return err
	}
	q := url.Values{"app_guid": {demoAppGUID}}
	if c.QueryParam("refresh") == "1" {
		q.Set("refresh", "1")
	}
	v := views.DemoPage{
		Page:          views.Page{Title: "Crossview sandbox", AssetPrefix: "/assets", Scripts: []string{"/assets/js/demo.js"}},
		SidebarAction: withQuery("/zendesk/sidebar", q),
		Token:         token,
		AppGUID:       demoAppGUID,
		Current:       demoTicketView(current),
	}
	for _, t := range tickets {
		v.Tickets = append(v.Tickets, demoTicketView(t))
	}
	for _, o := range s.o.Demo.Orgs() {
		v.Orgs = append(v.Orgs, views.DemoOrg{Key: o.Key, Name: o.Name, Failing: o.Failing,
			Action: "/demo/orgs/" + url.PathEscape(o.Key) + "/failure?ticket=" + strconv.FormatInt(current.ID, 10)})
	}
	noStore(c)
	return render(c, http.StatusOK, views.DemoPageView(v))
}

func demoTicketView(t DemoTicket) views.DemoTicket {
	return views.DemoTicket{ID: t.ID, Subject: t.Subject, Description: t.Description, Status: t.Status,
		RequesterName: t.RequesterName, RequesterEmail: t.RequesterEmail, Notes: t.Notes,
		URL: "/demo?ticket=" + strconv.FormatInt(t.ID, 10)}
}

// handleDemoFailure flips an emulated org between failing and healthy, then
// reloads the demo with a forced refresh so the change shows at once.
func (s *server) handleDemoFailure(c echo.Context) error {
	failing := c.Request().PostFormValue("failing") == "1"
	if err := s.o.Demo.SetOrgFailing(c.Param("key"), failing); err != nil {
		return err
	}
	q := url.Values{"refresh": {"1"}}
	if t := c.QueryParam("ticket"); t != "" {
		q.Set("ticket", t)
	}
	return c.Redirect(http.StatusSeeOther, withQuery("/demo", q))
}
