package zendesktest

import (
	"net/http"
	"strings"
	"testing"
)

func TestAccountURLs(t *testing.T) {
	f := newFixture(t)
	if !strings.HasPrefix(f.srv.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q, want a loopback URL", f.srv.URL())
	}
	if got, want := f.srv.URLTemplate(), f.srv.URL()+"/{subdomain}"; got != want {
		t.Errorf("URLTemplate() = %q, want %q", got, want)
	}
	if got, want := f.acct.BaseURL(), strings.ReplaceAll(f.srv.URLTemplate(), "{subdomain}", "acme"); got != want {
		t.Errorf("BaseURL() = %q, want %q", got, want)
	}
	if f.srv.Account("acme") != f.acct || f.srv.Account("nope") != nil {
		t.Error("Account lookup by subdomain is wrong")
	}
}

func TestAddAccountRejectsBadSpecs(t *testing.T) {
	f := newFixture(t)
	for _, spec := range []AccountSpec{
		{Subdomain: "acme"},             // taken
		{Subdomain: "Bad_Name"},         // not a subdomain
		{Subdomain: "-x-"},              // leading hyphen
		{Subdomain: "ok", RateLimit: 1}, // too short
		{Subdomain: "fine", RateLimit: -1},
	} {
		if _, err := f.srv.AddAccount(spec); err == nil {
			t.Errorf("AddAccount(%+v) succeeded, want an error", spec)
		}
	}
}

func TestAccountsAreIsolated(t *testing.T) {
	f := newFixture(t)
	other, err := f.srv.AddAccount(AccountSpec{Subdomain: "globex"})
	if err != nil {
		t.Fatal(err)
	}
	tk := f.acct.AddTicket(Ticket{Subject: "only in acme", RequesterID: f.endUser.ID})
	// acme's token does not open globex, and acme's ticket is not there.
	resp, body := request(t, http.MethodGet, other.BaseURL()+"/api/v2/tickets/1.json", "",
		"Authorization: "+basicAuth(f.admin.Email, f.token))
	wantStatus(t, resp, body, http.StatusUnauthorized)
	g := other.AddUser(User{Name: "G", Email: "g@globex.example", Role: RoleAdmin})
	tok := other.IssueAPIToken()
	resp, body = request(t, http.MethodGet, other.BaseURL()+"/api/v2/tickets/1.json", "",
		"Authorization: "+basicAuth(g.Email, tok))
	wantStatus(t, resp, body, http.StatusNotFound)
	if _, ok := other.Ticket(tk.ID); ok {
		t.Error("ticket leaked into another account")
	}
}

func TestUnknownAccountAndEndpoint(t *testing.T) {
	f := newFixture(t)
	resp, body := request(t, http.MethodGet, f.srv.URL()+"/nosuch/api/v2/users/me.json", "")
	wantStatus(t, resp, body, http.StatusNotFound)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("unknown account answers %q, want an HTML page", ct)
	}

	resp, body = f.get(t, "/api/v2/widgets.json")
	wantStatus(t, resp, body, http.StatusNotFound)
	if got, want := string(body), `{"error":"InvalidEndpoint","description":"Not found"}`; got != want {
		t.Errorf("unknown endpoint body = %s, want %s", got, want)
	}
	// Anonymous callers learn nothing about which endpoints exist.
	resp, body = request(t, http.MethodGet, f.acct.BaseURL()+"/api/v2/widgets.json", "")
	wantStatus(t, resp, body, http.StatusUnauthorized)
	// A known path with the wrong method is not an endpoint either.
	resp, body = f.send(t, http.MethodDelete, "/api/v2/tickets/1.json", "")
	wantStatus(t, resp, body, http.StatusNotFound)
}

func TestSeedHelpersRefuseDuplicates(t *testing.T) {
	f := newFixture(t)
	for name, add := range map[string]func(){
		"user email, other case": func() { f.acct.AddUser(User{Name: "x", Email: "ADA@acme.example"}) },
		"user external id":       func() { f.acct.AddUser(User{Name: "x", ExternalID: "003peter"}) },
		"user role":              func() { f.acct.AddUser(User{Name: "x", Role: "owner"}) },
		"organization name":      func() { f.acct.AddOrganization(Organization{Name: "initech"}) },
		"organization ext id":    func() { f.acct.AddOrganization(Organization{Name: "y", ExternalID: "001AAA"}) },
		"ticket status":          func() { f.acct.AddTicket(Ticket{Status: "done"}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: added without complaint", name)
				}
			}()
			add()
		}()
	}
}
