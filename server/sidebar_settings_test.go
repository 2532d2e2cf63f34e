package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestSidebarSettingsShapeThePanel: per-connection settings choose the
// fields shown and the match field; a field the org lacks becomes a
// labelled settings note in that org's section only.
func TestSidebarSettingsShapeThePanel(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := context.Background()
	conns, err := sb.app.store.Connections(ctx, sb.world.Tenant().Subdomain)
	if err != nil {
		t.Fatal(err)
	}
	a, b := conns[0], conns[1]
	a.Sidebar.Fields["Contact"] = []string{"Phone"}
	a.Sidebar.Fields["Account"] = []string{"BillingCity"}
	b.Sidebar.Fields["Contact"] = []string{"Shoe_Size__c"}
	b.Sidebar.Order, a.Sidebar.Order = 0, 1 // b first now
	if err := sb.app.store.PutConnection(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := sb.app.store.PutConnection(ctx, b); err != nil {
		t.Fatal(err)
	}
	tok := openSidebar(t, base, sb)
	req, _ := http.NewRequest(http.MethodGet, base+"/zendesk/panel?ticket_id=1", nil)
	req.Header.Set("X-Crossview-Token", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	html := string(body)
	ib, ia := strings.Index(html, "Northwind EMEA (UAT)"), strings.Index(html, "Northwind Traders")
	if ib < 0 || ia < 0 || ib > ia {
		t.Fatalf("org order not applied (EMEA at %d, Traders at %d)", ib, ia)
	}
	orgA := html[ia:]
	if !strings.Contains(orgA, "San Francisco") || strings.Contains(orgA, "Head of Finance") {
		t.Errorf("org A does not show exactly the configured fields:\n%s", orgA)
	}
	orgB := html[ib:ia]
	// Agents get a note for the admin; the field is named on the admin's
	// pages, not to them.
	if !strings.Contains(orgB, "Settings problem") || !strings.Contains(orgB, "ask your Zendesk admin") || strings.Contains(orgB, "SELECT") {
		t.Errorf("org B should say its settings need an admin, and nothing more:\n%s", orgB)
	}
}
