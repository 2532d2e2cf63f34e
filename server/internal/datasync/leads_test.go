package datasync

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// leadsToo syncs Contacts and Leads, no Accounts.
func (w *world) leadsToo() {
	w.t.Helper()
	c := w.current()
	c.DataSync.Accounts.On, c.DataSync.Leads.On = false, true
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
}

// A Contact and a Lead with one email are one person: the Contact keeps
// the Zendesk user, and the Lead is skipped with the reason in the log,
// however often either changes.
func TestContactWinsOverLeadWithTheSameEmail(t *testing.T) {
	w := newWorld(t)
	w.leadsToo()
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "FirstName": "Ann", "Email": "ann@acme.test"})
	lead := w.insert("Lead", map[string]any{"LastName": "Ames-Old", "Company": "X", "Email": "Ann@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	w.clock.Advance(time.Minute)
	w.update("Lead", lead, map[string]any{"LastName": "Ames-Older"})
	w.clock.Advance(time.Minute)
	w.poll()
	u, ok := w.user(con)
	if !ok || u.Name != "Ann Ames" {
		t.Fatalf("the Contact's user was taken by the Lead: %+v", w.users())
	}
	if log := w.logged(w.current()); !strings.Contains(log, lead+" ann@acme.test is the Zendesk user of Contact "+con) {
		t.Errorf("the Lead's skip is not in the log:\n%s", log)
	}
}

// A Lead synced first hands its user to the Contact it becomes.
func TestLeadConvertedToAContactHandsTheUserOver(t *testing.T) {
	w := newWorld(t)
	w.leadsToo()
	lead := w.insert("Lead", map[string]any{"LastName": "Ames", "FirstName": "Ann", "Company": "X", "Email": "ann@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	if _, ok := w.user(lead); !ok {
		t.Fatalf("the Lead made no user: %+v", w.users())
	}
	w.clock.Advance(time.Minute)
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "FirstName": "Ann B.", "Email": "ann@acme.test"})
	if err := w.org.ConvertLead(lead); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	w.poll()
	w.clock.Advance(time.Minute)
	w.update("Lead", lead, map[string]any{"LastName": "Ames-Lead"}) // an old converted Lead edited later
	w.clock.Advance(time.Minute)
	w.poll()
	if u, ok := w.user(con); !ok || u.Name != "Ann B. Ames" {
		t.Fatalf("the Contact did not take the Lead's user over: %+v", w.users())
	}
	if n := len(w.users()); n != 1 {
		t.Errorf("%d users, want 1", n)
	}
	if log := w.logged(w.current()); !strings.Contains(log, lead+" the Lead is converted") {
		t.Errorf("the converted Lead's skip is not in the log:\n%s", log)
	}
}

// Two Contacts with one email: the first keeps the user; the second is
// skipped with the reason, never re-pointing the user's external id.
func TestSecondRecordWithAnEmailNeverRepointsTheUser(t *testing.T) {
	w := newWorld(t)
	w.leadsToo()
	first := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	w.clock.Advance(time.Minute)
	dup := w.insert("Contact", map[string]any{"LastName": "Duplicate", "Email": "ann@acme.test"})
	w.clock.Advance(time.Minute)
	w.poll()
	if u, ok := w.user(first); !ok || u.Name != "Ames" {
		t.Fatalf("the first Contact's user was re-pointed: %+v", w.users())
	}
	if log := w.logged(w.current()); !strings.Contains(log, dup+" ann@acme.test is already the Zendesk user of Contact "+first) {
		t.Errorf("the duplicate's skip is not in the log:\n%s", log)
	}
	// The first is deleted (a merge keeps the other): the email is free,
	// and the survivor's next change takes the user.
	if err := w.org.Delete("Contact", first); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	w.update("Contact", dup, map[string]any{"FirstName": "Ann"})
	w.clock.Advance(time.Minute)
	w.poll()
	if u, ok := w.user(dup); !ok || u.Name != "Ann Duplicate" {
		t.Errorf("the surviving Contact did not take the user over after the first was deleted: %+v", w.users())
	}
}
