package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	// ZendeskAccounts lists the emulated Zendesk accounts whose tickets
	// record pages show; SetAccountFailing makes one answer 503 (or
	// recover).
	ZendeskAccounts() []DemoOrg
	SetAccountFailing(subdomain string, failing bool) error

	// SalesforceRecords lists the records a record page can show.
	SalesforceRecords() []DemoRecord
	// SalesforceUsers lists who can view a record page.
	SalesforceUsers() []DemoUser
	// SignCanvas signs a Canvas request as the emulated org would.
	SignCanvas(ctx context.Context, recordID, userKey string) (string, error)
	// RecordTickets lists tickets the record's panel shows, to change.
	RecordTickets(recordID string) []DemoTicketRef
	// ChangeTicket changes a ticket in the emulated Zendesk, which sends
	// the signed webhook.
	ChangeTicket(ctx context.Context, tenant string, id int64, status string) error
	// CommentTicket adds a public reply or an internal note to a ticket.
	CommentTicket(ctx context.Context, tenant string, id int64, body string, public bool) error
	// SyncedCase is the Lightning page of the Case ticket sync made of a
	// ticket, if it made one.
	SyncedCase(ctx context.Context, tenant string, id int64) (string, bool)
	// SalesforceContact is a seeded Contact as the org holds it now (ok
	// false for other records); EditContact changes its title and phone
	// in the emulated org, which data sync carries to the Zendesk user.
	SalesforceContact(recordID string) (DemoContact, bool)
	EditContact(ctx context.Context, recordID, title, phone string) error
}

// DemoContact is a seeded Contact's editable fields, and the support
// desk's ticket it requested (0: none).
type DemoContact struct {
	ID, Title, Phone, Email string
	TicketID                int64
}

// DemoRequester is a ticket's requester as Zendesk holds them now.
// OtherPhones are the phones Zendesk added after Phone (a synced phone
// is added as an identity, never replacing the first).
type DemoRequester struct {
	Name, Email, Phone, Title, Organization, ExternalID string
	OtherPhones                                         []string
}

// DemoRecord is a seeded Salesforce record.
type DemoRecord struct {
	ID, Object, Name, Note string
}

// DemoUser is a Salesforce user a record page can be viewed as.
type DemoUser struct {
	Key, Name, Note string
}

// DemoTicketRef is a ticket the demo can change.
type DemoTicketRef struct {
	Tenant  string
	ID      int64
	Subject string
	Status  string
}

// DemoTicket is a seeded ticket, as the emulated Zendesk has it now.
type DemoTicket struct {
	Tenant                               string
	ID                                   int64
	Subject, Description, Status         string
	RequesterName, RequesterEmail, Notes string
	// Requester is the requester's Zendesk user now (what data sync wrote).
	Requester DemoRequester
	// Comments follow the description, oldest first.
	Comments []DemoComment
}

// DemoComment is a ticket comment.
type DemoComment struct {
	Author, Body string
	Public       bool
}

// DemoOrg is an emulated Salesforce org or Zendesk account.
type DemoOrg struct {
	Key, Name string
	Failing   bool
	// RecordPage marks the org whose records /demo/salesforce opens.
	RecordPage bool
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
	v.Statuses = crossview.TicketStatuses()
	for _, o := range s.o.Demo.Orgs() {
		v.Orgs = append(v.Orgs, views.DemoOrg{Key: o.Key, Name: o.Name, Kind: "Salesforce org", Failing: o.Failing,
			Action: "/demo/orgs/" + url.PathEscape(o.Key) + "/failure?ticket=" + strconv.FormatInt(current.ID, 10)})
	}
	noStore(c)
	return render(c, http.StatusOK, views.DemoPageView(v))
}

func demoTicketView(t DemoTicket) views.DemoTicket {
	id := strconv.FormatInt(t.ID, 10)
	v := views.DemoTicket{ID: t.ID, Subject: t.Subject, Description: t.Description, Status: t.Status,
		RequesterName: t.RequesterName, RequesterEmail: t.RequesterEmail, Notes: t.Notes,
		URL: "/demo?ticket=" + id, ChangeAction: demoTicketAction(t.Tenant, t.ID), CaseLink: demoCaseLink(t.Tenant, t.ID),
		Requester: views.DemoRequester{Name: t.Requester.Name, Email: t.Requester.Email, Phone: t.Requester.Phone, Title: t.Requester.Title,
			Organization: t.Requester.Organization, ExternalID: t.Requester.ExternalID, OtherPhones: t.Requester.OtherPhones}}
	for _, c := range t.Comments {
		v.Comments = append(v.Comments, views.DemoComment{Author: c.Author, Body: c.Body, Public: c.Public})
	}
	return v
}

