package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
)

// browser drives the admin pages and the emulators' sign-in pages.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// text returns the trimmed text of the first element matching sel, waiting
// for it to appear.
func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	var err error
	for range 5 {
		// A poll that began before a navigation ends with "target
		// navigated" or, when the old page's context is already gone,
		// "Cannot find context with specified id": poll again.
		s, err = chromedp.Run(b.ctx, chromedp.Poll[string](`(() => { const e = document.querySelector('`+sel+`'); return e ? e.innerText.trim() || ' ' : null })()`, chromedp.WithPollingTimeout(10*time.Second)))
		if err == nil || (!strings.Contains(err.Error(), "navigated") && !strings.Contains(err.Error(), "Cannot find context")) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML("body"))
		b.t.Fatalf("waiting for %s at %s: %v\n%s", sel, loc, err, html)
	}
	return strings.TrimSpace(s)
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector('`+sel+`'); return e ? e.innerText : '' })()`))
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s never said %q (last: %q)", sel, want, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signIn signs in to Crossview through the emulated Zendesk's OAuth page.
func (b *browser) signIn(subdomain, email string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/admin"),
		chromedp.WaitVisible(`#subdomain`),
		chromedp.SetValue(`#subdomain`, subdomain),
		chromedp.Click(`[data-testid="signin"]`),
		chromedp.WaitVisible(`select[name=email]`),
		chromedp.SetValue(`select[name=email]`, email),
		chromedp.Click(`button[name=decision][value=allow]`),
	)
}

// connect adds a connection through the emulated Salesforce sign-in and
// confirms it on Crossview's confirmation page.
func (b *browser) connect(env, username string) {
	b.t.Helper()
	b.signInToSalesforce(env, username)
	b.do(chromedp.WaitVisible(`[data-testid="confirm-connect"]`), chromedp.Click(`[data-testid="confirm-connect"]`))
}

// signInToSalesforce starts a connection and signs in to the emulated
// Salesforce, which sends the browser back to Crossview to confirm.
func (b *browser) signInToSalesforce(env, username string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/admin/connections/new"),
		chromedp.WaitVisible(`[data-testid="connect-form"]`),
		chromedp.Click(`[data-testid="env-`+env+`"]`),
		chromedp.Click(`[data-testid="terms"]`),
		chromedp.Click(`[data-testid="connect"]`),
		chromedp.WaitVisible(`select#username`),
		chromedp.SetValue(`select#username`, username),
		chromedp.Click(`button#Login`),
	)
}

