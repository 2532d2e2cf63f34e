package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// rowsJS reads the ticket rows the Canvas iframe shows.
const rowsJS = `(() => {
  const f = document.getElementById('sf-canvas');
  const d = f && f.contentDocument;
  const panel = d && d.querySelector('[data-testid="ticket-panel"]');
  if (!panel) return null;
  return Array.from(panel.querySelectorAll('[data-testid="ticket"]')).map(r => ({
    id: r.getAttribute('data-ticket-id'),
    account: r.getAttribute('data-account'),
    subject: r.querySelector('[data-testid="ticket-subject"]').textContent,
    status: r.querySelector('[data-testid="ticket-status"]').textContent,
  }));
})()`

type row struct {
	ID      string `json:"id"`
	Account string `json:"account"`
	Subject string `json:"subject"`
	Status  string `json:"status"`
}

func waitRows(t *testing.T, ctx context.Context, cond string, timeout time.Duration) []row {
	t.Helper()
	expr := `(() => { const r = ` + rowsJS + `; return r && r.length > 0 && (` + cond + `) ? r : null })()`
	deadline := time.Now().Add(timeout)
	for {
		rows, err := chromedp.Run(ctx, chromedp.Poll[[]row](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return rows
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ticket panel did not show %s: %v", cond, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDemoTicketViewInChromium loads the sandbox's Lightning-like record
// page in a real browser: a signed Canvas request, tickets from two
// Zendesk accounts, a change made through Zendesk's API reaching the open
// panel through the webhook, and a filter the rep's next visit remembers.
func TestDemoTicketViewInChromium(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1400, 1200)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	globex := sb.world.Org("a").Records[0]
	page := base + "/demo/salesforce?record=" + globex.ID + "&as=admin"

	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	rows := waitRows(t, ctx, "true", 20*time.Second)
	accounts := map[string]bool{}
	for _, r := range rows {
		accounts[r.Account] = true
	}
	if !accounts["northwind"] || !accounts["northwind-billing"] {
		t.Fatalf("tickets come from %v, want both Zendesk accounts", accounts)
	}
	if rows[0].Status != "New" && rows[0].Status != "Open" {
		t.Errorf("open work is not first: %+v", rows[0])
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(`main.demo__record`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "ticket-view.png", shot)

	// Change a ticket through Zendesk's own API, as an agent would.
	var target row
	for _, r := range rows {
		if r.Account == "northwind" && r.Status == "Open" {
			target = r
			break
		}
	}
	if target.ID == "" {
		t.Fatalf("no open northwind ticket in %+v", rows)
	}
	acct := sb.world.AccountSeed("northwind")
	id := mustAtoi(t, target.ID)
	changed := time.Now()
	if _, err := sb.app.zd.UpdateTicket(ctx, "northwind", zendesk.CredentialsOf(acct.Tenant()), id, map[string]any{"status": "pending"}); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, `r.some(x => x.id === '`+target.ID+`' && x.account === 'northwind' && x.status === 'Pending')`, 10*time.Second)
	took := time.Since(changed)
	t.Logf("a change made in Zendesk showed on the open panel after %s", took.Round(10*time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("the change took %s to show; the promise is within 5 s", took)
	}
	delivered := false
	for _, d := range acct.Account.Deliveries() {
		if d.Status == 200 {
			delivered = true
		}
	}
	if !delivered {
		t.Errorf("no webhook delivery was accepted: %+v", acct.Account.Deliveries())
	}

	// Filter to solved tickets; the filter is the rep's and comes back.
	clickInFrame(t, ctx, `input[name="status"][value="solved"]`)
	rows = waitRows(t, ctx, `r.every(x => x.status === 'Solved')`, 10*time.Second)
	if len(rows) < 2 {
		t.Fatalf("solved filter shows %+v", rows)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, `r.every(x => x.status === 'Solved')`, 20*time.Second)

	// Sam the rep may not open Lena Park's contact: no request is signed.
	var lena string
	for _, r := range sb.world.Org("a").Records {
		if r.Name == "Lena Park" {
			lena = r.ID
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo/salesforce?record="+lena+"&as=rep")); err != nil {
		t.Fatal(err)
	}
	refused, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const e = document.querySelector('[data-testid="demo-refused"]'); return e && e.textContent })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !strings.Contains(refused, "may not open") {
		t.Fatalf("rep on a hidden contact: %q, %v", refused, err)
	}
}

func clickInFrame(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	js := `(() => { const d = document.getElementById('sf-canvas').contentDocument; const el = d.querySelector('` + sel + `'); if (!el) return false; el.click(); return true })()`
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil || !ok {
		t.Fatalf("clicking %s in the panel: %v %v", sel, ok, err)
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