func demoTicketAction(tenant string, id int64) string {
	return "/demo/tickets/" + url.PathEscape(tenant) + "/" + strconv.FormatInt(id, 10)
}

// demoCaseLink leads to the Case ticket sync made of a ticket.
func demoCaseLink(tenant string, id int64) string {
	return "/demo/cases/" + url.PathEscape(tenant) + "/" + strconv.FormatInt(id, 10)
}

// handleDemoFailure flips an emulated org between failing and healthy.
func (s *server) handleDemoFailure(c echo.Context) error {
	if err := s.o.Demo.SetOrgFailing(c.Param("key"), c.Request().PostFormValue("failing") == "1"); err != nil {
		return err
	}
	return demoBack(c)
}

// handleDemoAccountFailure flips an emulated Zendesk account between
// failing and healthy.
func (s *server) handleDemoAccountFailure(c echo.Context) error {
	if err := s.o.Demo.SetAccountFailing(c.Param("key"), c.Request().PostFormValue("failing") == "1"); err != nil {
		return err
	}
	return demoBack(c)
}

// demoBack returns to the page a failure switch was used on: the record
// page it came from, or the sidebar demo with a forced refresh so the
// change shows at once.
func demoBack(c echo.Context) error {
	if rec := c.QueryParam("record"); rec != "" {
		q := url.Values{"record": {rec}, "as": {c.QueryParam("as")}, "refresh": {"1"}}
		return c.Redirect(http.StatusSeeOther, withQuery("/demo/salesforce", q))
	}
	q := url.Values{"refresh": {"1"}}
	if t := c.QueryParam("ticket"); t != "" {
		q.Set("ticket", t)
	}
	return c.Redirect(http.StatusSeeOther, withQuery("/demo", q))
}

// handleDemoSalesforce renders a Lightning-like record page that frames the
// ticket panel as Salesforce does: the emulated org signs a Canvas request
// and the page POSTs it into the iframe.
func (s *server) handleDemoSalesforce(c echo.Context) error {
	records := s.o.Demo.SalesforceRecords()
	if len(records) == 0 {
		return crossview.Errorf(crossview.ENOTFOUND, "The sandbox has no records.")
	}
	current := records[0]
	for _, r := range records {
		if r.ID == c.QueryParam("record") {
			current = r
		}
	}
	as := c.QueryParam("as")
	if as != "rep" {
		as = "admin"
	}
	v := views.DemoSalesforcePage{
		Page:    views.Page{Title: "Crossview sandbox: Salesforce record page", AssetPrefix: "/assets", Scripts: []string{"/assets/js/demo-salesforce.js"}},
		Current: views.DemoRecord{ID: current.ID, Object: current.Object, Name: current.Name, Note: current.Note},
		As:      as,
		Refresh: c.QueryParam("refresh") == "1",
	}
	signed, err := s.o.Demo.SignCanvas(c.Request().Context(), current.ID, as)
	switch {
	case crossview.ErrorCode(err) == crossview.EFORBIDDEN:
		v.Refused = crossview.ErrorMessage(err)
	case err != nil:
		return err
	default:
		v.SignedRequest = signed
	}
	for _, r := range records {
		v.Records = append(v.Records, views.DemoRecord{ID: r.ID, Object: r.Object, Name: r.Name, Note: r.Note,
			URL: "/demo/salesforce?record=" + url.QueryEscape(r.ID) + "&as=" + as})
	}
	for _, u := range s.o.Demo.SalesforceUsers() {
		v.Users = append(v.Users, views.DemoUser{Key: u.Key, Name: u.Name, Note: u.Note, Current: u.Key == as,
			URL: "/demo/salesforce?record=" + url.QueryEscape(current.ID) + "&as=" + u.Key})
	}
	for _, t := range s.o.Demo.RecordTickets(current.ID) {
		v.Tickets = append(v.Tickets, views.DemoTicketRef{Tenant: t.Tenant, ID: strconv.FormatInt(t.ID, 10), Subject: t.Subject, Status: t.Status,
			Action: demoTicketAction(t.Tenant, t.ID), CaseLink: demoCaseLink(t.Tenant, t.ID)})
	}
	v.Statuses = crossview.TicketStatuses()
	v.Switches = s.demoSwitches(current.ID, as)
	if ct, ok := s.o.Demo.SalesforceContact(current.ID); ok {
		v.Contact = &views.DemoContactEdit{Title: ct.Title, Phone: ct.Phone, Edited: c.QueryParam("edited") == "1",
			Action: "/demo/contacts/" + url.PathEscape(ct.ID) + "?as=" + url.QueryEscape(as)}
		if ct.TicketID > 0 {
			v.Contact.ZendeskURL = "/demo?ticket=" + strconv.FormatInt(ct.TicketID, 10) + "&refresh=1"
		}
	}
	noStore(c)
	return render(c, http.StatusOK, views.DemoSalesforcePageView(v))
}

