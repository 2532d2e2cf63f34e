package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/sandbox"
)

// connections counts the labs account's connections in the store.
func (a *adminTestApp) connections() int {
	a.t.Helper()
	cs, err := a.app.store.Connections(context.Background(), sandbox.LabsSubdomain)
	if err != nil {
		a.t.Fatal(err)
	}
	return len(cs)
}

// TestConnectAsksWhichZendeskAccountFirst: the admin sees which Zendesk
// account an org is about to join, and nothing is connected until they
// confirm; cancelling revokes the grant Salesforce gave.
func TestConnectAsksWhichZendeskAccountFirst(t *testing.T) {
	a := newAdminTestApp(t, "")
	labs := a.world.Labs
	b := a.client("198.51.100.1:1000")
	b.signIn(sandbox.LabsSubdomain, labs.Admin.Email)

	if p := b.get("/admin/connections/new"); !strings.Contains(p.body, `data-testid="connect-target"`) ||
		!strings.Contains(p.body, sandbox.LabsSubdomain) || !strings.Contains(p.body, labs.Admin.Email) {
		t.Fatalf("the new-connection page does not name the Zendesk account and the admin:\n%s", p.body)
	}
	cb := admintest.SalesforceLogin(t, b.startConnect("production"), labs.OrgAdmin.Username)
	p := b.get(callback(salesforceCallback, cb))
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.loc, "/admin/connections/pending/") {
		t.Fatalf("the Salesforce callback: %d %s\n%s", p.status, p.loc, p.body)
	}
	confirmURL := p.loc
	if n := a.connections(); n != 0 {
		t.Fatalf("%d connections before the admin confirmed", n)
	}
	p = b.get(confirmURL)
	for _, want := range []string{"Northwind Labs", labs.Production.ID(), labs.OrgAdmin.Username, sandbox.LabsSubdomain, labs.Admin.Email,
		`data-testid="confirm-connect"`, `data-testid="cancel-connect"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the confirmation page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("confirmation page (%d):\n%s", p.status, p.body)
	}
	// Confirming is a form post with the session's CSRF token.
	if p := b.post(confirmURL+"/connect", url.Values{}); p.status != http.StatusForbidden || a.connections() != 0 {
		t.Fatalf("a confirmation without the CSRF token: %d, %d connections", p.status, a.connections())
	}
	// Another admin's session cannot confirm it.
	other := a.client("198.51.100.2:1000")
	other.signIn(sandbox.LabsSubdomain, labs.Admin.Email)
	if p := other.post(confirmURL+"/connect", url.Values{"csrf": {other.csrf()}}); p.status != http.StatusNotFound || a.connections() != 0 {
		t.Fatalf("another session confirming: %d, %d connections", p.status, a.connections())
	}
	p = b.post(confirmURL+"/connect", url.Values{"csrf": {b.csrf()}})
	if p.status != http.StatusSeeOther || !strings.Contains(p.loc, "done=connected") || a.connections() != 1 {
		t.Fatalf("confirming: %d %s, %d connections", p.status, p.loc, a.connections())
	}
	if p := b.post(confirmURL+"/connect", url.Values{"csrf": {b.csrf()}}); p.status != http.StatusNotFound {
		t.Fatalf("confirming twice: %d", p.status)
	}

	// Cancel: the sandbox org is not connected and its grant is revoked.
	revoked := labs.Sandbox.Stats().Revocations
	cb = admintest.SalesforceLogin(t, b.startConnect("sandbox"), labs.SandboxAdmin.Username)
	p = b.get(callback(salesforceCallback, cb))
	if p.status != http.StatusSeeOther {
		t.Fatalf("the sandbox callback: %d\n%s", p.status, p.body)
	}
	p = b.post(p.loc+"/cancel", url.Values{"csrf": {b.csrf()}})
	if p.status != http.StatusSeeOther || a.connections() != 1 {
		t.Fatalf("cancelling: %d %s, %d connections", p.status, p.loc, a.connections())
	}
	if n := labs.Sandbox.Stats().Revocations - revoked; n != 1 {
		t.Fatalf("%d grants revoked on cancel, want 1", n)
	}
}

// TestConnectCallbackBoundToTheSession: a Salesforce callback works only in
// the session that started the connect. Opened elsewhere it is refused and
// spends nothing, so the admin who started it can still finish.
func TestConnectCallbackBoundToTheSession(t *testing.T) {
	a := newAdminTestApp(t, "")
	labs := a.world.Labs
	alice := a.client("198.51.100.1:1000")
	alice.signIn(sandbox.LabsSubdomain, labs.Admin.Email)
	link := callback(salesforceCallback, admintest.SalesforceLogin(t, alice.startConnect("production"), labs.OrgAdmin.Username))

	bob := a.client("198.51.100.2:1000") // another session of the same account
	bob.signIn(sandbox.LabsSubdomain, labs.Admin.Email)
	if p := bob.get(link); p.status != http.StatusForbidden || !strings.Contains(p.body, "started by another session") {
		t.Fatalf("another session opened the callback: %d %s\n%s", p.status, p.loc, p.body)
	}
	if p := a.client("198.51.100.3:1000").get(link); p.status != http.StatusSeeOther || p.loc != "/admin/signin" {
		t.Fatalf("a browser with no session opened the callback: %d %s", p.status, p.loc)
	}
	if n := a.connections(); n != 0 {
		t.Fatalf("%d connections after refused callbacks", n)
	}
	p := alice.get(link)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.loc, "/admin/connections/pending/") {
		t.Fatalf("the session that started the connect: %d %s\n%s", p.status, p.loc, p.body)
	}
}
