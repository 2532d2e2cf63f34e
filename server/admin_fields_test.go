package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// adminPages drives the admin pages over HTTP with a signed-in admin's
// session cookie, stopping at redirects.
type adminPages struct {
	t    *testing.T
	base string
	sess admin.Session
}

// labsAdmin signs the labs admin in and connects the labs production org.
func labsAdmin(t *testing.T, base string, sb *sandboxRun) (adminPages, crossview.Connection) {
	t.Helper()
	labs := sb.world.Labs
	sess, err := admintest.SignIn(t, sb.app.admin, sandbox.LabsSubdomain, labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := admintest.Connect(t, sb.app.admin, sess, crossview.Production, labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	return adminPages{t: t, base: base, sess: sess}, c
}

func (p adminPages) do(method, path string, form url.Values) (int, http.Header, *goquery.Document) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", p.sess.CSRF)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, p.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "cv_admin", Value: p.sess.ID})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, doc
}

func (p adminPages) get(path string) *goquery.Document {
	p.t.Helper()
	status, _, doc := p.do(http.MethodGet, path, nil)
	if status != http.StatusOK {
		p.t.Fatalf("GET %s: %d\n%s", path, status, doc.Text())
	}
	return doc
}

// sidebarForm is the sidebar settings form as the page fills it.
func sidebarForm(doc *goquery.Document) url.Values {
	form := url.Values{}
	doc.Find(`[data-testid="sidebar-form"] input`).Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok && name != "csrf" {
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	return form
}

func text(doc *goquery.Document, sel string) string {
	return strings.TrimSpace(doc.Find(sel).Text())
}

// Saving a misspelt field from the admin page is refused by name and
// saves nothing.
func TestSidebarFieldRefusedByNameOnThePage(t *testing.T) {
	base, sb := startTestSandbox(t)
	pages, c := labsAdmin(t, base, sb)
	form := sidebarForm(pages.get("/admin/connections/" + c.ID))
	form.Set("fields_Account", "Industry, Bogus__c")
	status, _, doc := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/sidebar", form)
	if msg := text(doc, `[data-testid="detail-error"]`); status != http.StatusBadRequest || !strings.Contains(msg, "Account has no field Bogus__c") {
		t.Fatalf("saving Bogus__c: %d %q", status, msg)
	}
	stored, err := sb.app.store.Connection(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(stored.Sidebar.Fields["Account"], ","); got != "Industry,Type,Phone" {
		t.Fatalf("the refused fields were saved: %s", got)
	}
	form.Set("fields_Account", "Industry, Type, AnnualRevenue")
	if status, hdr, doc := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/sidebar", form); status != http.StatusSeeOther {
		t.Fatalf("saving fields the org has: %d %s %s", status, hdr.Get("Location"), text(doc, `[data-testid="detail-error"]`))
	}
	// Salesforce cannot check a change: it is not saved, and the page says why.
	sb.world.Labs.Production.SetFailure(http.StatusServiceUnavailable)
	form.Set("fields_Account", "Industry, Added_Today__c")
	status, _, doc = pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/sidebar", form)
	if msg := text(doc, `[data-testid="detail-error"]`); status != http.StatusServiceUnavailable || !strings.Contains(msg, "could not check these fields") || !strings.Contains(msg, "nothing was saved") {
		t.Fatalf("saving while Salesforce is down: %d %q", status, msg)
	}
}

// labsPanel opens the sidebar panel for a labs ticket as the labs admin
// (an agent of that account) would see it.
func labsPanel(t *testing.T, base string, labs *sandbox.Labs, ticketID int64) string {
	t.Helper()
	tok := openSidebarAs(t, base, labs.Account, labs.Admin.ID, ticketID)
	req, _ := http.NewRequest(http.MethodGet, base+"/zendesk/panel?refresh=1&ticket_id="+itoa(ticketID), nil)
	req.Header.Set("X-Crossview-Token", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// A field deleted in Salesforce after it was saved: the agent's sidebar
// shows only a short note (never the query with the requester's email),
// health names the field, and the connection's recent errors say why.
func TestDeletedFieldShowsAgentsANoteAndAdminsTheField(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := context.Background()
	labs, a := sb.world.Labs, sb.app.admin
	pages, c := labsAdmin(t, base, sb)
	if _, err := a.UpdateAccount(ctx, pages.sess, labs.Account.AppID(), 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := labs.Production.DefineField("Contact", "Shoe_Size__c", "int"); err != nil {
		t.Fatal(err)
	}
	set := c.Sidebar
	set.Fields["Contact"] = []string{"Title", "Shoe_Size__c"}
	if _, err := a.UpdateSidebar(ctx, pages.sess.Subdomain, pages.sess.Actor(), c.ID, set); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetFeature(ctx, pages.sess.Subdomain, pages.sess.Actor(), c.ID, crossview.FeatureSidebar, true); err != nil {
		t.Fatal(err)
	}
	const email = "jo.requester@customer.example"
	customer := labs.Account.AddUser(zendesktest.User{Name: "Jo Requester", Email: email, Role: zendesktest.RoleEndUser})
	ticket := labs.Account.AddTicket(zendesktest.Ticket{Subject: "Shoes", RequesterID: customer.ID})
	if err := labs.Production.DeleteField("Contact", "Shoe_Size__c"); err != nil {
		t.Fatal(err)
	}

	panel, err := goquery.NewDocumentFromReader(strings.NewReader(labsPanel(t, base, labs, ticket.ID)))
	if err != nil {
		t.Fatal(err)
	}
	section := panel.Find(`[data-testid="org-section"]`)
	if section.Length() != 1 {
		t.Fatalf("org sections: %d\n%s", section.Length(), panel.Text())
	}
	note := strings.TrimSpace(section.Find(`[data-testid="org-problem"] p`).Text())
	if note != "This org's sidebar settings need attention — ask your Zendesk admin." {
		t.Errorf("the agent is told %q", note)
	}
	html, _ := section.Html()
	for _, leak := range []string{"SELECT", email, "Shoe_Size__c", "No such column"} {
		if strings.Contains(html, leak) {
			t.Errorf("the org section shows %q:\n%s", leak, html)
		}
	}

	// The admin sees the field named in health and in recent errors.
	status, _, _ := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/check", url.Values{})
	if status != http.StatusSeeOther {
		t.Fatalf("check now: %d", status)
	}
	doc := pages.get("/admin/connections/" + c.ID)
	if p := text(doc, `[data-testid="health-problem"]`); !strings.Contains(p, "Contact has no field Shoe_Size__c") {
		t.Errorf("health: %q", p)
	}
	if f := text(doc, `[data-testid="failures"]`); !strings.Contains(f, "INVALID_FIELD") || !strings.Contains(f, "Shoe_Size__c") || strings.Contains(f, email) {
		t.Errorf("recent errors: %q", f)
	}
	if doc.Find(`[data-testid="health-ok"]`).Length() != 0 {
		t.Error("the page still says healthy")
	}
}
