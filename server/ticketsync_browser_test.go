package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestTicketSyncAdminInChromium drives ticket sync from the admin pages in
// a real browser: turn it on, watch the backfill bar reach 100 % without
// reloading, see the sync log and a dead letter with Salesforce's message,
// fix the cause and replay it.
func TestTicketSyncAdminInChromium(t *testing.T) {
	_, sb := startTestSandbox(t)
	base := sb.url
	labs := sb.world.Labs
	// A month of the labs desk's tickets; one breaks a validation rule.
	org := labs.Account.AddOrganization(zendesktest.Organization{Name: "Analytical Engines"})
	ada := labs.Account.AddUser(zendesktest.User{Name: "Ada Lovelace", Email: "ada@engines.example", Role: zendesktest.RoleEndUser, OrganizationID: org.ID})
	now := time.Now().UTC()
	var loud zendesktest.Ticket
	for i := range 40 {
		subject := fmt.Sprintf("Question %d about the engine", i+1)
		if i == 17 {
			subject = "THE ENGINE IS ON FIRE!!!"
		}
		tk := labs.Account.AddTicket(zendesktest.Ticket{Subject: subject, Description: subject + ".", Status: []string{"open", "pending", "solved", "closed"}[i%4],
			RequesterID: ada.ID, CreatedAt: now.Add(-time.Duration(i+2) * 17 * time.Hour), UpdatedAt: now.Add(-time.Duration(i+1) * 17 * time.Hour)})
		if i == 17 {
			loud = tk
		}
	}
	if err := labs.Production.AddValidationRule(salesforcetest.ValidationRule{Object: "Case", Name: "No_shouting", Field: "Subject",
		Message: "Subjects may not shout: write them in plain case.",
		Fails:   func(r map[string]any) bool { s, _ := r["Subject"].(string); return strings.Contains(s, "!!!") }}); err != nil {
		t.Fatal(err)
	}
	// A slow org, so the bar is seen moving.
	labs.Production.SetLatency(150 * time.Millisecond)

	ctx := browsertest.New(t, 1280, 2400)
	ctx, cancel := context.WithTimeout(ctx, 150*time.Second)
	defer cancel()
	b := &browser{t: t, ctx: ctx, base: base}
	b.signIn("northwind-labs", labs.Admin.Email)
	b.text(`[data-testid="no-connections"]`)
	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	id := b.currentConnectionID()
	if st := b.text(`[data-testid="sync-state"]`); st != "Off" {
		t.Fatalf("ticket sync before turning it on: %q", st)
	}

	b.do(chromedp.Click(`[data-testid="sync-turn-on"]`), chromedp.WaitVisible(`[data-testid="backfill-bar"]`))
	if st := b.text(`[data-testid="sync-state"]`); st != "On" {
		t.Fatalf("ticket sync after turning it on: %q", st)
	}
	// The bar updates itself: mark this page, then wait for 100 % on it.
	start, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { window.__samePage = true; return document.querySelector('[data-testid="backfill-bar"]').value })()`))
	if err != nil {
		t.Fatal(err)
	}
	if start >= 100 {
		t.Fatalf("the backfill was at %d %% when the page loaded: the test cannot see it move", start)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`[document.querySelector('[data-testid="backfill-bar"]').value, window.__samePage === true,
			document.querySelector('[data-testid="backfill-text"]').innerText]`))
		if err != nil {
			t.Fatal(err)
		}
		if same, _ := v[1].(bool); !same {
			t.Fatal("the page reloaded: the bar must update in place")
		}
		if pct, _ := v[0].(float64); pct >= 100 {
			if txt, _ := v[2].(string); !strings.Contains(txt, "40 of 40 tickets") {
				t.Errorf("at 100 %% the bar says %q", txt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backfill bar stopped at %v: %v", v[0], v[2])
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(`[data-testid="ticket-sync"]`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-ticket-sync-backfill.png", shot)

	// The refused ticket is a dead letter with Salesforce's message.
	b.do(chromedp.Reload())
	b.waitText(`[data-testid="dead-letter-reason"]`, "Subjects may not shout: write them in plain case.")
	// The log, newest first and paged, holds the Cases made and the failure.
	log := b.text(`[data-testid="sync-log"]`)
	if !strings.Contains(log, "created") {
		t.Errorf("the sync log shows no Case created:\n%s", log)
	}
	// The failure may be logged a moment after the dead letter shows, and
	// on an older page: page back, and start again from the newest.
	deadline = time.Now().Add(20 * time.Second)
	for !strings.Contains(log, "Subjects may not shout") {
		if time.Now().After(deadline) {
			t.Fatalf("the sync log's pages never show the failure")
		}
		older, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="sync-log-older"]')`))
		if err != nil {
			t.Fatal(err)
		}
		if older {
			b.do(chromedp.Click(`[data-testid="sync-log-older"]`), chromedp.WaitVisible(`[data-testid="sync-log-newer"]`))
		} else {
			time.Sleep(200 * time.Millisecond)
			b.do(chromedp.Navigate(base + "/admin/connections/" + id))
		}
		log = b.text(`[data-testid="ticket-sync"]`)
	}
	b.do(chromedp.Navigate(base+"/admin/connections/"+id), chromedp.WaitVisible(`[data-testid="dead-letters"]`))
	shot, err = chromedp.Run(ctx, chromedp.Screenshot(`[data-testid="ticket-sync"]`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-ticket-sync-dead-letter.png", shot)

	// Fix the cause in Salesforce, then replay from the page.
	labs.Production.RemoveValidationRule("Case", "No_shouting")
	ticket := strconv.FormatInt(loud.ID, 10)
	b.do(chromedp.Click(`[data-testid="replay-` + ticket + `"]`))
	b.waitText(`[data-testid="flash"]`, "Queued again")
	// The page shows the Case once the replay has written it.
	rowJS := `(() => { const r = [...document.querySelectorAll('[data-testid="sync-log-entry"]')].find(r => r.innerText.includes('#` + ticket + `') && r.innerText.includes('created'));
		const a = r && r.querySelector('[data-testid="sync-log-case"]'); return a ? a.href : '' })()`
	var caseHref string
	deadline = time.Now().Add(20 * time.Second)
	for caseHref == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the replayed ticket never shows as created in the sync log:\n%s", b.text(`[data-testid="ticket-sync"]`))
		}
		time.Sleep(300 * time.Millisecond)
		b.do(chromedp.Reload())
		if caseHref, err = chromedp.Run(ctx, chromedp.Evaluate[string](rowJS)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="dead-letter"]').length`)); err != nil || n != 0 {
		t.Errorf("dead letters after the replay: %d %v", n, err)
	}
	if !strings.HasPrefix(caseHref, labs.Production.InstanceURL()+"/lightning/r/Case/") {
		t.Fatalf("the sync log's Case link: %q", caseHref)
	}
	b.do(chromedp.Navigate(caseHref))
	if page := b.text(`body`); !strings.Contains(page, "THE ENGINE IS ON FIRE!!!") {
		t.Errorf("the Case page does not show the replayed ticket:\n%s", page)
	}
}
