package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/sandbox"
)

// TestConnectConfirmationInChromium: in a real browser, the admin is told
// which Zendesk account an org is about to join, by whom, before anything
// is saved; cancelling connects nothing and revokes the grant.
func TestConnectConfirmationInChromium(t *testing.T) {
	_, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1280, 1000)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	b := &browser{t: t, ctx: ctx, base: sb.url}
	labs := sb.world.Labs

	b.signIn(sandbox.LabsSubdomain, labs.Admin.Email)
	b.text(`[data-testid="no-connections"]`)
	b.do(chromedp.Navigate(b.base + "/admin/connections/new"))
	if got := b.text(`[data-testid="connect-target"]`); !strings.Contains(got, sandbox.LabsSubdomain) || !strings.Contains(got, labs.Admin.Email) {
		t.Fatalf("the new-connection page says %q", got)
	}

	b.signInToSalesforce("production", labs.OrgAdmin.Username)
	q := b.text(`[data-testid="confirm-question"]`)
	for _, want := range []string{"Northwind Labs", labs.Production.ID(), labs.OrgAdmin.Username, sandbox.LabsSubdomain} {
		if !strings.Contains(q, want) {
			t.Errorf("the confirmation question %q lacks %q", q, want)
		}
	}
	if got := b.text(`[data-testid="confirm-admin"]`); !strings.Contains(got, labs.Admin.Email) {
		t.Errorf("the confirmation names the admin as %q", got)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-connect-confirm.png", shot)
	if cs, _ := sb.app.store.Connections(context.Background(), sandbox.LabsSubdomain); len(cs) != 0 {
		t.Fatalf("%d connections before the admin confirmed", len(cs))
	}

	revoked := labs.Production.Stats().Revocations
	b.do(chromedp.Click(`[data-testid="cancel-connect"]`))
	b.waitText(`[data-testid="flash"]`, "Not connected")
	b.text(`[data-testid="no-connections"]`)
	if n := labs.Production.Stats().Revocations - revoked; n != 1 {
		t.Fatalf("%d grants revoked on cancel, want 1", n)
	}

	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	if got := b.text(`[data-testid="detail-name"]`); got != "Northwind Labs" {
		t.Fatalf("connected %q", got)
	}
}
