package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/redistest"
)

// The operator CLI drives data sync on the store a running server uses
// (Redis, so both can open it): settings with mappings, filters and match
// orders; refusals named; turning it on; status per object with the
// backfill and the refused records; replay of one record and of all.
func TestDataSyncCLI(t *testing.T) {
	redisURL := redistest.URL(t)
	w := newDataWorld(t, redisURL)
	globex := w.insert("Account", map[string]any{"Name": "Globex", "Industry": "Technology"})
	w.insert("Account", map[string]any{"Name": "Vandelay", "Industry": "Retail"})
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@globex.example", "Title": "Clerk", "AccountId": globex})
	bad := w.insert("Contact", map[string]any{"LastName": "Bell", "Email": "bob@globex.example", "Phone": "call me", "AccountId": globex})
	env := map[string]string{
		"CROSSVIEW_REDIS_URL": redisURL, "CROSSVIEW_PUBLIC_URL": w.url,
		"CROSSVIEW_ENCRYPTION_KEY":       "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"CROSSVIEW_ZENDESK_URL":          w.zd.URLTemplate(),
		"CROSSVIEW_SALESFORCE_LOGIN_URL": w.cloud.LoginURL(), "CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL": w.cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_CLIENT_ID": "cid", "CROSSVIEW_SALESFORCE_CLIENT_SECRET": "csecret",
		"CROSSVIEW_SALESFORCE_INSTANCE_HOSTS": "http://127.0.0.1",
	}
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, &out, io.Discard)
		return out.String(), err
	}
	id := w.conn.ID

	if _, err := cli("admin", "connection", "datasync", "--id", id, "--filter", "Account=Industry = 'Technology' AND ("); err == nil ||
		!strings.Contains(err.Error(), "--filter Account") {
		t.Fatalf("a filter that does not parse: %v", err)
	}
	if _, err := cli("admin", "connection", "datasync", "--id", id, "--map", "Contact.Title=user_fields.nope"); err == nil ||
		!strings.Contains(err.Error(), "nope") {
		t.Fatalf("a mapping to a field Zendesk lacks: %v", err)
	}
	if out, err := cli("admin", "connection", "datasync", "--id", id, "--objects", "accounts,contacts",
		"--map", "Contact.Name=name", "--map", "Contact.Email=email", "--map", "Contact.Title=user_fields.title", "--map", "Contact.Phone=phone",
		"--map", "Account.Name=name", "--map", "Account.Industry=tags:Technology=tech,Retail=retail",
		"--filter", "Account=(Industry = 'Technology' OR Industry = 'Banking') AND Name != 'Nobody'",
		"--user-match", "external_id,email", "--org-match", "external_id,name", "--on-delete", "tag", "--delete-tag", "gone_from_salesforce",
		"--memberships", "primary", "--priority", "3", "--poll", "2s", "--api-share", "20%"); err != nil {
		t.Fatalf("data-sync settings: %v %s", err, out)
	}
	set := w.current().DataSync
	if !set.Accounts.On || !set.Contacts.On || set.Leads.On || len(set.Contacts.Mappings) != 4 || set.Accounts.Mappings[1].Values["Technology"] != "tech" ||
		set.Accounts.Filter.String() == "" || set.OnDelete != "tag" || set.DeleteTag != "gone_from_salesforce" || set.Priority != 3 ||
		set.PollSeconds != 2 || set.APIShare != 0.2 || strings.Join(set.OrgMatch, ",") != "external_id,name" {
		t.Fatalf("settings after the CLI: %+v", set)
	}
	for _, f := range []string{"account_sync", "contact_sync"} {
		if out, err := cli("admin", "connection", "enable", "--id", id, "--feature", f); err != nil {
			t.Fatalf("enabling %s: %v %s", f, err, out)
		}
	}
	w.backfilled(30 * time.Second)
	if o := w.orgs(); len(o) != 1 || o[globex].Name != "Globex" || strings.Join(o[globex].Tags, ",") != "tech" {
		t.Fatalf("organizations after the filtered backfill: %+v", o)
	}
	if u := w.users()[ann]; title(u) != "Clerk" {
		t.Fatalf("Ann in Zendesk: %s", zendeskUserString(u))
	}

	out, err := cli("admin", "sync", "status", "--id", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"account sync on, contact sync on", "every 2s", "Account", "done, 1 of 1 (100 %)", "Contact", "done, 2 of 2 (100 %)", "1 refused",
		"Records Zendesk refused", bad, "Phone: call me is not a valid phone number"} {
		if !strings.Contains(out, want) {
			t.Errorf("sync status lacks %q:\n%s", want, out)
		}
	}
	out, err = cli("admin", "sync", "status", "--id", id, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st syncStatusJSON
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.DataSync == nil || len(st.DataSync.Objects) != 2 || len(st.DataSync.Errors) != 1 ||
		st.DataSync.Objects[1].Backfill.Failed != 1 || st.DataSync.Objects[0].Cursor == nil {
		t.Fatalf("sync status --json: %v\n%s", err, out)
	}

	if _, err := cli("admin", "sync", "replay", "--id", id, "--record", bad, "--all-records"); err == nil || !strings.Contains(err.Error(), "give one of") {
		t.Fatalf("replay with two targets: %v", err)
	}
	out, err = cli("admin", "sync", "replay", "--id", id, "--record", bad)
	if err != nil || !strings.Contains(out, "1 still refused") {
		t.Fatalf("replaying before the fix: %v %s", err, out)
	}
	w.update("Contact", bad, map[string]any{"Phone": "+1 415 555 0100"})
	out, err = cli("admin", "sync", "replay", "--id", id, "--all-records")
	if err != nil || !strings.Contains(out, "1 records written to Zendesk again; 0 still refused") {
		t.Fatalf("replaying all after the fix: %v %s", err, out)
	}
	if u, ok := w.users()[bad]; !ok || u.Phone != "+1 415 555 0100" {
		t.Errorf("the replayed Contact: %s", zendeskUserString(u))
	}
	if _, err := cli("admin", "sync", "replay", "--id", id, "--record", "003000000000000AAA"); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Errorf("replaying a record that is not refused: %v", err)
	}

	// A new mapping reaches the records already in Zendesk by a backfill,
	// and the CLI says so; a poll interval alone starts none.
	out, err = cli("admin", "connection", "datasync", "--id", id,
		"--map", "Contact.Name=name", "--map", "Contact.Email=email", "--map", "Contact.Title=user_fields.title", "--map", "Contact.Phone=phone", "--map", "Contact.Department=notes")
	if err != nil || !strings.Contains(out, "a backfill of Contact started (changed mappings)") {
		t.Errorf("changing a mapping: %v %q", err, out)
	}
	out, err = cli("admin", "connection", "datasync", "--id", id, "--poll", "3s")
	if err != nil || strings.Contains(out, "backfill") {
		t.Errorf("changing the poll interval: %v %q", err, out)
	}
}
