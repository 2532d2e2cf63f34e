package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
)

// waitForReload reloads the page until sel's text contains want: what an
// admin sees coming back to the page, without pressing anything on it.
func (b *browser) waitForReload(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		b.do(chromedp.Reload())
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector('`+sel+`'); return e ? e.innerText : '' })()`))
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s never said %q (last: %q)", sel, want, got)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestAdminHealthInChromium drives what an admin hits when something is
// wrong: a misspelt sidebar field refused by name, a 503 named as such
// and recovering on the short recheck without clicking, a field deleted
// in Salesforce named by health, and a disconnected connection that says
// so and reconnects from its Reconnect button with a truthful message.
func TestAdminHealthInChromium(t *testing.T) {
	_, sb := startTestSandbox(t)
	base := sb.url
	// The health loop serve and sandbox run, on a one-second interval so
	// the short recheck (1 minute, capped at the interval) comes within
	// the test.
	hctx, stopHealth := context.WithCancel(context.Background())
	healthDone := make(chan struct{})
	go func() { defer close(healthDone); sb.app.admin.RunHealthChecks(hctx, time.Second) }()
	t.Cleanup(func() { stopHealth(); <-healthDone })
	ctx := browsertest.New(t, 1280, 1600)
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	b := &browser{t: t, ctx: ctx, base: base}
	labs := sb.world.Labs

	b.signIn("northwind-labs", labs.Admin.Email)
	b.text(`[data-testid="no-connections"]`) // signed in
	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	id := b.currentConnectionID()
	details := base + "/admin/connections/" + id

	// A misspelt field is refused by name.
	b.do(chromedp.SetValue(`#fields_Account`, "Industry, Bogus__c"), chromedp.Click(`[data-testid="save-sidebar"]`))
	b.waitText(`[data-testid="detail-error"]`, "Account has no field Bogus__c")
	b.do(chromedp.Navigate(details), chromedp.Click(`[data-testid="turn-on-sidebar"]`), chromedp.WaitVisible(`[data-testid="turn-off-sidebar"]`))

	// Salesforce answers 503: health says so, then recovers by itself.
	labs.Production.SetFailure(http.StatusServiceUnavailable)
	b.do(chromedp.Click(`[data-testid="check-now"]`))
	b.waitText(`[data-testid="health-problem"]`, "Salesforce answered 503 Service Unavailable (maintenance or an outage)")
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-health-503.png", shot)
	labs.Production.SetFailure(0)
	b.waitForReload(`[data-testid="health-ok"]`, "Healthy")

	// A saved field deleted later in Salesforce is named by health.
	if err := labs.Production.DefineField("Contact", "Shoe_Size__c", "int"); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetValue(`#fields_Contact`, "Title, Shoe_Size__c"), chromedp.Click(`[data-testid="save-sidebar"]`))
	b.waitText(`[data-testid="flash"]`, "Sidebar settings saved")
	if err := labs.Production.DeleteField("Contact", "Shoe_Size__c"); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click(`[data-testid="check-now"]`))
	b.waitText(`[data-testid="health-problem"]`, "Contact has no field Shoe_Size__c")
	b.do(chromedp.SetValue(`#fields_Contact`, "Title"), chromedp.Click(`[data-testid="save-sidebar"]`))
	b.waitText(`[data-testid="flash"]`, "Sidebar settings saved")

	// Disconnected: said everywhere, with a Reconnect button.
	b.do(chromedp.Click(`[data-testid="disconnect"]`), chromedp.WaitVisible(`[data-testid="confirm-disconnect"]`), chromedp.Click(`[data-testid="confirm-disconnect"]`))
	b.waitText(`[data-testid="flash"]`, "Disconnected")
	row := `[data-connection-id="` + id + `"]`
	if st := b.text(row + ` [data-testid="connection-status"]`); st != "Disconnected" {
		t.Errorf("list status %q", st)
	}
	if h := b.text(row + ` [data-testid="connection-health"]`); h == "Healthy" {
		t.Error("a disconnected connection is listed as healthy")
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-disconnected.png", shot)
	b.do(chromedp.Click(row + ` [data-testid="reconnect"]`))
	b.waitText(`[data-testid="health-disconnected"]`, "Disconnected")
	if st := b.text(`[data-testid="detail-status"]`); st != "Disconnected" {
		t.Errorf("details status %q", st)
	}
	b.do(chromedp.Click(`[data-testid="reconnect-terms"]`), chromedp.Click(`[data-testid="reconnect-form"] [data-testid="reconnect"]`),
		chromedp.WaitVisible(`select#username`), chromedp.SetValue(`select#username`, labs.OrgAdmin.Username), chromedp.Click(`button#Login`),
		chromedp.WaitVisible(`[data-testid="confirm-connect"]`), chromedp.Click(`[data-testid="confirm-connect"]`))
	b.waitText(`[data-testid="flash"]`, "Reconnected")
	want := "Reconnected, with this org's settings restored. Back on: Zendesk sidebar. Left off until you turn them on again: Account sync, Contact sync, Ticket sync."
	if got := b.text(`[data-testid="flash"]`); got != want {
		t.Errorf("reconnect message:\n got %q\nwant %q", got, want)
	}
	if b.currentConnectionID() != id {
		t.Error("reconnecting made a new connection")
	}
	if st := b.text(`[data-testid="detail-status"]`); st != "Connected" {
		t.Errorf("status after reconnect %q", st)
	}
}
