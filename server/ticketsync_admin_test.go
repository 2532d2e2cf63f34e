package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// pages signs the labs admin in to the admin pages of sw.
func (sw *syncWorld) pages() adminPages {
	sw.t.Helper()
	sess, err := admintest.SignIn(sw.t, sw.app.admin, sandbox.LabsSubdomain, sw.labs.Admin.Email)
	if err != nil {
		sw.t.Fatal(err)
	}
	return adminPages{t: sw.t, base: sw.url, sess: sess}
}

// syncSettingsForm is the ticket-sync settings form as the page fills it.
func syncSettingsForm(doc *goquery.Document) url.Values {
	form := url.Values{}
	doc.Find(`[data-testid="sync-settings-form"] input`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || name == "csrf" {
			return
		}
		if typ, _ := s.Attr("type"); typ == "radio" {
			if _, on := s.Attr("checked"); on {
				form.Set(name, s.AttrOr("value", ""))
			}
			return
		}
		form.Set(name, s.AttrOr("value", ""))
	})
	return form
}

// The ticket-sync section of a connection's page: a refusal names what is
// wrong, the settings form fixes it, turning on shows the backfill, the
// progress endpoint and the sync log, a refused Case waits as a dead letter
// with Salesforce's message and its Replay button queues it again, and
// changed trigger conditions reach Zendesk.
func TestTicketSyncAdminPages(t *testing.T) {
	sw := newSyncWorld(t, "")
	if err := sw.labs.Production.AddField("Case", salesforcetest.FieldSpec{Name: "Region__c", Type: "string", Required: true}); err != nil {
		t.Fatal(err)
	}
	old := sw.ticket("Refund for order 7", "solved", 2*24*time.Hour)
	p := sw.pages()
	page := "/admin/connections/" + sw.conn.ID
	doc := p.get(page)
	if st := text(doc, `[data-testid="sync-state"]`); st != "Off" {
		t.Fatalf("ticket sync state before turning on: %q", st)
	}

	status, _, doc := p.do(http.MethodPost, page+"/features", url.Values{"feature": {"ticket_sync"}, "on": {"1"}})
	if msg := text(doc, `[data-testid="detail-error"]`); status != http.StatusConflict || !strings.Contains(msg, "Required Case field Region__c is not mapped") {
		t.Fatalf("turning on with an unmapped required field: %d %q", status, msg)
	}
	if len(sw.syncTriggers()) != 0 {
		t.Fatal("a refused enable left a trigger in Zendesk")
	}

	form := syncSettingsForm(p.get(page))
	// A value map without "=" is refused by name, and nothing is saved.
	form.Set("map_zendesk_0", "status")
	form.Set("map_salesforce_0", "Region__c")
	form.Set("map_values_0", "solved")
	if status, _, doc := p.do(http.MethodPost, page+"/ticketsync", form); status != http.StatusBadRequest ||
		!strings.Contains(text(doc, `[data-testid="detail-error"]`), `written zendesk=Salesforce, not "solved"`) {
		t.Fatalf("a value map without =: %d %q", status, text(doc, `[data-testid="detail-error"]`))
	}
	if len(sw.current().TicketSync.Mappings) != 0 {
		t.Fatal("a refused mapping was saved")
	}
	form.Set("map_zendesk_0", "status")
	form.Set("map_salesforce_0", "Region__c")
	form.Set("map_values_0", "solved=EMEA, open=EMEA")
	form.Set("comments", "all")
	if status, hdr, doc := p.do(http.MethodPost, page+"/ticketsync", form); status != http.StatusSeeOther || !strings.HasSuffix(hdr.Get("Location"), "#ticket-sync") {
		t.Fatalf("saving settings: %d %s %s", status, hdr.Get("Location"), text(doc, `[data-testid="detail-error"]`))
	}
	set := sw.current().TicketSync
	if len(set.Mappings) != 1 || set.Mappings[0].Salesforce != "Region__c" || set.Mappings[0].Values["solved"] != "EMEA" || set.Comments != "all" {
		t.Fatalf("saved settings: %+v", set)
	}

	if status, hdr, _ := p.do(http.MethodPost, page+"/features", url.Values{"feature": {"ticket_sync"}, "on": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("turning on after the fix: %d %v", status, hdr)
	}
	doc = p.get(page)
	if st := text(doc, `[data-testid="sync-state"]`); st != "On" {
		t.Errorf("state after turning on: %q", st)
	}
	// What the org lacks but sync can do without is named at once.
	if w := text(doc, `[data-testid="sync-problem"]`); !strings.Contains(w, "display field(s) on Case are missing") || doc.Find(`[data-testid="repair"]`).Length() != 0 {
		t.Errorf("the warning after turning on: %q", w)
	}
	bar := doc.Find(`[data-testid="backfill"]`)
	if bar.Length() != 1 || bar.AttrOr("data-progress-url", "") != page+"/ticketsync/progress" || doc.Find(`script[src="/assets/js/admin-sync.js"]`).Length() != 1 {
		t.Fatalf("no live backfill bar: %q", bar.Text())
	}
	sw.finishBackfill()
	status, _, doc = p.do(http.MethodGet, page+"/ticketsync/progress", nil)
	var prog backfillProgressJSON
	if err := json.Unmarshal([]byte(doc.Text()), &prog); status != http.StatusOK || err != nil || prog.State != "done" || prog.Percent != 100 || prog.Done != 1 || prog.Live {
		t.Fatalf("progress: %d %v %+v", status, err, prog)
	}

	// A refused Case is a dead letter with Salesforce's message; replay.
	if err := sw.labs.Production.AddValidationRule(salesforcetest.ValidationRule{Object: "Case", Name: "No_test", Message: "Test tickets do not belong in Salesforce.",
		Fails: func(r map[string]any) bool { s, _ := r["Subject"].(string); return strings.HasPrefix(s, "TEST") }}); err != nil {
		t.Fatal(err)
	}
	bad := sw.ticket("TEST please ignore", "open", 0)
	sw.waitFor("the dead letter on the page", 10*time.Second, func() (bool, string) {
		doc = p.get(page)
		return strings.Contains(text(doc, `[data-testid="dead-letter-reason"]`), "Test tickets do not belong in Salesforce."), text(doc, `[data-testid="ticket-sync"]`)
	})
	if n := doc.Find(`[data-testid="sync-log-outcome"]:contains("failed")`).Length(); n == 0 {
		t.Errorf("the sync log does not show the failure:\n%s", text(doc, `[data-testid="sync-log"]`))
	}
	caseLink := doc.Find(`[data-testid="sync-log-case"]`).First().AttrOr("href", "")
	if !strings.HasPrefix(caseLink, sw.labs.Production.InstanceURL()+"/lightning/r/Case/") {
		t.Errorf("the log's Case link is %q", caseLink)
	}
	sw.labs.Production.RemoveValidationRule("Case", "No_test")
	ticket := doc.Find(`[data-testid="dead-letter"] input[name="ticket"]`).AttrOr("value", "")
	if status, hdr, _ := p.do(http.MethodPost, page+"/ticketsync/replay", url.Values{"ticket": {ticket}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=ticketsync%2Freplay") {
		t.Fatalf("replaying: %d %v", status, hdr)
	}
	sw.caseShows(bad.ID, "TEST please ignore", []string{"TEST please ignore, described."}, 10*time.Second)
	if _, ok := sw.cases()[key(old.ID)]; !ok {
		t.Error("the backfill did not bring the solved ticket across")
	}

	// Conditions changed while on reach the trigger.
	form = syncSettingsForm(p.get(page))
	form.Set("cond_field_0", "priority")
	form.Set("cond_operator_0", "is")
	form.Set("cond_value_0", "urgent")
	if status, _, doc := p.do(http.MethodPost, page+"/ticketsync", form); status != http.StatusSeeOther {
		t.Fatalf("saving conditions: %d %s", status, text(doc, `[data-testid="detail-error"]`))
	}
	trs := sw.syncTriggers()
	if len(trs) != 1 || !hasCondition(trs[0].Conditions.All, "priority", "is", "urgent") {
		t.Fatalf("the trigger's conditions: %+v", trs)
	}

	// Every form needs the CSRF token.
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, sw.url+page+"/ticketsync/replay", strings.NewReader("all=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "cv_admin", Value: p.sess.ID})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a replay without the CSRF token: %d", resp.StatusCode)
	}
}

// backfillProgressJSON is what the progress endpoint answers.
type backfillProgressJSON struct {
	State   string `json:"state"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
	Live    bool   `json:"live"`
}

func hasCondition(cs []zendesktest.Condition, field, op, value string) bool {
	for _, c := range cs {
		if c.Field == field && c.Operator == op && c.Value == value {
			return true
		}
	}
	return false
}
