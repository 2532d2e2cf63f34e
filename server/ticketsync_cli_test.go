package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// The operator CLI drives ticket sync on the store a running server uses
// (Redis here, so both can open it): settings, turning it on, status with
// dead letters, replay and backfill.
func TestTicketSyncCLI(t *testing.T) {
	redisURL := redistest.URL(t)
	sw := newSyncWorld(t, redisURL)
	env := map[string]string{
		"CROSSVIEW_REDIS_URL": redisURL, "CROSSVIEW_PUBLIC_URL": sw.url,
		"CROSSVIEW_ENCRYPTION_KEY":       "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"CROSSVIEW_ZENDESK_URL":          sw.world.Zendesk.URLTemplate(),
		"CROSSVIEW_SALESFORCE_LOGIN_URL": sw.world.Cloud.LoginURL(), "CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL": sw.world.Cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_CLIENT_ID": "cid", "CROSSVIEW_SALESFORCE_CLIENT_SECRET": "csecret",
		"CROSSVIEW_SALESFORCE_INSTANCE_HOSTS": "http://127.0.0.1",
	}
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, &out, io.Discard)
		return out.String(), err
	}
	id := sw.conn.ID
	if out, err := cli("admin", "connection", "ticketsync", "--id", id, "--comments", "all", "--requester-match", "existing",
		"--condition", "priority:is:urgent", "--map", "priority=Priority:urgent=High,low=Low", "--backfill-days", "7", "--pause-at", "90%"); err != nil {
		t.Fatalf("ticketsync settings: %v %s", err, out)
	}
	set := sw.current().TicketSync
	if set.Comments != crossview.CommentsAll || set.RequesterMatch != crossview.MatchExisting || set.BackfillDays != 7 || set.PauseAt != 0.9 ||
		len(set.Conditions) != 1 || set.Conditions[0] != (crossview.TriggerCondition{Field: "priority", Operator: "is", Value: "urgent"}) ||
		len(set.Mappings) != 1 || set.Mappings[0].Values["urgent"] != "High" {
		t.Fatalf("settings after the CLI: %+v", set)
	}
	if _, err := cli("admin", "connection", "ticketsync", "--id", id, "--requester-match", "default"); err == nil || !strings.Contains(err.Error(), "default requester must be a Salesforce record id") {
		t.Fatalf("matching to a default with no default: %v", err)
	}

	if _, err := cli("admin", "sync", "backfill", "--id", id); err == nil || !strings.Contains(err.Error(), "Turn ticket sync on") {
		t.Fatalf("a backfill while off: %v", err)
	}
	if out, err := cli("admin", "connection", "enable", "--id", id, "--feature", "ticket_sync"); err != nil {
		t.Fatalf("enabling: %v %s", err, out)
	}
	trs := sw.syncTriggers()
	if len(trs) != 1 || !hasCondition(trs[0].Conditions.All, "priority", "is", "urgent") {
		t.Fatalf("the trigger the CLI made: %+v", trs)
	}
	sw.finishBackfill()

	if err := sw.labs.Production.AddValidationRule(salesforcetest.ValidationRule{Object: "Case", Name: "Needs_account", Message: "A Case needs an Account.",
		Fails: func(r map[string]any) bool { _, ok := r["AccountId"]; return !ok }}); err != nil {
		t.Fatal(err)
	}
	tk := sw.labs.Account.AddTicket(zendeskTicket(sw, "Everything is down", "urgent"))
	sw.waitFor("the dead letter", 10*time.Second, func() (bool, string) {
		out, _ := cli("admin", "sync", "status", "--id", id)
		return strings.Contains(out, "A Case needs an Account."), out
	})
	out, err := cli("admin", "sync", "status", "--id", id, "--json")
	var st syncStatusJSON
	if err != nil || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if !st.On || st.Dead != 1 || len(st.DeadLetters) != 1 || !strings.Contains(st.DeadLetters[0].Reason, "FIELD_CUSTOM_VALIDATION_EXCEPTION") ||
		st.Backfill == nil || st.Backfill.State != "done" || st.Backfill.Days != 7 {
		t.Fatalf("status: %+v", st)
	}

	sw.labs.Production.RemoveValidationRule("Case", "Needs_account")
	if out, err := cli("admin", "sync", "replay", "--id", id, "--all"); err != nil || out != "1 tickets queued again\n" {
		t.Fatalf("replay --all: %v %q", err, out)
	}
	sw.caseShows(tk.ID, "Everything is down", []string{"Everything is down, described."}, 10*time.Second)
	if _, err := cli("admin", "sync", "replay", "--id", id); !errors.As(err, new(usageError)) {
		t.Errorf("replay with neither --ticket nor --all: %v", err)
	}
	if _, err := cli("admin", "sync", "replay", "--id", id, "--ticket", "999999"); err == nil || !strings.Contains(err.Error(), "is not waiting in the dead letters") {
		t.Errorf("replaying a ticket that is no dead letter: %v", err)
	}
	if out, err := cli("admin", "sync", "backfill", "--id", id, "--days", "3"); err != nil || !strings.Contains(out, "backfill of the last 3 days started") {
		t.Fatalf("backfill: %v %s", err, out)
	}
	p, ok, err := sw.app.ticketSync.BackfillProgress(context.Background(), sw.current())
	if err != nil || !ok || p.Days != 3 {
		t.Errorf("the backfill the CLI started: %+v %v", p, err)
	}
}
