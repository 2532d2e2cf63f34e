package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/crossview"
)

// A disconnected connection says "Disconnected" on the list and the
// details page (never "Healthy"), offers Reconnect, which goes to the
// Salesforce sign-in for the same environment; reconnecting the same org
// says exactly which features came back on and which stay off.
func TestDisconnectedConnectionReconnects(t *testing.T) {
	base, sb := startTestSandbox(t)
	labs := sb.world.Labs
	pages, c := labsAdmin(t, base, sb)
	for _, f := range []string{"sidebar", "account_sync"} {
		if status, _, _ := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/features", url.Values{"feature": {f}, "on": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("turning %s on: %d", f, status)
		}
	}
	if status, _, _ := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/disconnect", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", status)
	}

	list := pages.get("/admin")
	row := list.Find(`[data-connection-id="` + c.ID + `"]`)
	if st := strings.TrimSpace(row.Find(`[data-testid="connection-status"]`).Text()); st != "Disconnected" {
		t.Errorf("list status %q", st)
	}
	if h := strings.TrimSpace(row.Find(`[data-testid="connection-health"]`).Text()); h == "Healthy" || strings.Contains(row.Text(), "Connected") {
		t.Errorf("list row reads as connected or healthy: %q", row.Text())
	}
	if row.Find(`[data-testid="reconnect"]`).Length() != 1 {
		t.Error("no Reconnect in the list")
	}
	doc := pages.get("/admin/connections/" + c.ID)
	if st := text(doc, `[data-testid="detail-status"]`); st != "Disconnected" {
		t.Errorf("details status %q", st)
	}
	if doc.Find(`[data-testid="health-ok"]`).Length() != 0 || !strings.Contains(text(doc, `[data-testid="health-disconnected"]`), "Disconnected") {
		t.Errorf("details health: %q", text(doc, `#health-h + *`))
	}

	// Reconnect needs the terms, then goes to the Salesforce sign-in.
	if status, _, doc := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/reconnect", url.Values{}); status != http.StatusBadRequest || !strings.Contains(text(doc, `[data-testid="detail-error"]`), "terms") {
		t.Fatalf("reconnect without the terms: %d", status)
	}
	status, hdr, _ := pages.do(http.MethodPost, "/admin/connections/"+c.ID+"/reconnect", url.Values{"terms": {"1"}})
	signIn := hdr.Get("Location")
	if status != http.StatusSeeOther || !strings.HasPrefix(signIn, sb.world.Cloud.LoginURL()+"/services/oauth2/authorize?") {
		t.Fatalf("reconnect: %d to %q", status, signIn)
	}
	cb := admintest.SalesforceLogin(t, signIn, labs.OrgAdmin.Username)
	status, hdr, _ = pages.do(http.MethodGet, "/admin/salesforce/callback?"+url.Values{"state": {cb.State}, "code": {cb.Code}}.Encode(), nil)
	pending := hdr.Get("Location")
	if status != http.StatusSeeOther || !strings.HasPrefix(pending, "/admin/connections/pending/") {
		t.Fatalf("callback: %d to %q, want the confirmation page", status, pending)
	}
	status, hdr, _ = pages.do(http.MethodPost, pending+"/connect", url.Values{})
	back := hdr.Get("Location")
	if status != http.StatusSeeOther || !strings.HasPrefix(back, "/admin/connections/"+c.ID+"?") {
		t.Fatalf("confirming: %d to %q", status, back)
	}
	doc = pages.get(back)
	want := "Reconnected, with this org's settings restored. Back on: Zendesk sidebar. Left off until you turn them on again: Account sync, Contact sync, Ticket sync."
	if got := text(doc, `[data-testid="flash"]`); got != want {
		t.Errorf("reconnect message:\n got %q\nwant %q", got, want)
	}
	if st := text(doc, `[data-testid="detail-status"]`); st != "Connected" {
		t.Errorf("status after reconnect %q", st)
	}
	stored, _ := sb.app.store.Connection(t.Context(), c.ID)
	if stored.Status != crossview.StatusActive || !stored.Active(crossview.FeatureSidebar) || stored.Features[crossview.FeatureAccountSync] {
		t.Errorf("after reconnect: %s %v", stored.Status, stored.Features)
	}
}
