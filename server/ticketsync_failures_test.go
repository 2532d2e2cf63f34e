package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// A Case refused by a validation rule waits in the dead letters with
// Salesforce's own message, other tickets go on, and once the rule is
// fixed a replay syncs it.
func TestValidationFailureIsADeadLetterUntilReplayed(t *testing.T) {
	sw := newSyncWorld(t, "")
	if err := sw.labs.Production.AddValidationRule(salesforcetest.ValidationRule{
		Object: "Case", Name: "No_shouting", Field: "Subject", Message: "Subjects may not shout: write them in plain case.",
		Fails: func(rec map[string]any) bool { s, _ := rec["Subject"].(string); return strings.Contains(s, "!!!") },
	}); err != nil {
		t.Fatal(err)
	}
	sw.enable()
	sw.finishBackfill()
	bad := sw.ticket("SERVER DOWN!!!", "open", 0)
	good := sw.ticket("Question about invoices", "open", 0)
	sw.caseShows(good.ID, "Question about invoices", []string{"Question about invoices, described."}, 10*time.Second)
	var st = sw.status()
	sw.waitFor("the refused ticket in the dead letters", 10*time.Second, func() (bool, string) {
		st = sw.status()
		return len(st.DeadLetters) == 1, fmt.Sprintf("%+v", st)
	})
	dl := st.DeadLetters[0]
	if dl.Key != strconv.FormatInt(bad.ID, 10) || !strings.Contains(dl.Reason, "FIELD_CUSTOM_VALIDATION_EXCEPTION") ||
		!strings.Contains(dl.Reason, "Subjects may not shout: write them in plain case.") {
		t.Fatalf("dead letter %+v, want ticket %d with Salesforce's message", dl, bad.ID)
	}
	if _, ok := sw.cases()[key(bad.ID)]; ok {
		t.Fatal("the refused ticket has a Case")
	}
	log, err := sw.app.ticketSync.History(context.Background(), sw.current(), time.Time{}, 50)
	if err != nil || !loggedFailure(log, bad.ID, "Subjects may not shout") {
		t.Errorf("the sync log does not show the failure: %v %+v", err, log)
	}

	sw.labs.Production.RemoveValidationRule("Case", "No_shouting")
	if err := sw.app.admin.ReplayTicket(context.Background(), sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID, bad.ID); err != nil {
		t.Fatal(err)
	}
	sw.caseShows(bad.ID, "SERVER DOWN!!!", []string{"SERVER DOWN!!!, described."}, 10*time.Second)
	if st := sw.status(); len(st.DeadLetters) != 0 {
		t.Errorf("dead letters after the replay: %+v", st.DeadLetters)
	}
	audit, _ := sw.app.store.Audit(context.Background(), sw.conn.Tenant, 20)
	if !hasAudit(audit, "ticket_sync.replay", fmt.Sprintf("ticket %d", bad.ID)) {
		t.Errorf("the replay is not in the audit log: %+v", audit)
	}
	// Replaying a ticket that is not a dead letter says so.
	err = sw.app.admin.ReplayTicket(context.Background(), sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID, good.ID)
	if crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Errorf("replaying a synced ticket: %v", err)
	}
}

func loggedFailure(es []ticketsync.Entry, ticket int64, msg string) bool {
	for _, e := range es {
		if e.Ticket == ticket && e.Outcome == "failed" && strings.Contains(e.Error, msg) {
			return true
		}
	}
	return false
}

// A change whose webhook never arrived is synced by reconciliation.
func TestDroppedWebhookIsSyncedByReconciliation(t *testing.T) {
	sw := newSyncWorld(t, "")
	sw.enable()
	sw.finishBackfill()
	sw.labs.Account.DropNextDeliveries(1)
	tk := sw.ticket("Lost in the post", "open", 0)
	sw.waitFor("the delivery to be dropped", 5*time.Second, func() (bool, string) {
		ds := sw.labs.Account.Deliveries()
		return len(ds) == 1 && ds[0].Dropped, fmt.Sprintf("%+v", ds)
	})
	time.Sleep(time.Second)
	if _, ok := sw.cases()[key(tk.ID)]; ok {
		t.Fatal("the ticket reached Salesforce without its webhook: the test proves nothing")
	}
	sw.clock.Advance(70 * time.Second) // the export holds back its most recent minute
	if err := sw.app.ticketSync.ReconcileAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	sw.caseShows(tk.ID, "Lost in the post", []string{"Lost in the post, described."}, 10*time.Second)
}

