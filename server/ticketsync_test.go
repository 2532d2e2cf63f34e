package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// Turning ticket sync on creates the trigger and webhook in Zendesk and
// brings the last 30 days across — closed tickets too, with their public
// comments — and nothing older. The labs org lacks the display fields:
// that is a warning, not a refusal.
func TestEnablingProvisionsAndBackfills(t *testing.T) {
	sw := newSyncWorld(t, "")
	open := sw.ticket("Printer on fire", "open", 2*time.Hour)
	sw.comment(open.ID, "It is still smoking.", true)
	sw.comment(open.ID, "Internal: order a new one.", false)
	closed := sw.ticket("Old invoice question", "closed", 10*24*time.Hour)
	ancient := sw.ticket("Ancient history", "closed", 90*24*time.Hour)

	sw.enable()
	// Zendesk's export holds back its most recent minute, where the open
	// ticket's comments are: the backfill reads the export once more
	// after it, not before.
	time.Sleep(2 * time.Second)
	if _, ok := sw.cases()[key(open.ID)]; ok {
		t.Fatal("the export returned a ticket changed within its most recent minute: is the emulator's minute gone?")
	}
	sw.clock.Advance(70 * time.Second)
	triggers, hooks := sw.syncTriggers(), sw.syncWebhooks()
	if len(triggers) != 1 || !triggers[0].Active || triggers[0].Title != "(Crossview) Sync tickets to Salesforce" {
		t.Fatalf("triggers after enabling: %+v", triggers)
	}
	wantEndpoint := sw.url + "/zendesk/webhook/" + sw.conn.Tenant + "?connection=" + sw.conn.ID
	if len(hooks) != 1 || hooks[0].Endpoint != wantEndpoint {
		t.Fatalf("webhooks after enabling: %+v, want one to %s", hooks, wantEndpoint)
	}
	if c := sw.current(); c.TicketSync.TriggerID != triggers[0].ID || c.TicketSync.WebhookID != hooks[0].ID || !c.Active(crossview.FeatureTicketSync) {
		t.Fatalf("the connection does not remember what was made: %+v", c.TicketSync)
	}

	defer func() {
		if t.Failed() {
			p, _, err := sw.app.ticketSync.BackfillProgress(context.Background(), sw.current())
			t.Logf("backfill: %+v %v", p, err)
			log, _ := sw.app.ticketSync.History(context.Background(), sw.current(), time.Time{}, 50)
			for _, e := range log {
				t.Logf("log: %+v", e)
			}
		}
	}()
	sw.caseShows(open.ID, "Printer on fire", []string{"Printer on fire, described.", "It is still smoking."}, 20*time.Second)
	sw.caseShows(closed.ID, "Old invoice question", []string{"Old invoice question, described."}, 20*time.Second)
	sw.waitFor("the backfill to finish", 20*time.Second, func() (bool, string) {
		p, ok, err := sw.app.ticketSync.BackfillProgress(context.Background(), sw.current())
		return err == nil && ok && p.State == ticketsync.BackfillDone && p.Percent == 100, fmt.Sprintf("%+v %v", p, err)
	})
	if c, ok := sw.cases()[key(ancient.ID)]; ok {
		t.Errorf("a ticket older than the backfill window was synced: %+v", c)
	}
	if c := sw.cases()[key(closed.ID)]; !c.Closed {
		t.Errorf("the closed ticket's Case is not closed: %+v", c)
	}
	audit, _ := sw.app.store.Audit(context.Background(), sw.conn.Tenant, 20)
	if !hasAudit(audit, "feature.enable", "trigger and webhook were created") {
		t.Errorf("enabling is not in the audit log: %+v", audit)
	}
}

func hasAudit(es []crossview.AuditEntry, action, detail string) bool {
	for _, e := range es {
		if e.Action == action && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

// A ticket changed in Zendesk becomes a Case within seconds, through the
// trigger's signed webhook, and each comment lands exactly once however
// often the ticket changes.
func TestTicketChangeBecomesACaseWithinSeconds(t *testing.T) {
	sw := newSyncWorld(t, "")
	sw.enable()
	tk := sw.ticket("Cannot log in", "new", 0)
	sw.caseShows(tk.ID, "Cannot log in", []string{"Cannot log in, described."}, 10*time.Second)
	sw.comment(tk.ID, "Tried resetting my password.", true)
	sw.comment(tk.ID, "Internal: looks like SSO.", false)
	sw.comment(tk.ID, "Still locked out!", true)
	if _, err := sw.labs.Account.UpdateTicket(tk.ID, func(t *zendesktest.Ticket) { t.Status = "pending"; t.Subject = "Cannot log in (SSO)" }); err != nil {
		t.Fatal(err)
	}
	got := sw.caseShows(tk.ID, "Cannot log in (SSO)", []string{"Cannot log in, described.", "Tried resetting my password.", "Still locked out!"}, 10*time.Second)
	// Settle: later deliveries of the same changes add nothing.
	time.Sleep(2 * time.Second)
	again := sw.cases()[key(tk.ID)]
	if strings.Join(again.Comments, "|") != strings.Join(got.Comments, "|") || again.ID != got.ID {
		t.Errorf("the Case changed after it settled: %+v, then %+v", got, again)
	}
	if len(sw.labs.Account.Deliveries()) == 0 {
		t.Error("no webhook was delivered: the Case came some other way")
	}
}

// On Redis (queues as streams with a consumer group, leases and the sync
// log in Redis) a change becomes a Case the same way, and a backfill runs.
func TestTicketSyncOnRedis(t *testing.T) {
	sw := newSyncWorld(t, redistest.URL(t))
	old := sw.ticket("Before sync was on", "solved", 3*24*time.Hour)
	sw.enable()
	sw.finishBackfill()
	sw.caseShows(old.ID, "Before sync was on", []string{"Before sync was on, described."}, 10*time.Second)
	tk := sw.ticket("Cannot print", "new", 0)
	sw.comment(tk.ID, "Paper jam, I think.", true)
	sw.caseShows(tk.ID, "Cannot print", []string{"Cannot print, described.", "Paper jam, I think."}, 10*time.Second)
	log, err := sw.app.ticketSync.History(context.Background(), sw.current(), time.Time{}, 10)
	if err != nil || len(log) == 0 || log[0].Ticket != tk.ID {
		t.Errorf("the sync log on Redis: %v %+v", err, log)
	}
}
