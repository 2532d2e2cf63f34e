package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestDataSyncAdminInChromium drives data sync from the admin pages in a
// real browser: configure mappings and a filter, turn account and contact
// sync on, watch each backfill bar reach 100 % without reloading, and see
// the Contact Zendesk refused with Zendesk's message.
func TestDataSyncAdminInChromium(t *testing.T) {
	_, sb := startTestSandbox(t, "CROSSVIEW_DATA_SYNC_JOBS", "1") // one job at a time, so the bars are seen moving
	labs := sb.world.Labs
	if _, err := labs.Account.AddUserField(zendesktest.ObjectField{Key: "title", Type: "text", Title: "Title"}); err != nil {
		t.Fatal(err)
	}
	// 600 Accounts, half of them in the filter's scope; a Contact for
	// every second one, one with a phone Zendesk refuses.
	var bad string
	for i := range 600 {
		industry, revenue := []string{"Technology", "Retail", "Technology", "Banking"}[i%4], []float64{2e6, 5e6, 1e5, 9e6}[i%4]
		acct, err := labs.Production.Insert("Account", map[string]any{"Name": fmt.Sprintf("Company %03d", i), "Industry": industry, "AnnualRevenue": revenue})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 != 0 {
			continue
		}
		phone := fmt.Sprintf("+1 415 555 %04d", i)
		if i == 100 {
			phone = "call me"
		}
		id, err := labs.Production.Insert("Contact", map[string]any{"LastName": fmt.Sprintf("Buyer %03d", i), "Email": fmt.Sprintf("buyer%03d@example.com", i),
			"Title": "Buyer", "Phone": phone, "AccountId": acct})
		if err != nil {
			t.Fatal(err)
		}
		if i == 100 {
			bad = id
		}
	}
	ctx := browsertest.New(t, 1280, 2400)
	ctx, cancel := context.WithTimeout(ctx, 150*time.Second)
	defer cancel()
	b := &browser{t: t, ctx: ctx, base: sb.url}
	b.signIn("northwind-labs", labs.Admin.Email)
	b.text(`[data-testid="no-connections"]`)
	b.connect("production", labs.OrgAdmin.Username)
	b.waitText(`[data-testid="flash"]`, "Connected")
	if st := b.text(`[data-testid="ds-state-account_sync"]`); st != "Off" {
		t.Fatalf("account sync before turning it on: %q", st)
	}
	// A slower Zendesk, so the bars are seen moving.
	labs.Account.SetLatency(40 * time.Millisecond)

	filter := "(Industry = 'Technology' OR Industry = 'Retail') AND AnnualRevenue >= 1000000"
	b.do(chromedp.Click(`[data-testid="ds-settings"] summary`),
		chromedp.WaitVisible(`[data-testid="ds-filter-accounts"]`),
		chromedp.SetValue(`[data-testid="ds-filter-accounts"]`, filter),
		chromedp.SetValue(`[data-testid="ds-map-sf-contacts-2"]`, "Title"),
		chromedp.SetValue(`[data-testid="ds-map-zd-contacts-2"]`, "user_fields.title"),
		chromedp.SetValue(`[data-testid="ds-map-sf-contacts-3"]`, "Phone"),
		chromedp.SetValue(`[data-testid="ds-map-zd-contacts-3"]`, "phone"),
		chromedp.SetValue(`[data-testid="ds-poll"]`, "2"),
		chromedp.Click(`[data-testid="ds-save"]`),
	)
	b.waitText(`[data-testid="flash"]`, "Data sync settings saved")

	for _, o := range []struct{ feature, object, text string }{
		{"account_sync", "Account", "300 of 300 Accounts"},
		{"contact_sync", "Contact", "300 of 300 Contacts"},
	} {
		b.do(chromedp.Click(`[data-testid="ds-turn-on-`+o.feature+`"]`), chromedp.WaitVisible(`[data-testid="ds-backfill-bar-`+o.object+`"]`))
		if st := b.text(`[data-testid="ds-state-` + o.feature + `"]`); st != "On" {
			t.Fatalf("%s after turning it on: %q", o.feature, st)
		}
		watchBar(t, ctx, o.object, o.text)
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(`[data-testid="data-sync"]`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-data-sync-backfill.png", shot)

	// The refused Contact, with Zendesk's message and its Replay button.
	b.do(chromedp.Reload())
	b.waitText(`[data-testid="ds-error-message"]`, "Phone: call me is not a valid phone number")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="ds-error"]').length`)); err != nil || n != 1 {
		t.Errorf("refused records on the page: %d %v", n, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(`[data-testid="ds-replay-`+bad+`"]`)); err != nil {
		t.Errorf("no Replay button for the refused Contact: %v", err)
	}
	if label := b.text(`[data-testid="ds-backfill-state-Contact"]`); !strings.Contains(label, "1 refused") {
		t.Errorf("the Contact backfill says %q", label)
	}
	shot, err = chromedp.Run(ctx, chromedp.Screenshot(`[data-testid="data-sync"]`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "admin-data-sync-refused.png", shot)
}

// watchBar waits for an object's backfill bar to reach 100 % on the page
// as loaded: it must start below 100 and update in place.
func watchBar(t *testing.T, ctx context.Context, object, want string) {
	t.Helper()
	bar := `document.querySelector('[data-testid="ds-backfill-bar-` + object + `"]')`
	start, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { window.__samePage = '`+object+`'; return `+bar+`.value })()`))
	if err != nil {
		t.Fatal(err)
	}
	if start >= 100 {
		t.Fatalf("the %s backfill was at %d %% when the page loaded: the test cannot see it move", object, start)
	}
	seen := map[float64]bool{}
	deadline := time.Now().Add(90 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`[`+bar+`.value, window.__samePage === '`+object+`',
			document.querySelector('[data-testid="ds-backfill-text-`+object+`"]').innerText]`))
		if err != nil {
			t.Fatal(err)
		}
		if same, _ := v[1].(bool); !same {
			t.Fatal("the page reloaded: the bar must update in place")
		}
		pct, _ := v[0].(float64)
		seen[pct] = true
		if pct >= 100 {
			if txt, _ := v[2].(string); !strings.Contains(txt, want) {
				t.Errorf("at 100 %% the %s bar says %q", object, txt)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s backfill bar stopped at %v: %v", object, v[0], v[2])
		}
		time.Sleep(150 * time.Millisecond)
	}
	if len(seen) < 3 {
		t.Errorf("the %s bar jumped: it showed only %v", object, seen)
	}
}