// features reads a connection row's feature states from the list.
func (b *browser) features(connID string) map[string]string {
	b.t.Helper()
	js := `(() => { const r = document.querySelector('[data-connection-id="` + connID + `"]'); if (!r) return null;
	  const m = {}; r.querySelectorAll('[data-feature]').forEach(f => m[f.dataset.feature] = f.dataset.on); return m })()`
	m, err := chromedp.Run(b.ctx, chromedp.Poll[map[string]string](js, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		b.t.Fatalf("reading features of %s: %v", connID, err)
	}
	return m
}

// currentConnectionID is the id in the details page URL.
func (b *browser) currentConnectionID() string {
	b.t.Helper()
	b.text(`[data-testid="detail-name"]`)
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	_, rest, _ := strings.Cut(loc, "/admin/connections/")
	id, _, _ := strings.Cut(rest, "?")
	return id
}

// TestAdminFlowInChromium drives the admin pages end to end against the
// emulators: sign in as a Zendesk admin, add a Production and a Sandbox
// org, see every feature off, turn the sidebar on, rename, disconnect, and
// reconnect the same org with its settings restored and syncs off.
func TestAdminFlowInChromium(t *testing.T) {
	_, sb := startTestSandbox(t)
	// OAuth redirects come back to the public URL (localhost), where the
	// session cookie lives, so the browser stays on that host.
	base := sb.url
	ctx := browsertest.New(t, 1280, 1400)
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	b := &browser{t: t, ctx: ctx, base: base}
	labs := sb.world.Labs

	b.signIn("northwind-labs", labs.Admin.Email)
	if got := b.text(`[data-testid="no-connections"]`); !strings.Contains(got, "No Salesforce org is connected") {
		t.Fatalf("after sign-in: %q", got)
	}

	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	prodID := b.currentConnectionID()
	b.connect("sandbox", labs.SandboxAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	sandID := b.currentConnectionID()
	if prodID == sandID {
		t.Fatal("the sandbox org replaced the production one")
	}

	b.do(chromedp.Navigate(base + "/admin"))
	for _, id := range []string{prodID, sandID} {
		for f, on := range b.features(id) {
			if on != "false" {
				t.Errorf("new connection %s has %s on; every feature starts off", id, f)
			}
		}
	}
	if env := b.text(`[data-connection-id="` + sandID + `"] [data-testid="connection-env"]`); env != "Sandbox" {
		t.Errorf("sandbox connection listed as %q", env)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-connections.png", shot)

	// Turn the sidebar and account sync on for production, then rename it.
	b.do(chromedp.Navigate(base+"/admin/connections/"+prodID),
		chromedp.Click(`[data-testid="turn-on-sidebar"]`),
		chromedp.WaitVisible(`[data-testid="turn-off-sidebar"]`),
		chromedp.Click(`[data-testid="turn-on-account_sync"]`),
		chromedp.WaitVisible(`[data-testid="turn-off-account_sync"]`),
		chromedp.SetValue(`[data-testid="rename-input"]`, "Labs Production (primary)"),
		chromedp.Click(`[data-testid="rename"]`),
	)
	b.waitText(`[data-testid="flash"]`, "Renamed")
	if got := b.text(`[data-testid="detail-name"]`); got != "Labs Production (primary)" {
		t.Fatalf("renamed to %q", got)
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-connection-details.png", shot)

	// Disconnect: the grant is revoked at Salesforce.
	revoked := labs.Production.Stats().Revocations
	b.do(chromedp.Click(`[data-testid="disconnect"]`), chromedp.WaitVisible(`[data-testid="confirm-disconnect"]`), chromedp.Click(`[data-testid="confirm-disconnect"]`))
	b.waitText(`[data-testid="flash"]`, "Disconnected")
	if n := labs.Production.Stats().Revocations - revoked; n != 1 {
		t.Fatalf("%d tokens revoked at Salesforce on disconnect, want 1", n)
	}
	if st := b.text(`[data-connection-id="` + prodID + `"] [data-testid="connection-status"]`); !strings.EqualFold(st, "disconnected") {
		t.Fatalf("status after disconnect: %q", st)
	}

	// Reconnect the same org: name and sidebar come back; syncs stay off.
	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Reconnected")
	if id := b.currentConnectionID(); id != prodID {
		t.Fatalf("reconnecting made a new connection %s, want %s restored", id, prodID)
	}
	if got := b.text(`[data-testid="detail-name"]`); got != "Labs Production (primary)" {
		t.Errorf("name after reconnect %q", got)
	}
	b.do(chromedp.Navigate(base + "/admin"))
	f := b.features(prodID)
	if f["sidebar"] != "true" {
		t.Errorf("sidebar setting not restored: %v", f)
	}
	for _, sync := range []string{"account_sync", "contact_sync", "ticket_sync"} {
		if f[sync] != "false" {
			t.Errorf("%s is on after reconnect; it must be turned on again", sync)
		}
	}

	// Every step is in the audit log, with who did it.
	b.do(chromedp.Navigate(base + "/admin/audit"))
	log := b.text(`[data-testid="audit"]`)
	for _, want := range []string{"admin.sign_in", "connection.add", "feature.enable", "connection.rename", "connection.disconnect", "connection.reconnect", labs.Admin.Email} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q:\n%s", want, log)
		}
	}
}