// A trigger renamed or deleted in Zendesk is a named health problem, and
// Repair puts it back so changes flow again.
func TestEditedTriggerIsNamedAndRepaired(t *testing.T) {
	sw := newSyncWorld(t, "")
	sw.enable()
	ctx := context.Background()
	id := sw.current().TicketSync.TriggerID
	if code := sw.zendeskAPI(http.MethodPut, fmt.Sprintf("/api/v2/triggers/%d.json", id), map[string]any{"trigger": map[string]any{"title": "Old sync (do not use)"}}); code != http.StatusOK {
		t.Fatalf("renaming the trigger: %d", code)
	}
	h := sw.app.admin.Check(ctx, sw.current())
	if p := problem(h, zendesk.ProblemSyncTriggerRenamed); p == nil || !strings.Contains(p.Title, "renamed") {
		t.Fatalf("a renamed trigger is not named: %+v", h.Problems)
	}
	c, err := sw.app.admin.RepairTicketSync(ctx, sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Health.Problems) != 0 && hasSyncProblem(c.Health) {
		t.Fatalf("problems after repair: %+v", c.Health.Problems)
	}
	if trs := sw.syncTriggers(); len(trs) != 1 || trs[0].Title != "(Crossview) Sync tickets to Salesforce" {
		t.Fatalf("triggers after repair: %+v", trs)
	}

	if code := sw.zendeskAPI(http.MethodDelete, fmt.Sprintf("/api/v2/triggers/%d.json", id), nil); code != http.StatusNoContent {
		t.Fatalf("deleting the trigger: %d", code)
	}
	if p := problem(sw.app.admin.Check(ctx, sw.current()), zendesk.ProblemSyncTriggerDeleted); p == nil {
		t.Fatal("a deleted trigger is not named")
	}
	if _, err := sw.app.admin.RepairTicketSync(ctx, sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID); err != nil {
		t.Fatal(err)
	}
	if trs := sw.syncTriggers(); len(trs) != 1 || !trs[0].Active {
		t.Fatalf("triggers after repairing a deleted one: %+v", trs)
	}
	tk := sw.ticket("After the repair", "open", 0)
	sw.caseShows(tk.ID, "After the repair", []string{"After the repair, described."}, 10*time.Second)
}

func problem(h crossview.Health, code string) *crossview.HealthProblem {
	for i := range h.Problems {
		if h.Problems[i].Code == code {
			return &h.Problems[i]
		}
	}
	return nil
}

func hasSyncProblem(h crossview.Health) bool {
	for _, p := range h.Problems {
		if strings.HasPrefix(p.Code, "sync_") {
			return true
		}
	}
	return false
}

