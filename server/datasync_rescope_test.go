package main

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// A settings change that changes what an object's records become in
// Zendesk (a new mapping, the match order) brings every record across
// again, as a changed filter does: a newly mapped field reaches the users
// whose records never change again, and the audit log says why.
func TestDataSyncMappingChangeBackfills(t *testing.T) {
	w := newDataWorld(t, "")
	// Stamped before change capture's overlap window: only a backfill
	// reads them again.
	w.orgClock.Hold(time.Now().Add(-time.Hour))
	var ids []string
	for _, n := range []string{"Ames", "Bell", "Cole"} {
		ids = append(ids, w.insert("Contact", map[string]any{"LastName": n, "Email": strings.ToLower(n) + "@globex.example", "Title": n + "'s title"}))
	}
	w.orgClock.Release()
	w.configure(func(s *crossview.DataSyncSettings) { s.Accounts.On, s.Leads.On, s.PollSeconds = false, false, 2 })
	w.enable(crossview.FeatureContactSync)
	w.backfilled(30 * time.Second)
	for _, id := range ids {
		if u := w.users()[id]; title(u) != "" {
			t.Fatalf("a title before it was mapped: %s", zendeskUserString(u))
		}
	}

	w.configure(func(s *crossview.DataSyncSettings) {
		s.Contacts.Mappings = append(s.Contacts.Mappings, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
	})
	waitUntil(t, "the newly mapped title on every user", 20*time.Second, func() (bool, string) {
		users := w.users()
		var got []string
		ok := true
		for _, id := range ids {
			got = append(got, title(users[id]))
			ok = ok && title(users[id]) != ""
		}
		return ok, strings.Join(got, ", ")
	})
	p := w.pages()
	if audit := p.get("/admin/audit").Text(); !strings.Contains(audit, "a backfill of Contact started (changed mappings)") {
		t.Errorf("the audit log does not say the mapping change backfills:\n%s", audit)
	}

	w.backfilled(30 * time.Second)
	w.configure(func(s *crossview.DataSyncSettings) { s.UserMatch = []string{"external_id"} })
	if audit := p.get("/admin/audit").Text(); !strings.Contains(audit, "a backfill of Contact started (changed matching)") {
		t.Errorf("the audit log does not say the match change backfills:\n%s", audit)
	}
	// Settings that do not change what records become start nothing.
	before := w.status().Objects[0].Backfill.StartedAt
	w.configure(func(s *crossview.DataSyncSettings) { s.PollSeconds = 3 })
	if after := w.status().Objects[0].Backfill.StartedAt; !after.Equal(before) {
		t.Errorf("changing the poll interval started a backfill (%v, was %v)", after, before)
	}
}
