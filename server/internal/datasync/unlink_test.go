package datasync

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// "Unlink" chosen after the Contacts were written still removes a deleted
// Contact's membership, and the log says so.
func TestUnlinkChosenAfterTheBackfill(t *testing.T) {
	w := newWorld(t)
	acct := w.insert("Account", map[string]any{"Name": "Globex"})
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "AccountId": acct})
	keep := w.insert("Contact", map[string]any{"LastName": "Bell", "Email": "bob@acme.test", "AccountId": acct})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureAccountSync)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	if u, _ := w.user(con); u.OrganizationID == 0 {
		t.Fatalf("the Contact's user has no organization: %+v", u)
	}
	c := w.current()
	c.DataSync.OnDelete = "unlink"
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	if err := w.org.Delete("Contact", con); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		w.clock.Advance(3 * time.Minute)
		w.poll()
	}
	if u, _ := w.user(con); u.OrganizationID != 0 {
		t.Errorf("unlink did nothing (org %d)", u.OrganizationID)
	}
	if u, _ := w.user(keep); u.OrganizationID == 0 {
		t.Errorf("another Contact lost its organization")
	}
	if log := w.logged(w.current()); !strings.Contains(log, con+" removed from 1 organization") {
		t.Errorf("the log does not say what the delete did:\n%s", log)
	}
}

// A deleted Contact whose Accounts are not known (written before they
// were kept) is never skipped silently: the log names it.
func TestUnlinkWithoutKnownAccountsIsLogged(t *testing.T) {
	w := newWorld(t)
	acct := w.insert("Account", map[string]any{"Name": "Globex"})
	con := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "AccountId": acct})
	w.clock.Advance(10 * time.Minute)
	c := w.current()
	c.DataSync.OnDelete = "unlink"
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.enable(crossview.FeatureAccountSync)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	if err := w.backendDelete(tableLinks+w.conn.ID, con); err != nil { // as a version that kept none left it
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	if err := w.org.Delete("Contact", con); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		w.clock.Advance(3 * time.Minute)
		w.poll()
	}
	if log := w.logged(w.current()); !strings.Contains(log, con+" no organization known") {
		t.Errorf("the log does not name the Contact left as it was:\n%s", log)
	}
}

func (w *world) backendDelete(table, key string) error {
	return w.svc.o.Records.Delete(w.ctx, w.conn.Tenant, table, key)
}