// Disconnecting removes the trigger and webhook from Zendesk; after a
// reconnect ticket sync and its trigger stay off.
func TestDisconnectRemovesTheTrigger(t *testing.T) {
	sw := newSyncWorld(t, "")
	sw.enable()
	if len(sw.syncTriggers()) != 1 || len(sw.syncWebhooks()) != 1 {
		t.Fatal("enabling made no trigger and webhook")
	}
	ctx := context.Background()
	if _, err := sw.app.admin.Disconnect(ctx, sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID); err != nil {
		t.Fatal(err)
	}
	if trs, whs := sw.syncTriggers(), sw.syncWebhooks(); len(trs) != 0 || len(whs) != 0 {
		t.Fatalf("after disconnect: triggers %+v, webhooks %+v", trs, whs)
	}
	ten, _ := sw.app.store.Tenant(ctx, sw.conn.Tenant)
	if _, ok := ten.SyncWebhookSecrets[sw.conn.ID]; ok {
		t.Error("the webhook's signing secret outlived the webhook")
	}
	_, refresh := sw.labs.Production.IssueTokens(sw.labs.OrgAdmin.ID)
	c, err := sw.app.admin.ConnectWithRefreshToken(ctx, "test", sw.conn.Tenant, crossview.Production, refresh)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != sw.conn.ID || c.Active(crossview.FeatureTicketSync) || len(sw.syncTriggers()) != 0 {
		t.Fatalf("after reconnecting: %+v, triggers %+v", c, sw.syncTriggers())
	}
	tk := sw.ticket("While off", "open", 0)
	time.Sleep(time.Second)
	if _, ok := sw.cases()[key(tk.ID)]; ok {
		t.Error("a ticket synced after a reconnect, before ticket sync was turned on again")
	}
}

// A backfilled ticket Salesforce refuses is a dead letter; the backfill
// still finishes, and a replay reads the ticket afresh from Zendesk.
func TestBackfillFinishesPastADeadLetter(t *testing.T) {
	sw := newSyncWorld(t, "")
	if err := sw.labs.Production.AddValidationRule(salesforcetest.ValidationRule{
		Object: "Case", Name: "No_shouting", Message: "Subjects may not shout.",
		Fails: func(rec map[string]any) bool { s, _ := rec["Subject"].(string); return strings.Contains(s, "!!!") },
	}); err != nil {
		t.Fatal(err)
	}
	good := sw.ticket("Quiet question", "open", 3*time.Hour)
	bad := sw.ticket("LOUD QUESTION!!!", "open", 2*time.Hour)
	sw.enable()
	sw.finishBackfill()
	sw.caseShows(good.ID, "Quiet question", []string{"Quiet question, described."}, 10*time.Second)
	st := sw.status()
	if len(st.DeadLetters) != 1 || st.DeadLetters[0].Key != strconv.FormatInt(bad.ID, 10) || !strings.Contains(st.DeadLetters[0].Reason, "Subjects may not shout.") {
		t.Fatalf("dead letters after the backfill: %+v", st.DeadLetters)
	}
	sw.labs.Production.RemoveValidationRule("Case", "No_shouting")
	if _, err := sw.labs.Account.UpdateTicket(bad.ID, func(tk *zendesktest.Ticket) { tk.Subject = "Loud question" }); err != nil {
		t.Fatal(err)
	}
	if err := sw.app.admin.ReplayTicket(context.Background(), sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID, bad.ID); err != nil && crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatal(err) // the change itself may have revived it already
	}
	sw.caseShows(bad.ID, "Loud question", []string{"LOUD QUESTION!!!, described."}, 10*time.Second)
}

// A Case field deleted in Salesforce stops ticket sync, and health names
// it as ticket sync's problem — but the connection itself stays usable:
// its panels keep working.
func TestTicketSyncProblemStopsOnlyTicketSync(t *testing.T) {
	sw := newSyncWorld(t, "")
	sw.enable()
	if err := sw.labs.Production.DeleteField("Case", "Zendesk_Ticket_URL__c"); err != nil {
		t.Fatal(err)
	}
	c, err := sw.app.admin.CheckNow(context.Background(), sw.pages().sess, sw.conn.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := problem(c.Health, "ticket_sync_field_missing")
	if p == nil || !p.Blocking || p.Feature != crossview.FeatureTicketSync || !strings.Contains(p.Title, "Zendesk_Ticket_URL__c") {
		t.Fatalf("health after deleting a ticket-sync field: %+v", c.Health.Problems)
	}
	if b := c.Health.Blocking(); b != nil {
		t.Errorf("a ticket-sync problem stops the whole connection: %+v", b)
	}
	if standing, _ := admin.Standing(c); standing != admin.StandingWarning {
		t.Errorf("standing %q, want %q", standing, admin.StandingWarning)
	}
}