// handleDemoChangeTicket changes a ticket in the emulated Zendesk: its
// status, a comment, or both. The record page calls it with fetch, so the
// panel beside it updates live without a reload; /demo posts the form and
// comes back (back).
func (s *server) handleDemoChangeTicket(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return crossview.Errorf(crossview.EINVALID, "The ticket id must be a number.")
	}
	ctx, form, tenant := c.Request().Context(), c.Request(), c.Param("tenant")
	status, comment := form.PostFormValue("status"), strings.TrimSpace(form.PostFormValue("comment"))
	if status == "" && comment == "" {
		return crossview.Errorf(crossview.EINVALID, "Choose a status or write a comment.")
	}
	if status != "" {
		if err := s.o.Demo.ChangeTicket(ctx, tenant, id, status); err != nil {
			return err
		}
	}
	if comment != "" {
		if err := s.o.Demo.CommentTicket(ctx, tenant, id, comment, form.PostFormValue("public") == "1"); err != nil {
			return err
		}
	}
	if c.Request().Header.Get("X-Demo-Fetch") == "1" {
		return c.NoContent(http.StatusNoContent)
	}
	back := form.PostFormValue("back")
	if !strings.HasPrefix(back, "/demo") || strings.HasPrefix(back, "//") {
		back = "/demo/salesforce"
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// handleDemoEditContact changes a seeded Contact in the emulated org and
// comes back to its record page.
func (s *server) handleDemoEditContact(c echo.Context) error {
	form := c.Request()
	if err := s.o.Demo.EditContact(form.Context(), c.Param("id"), form.PostFormValue("title"), form.PostFormValue("phone")); err != nil {
		return err
	}
	q := url.Values{"record": {c.Param("id")}, "as": {c.QueryParam("as")}, "edited": {"1"}}
	return c.Redirect(http.StatusSeeOther, withQuery("/demo/salesforce", q))
}

// handleDemoCase opens the Case ticket sync made of a ticket, on the
// emulated org's Lightning-like page.
func (s *server) handleDemoCase(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return crossview.Errorf(crossview.EINVALID, "The ticket id must be a number.")
	}
	u, ok := s.o.Demo.SyncedCase(c.Request().Context(), c.Param("tenant"), id)
	if !ok {
		return crossview.Errorf(crossview.ENOTFOUND, "Ticket %d has no Case in Salesforce yet: ticket sync is off for %s, or the change has not reached Salesforce (it takes a second or two). Try again.", id, c.Param("tenant"))
	}
	noStore(c)
	return c.Redirect(http.StatusSeeOther, u)
}

// demoSwitches are the failures a record page can show: its own org, and
// each Zendesk account its panel reads. Each switch comes back to the same
// record as the same user.
func (s *server) demoSwitches(recordID, as string) []views.DemoOrg {
	back := "?record=" + url.QueryEscape(recordID) + "&as=" + url.QueryEscape(as)
	var out []views.DemoOrg
	for _, o := range s.o.Demo.Orgs() {
		if o.RecordPage {
			out = append(out, views.DemoOrg{Key: o.Key, Name: o.Name, Kind: "Salesforce org", Failing: o.Failing,
				Effect: "it answers HTTP 503 to every API call, so Crossview cannot read this record and the panel shows an error instead of tickets.",
				Action: "/demo/orgs/" + url.PathEscape(o.Key) + "/failure" + back})
		}
	}
	for _, a := range s.o.Demo.ZendeskAccounts() {
		out = append(out, views.DemoOrg{Key: a.Key, Name: a.Name, Kind: "Zendesk account", Failing: a.Failing,
			Effect: "it answers HTTP 503 to every request, so the panel labels this account's part as unavailable and lists the other accounts' tickets.",
			Action: "/demo/accounts/" + url.PathEscape(a.Key) + "/failure" + back})
	}
	return out
}
