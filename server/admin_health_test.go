package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestAdminDowngradeShownInSidebar: the Zendesk admin who connected an org
// loses the admin role; one health cycle later the sidebar says the
// connection is stopped and why, instead of showing data.
func TestAdminDowngradeShownInSidebar(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := context.Background()
	labs, a := sb.world.Labs, sb.app.admin
	sess, err := admintest.SignIn(t, a, sandbox.LabsSubdomain, labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateAccount(ctx, sess, labs.Account.AppID(), 0, ""); err != nil {
		t.Fatal(err)
	}
	c, _, err := admintest.Connect(t, a, sess, crossview.Production, labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetFeature(ctx, sess.Subdomain, sess.Actor(), c.ID, crossview.FeatureSidebar, true); err != nil {
		t.Fatal(err)
	}
	customer := labs.Account.AddUser(zendesktest.User{Name: "Lee Admin", Email: "admin@labs.northwind.example", Role: zendesktest.RoleEndUser})
	ticket := labs.Account.AddTicket(zendesktest.Ticket{Subject: "Hello", RequesterID: customer.ID})

	panel := func() string {
		tok := openSidebarAs(t, base, labs.Account, labs.Admin.ID, ticket.ID)
		req, _ := http.NewRequest(http.MethodGet, base+"/zendesk/panel?refresh=1&ticket_id="+itoa(ticket.ID), nil)
		req.Header.Set("X-Crossview-Token", tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if p := panel(); strings.Contains(p, "no longer an admin") || !strings.Contains(p, "org-section") {
		t.Fatalf("before the downgrade:\n%s", p)
	}
	if err := labs.Account.SetUserRole(labs.Admin.ID, "agent"); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	if p := panel(); !strings.Contains(p, "no longer an admin") || !strings.Contains(p, "reconnects the org") {
		t.Fatalf("after one health cycle the sidebar should name the stopped connection:\n%s", p)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
