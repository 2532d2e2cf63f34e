package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/server/internal/web"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// oneOrg is a tenant with one connection, the sidebar on.
type oneOrg struct{ tenants }

func (oneOrg) Connections(context.Context, string) ([]crossview.Connection, error) {
	c := crossview.NewConnection("acme", crossview.Production, "00D000000000001AAA", "https://acme.my.salesforce.com", time.Now())
	c.ID, c.Name = "conn_1", "Prod org"
	c.Features[crossview.FeatureSidebar] = true
	return []crossview.Connection{c}, nil
}

// knownCustomer finds every requester as a Contact.
type knownCustomer struct{}

func (knownCustomer) LookupCustomer(_ context.Context, _ crossview.Connection, email string) (crossview.CustomerData, error) {
	return crossview.CustomerData{FetchedAt: time.Now(), Matches: []crossview.CustomerMatch{{Person: crossview.Record{Object: "Contact", ID: "003000000000001AAA", Name: "CRM record of " + email}}}}, nil
}

// TestRestrictedAgentsSeeOnlyTheirTickets drives the whole sidebar, the
// real access check reading the emulated Zendesk: each kind of agent is
// given a token for a ticket inside their access and its panel, and
// refused — no token, no data — for one outside it; an end-user is
// refused everything, their own ticket too.
func TestRestrictedAgentsSeeOnlyTheirTickets(t *testing.T) {
	h := newHarness(t)
	a := h.acme
	api := a.AddUser(zendesktest.User{Name: "API", Email: "api@acme.example", Role: zendesktest.RoleAdmin})
	ts := tenants{"acme": {Subdomain: "acme", AppID: 10, APIEmail: api.Email, APIToken: a.IssueAPIToken()}}
	client := zendesk.NewClient(h.zd.URLTemplate(), http.DefaultClient, 2*time.Second, nil, time.Now)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sb := sidebar.New(sidebar.Options{
		Tenants: oneOrg{ts}, Requesters: client, Access: client, CRM: knownCustomer{},
		Loader: cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now), Now: time.Now}),
		Logger: logger, Now: time.Now,
	})
	h.h = web.NewServer(web.Options{
		Logger: logger, Metrics: metrics.New(),
		ZAF:         auth.NewZAFVerifier(auth.ZAFOptions{Tenants: ts, Keys: client, BaseURL: client.BaseURL, Now: time.Now, Logger: logger}),
		PanelTokens: auth.NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), 10*time.Minute, time.Now),
		Sidebar:     sb, Ready: func(context.Context) error { return nil },
		ZendeskBaseURL: client.BaseURL, ZAFSDKURL: "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js",
		Assets: assets.FS(), Now: time.Now,
	})

	support, billing := a.AddGroup("Support"), a.AddGroup("Billing")
	initech := a.AddOrganization(zendesktest.Organization{Name: "Initech"})
	hooli := a.AddOrganization(zendesktest.Organization{Name: "Hooli"})
	pat := a.AddUser(zendesktest.User{Name: "Pat", Email: "pat@initech.example", OrganizationID: initech.ID})
	gus := a.AddUser(zendesktest.User{Name: "Gus", Email: "gus@hooli.example", OrganizationID: hooli.ID})
	agent := func(name, restriction string) zendesktest.User {
		return a.AddUser(zendesktest.User{Name: name, Email: name + "@acme.example", Role: zendesktest.RoleAgent, TicketRestriction: restriction})
	}
	grouped, orged, assigned, requested, open := agent("grouped", "groups"), agent("orged", "organization"), agent("assigned", "assigned"), agent("requested", "requested"), agent("open", "")
	a.AddGroupMembership(grouped.ID, support.ID)
	a.AddOrganizationMembership(orged.ID, initech.ID)
	initechTicket := a.AddTicket(zendesktest.Ticket{Subject: "Initech", RequesterID: pat.ID, GroupID: support.ID})
	hooliTicket := a.AddTicket(zendesktest.Ticket{Subject: "Hooli", RequesterID: gus.ID, GroupID: billing.ID})
	assignedTicket := a.AddTicket(zendesktest.Ticket{Subject: "Assigned", RequesterID: gus.ID, GroupID: billing.ID, AssigneeID: assigned.ID})
	ownTicket := a.AddTicket(zendesktest.Ticket{Subject: "Own", RequesterID: requested.ID, GroupID: billing.ID})
	id := func(tk zendesktest.Ticket) string { return strconv.FormatInt(tk.ID, 10) }

	for _, c := range []struct {
		who     zendesktest.User
		allowed []zendesktest.Ticket
		refused []zendesktest.Ticket
	}{
		{grouped, []zendesktest.Ticket{initechTicket}, []zendesktest.Ticket{hooliTicket, ownTicket}},
		{orged, []zendesktest.Ticket{initechTicket}, []zendesktest.Ticket{hooliTicket, assignedTicket}},
		{assigned, []zendesktest.Ticket{assignedTicket}, []zendesktest.Ticket{initechTicket, hooliTicket}},
		{requested, []zendesktest.Ticket{ownTicket}, []zendesktest.Ticket{initechTicket, hooliTicket}},
		{open, []zendesktest.Ticket{initechTicket, hooliTicket, ownTicket}, nil},
		{api, []zendesktest.Ticket{initechTicket, hooliTicket, assignedTicket}, nil},
		{pat, nil, []zendesktest.Ticket{initechTicket, hooliTicket}},
	} {
		session := h.shellToken(t, c.who.ID)
		for _, tk := range c.allowed {
			rec, bound := h.bind(t, session, id(tk))
			if rec.Code != http.StatusOK {
				t.Errorf("%s, ticket %q inside their access: %d %s", c.who.Name, tk.Subject, rec.Code, rec.Body)
				continue
			}
			if p := h.getPanel(t, bound, id(tk)); p.Code != http.StatusOK || !strings.Contains(p.Body.String(), "CRM record of") {
				t.Errorf("%s, panel of ticket %q: %d\n%s", c.who.Name, tk.Subject, p.Code, p.Body)
			}
		}
		for _, tk := range c.refused {
			rec, bound := h.bind(t, session, id(tk))
			if rec.Code != http.StatusForbidden || bound != "" || strings.Contains(rec.Body.String(), "@") {
				t.Errorf("%s, ticket %q outside their access: %d %q\n%s", c.who.Name, tk.Subject, rec.Code, bound, rec.Body)
			}
		}
	}
}
