package datasync

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// second is another Salesforce org feeding the world's Zendesk account.
type second struct {
	org  *salesforcetest.Org
	conn crossview.Connection
}

// addOrg connects another emulated org to the same Zendesk account, with
// Contacts only and the priority given.
func (w *world) addOrg(name string, priority int) *second {
	w.t.Helper()
	org, err := w.cloud.AddOrg(salesforcetest.OrgSpec{Name: name, DailyAPILimit: 1_000_000})
	if err != nil {
		w.t.Fatal(err)
	}
	admin := org.AddUser(salesforcetest.User{Username: "admin@" + strings.ToLower(name) + ".example", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true}})
	access, refresh := org.IssueTokens(admin.ID)
	c := crossview.NewConnection("acme", crossview.Production, org.ID(), org.InstanceURL(), w.clock.Now())
	c.Name, c.DataSync = name, crossview.DefaultDataSyncSettings()
	c.DataSync.Accounts.On, c.DataSync.Priority = false, priority
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
	if err := w.store.PutToken(w.ctx, c.ID, crossview.Token{AccessToken: access, RefreshToken: refresh, InstanceURL: org.InstanceURL()}); err != nil {
		w.t.Fatal(err)
	}
	return &second{org: org, conn: c}
}

// enableOn turns contact sync on for another connection and polls it.
func (w *world) enableOn(o *second) {
	w.t.Helper()
	c, err := w.svc.Enable(w.ctx, o.conn, crossview.FeatureContactSync)
	if err != nil {
		w.t.Fatal(err)
	}
	o.conn = c
	w.pollOn(o)
}

// pollOn runs one poll of another connection.
func (w *world) pollOn(o *second) {
	w.t.Helper()
	c, err := w.store.Connection(w.ctx, o.conn.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	o.conn = c
	w.svc.cycle(w.ctx, c, func() bool { return true })
	w.svc.mu.Lock()
	defer w.svc.mu.Unlock()
	if e := w.svc.polls[c.ID].err; e != "" {
		w.t.Fatalf("poll of %s failed: %s", c.Name, e)
	}
}

// setPriority changes a connection's priority.
func (w *world) setPriority(id string, p int) {
	w.t.Helper()
	c, err := w.store.Connection(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	c.DataSync.Priority = p
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
}

// logged is the connection's log, a line an entry: record, error, notes.
func (w *world) logged(c crossview.Connection) string {
	w.t.Helper()
	es, err := w.svc.History(w.ctx, c, w.clock.Now().Add(time.Hour), 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		parts := append([]string{e.Record, e.Error}, e.Notes...)
		b.WriteString(strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ") + "\n")
	}
	return b.String()
}

// An org that synced alone first keeps its users when an org with a
// higher priority number is turned on later; lowering the other's number
// below it hands the users over.
func TestPriorityHoldsWhenTheFirstOrgSyncedAlone(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle() // priority 0
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "FirstName": "Ann", "Email": "ann@acme.test", "Title": "Clerk"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()

	globex := w.addOrg("Globex", 5)
	other := globex.org
	ann5, err := other.Insert("Contact", map[string]any{"LastName": "Smith", "FirstName": "Annie", "Email": "ANN@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	w.enableOn(globex)
	u, ok := w.user(ann)
	if !ok || u.Name != "Ann Ames" {
		t.Fatalf("the priority-5 org took the priority-0 org's user: %+v (found by %s: %v)", u, ann, ok)
	}
	if log := w.logged(globex.conn); !strings.Contains(log, ann5) || !strings.Contains(log, "priority") {
		t.Errorf("the skip is not in Globex's log:\n%s", log)
	}

	// Globex now comes first: its next change takes the user over.
	w.setPriority(w.conn.ID, 10)
	w.clock.Advance(time.Minute)
	if err := other.Update("Contact", ann5, map[string]any{"LastName": "Smithers"}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	w.pollOn(globex)
	if u, ok := w.user(ann5); !ok || u.Name != "Annie Smithers" {
		t.Fatalf("the org that now comes first did not take the user over: %+v", w.users())
	}
	// And the first org's own next change is skipped, not fought over.
	w.update("Contact", ann, map[string]any{"Title": "Manager"})
	w.clock.Advance(time.Minute)
	w.poll()
	if u, ok := w.user(ann5); !ok || u.Name != "Annie Smithers" {
		t.Errorf("the user flipped back: %+v", w.users())
	}
}

// A connection that no longer syncs users gives its emails up.
func TestClaimsOfAnOrgThatStoppedSyncingAreFree(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "FirstName": "Ann", "Email": "ann@acme.test"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	if _, err := w.svc.Disable(w.ctx, w.current(), crossview.FeatureContactSync); err != nil {
		t.Fatal(err)
	}
	globex := w.addOrg("Globex", 5)
	other, err := globex.org.Insert("Contact", map[string]any{"LastName": "Smith", "FirstName": "Annie", "Email": "ann@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	w.enableOn(globex)
	if u, ok := w.user(other); !ok || u.Name != "Annie Smith" {
		t.Errorf("the email of an org that stopped syncing users stayed claimed: %+v (ann %s)", w.users(), ann)
	}
}
