package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
)

// TestDemoSalesforceFailureIsNamedAndUndone: after "Make it fail" on /demo,
// the Salesforce record page says which org is failing and offers the way
// back; "Make it healthy" brings the panel back.
func TestDemoSalesforceFailureIsNamedAndUndone(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1400, 1200)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	orgName := sb.world.Org("a").Name

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo?ticket=1"), chromedp.Click(`[data-testid="fail-a"]`), chromedp.WaitVisible(`[data-testid="restore-a"]`)); err != nil {
		t.Fatal(err)
	}
	globex := sb.world.Org("a").Records[0]
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo/salesforce?record="+globex.ID+"&as=admin")); err != nil {
		t.Fatal(err)
	}
	banner, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const e = document.querySelector('[data-testid="demo-failing"]'); return e && e.innerText })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("the record page does not say anything is failing: %v", err)
	}
	if !strings.Contains(banner, orgName) || !strings.Contains(banner, "503") {
		t.Errorf("the failure note does not name the org %q and what it answers:\n%s", orgName, banner)
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(`main.demo__record`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "ticket-view-org-failing.png", shot)

	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="demo-failing"] [data-testid="restore-a"]`)); err != nil {
		t.Fatalf("no way back from the failure on the record page: %v", err)
	}
	rows := waitRows(t, ctx, "true", 20*time.Second)
	if len(rows) == 0 {
		t.Fatal("the panel did not come back")
	}
	gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.pathname === '/demo/salesforce' && location.search.includes('record=`+globex.ID+`') && !document.querySelector('[data-testid="demo-failing"]')`))
	if err != nil || !gone {
		t.Errorf("after Make it healthy the page should be the same record with no failure note (%v, at %v)", err, gone)
	}

	// A Zendesk account can fail too, from this page: the note names it,
	// the panel labels that account's part, and it comes back.
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="fail-northwind-billing"]`), chromedp.WaitVisible(`[data-testid="demo-failing"]`)); err != nil {
		t.Fatal(err)
	}
	banner, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-testid="demo-failing"]').innerText`))
	if !strings.Contains(banner, "northwind-billing") {
		t.Errorf("failure note %q does not name the Zendesk account", banner)
	}
	problem, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const d = document.getElementById('sf-canvas').contentDocument; const e = d && d.querySelector('[data-testid="account-problem"]'); return e && e.innerText })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil || !strings.Contains(problem, "northwind-billing") {
		t.Errorf("the panel does not label the failing account: %q %v", problem, err)
	}
	if shot, err = chromedp.Run(ctx, chromedp.Screenshot(`main.demo__record`)); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "ticket-view-account-failing.png", shot)
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="demo-failing"] [data-testid="restore-northwind-billing"]`)); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, `r.some(x => x.account === 'northwind-billing')`, 20*time.Second)
}

// frameFitJS measures the ticket panel in the Canvas frame: the table and
// the page must fit the frame's width, with no horizontal scrolling.
const frameFitJS = `(() => {
  const f = document.getElementById('sf-canvas');
  const d = f && f.contentDocument;
  const table = d && d.querySelector('[data-testid="tickets"]');
  if (!table || d.documentElement.clientWidth !== %d) return null;
  const visible = Array.from(table.querySelectorAll('thead th')).filter(th => th.offsetWidth > 0).map(th => th.textContent.trim());
  return {
    tableScroll: table.scrollWidth, tableClient: table.parentElement.clientWidth,
    pageScroll: d.documentElement.scrollWidth, pageClient: d.documentElement.clientWidth,
    columns: visible,
  };
})()`

type frameFit struct {
	TableScroll int      `json:"tableScroll"`
	TableClient int      `json:"tableClient"`
	PageScroll  int      `json:"pageScroll"`
	PageClient  int      `json:"pageClient"`
	Columns     []string `json:"columns"`
}

// TestTicketTableFitsANarrowFrame: a Canvas frame on a record page is often
// a narrow column; the ticket table must fit it without scrolling sideways.
func TestTicketTableFitsANarrowFrame(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1400, 1200)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	globex := sb.world.Org("a").Records[0]
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo/salesforce?record="+globex.ID+"&as=admin")); err != nil {
		t.Fatal(err)
	}
	waitRows(t, ctx, "true", 20*time.Second)
	for _, width := range []int{320, 400, 600, 1000} {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById("sf-canvas").style.width = "%dpx"`, width))); err != nil {
			t.Fatal(err)
		}
		fit, err := chromedp.Run(ctx, chromedp.Poll[frameFit](fmt.Sprintf(frameFitJS, width), chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil {
			t.Fatalf("%d px: measuring the panel: %v", width, err)
		}
		t.Logf("%d px: columns %v", width, fit.Columns)
		if fit.TableScroll > fit.TableClient {
			t.Errorf("%d px: the ticket table is %d px wide in a %d px frame", width, fit.TableScroll, fit.TableClient)
		}
		if fit.PageScroll > fit.PageClient {
			t.Errorf("%d px: the panel scrolls sideways (%d px in %d px)", width, fit.PageScroll, fit.PageClient)
		}
		for _, must := range []string{"Ticket", "Subject", "Status"} {
			if !strings.Contains(strings.Join(fit.Columns, "|"), must) {
				t.Errorf("%d px: the %s column is hidden: %v", width, must, fit.Columns)
			}
		}
		if width >= 1000 && len(fit.Columns) != 9 {
			t.Errorf("%d px: a wide frame shows only %v", width, fit.Columns)
		}
		shot, err := chromedp.Run(ctx, chromedp.Screenshot(`#sf-canvas`))
		if err != nil {
			t.Fatal(err)
		}
		saveScreenshot(t, fmt.Sprintf("ticket-view-%dpx.png", width), shot)
	}
}

// TestFilterIsPerRecordInChromium: a rep filters Globex's tickets; the
// panel says a filter is on, Siobhan's page is not filtered, Globex's page
// still is, and one click clears it.
func TestFilterIsPerRecordInChromium(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1400, 1200)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	records := sb.world.Org("a").Records
	globex, siobhan := records[0], records[1]
	open := func(r string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo/salesforce?record="+r+"&as=rep")); err != nil {
			t.Fatal(err)
		}
	}
	const note = `(() => { const e = document.getElementById('sf-canvas').contentDocument.querySelector('[data-testid="filter-active"]'); return e ? e.innerText : '' })()`

	open(globex.ID)
	waitRows(t, ctx, "true", 20*time.Second)
	clickInFrame(t, ctx, `input[name="status"][value="solved"]`)
	waitRows(t, ctx, `r.every(x => x.status === 'Solved')`, 10*time.Second)
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](note)); !strings.Contains(got, "Status: Solved") {
		t.Errorf("the filtered panel does not say so: %q", got)
	}

	open(siobhan.ID)
	rows := waitRows(t, ctx, "true", 20*time.Second)
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](note)); got != "" {
		t.Errorf("Globex's filter followed the rep to %s: %q", siobhan.Name, got)
	}
	solved := 0
	for _, r := range rows {
		if r.Status == "Solved" {
			solved++
		}
	}
	if solved == len(rows) {
		t.Errorf("%s's page shows only solved tickets: %+v", siobhan.Name, rows)
	}

	open(globex.ID)
	waitRows(t, ctx, `r.every(x => x.status === 'Solved')`, 20*time.Second)
	clickInFrame(t, ctx, `[data-testid="filter-active"] [data-testid="clear-filters"]`)
	waitRows(t, ctx, `r.some(x => x.status !== 'Solved')`, 10*time.Second)
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](note)); got != "" {
		t.Errorf("the filter note stays after Clear: %q", got)
	}
}
